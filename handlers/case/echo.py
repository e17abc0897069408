"""The case echoed back ("What I understood"): one line per declared echo line, with the words it was read from.

Which fields a line shows, its label, its text when nothing is known and whose words it shows are declared in
knowledge/data/case_fields.yaml; this module holds the formats those declarations name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers.answer import Item
from handlers.case.model import Case
from knowledge import Knowledge
from knowledge.schema import CASE, CaseEcho

FIELD_LABELS = {"nonfunctioning": "Non-functioning", "lymph_nodes": "regional lymph nodes"}
_NOT_WORDS = {"form", "named"}  # evidence markers that are not the user's words


def _yes_no(v: bool | None, yes: str = "yes", no: str = "no") -> str:
    return "not stated" if v is None else yes if v else no


def _sites(sites: list[str]) -> str:
    return ", ".join(FIELD_LABELS.get(s, s.replace("_", " ")) for s in sites)


def _primary(c: Case, k: Knowledge, missing: str) -> str | None:
    if c.primary is None and not c.diagnosis_pending:
        return None
    return (c.primary or missing).replace("_", " ") + (" (no diagnosis yet)" if c.diagnosis_pending else "")


def _location(c: Case, k: Knowledge, missing: str) -> str | None:
    if c.location is None and not c.multiple_lesions:
        return None
    return f"{c.location or missing}" + ("; several lesions, read as one" if c.multiple_lesions else "")


def _subtype(c: Case, k: Knowledge, missing: str) -> str:
    subtype = next(s.name for s in k.subtypes.subtypes if s.id == c.subtype) if c.subtype else missing
    if c.subtype and c.evidence.get("subtype") not in (None, *_NOT_WORDS):
        subtype += f", from: {c.evidence['subtype']}"
    return f"{subtype}; functional: {_yes_no(c.functional)}"


def _grade(c: Case, k: Knowledge, missing: str) -> str | None:
    grade = None
    if c.grade:
        bits = [
            f"Ki-67 {c.ki67:g}%" if c.ki67 is not None else "",
            f"{c.mitoses:g} mitoses/10 HPF" if c.mitoses is not None else "",
        ]
        given = ", ".join(b for b in bits if b)
        basis = "from: " + (c.grade_basis or "").replace(" and ", ", ")
        grade = f"{c.grade} ({basis}{'; ' + given if given else ''})"
    if c.differentiation:
        grade = f"{grade or missing}; {'poorly' if c.differentiation == 'poor' else 'well'} differentiated"
    return grade


def _metastases(c: Case, k: Knowledge, missing: str) -> str | None:
    mets = _sites(c.metastases) or None
    if c.metastatic is False and not c.metastases:
        mets = "none (localised)"
    elif c.metastatic and not c.metastases:
        mets = "metastatic, sites not named"  # "met pNET": spread said, not where
    ruled = _sites(c.metastases_ruled_out)
    return f"{mets or missing}; ruled out: {ruled}" if ruled else mets


def _burden(c: Case, k: Knowledge, missing: str) -> str | None:
    pct = c.hepatic_burden_pct
    return None if pct is None else f"{c.hepatic_burden_qualifier or ''}{pct:g}%"


def _sstr(c: Case, k: Knowledge, missing: str) -> str | None:
    booked = "booked, not yet reported"
    if c.sstr is None:
        return booked if c.sstr_booked else None
    return c.sstr + (f" ({c.sstr_test})" if c.sstr_test else "") + (f"; repeat {booked}" if c.sstr_booked else "")


def _treatments(c: Case, k: Knowledge, missing: str) -> str | None:
    names = {t.id: t.name for t in k.therapies.therapies} | {x.id: x.name for x in k.therapies.classes}
    done = (f"{names.get(t.drug, t.drug.replace('_', ' '))}: {t.outcome.replace('_', ' ')}" for t in c.treatments)
    return "; ".join(done) or None


def _progression(c: Case, k: Knowledge, missing: str) -> str | None:
    return None if c.progression is None else "rapid" if c.rapid_progression else _yes_no(c.progression)


# Formats of a line that reads several fields of the case (the field that writes the line, and those declared
# on the same line), given the line's text for "nothing known".
_CASE_FORMATS: dict[str, Callable[[Case, Knowledge, str], str | None]] = {
    "primary": _primary,
    "location": _location,
    "subtype": _subtype,
    "grade": _grade,
    "metastases": _metastases,
    "burden": _burden,
    "sstr": _sstr,
    "treatments": _treatments,
    "progression": _progression,
}
# Formats of a line that shows one field's value.
_VALUE_FORMATS: dict[str, Callable[[Any], str | None]] = {
    "cm": lambda v: None if v is None else f"{v:g} cm",
    "yes_no": lambda v: None if v is None else _yes_no(v),
    "flag": lambda v: "yes" if v else None,
    "value": lambda v: v,
    "sites": lambda v: ", ".join(FIELD_LABELS.get(x, x) for x in v) or None,
    "operations": lambda v: ", ".join(s.replace("_", " ") for s in v) or None,
    "toxicities": lambda v: (
        "; ".join(t.event + (f" ({t.drug.replace('_', ' ')})" if t.drug else "") for t in v) or None
    ),
    # each finding's words once, though several findings quote the same words ("temp 39.2": sepsis, vital signs)
    "findings": lambda v: "; ".join(dict.fromkeys(w for f in v for w in f.words.split("; "))) or None,
}
_LINES: list[tuple[str, CaseEcho]] = [(f.name, f.echo) for f in CASE.fields if f.echo and f.echo.format]
_UNKNOWN = {e.format for _, e in _LINES} - set(_CASE_FORMATS) - set(_VALUE_FORMATS)
if _UNKNOWN:
    raise ValueError(f"knowledge/data/case_fields.yaml: unknown echo format(s) {sorted(str(x) for x in _UNKNOWN)}")
# the echo line -> the field whose words it shows
EVIDENCE = {f.echo.line: f.name for f in CASE.fields if f.echo and f.echo.evidence}


def _line(case: Case, k: Knowledge, name: str, echo: CaseEcho) -> str | None:
    fmt = echo.format or ""
    if fmt in _CASE_FORMATS:
        return _CASE_FORMATS[fmt](case, k, echo.missing or "") or echo.missing
    return _VALUE_FORMATS[fmt](getattr(case, name)) or echo.missing


def understood(case: Case, k: Knowledge) -> list[Item]:
    """The case as read, one line per declared echo line, in the declared order."""
    items = []
    for name, echo in _LINES:
        text = _line(case, k, name, echo)
        if text:
            items.append(Item(text=f"{echo.line}: {text}"))
    if case.ignored:
        items.append(Item(text="Not used from your message: " + "; ".join(f"“{x}”" for x in case.ignored[:5])))
    return items


def with_evidence(items: list[Item], case: Case) -> list[Item]:
    """Each echo line with the words of the message it was read from, so a misreading shows at once."""
    out = []
    for item in items:
        field_ = EVIDENCE.get(item.text.split(":", 1)[0])
        words = case.evidence.get(field_ or "")
        if words and words not in _NOT_WORDS:
            item = item.model_copy(update={"detail": f"read from: “{words}”"})
        out.append(item)
    return out
