"""What every entry point does first: settings and knowledge, each failure a clear message.

Kept free of Slack imports, and settings (pydantic-settings) load only when asked for, so that
`python -m bot ask` starts fast.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from bot.snapshot import cached_engine
from handlers.engine import Engine
from knowledge import KnowledgeError

if TYPE_CHECKING:
    from bot.settings import Mode, Settings

KNOWLEDGE_ENV = "PNET_KNOWLEDGE_DIR"


class StartupError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems

    def report(self, what: str = "Cannot start") -> str:
        return f"{what}:\n" + "".join(f"  {p}\n" for p in self.problems)


def snapshot_dir() -> Path | None:
    """Where the engine built from validated knowledge is kept between runs (bot/snapshot.py): the user's cache
    directory; None (always validate) where there is none."""
    try:
        base = os.environ.get("LOCALAPPDATA") if os.name == "nt" else os.environ.get("XDG_CACHE_HOME")
        return Path(base or Path.home() / ".cache") / "pnet-bot"
    except RuntimeError:  # no home directory
        return None


def load_engine(knowledge_dir: str | None) -> Engine:
    try:
        return cached_engine(knowledge_dir or None, snapshot_dir())
    except KnowledgeError as exc:
        raise StartupError(["the knowledge files are invalid:", *(f"  {p}" for p in exc.problems)]) from None


def settings_for(env: Mapping[str, str], mode: Mode | None) -> tuple[Settings, Mode]:
    """Settings from the environment and the mode to run (None: chosen from which tokens are set)."""
    from bot.settings import SettingsError, from_env

    try:
        settings = from_env(env)
        mode = mode or settings.mode()
        return settings.require(mode), mode
    except SettingsError as exc:
        raise StartupError(exc.problems) from None
