"""treatment_plan: the general treatment algorithm, with what was understood of the case."""

from __future__ import annotations

from handlers.answer import Answer
from handlers.intents.topics import topic_answer
from handlers.router import Query
from knowledge import Knowledge


def treatment_plan(q: Query, k: Knowledge) -> Answer:
    a = topic_answer("treatment_plan", "treatment_algorithm", k)
    a.case = q.case.model_dump()
    return a
