"""The engine, built from validated knowledge, kept as a snapshot between runs so a fresh process starts fast.

Parsing and validating the YAML and building the engine's indexes (lexicon, retrieval, router) is most
of a cold start; unpickling the result takes a fraction of it. A snapshot is keyed by a hash of every
knowledge file and of the code that validates and indexes it (knowledge/ and handlers/), plus the
Python and pydantic versions: any edit gives a new key, so an edited knowledge directory is always
validated afresh. A snapshot whose stored key differs from its file's name, or that cannot be read, is
ignored and rebuilt; invalid knowledge is never kept. `python -m bot validate` never uses one.

It lives in the user's cache directory (bot/startup.snapshot_dir: $XDG_CACHE_HOME or ~/.cache, or
%LOCALAPPDATA% on Windows, then pnet-bot/); where that cannot be written, every start builds afresh.
Only a snapshot this user wrote is read (pickle runs code): the directory is created private, and a
file owned by someone else or writable by others is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import pydantic

import handlers
import knowledge
from handlers.engine import Engine
from knowledge import load
from knowledge.loader import DATA_DIR, FILES
from knowledge.schema import CASE_FIELDS_FILE

KEEP = 4  # snapshots kept per cache directory (one per knowledge edition in use)
_CODE = sorted(p for package in (knowledge, handlers) for p in Path(str(package.__file__)).parent.rglob("*.py"))


def cached_engine(directory: Path | str | None, cache_dir: Path | None) -> Engine:
    """Engine(load(directory)), through a snapshot in cache_dir (None: always load, validate and build)."""
    key = _key(Path(directory) if directory is not None else DATA_DIR) if cache_dir is not None else None
    if key is None or cache_dir is None:
        return Engine(load(directory))
    path = cache_dir / f"engine-{key}.pickle"
    engine = _read(path, key)
    if engine is None:
        engine = Engine(load(directory))
        _write(path, key, engine)
    return engine


def _key(directory: Path) -> str | None:
    """Hash of the knowledge files and the code that reads them; None if a file cannot be read (load()
    then reports it)."""
    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    try:
        for path in [*(directory / name for name in FILES), CASE_FIELDS_FILE, *_CODE]:
            digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _read(path: Path, key: str) -> Engine | None:
    try:
        with path.open("rb") as f:
            if os.name == "posix":
                st = os.fstat(f.fileno())
                if st.st_uid != os.getuid() or st.st_mode & 0o022:
                    return None
            stored_key, engine = pickle.load(f)
    except Exception:  # missing, truncated, or written by other code: rebuilt from the YAML
        return None
    return engine if stored_key == key and isinstance(engine, Engine) else None


class _Pickler(pickle.Pickler):
    """Pickles a method's lru_cache (the lexicon memoises its typo corrections) as a fresh, empty cache."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, functools._lru_cache_wrapper):
            return _lru_cache, (obj.__wrapped__, obj.cache_parameters()["maxsize"])
        return NotImplemented


def _lru_cache(function: Any, maxsize: int | None) -> Any:
    return functools.lru_cache(maxsize=maxsize)(function)


def _write(path: Path, key: str, engine: Engine) -> None:
    """Write atomically (workers starting together may race) and keep the KEEP newest."""
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".engine-")  # mode 0600
        with os.fdopen(fd, "wb") as f:
            _Pickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump((key, engine))
        os.replace(tmp, path)
        tmp = None
        newest = sorted(path.parent.glob("engine-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in newest[KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:  # a cache that cannot be written only costs the next start its speed, never this one
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
