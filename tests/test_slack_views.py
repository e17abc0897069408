"""The case modal: every option is a value of the one list of choices (handlers.case.FORM_CHOICES), the
submitted fields become a Case directly (no English in between), and notes are read underneath."""

from __future__ import annotations

import pytest

from bot.render.slack import case_modal, home_view, report_modal
from handlers.case import FORM_CHOICES, case_from_form, form_errors

EXPECTED = {
    "location": {v: ("location", v) for v, _ in FORM_CHOICES["location"]},
    "subtype": {v: ("subtype", v) for v, _ in FORM_CHOICES["subtype"]},
    "resectable": {"yes": ("resectable", True), "no": ("resectable", False)},
    "sstr": {"positive": ("sstr", "positive"), "negative": ("sstr", "negative")},
    "men1": {"yes": ("men1", True), "no": ("men1", False)},
    "fitness": {"yes": ("fit_for_surgery", True), "no": ("fit_for_surgery", False)},
}
OPTIONS = [(f, v, *exp) for f, values in EXPECTED.items() for v, exp in values.items()]


def parsed(engine, values):
    assert form_errors(values) == {}
    return case_from_form(values, engine.case_parser)


@pytest.mark.parametrize("field, value, attr, expected", OPTIONS)
def test_every_select_option_becomes_its_case_field(engine, field, value, attr, expected):
    assert getattr(parsed(engine, {field: value}), attr) == expected


@pytest.mark.parametrize("site", [v for v, _ in FORM_CHOICES["sites"] if v != "none"])
def test_every_metastatic_site_becomes_its_case_field(engine, site):
    case = parsed(engine, {"sites": [site]})
    assert case.metastases == [site] and case.metastases_ruled_out == []


def test_none_means_localised(engine):
    case = parsed(engine, {"sites": ["none"], "size": "1.5"})
    assert case.metastatic is False and case.metastases == []


def test_the_form_wins_over_the_notes_and_the_notes_add_history(engine):
    case = parsed(
        engine, {"location": "head", "notes": "tail lesion; progressed on everolimus, ECOG 3", "fitness": "yes"}
    )
    assert case.location == "head" and case.fit_for_surgery is True
    assert [(t.drug, t.outcome) for t in case.treatments] == [("everolimus", "progressed")]


@pytest.mark.parametrize(
    "values",
    [{}, {"sites": ["none", "liver"]}, {"location": "spleen"}, {"size": "abc"}, {"sites": ["liver", "moon"]}],
)
def test_bad_forms_are_refused_with_a_field_error(values):
    errors = form_errors(values)
    assert errors and all(isinstance(v, str) and v for v in errors.values())


def test_a_full_form_reads_back_field_by_field(engine):
    values = {
        "size": "4.2",
        "location": "tail",
        "subtype": "nonfunctioning",
        "ki67": "8",
        "mitoses": "3",
        "sites": ["liver", "bone"],
        "burden": "30",
        "resectable": "no",
        "sstr": "positive",
        "men1": "no",
        "notes": "progression on octreotide",
    }
    c = parsed(engine, values)
    assert (c.size_cm, c.location, c.subtype, c.ki67, c.mitoses) == (4.2, "tail", "nonfunctioning", 8, 3)
    assert (c.metastases, c.hepatic_burden_pct, c.resectable, c.sstr, c.men1) == (
        ["liver", "bone"],
        30,
        False,
        "positive",
        False,
    )
    assert c.grade == "G2" and c.progression is True and c.progressing_on == ["octreotide"]
    assert c.grade_basis == "Ki-67 and mitoses"  # Ki-67 8% and 3 mitoses are both G2


def test_every_modal_option_is_a_form_choice_and_views_stay_within_slack_limits(engine, knowledge):
    view = case_modal({"channel": "C1", "response_url": "https://hooks.slack.com/x"})
    for block in view["blocks"]:
        element = block.get("element", {})
        for option in element.get("options", []):
            assert option["value"] in {v for v, _ in FORM_CHOICES[block["block_id"]]}
        assert len(block.get("label", {}).get("text", "")) <= 2000
    assert len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= 100
    assert len(report_modal({"id": "x"})["title"]["text"]) <= 24
    home = home_view(engine.ask("help").answer, knowledge, "/pnet")
    assert len(home["blocks"]) <= 100
    assert all(len(b["text"]["text"]) <= 3000 for b in home["blocks"] if b["type"] == "section")
