# ruff: noqa: F811  (the kdir fixture imported from tests/test_knowledge.py is a parameter here)
"""The knowledge snapshot (knowledge/snapshot.py): a fresh process starts from it, and never from a stale
or foreign one."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import KnowledgeError, load
from knowledge.snapshot import load_cached
from tests.test_knowledge import ROOT, edit, kdir  # noqa: F401  (kdir: a fixture)


def snapshots(cache: Path) -> list[Path]:
    return sorted(cache.glob("knowledge-*.pickle"))


def test_the_second_load_comes_from_the_snapshot_and_equals_a_validated_load(kdir, tmp_path):
    cache = tmp_path / "cache"
    first = load_cached(kdir, cache)
    (path,) = snapshots(cache)
    key, stored = pickle.loads(path.read_bytes())
    assert path.name == f"knowledge-{key}.pickle" and stored == first
    assert load_cached(kdir, cache) == first == load(kdir)
    if os.name == "posix":
        assert cache.stat().st_mode & 0o077 == 0 and path.stat().st_mode & 0o077 == 0


def test_an_edited_file_is_validated_and_served_afresh(kdir, tmp_path):
    cache = tmp_path / "cache"
    before = load_cached(kdir, cache)
    edit(kdir / "meta.yaml", lambda d: d.update(edition_date="2031-01-01"))
    after = load_cached(kdir, cache)
    assert after.version.startswith("2031-01-01.") and before.version != after.version
    assert len(snapshots(cache)) == 2
    edit(kdir / "subtypes.yaml", lambda d: d["subtypes"][3]["metastatic_rate"].update(low=80, high=50))
    with pytest.raises(KnowledgeError, match="range low 80 is greater than high 50"):
        load_cached(kdir, cache)
    assert len(snapshots(cache)) == 2  # nothing invalid is kept


def test_a_snapshot_whose_key_does_not_match_is_ignored(kdir, tmp_path):
    cache = tmp_path / "cache"
    real = load_cached(kdir, cache)
    (path,) = snapshots(cache)
    other_dir = tmp_path / "other"
    shutil.copytree(kdir, other_dir)
    edit(other_dir / "meta.yaml", lambda d: d.update(edition_date="2031-01-01"))
    path.write_bytes(pickle.dumps(("another key", load(other_dir))))  # under the real key's name
    assert load_cached(kdir, cache) == real
    assert pickle.loads(path.read_bytes()) == (path.name[len("knowledge-") : -len(".pickle")], real)  # rebuilt


def test_a_damaged_or_foreign_writable_snapshot_is_rebuilt(kdir, tmp_path):
    cache = tmp_path / "cache"
    real = load_cached(kdir, cache)
    (path,) = snapshots(cache)
    path.write_bytes(b"\x80\x05 truncated")
    assert load_cached(kdir, cache) == real
    if os.name == "posix":
        path.chmod(0o666)
        path.write_bytes(pickle.dumps((path.name[len("knowledge-") : -len(".pickle")], None)))
        assert load_cached(kdir, cache) == real  # others could have written it: not read


def test_the_cli_starts_from_a_snapshot_in_the_user_cache(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "LOCALAPPDATA": str(tmp_path)}
    ask = ["-m", "bot", "ask", "How often do insulinomas metastasise?"]
    first = subprocess.run([sys.executable, *ask], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0 and len(snapshots(tmp_path / "pnet-bot")) == 1
    again = subprocess.run(
        [sys.executable, "-X", "importtime", *ask], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert again.stdout == first.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines()}
    assert "knowledge.snapshot" in imported and "yaml" not in imported  # no YAML parsed this time
