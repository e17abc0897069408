"""Structured logs, one JSON object per line, with no message text ever.

Our own records carry fields (answer id, intent, rules fired, knowledge version, latency), never the
question or the case. Slack's libraries can put request bodies into their messages (Bolt's
"unhandled request" and error lines, slack_sdk's debug dumps), so their loggers are kept at INFO or
above and Bolt's messages are withheld: only level, logger and exception type are written, except for
Bolt's messages known to quote nothing (_SAFE), which are written as they are.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

LOGGER = "pnet"
_WITHHELD = ("slack_bolt",)  # loggers whose messages may quote a payload
_QUIET = ("slack_bolt", "slack_sdk", "urllib3")  # never below INFO, whatever LOG_LEVEL says
# Constant messages of Bolt's, safe to show. At each start Bolt notes that the client we give it (which
# carries SLACK_BOT_TOKEN, SLACK_API_URL and our retry handler) is used rather than the token it also
# reads from the environment: expected, and clearer shown than withheld.
_SAFE = frozenset({"As you gave `client` as well, `token` will be unused."})

log = logging.getLogger(LOGGER)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        if record.name == LOGGER or record.name.startswith(LOGGER + "."):
            out["event"] = record.getMessage()
            out.update(getattr(record, "fields", {}))
        elif record.name.startswith(_WITHHELD) and (record.args or record.msg not in _SAFE):
            out["event"] = "library"
            out["note"] = "message withheld (may quote a request)"
        else:
            out["event"] = "library"
            out["message"] = record.getMessage()
        if record.exc_info and record.exc_info[0]:
            out["error"] = record.exc_info[0].__name__
        return json.dumps(out, ensure_ascii=False, default=str)


def setup(level: str = "INFO", stream: Any = None) -> None:
    """Send every log record to one JSON-lines handler (stderr by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))


def event(name: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one event with fields. Callers pass ids, names and numbers only, never user text."""
    log.log(level, name, extra={"fields": fields})
