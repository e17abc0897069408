# ruff: noqa: F811  (the kdir fixture imported from tests/test_knowledge.py is a parameter here)
"""The start-up snapshot (bot/snapshot.py): a fresh process starts from the engine it holds, and never
from a stale or foreign one."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.render import to_text
from bot.snapshot import cached_engine
from handlers.engine import Engine
from knowledge import KnowledgeError, load
from tests.test_knowledge import ROOT, edit, kdir  # noqa: F401  (kdir: a fixture)

QUESTIONS = ["How often do insulinomas metastasise?", "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid"]


def snapshots(cache: Path) -> list[Path]:
    return sorted(cache.glob("engine-*.pickle"))


def stored(path: Path) -> tuple[str, Engine]:
    return pickle.loads(path.read_bytes())


def test_the_engine_from_a_snapshot_answers_as_one_built_from_validated_knowledge(kdir, tmp_path):
    cache = tmp_path / "cache"
    built = cached_engine(kdir, cache)
    (path,) = snapshots(cache)
    key, engine = stored(path)
    assert path.name == f"engine-{key}.pickle" and engine.knowledge == built.knowledge == load(kdir)
    again = cached_engine(kdir, cache)
    for q in QUESTIONS:
        assert to_text(again.ask(q).answer) == to_text(Engine(load(kdir)).ask(q).answer)
    if os.name == "posix":
        assert cache.stat().st_mode & 0o077 == 0 and path.stat().st_mode & 0o077 == 0


def test_an_edited_file_is_validated_and_served_afresh(kdir, tmp_path):
    cache = tmp_path / "cache"
    before = cached_engine(kdir, cache)
    edit(kdir / "meta.yaml", lambda d: d.update(edition_date="2031-01-01"))
    after = cached_engine(kdir, cache)
    assert after.version.startswith("2031-01-01.") and before.version != after.version
    assert len(snapshots(cache)) == 2
    edit(kdir / "subtypes.yaml", lambda d: d["subtypes"][3]["metastatic_rate"].update(low=80, high=50))
    with pytest.raises(KnowledgeError, match="range low 80 is greater than high 50"):
        cached_engine(kdir, cache)
    assert len(snapshots(cache)) == 2  # nothing invalid is kept


def test_a_snapshot_whose_key_does_not_match_is_ignored(kdir, tmp_path):
    cache = tmp_path / "cache"
    real = cached_engine(kdir, cache).version
    (path,) = snapshots(cache)
    other_dir = tmp_path / "other"
    shutil.copytree(kdir, other_dir)
    edit(other_dir / "meta.yaml", lambda d: d.update(edition_date="2031-01-01"))
    assert cached_engine(other_dir, tmp_path / "elsewhere").version != real
    (foreign,) = snapshots(tmp_path / "elsewhere")
    foreign.replace(path)  # another edition's snapshot under this key's name
    assert cached_engine(kdir, cache).version == real
    key, engine = stored(path)  # rebuilt
    assert path.name == f"engine-{key}.pickle" and engine.version == real


def test_a_damaged_or_foreign_writable_snapshot_is_rebuilt(kdir, tmp_path):
    cache = tmp_path / "cache"
    real = cached_engine(kdir, cache).version
    (path,) = snapshots(cache)
    path.write_bytes(b"\x80\x05 truncated")
    assert cached_engine(kdir, cache).version == real and stored(path)[1].version == real
    if os.name == "posix":
        path.chmod(0o666)  # others could have written it: not read, but replaced
        inode = path.stat().st_ino
        assert cached_engine(kdir, cache).version == real
        assert path.stat().st_ino != inode and path.stat().st_mode & 0o077 == 0


def test_the_cli_starts_from_a_snapshot_in_the_user_cache(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "LOCALAPPDATA": str(tmp_path)}
    ask = ["-m", "bot", "ask", QUESTIONS[0]]
    first = subprocess.run([sys.executable, *ask], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0 and len(snapshots(tmp_path / "pnet-bot")) == 1
    (written,) = snapshots(tmp_path / "pnet-bot")
    stamp = written.stat().st_mtime_ns
    again = subprocess.run(
        [sys.executable, "-X", "importtime", *ask], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert again.stdout == first.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines()}
    # read, not rebuilt: a snapshot that could not be used would have been written again
    assert "bot.snapshot" in imported and snapshots(tmp_path / "pnet-bot") == [written]
    assert written.stat().st_mtime_ns == stamp
