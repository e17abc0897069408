"""What the processes of one deployment must agree on: which events and which signed requests they have seen.

Slack re-sends an event it thinks we missed (X-Slack-Retry-Num), up to minutes later and to whichever
process answers; an attacker can re-send a captured signed request within its 5-minute window. Both are
refused by remembering a key for a while, in a store every process sees:

- SQLite in PNET_DATA_DIR (the default): no server, shared by all the workers of one machine;
- Redis when REDIS_URL is set: shared by several machines (SET NX EX, atomic).

Keys are Slack's event ids and request-signature digests, never message text.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol

EVENT_TTL_S = 3600  # Slack's last retry comes minutes after the event; an hour leaves a wide margin
REPLAY_TTL_S = 660  # a signature is accepted while its timestamp is within 5 minutes either way: 10 minutes
_PURGE_EVERY = 500  # SQLite: forget expired keys once every this many writes


class StoreError(Exception):
    """The store cannot be reached or written: the caller refuses the request rather than guess."""


class Store(Protocol):
    def first_time(self, key: str, ttl: int) -> bool:
        """True exactly once per key within `ttl` seconds, across every process using the store."""
        ...

    def check(self) -> None:
        """Raise StoreError if the store is unusable (at start-up, and for the web process's /healthz)."""
        ...


class SqliteStore:
    """One small table in a WAL-mode database file; one connection per thread."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._local = threading.local()
        self._writes = 0

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)  # autocommit: each write is atomic
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait; several processes write in turn
            db.execute("PRAGMA synchronous=NORMAL")  # durable enough for keys that live an hour
            db.execute("CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, expires REAL NOT NULL)")
            self._local.db = db
        return db

    def first_time(self, key: str, ttl: int) -> bool:
        now = time.time()
        try:
            db = self._db()
            # Insert, or take over a key whose time is up; `changes` says whether this call won.
            cursor = db.execute(
                "INSERT INTO seen (key, expires) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE seen.expires < ?",
                (key, now + ttl, now),
            )
            won = cursor.rowcount == 1
            self._writes += 1
            if self._writes % _PURGE_EVERY == 0:
                db.execute("DELETE FROM seen WHERE expires < ?", (now,))
            return won
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite store {self.path}: {type(exc).__name__}") from None

    def check(self) -> None:
        try:
            self._db().execute("SELECT 1 FROM seen LIMIT 1")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"PNET_DATA_DIR: cannot use {self.path} ({type(exc).__name__})") from None


class RedisStore:
    """SET key 1 NX EX ttl: atomic, and Redis forgets the key by itself."""

    PREFIX = "pnet:"

    def __init__(self, url: str):
        import redis  # only deployments with REDIS_URL need it loaded

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._errors = (redis.RedisError, OSError)

    def first_time(self, key: str, ttl: int) -> bool:
        try:
            return bool(self._redis.set(self.PREFIX + key, b"1", nx=True, ex=ttl))
        except self._errors as exc:
            raise StoreError(f"Redis: {type(exc).__name__}") from None

    def check(self) -> None:
        try:
            self._redis.ping()
        except self._errors as exc:
            raise StoreError(f"REDIS_URL: cannot reach Redis ({type(exc).__name__})") from None


def open_store(redis_url: str | None, data_dir: str) -> Store:
    """Redis if a URL is given, else SQLite in data_dir; checked, so a wrong setting stops start-up (StoreError)."""
    store: Store = RedisStore(redis_url) if redis_url else SqliteStore(Path(data_dir) / "seen.sqlite3")
    store.check()
    return store
