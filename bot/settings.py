"""Environment -> Settings. Every missing or malformed value is named; no secret is ever echoed.

SLACK_BOT_TOKEN       xoxb-...   needed for Slack (both modes)
SLACK_APP_TOKEN       xapp-...   Socket Mode
SLACK_SIGNING_SECRET  hex        HTTP mode
SLACK_API_URL         base URL of the Web API (default https://slack.com/api/): proxies, GovSlack, tests
PNET_SLASH_COMMAND    default /pnet
FEEDBACK_CHANNEL      channel id (C.../G...) where "Report a problem" posts go; unset = reports are declined
PNET_ALLOWED_CHANNELS comma-separated channel ids where the bot answers; unset = everywhere it is invited.
                      Direct messages are always answered.
LOG_LEVEL             DEBUG, INFO (default), WARNING or ERROR
PORT                  HTTP port of the web process (default 3000)
BIND_ADDRESS          address the web process listens on (default 0.0.0.0; 127.0.0.1 behind a local proxy)
WEB_CONCURRENCY       web worker processes (default: the number of cores, at least 2)
WEB_THREADS           threads per web worker that run Bolt's listeners (default 8)
REDIS_URL             redis://... : the event and replay store shared by several machines (default: SQLite)
PNET_DATA_DIR         directory of the SQLite store, shared by the processes of one machine (default .pnet-data,
                      relative to the working directory)
PNET_HEARTBEAT_FILE   file the Socket Mode worker touches while connected, read by `python -m bot health`
                      (default PNET_DATA_DIR/socket-heartbeat; give each worker on a machine its own)
SLACK_API_TIMEOUT     seconds to wait for one Web API call (default 10)
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlparse

Mode = Literal["socket", "http", "console"]

DEFAULT_API_URL = "https://slack.com/api/"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_COMMAND = re.compile(r"^/[a-z0-9_\-]{1,31}$")
_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_SIGNING_SECRET = re.compile(r"^[0-9a-f]{16,}$")


class SettingsError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    slash_command: str = "/pnet"
    feedback_channel: str | None = None
    allowed_channels: frozenset[str] = frozenset()
    log_level: str = "INFO"
    port: int = 3000
    bind_address: str = "0.0.0.0"
    web_concurrency: int = field(default_factory=lambda: default_workers())
    web_threads: int = 8
    redis_url: str | None = field(default=None, repr=False)  # may carry a password
    data_dir: str = ".pnet-data"
    heartbeat_file: str = ".pnet-data/socket-heartbeat"
    api_timeout: int = 10

    def mode(self) -> Mode:
        """What `python -m bot` runs: Socket Mode if its tokens are set, else HTTP if its are, else the console.

        A half-configured deployment stops with what is missing rather than quietly opening a console.
        """
        if self.bot_token and self.app_token:
            return "socket"
        if self.bot_token and self.signing_secret:
            return "http"
        if self.bot_token:
            raise SettingsError(
                ["SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP)"]
            )
        if self.app_token or self.signing_secret:
            raise SettingsError(["SLACK_BOT_TOKEN is not set; Slack needs it in both modes"])
        return "console"

    def require(self, mode: Mode) -> Settings:
        """Stop with the names of the settings a run mode needs and does not have."""
        needed = {
            "socket": [("SLACK_BOT_TOKEN", self.bot_token), ("SLACK_APP_TOKEN", self.app_token)],
            "http": [("SLACK_BOT_TOKEN", self.bot_token), ("SLACK_SIGNING_SECRET", self.signing_secret)],
            "console": [],
        }[mode]
        missing = [name for name, value in needed if not value]
        if missing:
            raise SettingsError([f"{name} is not set; {mode} mode needs it" for name in missing])
        return self

    def allows(self, channel_id: str | None) -> bool:
        """Direct messages always; channels only if on the allow-list (when there is one)."""
        if not self.allowed_channels or not channel_id or channel_id.startswith("D"):
            return True
        return channel_id in self.allowed_channels


def default_workers() -> int:
    """One web worker per core, and at least two, so that one busy or restarting worker is not the whole service."""
    return max(2, os.cpu_count() or 1)


def from_env(env: Mapping[str, str]) -> Settings:
    problems: list[str] = []

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    def token(name: str, prefix: str) -> str | None:
        value = get(name)
        if value and not value.startswith(prefix):
            problems.append(f"{name} should start with '{prefix}' (the value is not shown)")
        return value

    bot_token = token("SLACK_BOT_TOKEN", "xoxb-")
    app_token = token("SLACK_APP_TOKEN", "xapp-")
    signing_secret = get("SLACK_SIGNING_SECRET")
    if signing_secret and not _SIGNING_SECRET.match(signing_secret):
        problems.append("SLACK_SIGNING_SECRET should be the hexadecimal secret from Basic Information (not shown)")

    api_url = get("SLACK_API_URL") or DEFAULT_API_URL
    parsed = urlparse(api_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(f"SLACK_API_URL should be an http(s) URL such as {DEFAULT_API_URL}, got {api_url!r}")
    api_url = api_url if api_url.endswith("/") else api_url + "/"

    command = get("PNET_SLASH_COMMAND") or "/pnet"
    if not _COMMAND.match(command):
        problems.append(
            f"PNET_SLASH_COMMAND should look like /pnet (lower case, at most 32 characters), got {command!r}"
        )

    feedback = get("FEEDBACK_CHANNEL")
    if feedback and not _CHANNEL.match(feedback):
        problems.append(f"FEEDBACK_CHANNEL should be a channel id such as C0123ABCD, got {feedback!r}")

    allowed = [c.strip() for c in (get("PNET_ALLOWED_CHANNELS") or "").split(",") if c.strip()]
    bad = [c for c in allowed if not _CHANNEL.match(c)]
    if bad:
        problems.append(f"PNET_ALLOWED_CHANNELS should list channel ids such as C0123ABCD, got {', '.join(bad)}")

    level = (get("LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL should be one of {', '.join(LOG_LEVELS)}, got {level!r}")

    def number(name: str, default: int, low: int, high: int) -> int:
        text = get(name) or str(default)
        value = int(text) if text.isascii() and text.isdigit() else 0
        if not low <= value <= high:
            problems.append(f"{name} should be a number from {low} to {high}, got {text!r}")
        return value

    port = number("PORT", 3000, 1, 65535)
    bind = get("BIND_ADDRESS") or "0.0.0.0"
    try:
        ipaddress.ip_address(bind)
    except ValueError:
        problems.append(f"BIND_ADDRESS should be an IP address such as 127.0.0.1 or 0.0.0.0, got {bind[:40]!r}")
    web_concurrency = number("WEB_CONCURRENCY", default_workers(), 1, 64)
    web_threads = number("WEB_THREADS", 8, 1, 256)
    api_timeout = number("SLACK_API_TIMEOUT", 10, 1, 120)

    redis_url = get("REDIS_URL")
    if redis_url and urlparse(redis_url).scheme not in ("redis", "rediss", "unix"):
        problems.append("REDIS_URL should be a redis://, rediss:// or unix:// URL (the value is not shown)")

    data_dir = get("PNET_DATA_DIR") or ".pnet-data"
    if problems:
        raise SettingsError(problems)
    return Settings(
        bot_token=bot_token,
        app_token=app_token,
        signing_secret=signing_secret,
        api_url=api_url,
        slash_command=command,
        feedback_channel=feedback,
        allowed_channels=frozenset(allowed),
        log_level=level,
        port=port,
        bind_address=bind,
        web_concurrency=web_concurrency,
        web_threads=web_threads,
        redis_url=redis_url,
        data_dir=data_dir,
        heartbeat_file=get("PNET_HEARTBEAT_FILE") or os.path.join(data_dir, "socket-heartbeat"),
        api_timeout=api_timeout,
    )
