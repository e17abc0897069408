"""The tumour board's case card: a described case prepared for the meeting.

Built from the same drafted plan as the plan answer (handlers/planner.py `layout`), laid out for a
board: the case as understood with the words each field was read from, the grade and the thresholds
it rests on, what is still needed (each saying which decision it changes), the options per branch,
the population figures, and the questions the board itself decides. Nothing of the case is kept.
"""

from __future__ import annotations

from handlers import answer
from handlers.answer import Answer, Item, section
from handlers.case import Case, understood, with_evidence
from handlers.intents.grading import threshold
from handlers.planner import (
    Planner,
    board_questions,
    describe,
    layout,
    option_sections,
    plan_warnings,
    prognosis,
    summarise,
)
from knowledge import Knowledge

INTENT = "board_card"


def board_card(case: Case, k: Knowledge, planner: Planner) -> Answer:
    lay = layout(case, planner)
    d = lay.draft
    desc = describe(case, k)
    questions = board_questions(lay, planner)
    a = answer.new(
        INTENT,
        f"Tumour board: {desc}",
        f"{desc[0].upper() + desc[1:]}. For the meeting: {_count(len(lay.asks), 'item')} still needed, "
        f"{_count(len(questions), 'question')} for the board. Nothing of this case is stored.",
    )
    a.warnings = plan_warnings(d, planner)
    a.sections += section("The case as understood", with_evidence(understood(case, k), case))
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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
