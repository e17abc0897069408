"""The Answer: what the engine says, independent of Slack or the terminal.

Shaped like a CDS Hooks card: a title and one-line summary, sections of cited facts, warnings with a
severity (critical first), the sources with their year, the knowledge version and a disclaimer.
Facts carry source ids; renderers turn them into numbered citations.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, model_validator

from knowledge import Knowledge

Severity = Literal["critical", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "info": 2}


class Item(BaseModel):
    """One line of an answer: a fact or a step, with the ids of the sources it rests on."""

    text: str
    sources: list[str] = []
    detail: str | None = None  # a step's rationale, shown under it


class Row(BaseModel):
    """One row of a table: its cells, printed exactly as the section's items print them, and its sources."""

    cells: list[str]
    sources: list[str] = []


class Table(BaseModel):
    """A section's figures side by side, for Slack's table block. The section's items stay its text form;
    the renderer adds the citation column from Row.sources."""

    columns: list[str]
    rows: list[Row]
    caption: str | None = None  # said once with the table, e.g. whose figures they all are

    @model_validator(mode="after")
    def _rows_fit_columns(self) -> Table:
        if any(len(r.cells) != len(self.columns) for r in self.rows):
            raise ValueError(f"every row needs {len(self.columns)} cells: {self.columns}")
        return self


class Section(BaseModel):
    title: str
    items: list[Item]
    numbered: bool = False  # plan steps are numbered
    table: Table | None = None  # the same figures as a table, where people compare them
    detail: bool = False  # shown behind "Details": not in the main message


class Warn(BaseModel):
    severity: Severity
    text: str
    sources: list[str] = []


class SourceRef(BaseModel):
    id: str
    label: str
    year: int | None
    short: str = ""  # "article 002, ref 1": for a short message


class PlanSummary(BaseModel):
    """What a plan holds, as ids (knowledge/data/planner.yaml): for tests, the checker and the log."""

    acts: list[str] = []  # every act in the plan, with what they imply, in any branch
    warnings: list[str] = []
    asks: list[str] = []  # missing facts asked for
    branches: list[str] = []  # the "If ..." headings
    adjuvant: bool = False  # a systemic drug in localised, resectable disease (never by design)
    removed: list[str] = []  # what the checker removed, and why
    phase: str | None = None  # the patient's phase (planner.yaml phases)
    sequence: str | None = None  # the order of systemic therapy chosen (planner.yaml sequence)


class Answer(BaseModel):
    intent: str
    title: str
    summary: str
    summary_sources: list[str] = []
    sections: list[Section] = []
    warnings: list[Warn] = []
    sources: list[SourceRef] = []
    knowledge_version: str
    disclaimer: str
    declined: bool = False
    not_covered: list[str] = []  # aspects asked that the sources do not cover, said so in the answer
    closest: bool = False  # no answer fitted: these are the closest cited facts, labelled as such
    parts: list[str] = []  # the intents answered, one section group each, for a compound question
    rules_fired: list[str] = []
    case: dict[str, Any] | None = None
    plan: PlanSummary | None = None

    def cited_ids(self) -> list[str]:
        """Source ids in order of first citation: summary, warnings, then sections."""
        seen: dict[str, None] = {}
        for sid in self.summary_sources:
            seen.setdefault(sid)
        for w in self.sorted_warnings():
            for sid in w.sources:
                seen.setdefault(sid)
        for section in self.sections:
            for item in section.items:
                for sid in item.sources:
                    seen.setdefault(sid)
        return list(seen)

    def sorted_warnings(self) -> list[Warn]:
        return sorted(self.warnings, key=lambda w: SEVERITY_ORDER[w.severity])


def section(title: str, items: list[Item], numbered: bool = False, table: Table | None = None) -> list[Section]:
    """A one-element list, or nothing when there are no items (so callers can write `+= section(...)`)."""
    return [Section(title=title, items=items, numbered=numbered, table=table)] if items else []


def finish(answer: Answer, knowledge: Knowledge) -> Answer:
    """Fill in the source list (in citation order, with year), version and disclaimer."""
    answer.sources = [
        SourceRef(
            id=sid,
            label=knowledge.source(sid).label,
            year=knowledge.source(sid).year,
            short=_short(sid, knowledge),
        )
        for sid in answer.cited_ids()
    ]
    answer.knowledge_version = knowledge.version
    answer.disclaimer = knowledge.meta.disclaimer + _review_note(answer, knowledge)
    return answer


def _short(sid: str, knowledge: Knowledge) -> str:
    """A source in a few words: its article's number, and its reference there when it has one."""
    info = knowledge.source(sid)
    ref = sid.split(".", 1)[1] if "." in sid else ""
    return f"article {info.article.file[:3]}" + (
        f", {ref.lower().replace('r', 'ref ', 1)}"
        if ref[:1] == "R" and ref[1:].isdigit()
        else f", {ref}"
        if ref
        else ""
    )


REVIEW_NOTE_START = " Article"  # how _review_note begins: a short message leaves it to its details


def _review_note(answer: Answer, knowledge: Knowledge) -> str:
    """Say so when a cited article marks itself as not yet reviewed."""
    pending = sorted(
        {knowledge.source(sid).article.file[:3] for sid in answer.cited_ids() if knowledge.source(sid).article.review}
    )
    if not pending:
        return ""
    if len(pending) == 1:
        return f" Article {pending[0]} marks itself as pending human review."
    return f" Articles {', '.join(pending)} mark themselves as pending human review."


ASKED_TITLE = "What you asked"  # the section holding the detail a question asked for


def new(intent: str, title: str, summary: str, summary_sources: list[str] | None = None, **kw: Any) -> Answer:
    """An answer to be completed by finish()."""
    return Answer(
        intent=intent,
        title=title,
        summary=summary,
        summary_sources=summary_sources or [],
        knowledge_version="",
        disclaimer="",
        **kw,
    )
