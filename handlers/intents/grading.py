"""Grade from Ki-67 and mitoses, with the thresholds in knowledge/grading.yaml."""

from __future__ import annotations

from handlers import answer
from handlers.answer import Answer, Item, Warn
from handlers.intents.common import fact, section
from handlers.router import Query
from knowledge import Knowledge
from knowledge.schema import GradeRule, GradingFile


def _fmt(x: float) -> str:
    return f"{x:g}"


def _bounds(r: GradeRule, g: GradingFile) -> str:
    return f"Ki-67 {r.ki67.describe()}%, mitotic count {r.mitoses.describe()}{g.mitoses_unit}"


def threshold(r: GradeRule, g: GradingFile) -> Item:
    """One grade's thresholds, cited; a derived grade says so."""
    return Item(
        text=f"{r.grade} ({r.label}): {_bounds(r, g)}"
        + (" (derived: between the G1 and G3 thresholds)" if r.derived else ""),
        sources=list(r.sources),
    )


def grading(q: Query, k: Knowledge) -> Answer:
    g = k.grading
    rules = {r.grade: r for r in g.grades}
    thresholds = [threshold(r, g) for r in g.grades]
    c = q.case
    if c.grade and (c.ki67 is not None or c.mitoses is not None):
        rule = rules[c.grade]
        given = []
        if c.ki67 is not None:
            given.append(f"Ki-67 {_fmt(c.ki67)}%")
        if c.mitoses is not None:
            given.append(f"{_fmt(c.mitoses)} mitoses{g.mitoses_unit}")
        a = answer.new(
            "grading",
            f"{', '.join(given)}: {c.grade}",
            f"{', '.join(given)} → {c.grade} ({rule.label}), by {c.grade_basis}.",
            list(rule.sources),
        )
        if rule.derived:
            a.warnings.append(Warn(severity="info", text=g.derived_note, sources=list(rule.sources)))
        if c.grade_basis and " and " not in c.grade_basis and c.ki67 is not None and c.mitoses is not None:
            a.warnings.append(
                Warn(
                    severity="info",
                    text=f"Ki-67 and mitoses point to different grades; the higher ({c.grade}) is used.",
                )
            )
    else:
        a = answer.new(
            "grading",
            "Grading pancreatic NETs (Ki-67 and mitoses)",
            "; ".join(f"{r.grade}: {_bounds(r, g)}" for r in g.grades if not r.derived)
            + "; G2 lies between; when Ki-67 and mitoses disagree, the higher grade wins.",
            sorted({s for r in g.grades for s in r.sources}),
        )
        a.warnings.append(Warn(severity="info", text=g.derived_note, sources=list(rules["G2"].sources)))
        asked = next((r for g_, r in rules.items() if g_ == c.grade), None)
        if asked is not None and asked.derived:
            # "the Ki-67 range for G2": a range the sources never state, only one the engine derives
            label = f"a stated Ki-67 or mitotic range for {asked.grade}"
            a.not_covered.append(label)
            a.title = f"Not in my sources: {label}"
            a.summary = f"The sources do not give a range for {asked.grade}. " + a.summary
    a.sections += section("Thresholds", thresholds)
    a.sections += section("Why grade matters", [fact(f) for f in g.notes])
    return a
