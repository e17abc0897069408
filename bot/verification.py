"""Is this request from Slack? The checks every HTTP request passes before Bolt sees a byte of it.

Slack signs `v0:{timestamp}:{raw body}` with HMAC-SHA256 and the app's signing secret, and sends the
timestamp (seconds since the epoch, digits) and `v0=<64 hex digits>`. Anything else is refused here,
with a reason for the log and no exception: a header that is not a number, is "1e99", "nan", "0x10", a
run of 8,000 digits, or a signature with a non-ASCII character is simply not from Slack (slack_sdk's
SignatureVerifier would raise on some of these, and accepts others). The HMAC itself is slack_sdk's.
Bolt checks the signature again after us, but only ever sees requests that passed these checks.

The body size limit and the replay check live in bot/web.py, which owns the connection and the store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from slack_sdk.signature import SignatureVerifier

MAX_AGE_S = 300  # Slack's window: a request whose timestamp is further from now, either way, is refused
_TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}", re.ASCII)


def refusal(verifier: SignatureVerifier, headers: Mapping[str, str], body: bytes) -> str | None:
    """None if Slack signed this body within the window; otherwise why not (a short name for the log)."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not _TIMESTAMP.fullmatch(timestamp):
        return "bad_timestamp"
    if abs(verifier.clock.now() - int(timestamp)) > MAX_AGE_S:
        return "stale_timestamp"
    if not _SIGNATURE.fullmatch(signature):
        return "bad_signature"
    try:
        signed = verifier.is_valid(body, timestamp, signature)
    except UnicodeDecodeError:  # slack_sdk reads the body as UTF-8, as Slack sends it
        return "bad_body"
    return None if signed else "bad_signature"
