"""One function per intent: (Query, Knowledge) -> Answer. The registry maps intent names to them."""

from __future__ import annotations

from collections.abc import Callable

from handlers.answer import Answer
from handlers.intents import grading, meta, overview, plan, spread, therapy, topics
from handlers.router import Query
from knowledge import Knowledge

Handler = Callable[[Query, Knowledge], Answer]

HANDLERS: dict[str, Handler] = {
    "help": meta.help_,
    "sources": meta.sources,
    "out_of_scope": meta.out_of_scope,
    "closest_matches": meta.closest_matches,
    "metastasis_rate": spread.metastasis_rate,
    "metastatic_sites": spread.metastatic_sites,
    "primary_site_pattern": spread.primary_site_pattern,
    "survival": spread.survival,
    "risk_factors": spread.risk_factors,
    "treatment_plan": plan.treatment_plan,
    "therapy": therapy.therapy,
    "grading": grading.grading,
    "surveillance": topics.surveillance,
    "pitfalls": topics.pitfalls,
    "men1": topics.men1,
    "imaging": topics.imaging,
    "nec": topics.nec,
    "overview": overview.overview,
}
