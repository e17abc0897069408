"""The case modal's fields read back, through the same case parser as a typed case, as what was chosen."""

from __future__ import annotations

import pytest

from bot.render import slack
from bot.render.slack import case_modal, case_text, home_view, report_modal

EXPECTED = {
    "location": {v: ("location", v) for v in slack._PHRASES["location"]},
    "subtype": {v: ("subtype", v) for v in slack._PHRASES["subtype"]},
    "resectable": {"yes": ("resectable", True), "no": ("resectable", False)},
    "sstr": {"positive": ("sstr", "positive"), "negative": ("sstr", "negative")},
    "men1": {"yes": ("men1", True), "no": ("men1", False)},
}
OPTIONS = [(f, v, *exp) for f, values in EXPECTED.items() for v, exp in values.items()]


def parsed(engine, values):
    return engine.ask(case_text(values), intent="treatment_plan").query.case


@pytest.mark.parametrize("field, value, attr, expected", OPTIONS)
def test_every_select_option_reads_back(engine, field, value, attr, expected):
    assert getattr(parsed(engine, {field: value}), attr) == expected


@pytest.mark.parametrize("site", [s for s in slack._PHRASES["sites"] if s != "none"])
def test_every_metastatic_site_reads_back(engine, site):
    case = parsed(engine, {"sites": [site]})
    assert case.metastases == [site] and case.metastases_ruled_out == []


def test_none_means_localised(engine):
    case = parsed(engine, {"sites": ["none"], "size": "1.5"})
    assert case.metastatic is False and case.metastases == []


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


def test_every_modal_option_has_a_phrase_and_views_stay_within_slack_limits(engine, knowledge):
    view = case_modal({"channel": "C1", "response_url": "https://hooks.slack.com/x"})
    for block in view["blocks"]:
        element = block.get("element", {})
        for option in element.get("options", []):
            assert option["value"] in slack._PHRASES[block["block_id"]]
        assert len(block.get("label", {}).get("text", "")) <= 2000
    assert len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= 100
    assert len(report_modal({"id": "x"})["title"]["text"]) <= 24
    home = home_view(engine.ask("help").answer, knowledge, "/pnet")
    assert len(home["blocks"]) <= 100
    assert all(len(b["text"]["text"]) <= 3000 for b in home["blocks"] if b["type"] == "section")
