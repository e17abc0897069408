"""Liveness of the Socket Mode worker, for platforms that restart a hung process.

The worker has no port to probe, so it touches a file (PNET_HEARTBEAT_FILE) each time Slack answers one
of its WebSocket pings, every few seconds while connected. `python -m bot health` exits 0 while that file
is younger than MAX_AGE_S, and 1 when it is older or missing: the process is hung, or has not been
connected for that long (slack_sdk reconnects a silent connection within about 15 s).

Kept free of Slack imports, so that the check starts fast.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from bot import logs

MAX_AGE_S = 60  # four reconnects' worth of silence: a platform check then restarts the worker


def keep(client: Any, path: Path, every: float) -> threading.Thread:
    """Start a daemon thread that touches `path` after each pong on `client`'s current connection
    (slack_sdk's SocketModeClient records the time of the ping each pong answers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a heartbeat from an earlier run says nothing about this one

    def run() -> None:
        last = None
        while True:
            time.sleep(every)
            session = client.current_session
            pong = session.last_ping_pong_time if session is not None and session.is_active() else None
            if pong is None or pong == last:
                continue
            last = pong
            try:
                path.touch()
            except OSError as exc:
                logs.event("heartbeat_not_written", logging.WARNING, error=type(exc).__name__)

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    return thread


def check(path: Path, max_age: float = MAX_AGE_S) -> str | None:
    """None if the worker is alive, else why not."""
    try:
        age = time.time() - os.stat(path).st_mtime
    except FileNotFoundError:
        return f"no heartbeat at {path}: the Socket Mode worker is not running there, or has not connected yet"
    if age > max_age:
        return f"the last heartbeat at {path} is {age:.0f} s old (limit {max_age:.0f} s): the worker is hung or cut off from Slack"
    return None
