"""Block Kit checked against Slack's documented limits (api.slack.com/reference/block-kit), written out
here independently of the renderer's own LIMITS so that a wrong limit there cannot pass unseen."""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
TEXT_MAX = {"header": 150, "section": 3000}
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
TABLE_ROWS = 100
TABLE_COLUMNS = 20
KNOWN = {"header", "section", "context", "actions", "divider", "table", "input"}


def problems(message: dict[str, Any]) -> list[str]:
    """Every way the message breaks a documented limit; [] when it is valid."""
    out: list[str] = []
    blocks = message.get("blocks", [])
    if not isinstance(message.get("text"), str) or not message["text"]:
        out.append("no text fallback")
    if len(blocks) > MAX_BLOCKS:
        out.append(f"{len(blocks)} blocks")
    if sum(b.get("type") == "table" for b in blocks) > 1:
        out.append("more than one table")
    for i, b in enumerate(blocks):
        kind = b.get("type")
        if kind not in KNOWN:
            out.append(f"block {i}: unknown type {kind}")
        if kind in TEXT_MAX and len(b["text"]["text"]) > TEXT_MAX[kind]:
            out.append(f"block {i}: {kind} text too long")
        if kind == "header" and b["text"]["type"] != "plain_text":
            out.append(f"block {i}: header not plain_text")
        if kind == "context" and not 1 <= len(b["elements"]) <= CONTEXT_ELEMENTS:
            out.append(f"block {i}: context elements")
        if kind == "actions":
            if not 1 <= len(b["elements"]) <= ACTIONS_ELEMENTS:
                out.append(f"block {i}: actions elements")
            for e in b["elements"]:
                if len(e["text"]["text"]) > BUTTON_TEXT or len(e.get("value", "")) > BUTTON_VALUE:
                    out.append(f"block {i}: button too long")
                if len(e["action_id"]) > ACTION_ID:
                    out.append(f"block {i}: action_id too long")
            if len({e["action_id"] for e in b["elements"]}) != len(b["elements"]):
                out.append(f"block {i}: duplicate action_id")
        if kind == "table":
            rows = b.get("rows", [])
            if not 1 <= len(rows) <= TABLE_ROWS:
                out.append(f"block {i}: {len(rows)} table rows")
            if any(len(r) > TABLE_COLUMNS or len(r) != len(rows[0]) for r in rows):
                out.append(f"block {i}: ragged or too wide table")
            if any(not c.get("text") for r in rows for c in r):
                out.append(f"block {i}: empty table cell")
    return out
