"""Is this request from Slack? The checks every HTTP request passes before Bolt sees a byte of it.

Slack signs `v0:{timestamp}:{raw body}` with HMAC-SHA256 and the app's signing secret, and sends the
timestamp (seconds since the epoch, digits) and `v0=<64 hex digits>`. Anything else is refused here,
with a reason for the log and no exception: a header that is not a number, is "1e99", "nan", "0x10", a
run of 8,000 digits, or a signature with a non-ASCII character is simply not from Slack. Bolt checks
the signature again after us, but only ever sees requests that passed these checks.

The body size limit and the replay check live in bot/web.py, which owns the connection and the store.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping

MAX_AGE_S = 300  # Slack's window: a request whose timestamp is further from now, either way, is refused
_TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}", re.ASCII)


def refusal(secret: bytes, headers: Mapping[str, str], body: bytes, now: float | None = None) -> str | None:
    """None if Slack signed this body within the window; otherwise why not (a short name for the log)."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not _TIMESTAMP.fullmatch(timestamp):
        return "bad_timestamp"
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE_S:
        return "stale_timestamp"
    if not _SIGNATURE.fullmatch(signature):
        return "bad_signature"
    expected = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature[3:].encode()):
        return "bad_signature"
    return None
