"""Answer -> Block Kit blocks within Slack's limits, and the plain-text fallback sent with them.

Limits (Slack docs): header text 150 chars; section text 3000; context 10 elements; 50 blocks a
message; one table block a message, of at most 100 rows (the header row first) of at most 20 cells.
Long answers are split into several section blocks, and trimmed on purpose, saying so.
All mrkdwn text is escaped (&, <, >) so nothing in an answer can ping @channel or form a link; table
cells are raw_text, which Slack does not parse.
"""

from __future__ import annotations

import re
from typing import Any

from bot.render.text import cite_map, cites, source_line
from handlers.answer import REVIEW_NOTE_START, Answer, Table

LIMITS = {
    "header": 150,
    "section": 3000,
    "context_elements": 10,
    "context_text": 2000,
    "blocks": 50,
    "button_text": 75,
    "fallback": 3000,
    "tables": 1,  # table blocks a message; a further tabled section is sent as bullets
    "table_rows": 100,  # rows of a table block, the header row included
    "table_cells": 20,  # cells a row, and column_settings entries
    "table_cell": 300,  # characters a cell: not given by Slack, kept short so a table stays readable
    "table_chars": 10000,  # characters in all cells (documented for Slack's data table; its raw_text is the same)
}
EMPTY_CELL = "–"  # a raw_text cell needs at least one character
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
    """At most `limit` characters; a cut never splits an escape ("&lt;") it falls inside."""
    if len(text) <= limit:
        return text
    return re.sub(r"&[a-z]*$", "", text[: limit - 1]).rstrip() + "…"


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


def to_blocks(
    answer: Answer, max_blocks: int = LIMITS["blocks"] - RESERVED_BLOCKS, part: str = "main"
) -> list[dict[str, Any]]:
    """The answer's blocks. part: "main" (what a plan's main message holds: no detail sections), "details"
    (only the detail sections, under the plan's title), or "all"."""
    n = cite_map(answer)
    title = f"Details: {answer.title}" if part == "details" else answer.title
    head: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(title, LIMITS["header"]), "emoji": True}}
    ]
    if part != "details":
        head.append(_section(escape(answer.summary) + escape(cites(answer.summary_sources, n))))
        for w in answer.sorted_warnings():
            head.append(_section(f"{SEVERITY_ICON[w.severity]}: {escape(w.text)}{escape(cites(w.sources, n))}"))
    body: list[dict[str, Any]] = []
    tables = LIMITS["tables"]
    sections = [s for s in answer.sections if part == "all" or s.detail == (part == "details")]
    for section in sections:
        table = _table(section.table, n) if section.table and tables else []
        if section.table and table:
            tables -= 1
            caption = [escape(section.table.caption)] if section.table.caption else []
            body += [_section(c) for c in _chunks(section.title, caption)] + table
            continue
        lines = []
        for i, item in enumerate(section.items, 1):
            bullet = f"{i}." if section.numbered else "•"
            line = f"{bullet} {escape(item.text)}{escape(cites(item.sources, n))}"
            if item.detail:
                line += f"\n      _{escape(item.detail)}_"
            lines.append(line)
        body += [_section(c) for c in _chunks(section.title, lines)]
    if answer.rules_fired and part != "main":
        body.append(_context([f"Rules applied: {escape(', '.join(answer.rules_fired))}"]))
    tail: list[dict[str, Any]] = []
    if answer.sources and part == "main" and has_details(answer):  # the short form: each article, its numbers
        by_article: dict[str, list[str]] = {}
        for n_, src in enumerate(answer.sources, 1):
            by_article.setdefault(src.short.split(",")[0], []).append(str(n_))
        line = "; ".join(f"{article} [{','.join(ns)}]" for article, ns in by_article.items())
        tail.append(_context([f"Sources: {escape(line)}"]))
    elif answer.sources:
        tail += [
            _section(c)
            for c in _chunks(
                "Sources", [escape(source_line(i, s.label, s.year)) for i, s in enumerate(answer.sources, 1)]
            )
        ]
    disclaimer = answer.disclaimer
    if part == "main" and has_details(answer):  # the review note of the cited articles is in the details
        disclaimer = disclaimer.split(REVIEW_NOTE_START)[0]
    tail.append(_context([f"Knowledge version {escape(answer.knowledge_version)}", escape(disclaimer)]))

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


def visible_chars(blocks: list[dict[str, Any]]) -> int:
    """Characters a reader sees in these blocks: every text, without mrkdwn markers and entity escapes."""
    texts: list[str] = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            texts.append(b["text"]["text"])
        texts += [e.get("text", "") for e in b.get("elements", []) if b.get("type") == "context"]
    raw = "\n".join(texts).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return len(raw.replace("*", "").replace("_", ""))


def has_details(answer: Answer) -> bool:
    return any(s.detail for s in answer.sections)


def _table(table: Table, n: dict[str, int]) -> list[dict[str, Any]]:
    """A table block (header row first, citations last), cut to Slack's limits with a context line saying
    so; [] when it is too wide, and the section is sent as bullets."""
    header = [*table.columns, "Sources"]
    if len(header) > LIMITS["table_cells"]:
        return []
    rows = [header]
    chars = sum(map(len, header))
    for row in table.rows:
        cells = [_clip(c, LIMITS["table_cell"]) or EMPTY_CELL for c in [*row.cells, cites(row.sources, n).strip()]]
        chars += sum(map(len, cells))
        if len(rows) == LIMITS["table_rows"] or chars > LIMITS["table_chars"]:
            break
        rows.append(cells)
    block = {
        "type": "table",
        "column_settings": [{"is_wrapped": True} for _ in header],
        "rows": [[{"type": "raw_text", "text": c} for c in r] for r in rows],
    }
    dropped = len(table.rows) - (len(rows) - 1)
    if not dropped:
        return [block]
    return [block, _context([f"_{dropped} more row(s) trimmed to fit Slack's table. Use the command line for all._"])]


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
