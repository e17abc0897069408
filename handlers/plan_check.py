"""The plan checker: proves a drafted plan consistent with itself and with the case, before anyone sees it.

It does not trust the planner: it re-derives each invariant from the plan's steps, warnings and the
case's facts. Two steps are checked against each other only where both can hold at once (a step for
"if resectable" never contradicts one for "if unresectable").

Invariants, each an error naming the rules involved:
  exclusive     two acts that exclude each other (knowledge `exclusive`), e.g. two different pancreatectomies
  forbidden     a step holding an act that a warning standing beside it forbids
  failed_drug   a drug the patient progressed on, could not tolerate or stopped for toxicity
  current_drug  starting a drug the patient is already on
  requirement   an act offered where one of its requirements does not hold (unfit, unresectable, primary
                already resected, outside the drug's label, adjuvant use, out of scope)
  orphan        a step that follows another act (surveillance after resection, vaccination before
                splenectomy) where that act is neither planned nor in the case's history
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from handlers.branching import any_of, compatible, implies
from handlers.case import Case

if TYPE_CHECKING:
    from handlers.planner import Draft, DraftStep, Planner

# Values to try for each case field when sweeping the planner (`python -m bot validate`, and the
# property test): both sides of every threshold the knowledge uses, and "not given".
CASE_DOMAINS: dict[str, list[Any]] = {
    "primary": [None, "pancreas", "duodenum", "small_bowel", "rectum", "unknown"],
    "diagnosis_pending": [False, False, False, True],
    "size_cm": [None, 0.8, 1.5, 1.99, 2.0, 2.5, 4.0, 8.0],
    "location": [None, "head", "neck", "body", "tail", "uncinate", "duodenum"],
    "subtype": [None, "nonfunctioning", "insulinoma", "gastrinoma", "glucagonoma", "vipoma", "acthoma"],
    "ki67": [None, 1.0, 2.9, 3.0, 15.0, 20.0, 20.1, 60.0],
    "grade": [None, "G1", "G2", "G3"],
    "differentiation": [None, "well", "poor"],
    "metastatic": [None, True, False],
    "metastases": [
        [],
        ["liver"],
        ["lymph_nodes"],
        ["liver", "bone"],
        ["lung"],
        ["liver", "lymph_nodes"],
        ["peritoneum"],
    ],
    "metastases_ruled_out": [[], ["liver"], ["lymph_nodes"]],
    "hepatic_burden_pct": [None, 10.0, 25.0, 40.0],
    "hepatic_burden_qualifier": [None, "<", ">"],
    "liver_lesion_cm": [None, 2.0, 5.0, 7.0],
    "resectable": [None, True, False],
    "sstr": [None, "positive", "negative"],
    "sstr_test": [None, "octreoscan", "pet"],
    "sstr_booked": [False, True],
    "men1": [None, True, False],
    "progression": [None, True, False],
    "rapid_progression": [False, True],
    "treatments": [
        [],
        [{"drug": "lanreotide", "outcome": "progressed"}],
        [{"drug": "everolimus", "outcome": "stopped_toxicity"}],
        [{"drug": "octreotide", "outcome": "stable"}],
        [{"drug": "ssa", "outcome": "progressed"}, {"drug": "sunitinib", "outcome": "intolerant"}],
        [{"drug": "prrt", "outcome": "progressed"}, {"drug": "tace", "outcome": "unknown"}],
    ],
    "prior_surgery": [[], [], ["distal_pancreatectomy"], ["pancreatoduodenectomy"], ["hepatectomy"], ["other"]],
    "recurrence": [None, True, False],
    "splenic_vessel_involvement": [None, True, False],
    "biliary_obstruction": [None, True],
    "peripheral": [None, True, False],
    "malignant_features": [None, True],
    "fit_for_surgery": [None, True, False],
}


def sweep(planner: Planner, n: int = 3000, seed: int = 0) -> list[tuple[Case, Problem]]:
    """Plan n cases drawn from CASE_DOMAINS (deterministically) and return every problem the checker finds."""
    rng = random.Random(seed)
    found: list[tuple[Case, Problem]] = []
    for _ in range(n):
        case = Case.model_validate({f: rng.choice(values) for f, values in CASE_DOMAINS.items()})
        found += [(case, p) for p in planner.draft(case).problems]
    return found


@dataclass(frozen=True)
class Problem:
    invariant: str
    text: str
    rules: tuple[str, ...]
    steps: tuple[int, ...]  # indices into the draft's steps


def check(d: Draft, p: Planner) -> list[Problem]:
    out: list[Problem] = []
    steps = d.steps
    exclusive_acts = {act for pair in p.exclusive for act in pair}
    involved = [i for i, s in enumerate(steps) if _expanded(s, p) & exclusive_acts]
    for n, i in enumerate(involved):
        a = steps[i]
        for j in involved[n + 1 :]:
            b = steps[j]
            if not compatible(a.cond, b.cond):
                continue
            clash = _clash(a.acts, a.options, b.acts, b.options, p)
            if clash:
                out.append(Problem("exclusive", f"{clash[0]} and {clash[1]} in one plan", (a.rule, b.rule), (i, j)))
    for w in d.warnings:
        for i, s in enumerate(steps):
            hit = set(w.warning.forbids) & (s.acts | s.options)
            if hit and compatible(w.cond, s.cond):
                out.append(
                    Problem(
                        "forbidden",
                        f"{', '.join(sorted(hit))} beside the warning {w.warning.id}",
                        (w.rule, s.rule),
                        (i,),
                    )
                )
    failed, current = set(d.facts["failed"]), set(d.facts["current"])
    for i, s in enumerate(steps):
        acts = s.acts | s.options
        drugs = {p.acts[a].drug or a for a in acts if "not_failed" in p.acts[a].requires}
        if drugs & failed:
            out.append(Problem("failed_drug", f"{', '.join(sorted(drugs & failed))} already failed", (s.rule,), (i,)))
        started = {p.acts[a].drug or a for a in acts if "not_current" in p.acts[a].requires} & current
        if started:
            out.append(Problem("current_drug", f"{', '.join(sorted(started))} already given", (s.rule,), (i,)))
        for act in sorted(s.acts):
            for req in p.act_requirements(act):
                if req.id in ("not_failed", "not_current"):
                    continue
                if not implies(s.cond, d.logic.eval(req.when), d.logic):
                    out.append(Problem("requirement", f"{act} where {req.why}", (s.rule,), (i,)))
        needs = {n for act in s.acts for n in p.acts[act].after}
        if needs:
            history = any(d.logic.holds(h) for act in s.acts if (h := p.acts[act].after_history))
            planned = any_of(o.cond for o in steps if o is not s and needs & (o.acts | o.options))
            if not history and not implies(s.cond, planned if planned else [], d.logic):
                out.append(
                    Problem(
                        "orphan", f"{', '.join(sorted(s.acts))} without {', '.join(sorted(needs))}", (s.rule,), (i,)
                    )
                )
    return out


def _expanded(s: DraftStep, p: Planner) -> set[str]:
    return s.acts | {a for o in s.options for a in p.expand([o])}


def _clash(
    a_acts: set[str], a_opts: set[str], b_acts: set[str], b_opts: set[str], p: Planner
) -> tuple[str, str] | None:
    """A pair of exclusive acts that no choice of options avoids, or None."""
    for x in _choices(a_acts, a_opts, p):
        for y in _choices(b_acts, b_opts, p):
            pair = _exclusive_pair(x, y, p)
            if pair is None:
                return None  # some choice of options is consistent
    # every choice clashes: report the pair of the first choice
    first_a, first_b = next(iter(_choices(a_acts, a_opts, p))), next(iter(_choices(b_acts, b_opts, p)))
    return _exclusive_pair(first_a, first_b, p)


def _choices(acts: set[str], options: set[str], p: Planner) -> list[set[str]]:
    return [acts | p.expand([o]) for o in sorted(options)] if options else [acts]


def _exclusive_pair(x: set[str], y: set[str], p: Planner) -> tuple[str, str] | None:
    for a in sorted(x):
        for b in sorted(y):
            if frozenset((a, b)) in p.exclusive:
                return (a, b)
    return None
