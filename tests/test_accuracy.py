"""The accuracy floors, in CI: the held-out part and the whole suite must each meet them."""

import pytest

from knowledge.text import alias_key
from tests.accuracy import FLOORS, HELD_OUT, SUITE, below_floors, development, score


def test_suite_size():
    assert len(SUITE) >= 250 and len(HELD_OUT) >= 100


def test_held_out_queries_are_not_in_the_training_data(knowledge):
    """Held-out means held out: not an intent example, not a development phrasing, no duplicates."""
    key = lambda t: " ".join(alias_key(t))  # noqa: E731
    examples = {key(ex) for i in knowledge.intents.intents for ex in i.examples}
    dev = {key(d.text) for d in development()}
    held = [key(h.text) for h in HELD_OUT]
    assert len(set(held)) == len(held)
    assert not (set(held) & examples) and not (set(held) & dev)


@pytest.mark.parametrize("part", ["held-out", "all"])
def test_floors(engine, part):
    report = score(engine, HELD_OUT if part == "held-out" else SUITE)
    assert below_floors(report) == [], "\n".join(report.misses)


def test_floors_are_real():
    assert FLOORS["figures"] == 1.0 and min(FLOORS.values()) >= 0.95
