"""The tumour board's case card: a described case prepared for the meeting.

Built from the same drafted plan as the plan answer (handlers/planner.py `layout`), laid out for a
board: the case as understood with the words each field was read from, the grade and the thresholds
it rests on, what is still needed (each saying which decision it changes), the options per branch,
the population figures, and the questions the board itself decides. Nothing of the case is kept.
"""

from __future__ import annotations

from handlers import answer
from handlers.answer import Answer, Item, section
from handlers.case import Case
from handlers.intents.grading import threshold
from handlers.planner import (
    Planner,
    describe,
    layout,
    option_sections,
    plan_warnings,
    prognosis,
    summarise,
    understood,
)
from knowledge import Knowledge

INTENT = "board_card"
# The echo line (handlers/planner.py understood) -> the case field whose evidence it shows.
_EVIDENCE = {
    "Size": "size_cm",
    "Grade": "ki67",
    "Hepatic tumour burden": "hepatic_burden_pct",
    "SSTR imaging": "sstr",
    "Fit for surgery": "fit_for_surgery",
}
_NOT_WORDS = {"form", "named"}  # evidence markers that are not the user's words


def board_card(case: Case, k: Knowledge, planner: Planner) -> Answer:
    lay = layout(case, planner)
    d = lay.draft
    desc = describe(case, k)
    questions = _questions(lay, planner)
    a = answer.new(
        INTENT,
        f"Tumour board: {desc}",
        f"{desc[0].upper() + desc[1:]}. For the meeting: {_count(len(lay.asks), 'item')} still needed, "
        f"{_count(len(questions), 'question')} for the board. Nothing of this case is stored.",
    )
    a.warnings = plan_warnings(d, planner)
    a.sections += section("The case as understood", _with_evidence(understood(case, k), case))
    if case.grade:
        rule = next(r for r in k.grading.grades if r.grade == case.grade)
        a.sections += section("Grade, and what it rests on", [threshold(rule, k.grading)])
    a.sections += section(
        "Still needed before the meeting (and the decision each changes)",
        [Item(text=t, sources=s) for _, t, s in lay.asks],
    )
    a.sections += option_sections(lay)
    a.sections += prognosis(d.logic, k)
    a.sections += section("For the board to decide", [Item(text=q) for q in questions])
    a.sections += section("Next", [Item(text=k.planner.board_prompt)])
    summarise(a, lay, planner)
    return a


def _with_evidence(items: list[Item], case: Case) -> list[Item]:
    """Each echo line with the words of the message it was read from, so a misreading shows at once."""
    out = []
    for item in items:
        field = _EVIDENCE.get(item.text.split(":", 1)[0])
        words = case.evidence.get(field or "")
        if words and words not in _NOT_WORDS:
            item = item.model_copy(update={"detail": f"read from: “{words}”"})
        out.append(item)
    return out


def _questions(lay, planner: Planner) -> list[str]:
    """What only the board can settle: facts it decides, and the choice among alternatives in each branch."""
    out = [
        u.board_question
        for fact, u in planner.unknowns.items()
        if u.board_question and fact in lay.draft.branched and lay.draft.facts.get(fact) is None
    ]
    groups = [("", lay.main)] + [(f"If {label}: ", steps) for label, steps in lay.branches.items()]
    for prefix, steps in groups:
        for s in steps:
            if len(s.options) > 1:
                names = [planner.acts[o].label for o in s.step.options if o in s.options]
                out.append(f"{prefix}which operation: {' or '.join(names)}?")
        treatments = [planner.step_label(s.step) for s in steps if s.step.phase in _CHOICE_PHASES]
        if len(treatments) > 1:
            out.append(f"{prefix}which of these first, and in what order: {', '.join(dict.fromkeys(treatments))}?")
    return [q[0].upper() + q[1:] for q in out]


_CHOICE_PHASES = {"systemic", "liver_directed"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
