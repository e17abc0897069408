"""The validated knowledge, kept as a snapshot between runs so a fresh process starts fast.

Parsing and validating the YAML is most of a cold start; unpickling the result takes milliseconds.
A snapshot is keyed by a hash of every knowledge file and of this package's code (the schema that
validated it), plus the Python and pydantic versions: any edit gives a new key, so an edited
knowledge directory is always validated afresh. A snapshot whose stored key differs from the file's
name, or that cannot be read, is ignored and rebuilt. `python -m bot validate` never uses one.

Only a snapshot this user wrote is read (pickle runs code): the directory is created private, and a
file owned by someone else or writable by others is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import pydantic

from knowledge.loader import DATA_DIR, FILES, Knowledge, load

KEEP = 4  # snapshots kept per cache directory (one per knowledge edition in use)
_CODE = sorted(Path(__file__).parent.glob("*.py"))


def load_cached(directory: Path | str | None, cache_dir: Path | None) -> Knowledge:
    """load(directory), through a snapshot in cache_dir (None: always load and validate)."""
    key = _key(Path(directory) if directory is not None else DATA_DIR) if cache_dir is not None else None
    if key is None or cache_dir is None:
        return load(directory)
    path = cache_dir / f"knowledge-{key}.pickle"
    knowledge = _read(path, key)
    if knowledge is None:
        knowledge = load(directory)
        _write(path, key, knowledge)
    return knowledge


def _key(directory: Path) -> str | None:
    """Hash of the knowledge files and the code that validates them; None if a file cannot be read
    (load() then reports it)."""
    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    try:
        for path in [*(directory / name for name in FILES), *_CODE]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _read(path: Path, key: str) -> Knowledge | None:
    try:
        with path.open("rb") as f:
            if os.name == "posix":
                st = os.fstat(f.fileno())
                if st.st_uid != os.getuid() or st.st_mode & 0o022:
                    return None
            stored_key, knowledge = pickle.load(f)
    except Exception:  # missing, truncated, or written by other code: rebuilt from the YAML
        return None
    return knowledge if stored_key == key and isinstance(knowledge, Knowledge) else None


def _write(path: Path, key: str, knowledge: Knowledge) -> None:
    """Write atomically (workers starting together may race) and keep the KEEP newest."""
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".knowledge-")  # mode 0600
        with os.fdopen(fd, "wb") as f:
            pickle.dump((key, knowledge), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        newest = sorted(path.parent.glob("knowledge-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in newest[KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:  # a cache that cannot be written only costs the next start its speed, never this one
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
