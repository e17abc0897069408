"""The blind vignette sets as floors in CI, and the checker's verdict on every one of their plans."""

from __future__ import annotations

import pytest

from benchmarks.vignette_score import PLAN_SETS, load, score

# Just below the scores measured when they were set (docs/accuracy.md): a regression fails CI.
FLOORS = {
    ("development", "plans.yaml"): 0.97,
    ("held-out", "plans.yaml"): 0.65,
    ("development", "plans2.yaml"): 0.95,
    ("held-out", "plans2.yaml"): 0.72,
}
CASE_FIELD_FLOORS = {"development": 0.93, "held-out": 0.89}
FOLLOW_UP_FLOORS = {"development": 0.95, "held-out": 0.75}


@pytest.fixture(scope="module")
def report(engine):
    return score(engine)


@pytest.mark.parametrize(("split", "name"), sorted(FLOORS))
def test_plans_meet_their_floor(report, split, name):
    ok, total = report[split][name]["plans"]
    assert ok / total >= FLOORS[(split, name)], f"{name} {split}: {ok}/{total}"


@pytest.mark.parametrize("split", sorted(CASE_FIELD_FLOORS))
def test_cases_are_read_above_the_floor(report, split):
    ok, total = report[split]["case_fields"]
    assert ok / total >= CASE_FIELD_FLOORS[split]


@pytest.mark.parametrize("split", sorted(FOLLOW_UP_FLOORS))
def test_follow_ups_are_handled_above_the_floor(report, split):
    ok, total = report["followups"][split]["all"]
    assert ok / total >= FOLLOW_UP_FLOORS[split], f"{ok}/{total}"
    ok, total = report["followups"][split]["question"]
    assert ok == total, "a question after a case must never re-plan it"


@pytest.mark.parametrize("name", PLAN_SETS)
def test_no_vignette_plan_breaks_an_invariant(engine, name):
    broken = []
    for item in load(name):
        plan = engine.ask(item["text"], intent="treatment_plan").answer.plan
        if plan is not None and plan.removed:
            broken.append((item["id"], plan.removed))
    assert broken == []
