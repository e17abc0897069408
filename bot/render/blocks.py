"""Answer -> Block Kit blocks within Slack's limits, and the plain-text fallback sent with them.

Limits (Slack docs): header text 150 chars; section text 3000; context 10 elements; 50 blocks a
message. Long answers are split into several section blocks, and trimmed on purpose, saying so.
All text is escaped (&, <, >) so nothing in an answer can ping @channel or form a link.
"""

from __future__ import annotations

from typing import Any

from bot.render.text import cite_map, cites, source_line
from handlers.answer import Answer

LIMITS = {
    "header": 150,
    "section": 3000,
    "context_elements": 10,
    "context_text": 2000,
    "blocks": 50,
    "button_text": 75,
    "fallback": 3000,
}
RESERVED_BLOCKS = 4  # room the Slack layer keeps for its buttons and notices
SEVERITY_ICON = {
    "critical": ":red_circle: *Critical*",
    "warning": ":warning: *Warning*",
    "info": ":information_source: *Note*",
}


def escape(text: str) -> str:
    """Slack mrkdwn escaping: the three control characters only."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, LIMITS["section"])}}


def _chunks(title: str, lines: list[str]) -> list[str]:
    """Lines packed into section texts under the limit; the title heads the first one."""
    limit = LIMITS["section"]
    chunks: list[str] = []
    current = f"*{escape(title)}*" if title else ""
    for line in lines:
        line = _clip(line, limit - 20)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def to_blocks(answer: Answer, max_blocks: int = LIMITS["blocks"] - RESERVED_BLOCKS) -> list[dict[str, Any]]:
    n = cite_map(answer)
    head: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _clip(answer.title, LIMITS["header"]), "emoji": True},
        },
        _section(escape(answer.summary) + escape(cites(answer.summary_sources, n))),
    ]
    for w in answer.sorted_warnings():
        head.append(_section(f"{SEVERITY_ICON[w.severity]}: {escape(w.text)}{escape(cites(w.sources, n))}"))
    body: list[dict[str, Any]] = []
    for section in answer.sections:
        lines = []
        for i, item in enumerate(section.items, 1):
            bullet = f"{i}." if section.numbered else "•"
            line = f"{bullet} {escape(item.text)}{escape(cites(item.sources, n))}"
            if item.detail:
                line += f"\n      _{escape(item.detail)}_"
            lines.append(line)
        body += [_section(c) for c in _chunks(section.title, lines)]
    if answer.rules_fired:
        body.append(_context([f"Rules applied: {escape(', '.join(answer.rules_fired))}"]))
    tail: list[dict[str, Any]] = []
    if answer.sources:
        tail += [
            _section(c)
            for c in _chunks(
                "Sources", [escape(source_line(i, s.label, s.year)) for i, s in enumerate(answer.sources, 1)]
            )
        ]
    tail.append(_context([f"Knowledge version {escape(answer.knowledge_version)}", escape(answer.disclaimer)]))

    room = max_blocks - len(head) - len(tail) - 1  # one divider
    if len(body) > room:
        dropped = len(body) - (room - 1)
        body = body[: room - 1] + [
            _context(
                [
                    f"_{dropped} more part(s) trimmed to fit Slack. Ask a narrower question, or use the command line for the full answer._"
                ]
            )
        ]
    return head + body + [{"type": "divider"}] + tail


def _context(texts: list[str]) -> dict[str, Any]:
    elements = [
        {"type": "mrkdwn", "text": _clip(t, LIMITS["context_text"])} for t in texts[: LIMITS["context_elements"]]
    ]
    return {"type": "context", "elements": elements}


def fallback_text(answer: Answer) -> str:
    """The `text` sent with the blocks: what notifications and screen readers show. Critical warnings lead."""
    critical = [w.text for w in answer.sorted_warnings() if w.severity == "critical"]
    text = f"{answer.title}: {answer.summary}"
    if critical:
        text = "Critical: " + " ".join(critical) + " | " + text
    return escape(_clip(text, LIMITS["fallback"]))
