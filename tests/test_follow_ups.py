"""A message after a case in the same conversation: a change re-plans the case, a question is answered
alone, a new patient starts a new case (handlers/conversation.py, vocabulary.yaml follow_up).

The phrasings here are the team's own; the blind set (tests/vignettes/followups.yaml) measures the rest.
"""

from __future__ import annotations

import pytest

CASE = "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid, fit"


def kind(engine, text: str) -> str:
    return engine.follow_ups.kind(engine.read(text), text)


@pytest.mark.parametrize(
    "text",
    [
        "ok and if it were 1.5 cm?",  # fillers before the hypothesis
        "suppose the DOTATATE scan were negative",
        "what changes if Ki-67 is 30%",
        "does the plan change if there are bone mets",
        "assuming she is not fit for surgery",
    ],
)
def test_a_hypothesis_about_the_case_is_a_change(engine, text):
    assert kind(engine, text) == "change"


@pytest.mark.parametrize(
    "text",
    [
        "Ki-67 came back at 12%",
        "no bone mets on PET",
        "she is doing well on lanreotide, stable for 2 years",  # a duration, not an age: the same patient
        "the liver lesion is a haemangioma on MRI",
        "FNA of the node: reactive",
        "bone scan shows a rib met",
        "surgeons say unresectable",  # a plan-relevant fact asks for the plan again
        "progressed on lanreotide, next?",
    ],
)
def test_a_finding_reported_about_the_case_is_a_change(engine, text):
    assert kind(engine, text) == "change"


@pytest.mark.parametrize(
    "text",
    [
        "how often do gastrinomas metastasise?",
        "what is the dose of lanreotide",  # no question mark: the lead word says it
        "is everolimus used in insulinoma?",
        "insulinoma metastatic rate",  # a topic and an aspect, no finding
        "survival with liver mets",
        "thanks",
    ],
)
def test_a_question_is_answered_alone(engine, text):
    assert kind(engine, text) == "other"


@pytest.mark.parametrize(
    "text",
    [
        "Different patient: 3 cm head PNET, Ki-67 4%",
        "70M, 2 cm tail NF-PNET, Ki-67 2%",  # presented with age and sex
        "3 cm head gastrinoma, Ki-67 4%, no mets, DOTATATE positive, fit",  # described in full
    ],
)
def test_a_new_patient_is_a_new_case(engine, text):
    assert kind(engine, text) == "new_case"


def test_a_reported_finding_re_plans_the_case(engine):
    case = engine.changed_case("Ki67 came back 25", [CASE])
    assert case is not None and case.ki67 == 25 and case.grade == "G3" and case.size_cm == 4.2
    case = engine.changed_case("liver lesions were haemangiomas on MRI", [CASE])
    assert case is not None and "liver" not in case.metastases and "liver" in case.metastases_ruled_out
    assert case.metastatic is None  # its only distant site is gone: staging is asked for again
    case = engine.changed_case(
        "the liver lesions were haemangiomas", [CASE.replace("4 liver mets", "liver and bone mets")]
    )
    assert case is not None and case.metastases == ["bone"] and case.metastatic is True


def test_ruling_out_one_site_keeps_the_others(engine):
    case = engine.changed_case("no bone mets on PET", [CASE])
    assert case is not None and case.metastatic is True and case.metastases == ["liver"]
    assert case.metastases_ruled_out == ["bone"]


@pytest.mark.parametrize(
    "text",
    ["surgeon says potentially resectable if it shrinks", "resectable after downstaging", "may become resectable"],
)
def test_resectable_on_a_condition_is_left_to_the_surgeon(engine, text):
    assert engine.read(f"4 cm head PNET, Ki-67 5%, {text}").case.resectable is None


def test_a_question_after_a_new_patient_leaves_the_new_patient_as_the_case(engine):
    new = "Next patient: 62M, 3 cm head insulinoma, Ki-67 2%, no mets"
    # a question does not replace the case under discussion, even when it names a fact or two
    earlier = [CASE, new, "what is survival with liver mets in G2?"]
    case = engine.changed_case("and if unresectable?", earlier)
    assert case is not None and case.subtype == "insulinoma" and case.resectable is False


@pytest.mark.parametrize(
    ("text", "present", "ruled_out"),
    [
        ("liver lesions were haemangiomas on MRI", [], ["liver"]),
        ("EUS-FNA of the nodes: reactive, no tumour seen", [], ["lymph_nodes"]),
        ("spine MRI: the L2 lesion is a bone island, not a met", [], ["bone"]),
        # metastases said in the clause, or in one of their own, are not undone by a benign lesion nearby
        ("4 cm tail PNET, liver mets, plus a small haemangioma", ["liver"], []),
        ("liver mets; also a 5 mm haemangioma in segment 4", ["liver"], []),
        ("4 cm tail PNET, liver lesion, ?haemangioma", [], []),  # unconfirmed either way
    ],
)
def test_a_site_shown_benign_is_ruled_out(engine, text, present, ruled_out):
    case = engine.read(text).case
    assert case.metastases == present and case.metastases_ruled_out == ruled_out


@pytest.mark.parametrize(
    ("text", "ki67"),
    [
        ("Ki67 came back 18", 18),
        ("ki 67 on the full resection is 1%", 1),
        ("ki67 on the liver core 35%", 35),
        ("Ki-67 pending and liver burden 30%", None),  # the percentage is the burden
        ("Ki-67 not done, liver 30% replaced", None),
    ],
)
def test_ki67_said_in_passing(engine, text, ki67):
    assert engine.read(text).case.ki67 == ki67


def test_a_drug_added_with_and_then_on_shares_the_failure(engine):
    case = engine.read("progressed on octreotide LAR and then on CAPTEM (6 cycles)").case
    assert {(t.drug, t.outcome) for t in case.treatments} == {("octreotide", "progressed"), ("captem", "progressed")}


def test_and_then_started_is_a_new_drug_not_a_failure(engine):
    case = engine.read("progressed on octreotide and then started everolimus").case
    assert [(t.drug, t.outcome) for t in case.treatments] == [("octreotide", "progressed"), ("everolimus", "ongoing")]


def test_a_very_high_risk_patient_is_not_fit_even_if_called_fit(engine):
    case = engine.read("fit, resectable; cardiology say very high risk (EF 25%)").case
    assert case.fit_for_surgery is False
