"""The case has one declaration (knowledge/data/case_fields.yaml): the plan facts it declares are the facts
case_facts produces, and every fact a rule tests is declared, so a rule cannot quietly read "not given"."""

from typing import Any

import pytest
from pydantic import BaseModel

from bot.render.slack import case_modal
from handlers.case import Case, understood
from handlers.planner import case_facts
from knowledge.schema import CASE, PLAN_FACTS, Assumption, PhaseRule, UnknownFact

POSTS = [
    "",
    "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid, fit",
    "s/p Whipple 2020, now bilobar liver mets and bone met, progressed on lanreotide and everolimus, ECOG 3",
    "?liver met (indeterminate), 1.5 cm insulinoma in the head, MEN1, K 2.6, grade 3 pneumonitis on everolimus",
]


def _condition(cond: dict[str, Any]):
    for key, test in cond.items():
        if key in ("any", "all"):
            for c in test:
                yield from _condition(c)
        elif key == "not":
            yield from _condition(test)
        else:
            yield key


def _tested(node: Any):
    """Every fact a piece of knowledge tests: conditions, branched facts, phase assumptions and settings."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if name in ("when", "applies") and isinstance(value, dict):
                yield from _condition(value)
            elif isinstance(node, UnknownFact) and name == "fact":
                yield value
            elif (isinstance(node, PhaseRule) and name in ("assume", "settled")) or (
                isinstance(node, Assumption) and name == "set"
            ):
                yield from value
            else:
                yield from _tested(value)
    elif isinstance(node, (list, tuple)):
        for x in node:
            yield from _tested(x)
    elif isinstance(node, dict):
        for x in node.values():
            yield from _tested(x)


@pytest.mark.parametrize("post", POSTS)
def test_every_declared_plan_fact_is_produced_by_case_facts(post, engine, knowledge):
    case = engine.case_parser.parse(post) if post else Case()
    assert PLAN_FACTS - set(case_facts(case, knowledge)) == set()


def test_every_fact_a_rule_tests_is_declared(knowledge):
    tested = set(_tested([knowledge.planner, knowledge.therapies, knowledge.urgent]))
    assert len(tested) > 20  # the walk reaches the rules
    assert tested - PLAN_FACTS == set()


def test_the_case_model_is_the_declaration():
    assert list(Case.model_fields) == [f.name for f in CASE.fields]


def test_the_modal_offers_each_declared_input_with_its_label():
    blocks = {b["block_id"]: b for b in case_modal({})["blocks"] if b["type"] == "input"}
    for f in CASE.fields:
        if f.form:
            assert blocks[f.form.id]["label"]["text"] == f.form.label


def test_each_echo_line_shows_in_declared_order(engine, knowledge):
    case = engine.case_parser.parse(POSTS[2])
    shown = [i.text.split(":", 1)[0] for i in understood(case, knowledge)]
    declared = [f.echo.line for f in CASE.fields if f.echo and f.echo.format]
    assert shown == [line for line in declared if line in shown]
    assert {"Primary", "Size", "Location", "Subtype", "Grade", "Metastases"} <= set(shown)  # declared `missing`
