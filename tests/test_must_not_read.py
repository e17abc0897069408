"""Where each reading added in session 7 must NOT fire: the posts of the code review of that session
(docs/reviews/code-review-2026-12-06-session7.md), each of which was misread when it was written. A reading
is only as good as the ordinary posts it leaves alone."""

from __future__ import annotations

import pytest


def _drugs(case):
    return {t.drug: t.outcome for t in case.treatments}


@pytest.mark.parametrize(
    ("text", "check"),
    [
        # 'due' is not a line to come: a drug due again is given now; 'due to' is a cause
        (
            "Metastatic PNET G2, 8 liver mets, is due her 4th month of everolimus, new liver lesions on CT",
            lambda c: "everolimus" in _drugs(c),
        ),
        (
            "Metastatic PNET G2 liver mets, is due her next sunitinib prescription, BP 190/110 and headache",
            lambda c: "sunitinib" in _drugs(c),
        ),
        (
            "Her hypos were due to a 1.2 cm insulinoma which was enucleated in 2019, now new liver lesions",
            lambda c: "enucleation" in c.prior_surgery,
        ),
        (
            "Post distal pancreatectomy 2021 for G1 PNET and due for surveillance MRI next month",
            lambda c: "distal_pancreatectomy" in c.prior_surgery,
        ),
        # a negated or worried growth is no progression; 'grown-up' children are no tumour
        (
            "Metastatic NF-PNET G2, liver mets, on lanreotide since 2022. None of the liver lesions have grown on the "
            "latest CT. Continue?",
            lambda c: c.progression is not True and _drugs(c)["lanreotide"] != "progressed",
        ),
        (
            "NF-PNET liver mets on lanreotide, nothing has grown since last scan",
            lambda c: c.progression is not True,
        ),
        (
            "Met PNET on lanreotide. He has grown-up children who help him. The scan was stable.",
            lambda c: _drugs(c)["lanreotide"] != "progressed",
        ),
        # a way, a time or a reason of the patient's is not unresectable disease
        (
            "3 cm head PNET G2, Ki-67 5%, no mets on DOTATATE, the surgeon says it can't be removed laparoscopically, "
            "needs open Whipple. Patient fit. Plan?",
            lambda c: c.resectable is not False,
        ),
        (
            "Dad has a 3 cm pancreatic NET, G2, no spread, they say they can't operate because of his heart.",
            lambda c: c.resectable is not False,
        ),
        # a sclerotic bone island is no metastasis; a T stage keeps the pancreatic site
        (
            "2.5 cm tail PNET G1, Ki-67 1%, fit. CT: 4 mm sclerotic lesion in L3, likely a bone island. Plan?",
            lambda c: "bone" not in c.metastases,
        ),
        ("T3 head PNET 4 cm with SMV abutment, G2, no mets", lambda c: c.location == "head"),
        ("T2 body PNET 2.5 cm, G2, no mets", lambda c: c.location == "body"),
        # nodes counted and clear, small and reactive, or asked about, are not nodal disease
        (
            "Distal pancreatectomy 2023 for 2.2 cm G1 PNET, R0, 12 regional lymph nodes, all clear. Follow-up plan?",
            lambda c: "lymph_nodes" not in c.metastases,
        ),
        (
            "CT: 2.5 cm head PNET, 2 peripancreatic lymph nodes, subcentimetre and likely reactive",
            lambda c: "lymph_nodes" not in c.metastases,
        ),
        (
            "3 cm tail PNET G2. Would you do a formal lymphadenectomy if N+ on frozen section?",
            lambda c: "lymph_nodes" not in c.metastases,
        ),
        # a count after 'shows' is no glucose; a spleen not yet removed is no missed post-splenectomy vaccination
        (
            "1.4 cm insulinoma in the tail. CGM shows 2 episodes overnight, lowest 3.4",
            lambda c: not any("episodes" in f.words for f in c.urgent),
        ),
        # 'producing too much insulin' of a diabetic's own pancreas is no insulinoma
        (
            "Patient with type 2 diabetes and insulin resistance, her body is producing too much insulin. Incidental "
            "1.5 cm pancreatic NET in the tail, G1, non-functioning on biochemistry.",
            lambda c: c.subtype == "nonfunctioning",
        ),
        # an R2 resection is not 'no evidence of disease'
        (
            "Pancreatic NET G2, distal pancreatectomy last month. They said it was all removed except a small bit stuck "
            "to the vein.",
            lambda c: c.metastatic is not False,
        ),
        # a pneumonitis, then a switch to another drug: the first drug is no longer given
        (
            "Met PNET G2 on everolimus since Jan 2023. Grade 3 pneumonitis in March 2023, then switched to sunitinib "
            "in May, stable since.",
            lambda c: _drugs(c).get("everolimus") != "ongoing",
        ),
        # pass 2 of the review: measured growth is progression; a given line after its work-up is given
        (
            "Metastatic PNET G2, Ki-67 5%, 6 liver mets, on lanreotide since 2022. CT today: a growth of 30% in the "
            "liver mets. Next step?",
            lambda c: c.progression is True,
        ),
        (
            "Metastatic PNET G2, Ki-67 10%, liver mets, DOTATATE avid. After PRRT work-up she had 4 cycles in 2022, now "
            "progressing. Next?",
            lambda c: "prrt" in _drugs(c),
        ),
        # an anatomical reason keeps the disease unresectable
        (
            "58M, 4 cm head PNET G2, Ki-67 6%, no mets on DOTATATE. The surgeons said it can't be removed because it "
            "wraps around the SMA. What next?",
            lambda c: c.resectable is False,
        ),
        # a known PNET with a lesion that 'could be a NET met' is diagnosed, not suspected
        (
            "Known metastatic PNET G2, 5 liver mets, on lanreotide since 2021, stable; new 1 cm lung nodule, could be a "
            "NET met. Plan?",
            lambda c: not c.diagnosis_pending,
        ),
        (
            "Metastatic PNET on lanreotide, none have grown but there is a new bone lesion.",
            lambda c: c.progression is True,
        ),
        # settled or graded diarrhoea, hours after 'and it was', 'could not stand' the ulcers
        (
            "Metastatic PNET G2 on lanreotide, stable. Diarrhoea was 8 times a day before lanreotide, now settled.",
            lambda c: "secretory_diarrhoea" not in {f.id for f in c.urgent},
        ),
        (
            "1.2 cm insulinoma, I checked my sugar and it was 2 hours after lunch, reading 5.6",
            lambda c: not any("2 hours" in f.words for f in c.urgent),
        ),
        (
            "Metastatic PNET G2 liver mets, was on everolimus, he could not stand the mouth ulcers so stopped it. What next?",
            lambda c: "volume_depletion" not in {f.id for f in c.urgent},
        ),
    ],
)
def test_a_reading_leaves_an_ordinary_post_alone(engine, text, check):
    case = engine.read(text).case
    assert check(case), case.model_dump(exclude={"evidence"})


def test_no_vaccination_before_a_splenectomy_is_a_reminder_not_an_emergency(engine):
    a = engine.ask(
        "Planning distal pancreatectomy with splenectomy for 2.5 cm tail PNET G1, no mets, fit; patient hasn't had "
        "any vaccines yet, when should they be given?",
        intent="treatment_plan",
    ).answer
    line = next(w for w in a.warnings if "vaccin" in w.text and w.text.startswith("Note:"))
    assert line.severity == "warning" and "before any splenectomy" in line.text, line


def test_an_ungraded_event_beside_a_mild_graded_one_stays_critical(engine):
    """A possible pneumonitis is not downgraded because an unrelated grade 1 rash was graded."""
    a = engine.ask(
        "Metastatic PNET G2 on everolimus: grade 1 rash, also new dry cough and breathless on exertion",
        intent="treatment_plan",
    ).answer
    cough = next(w for w in a.warnings if "dry cough" in w.text)
    assert cough.severity == "critical", cough


def test_a_question_after_a_lines_history_does_not_ask_about_the_lines_given(engine):
    a = engine.ask(
        "Metastatic PNET G2, 10 liver mets, progressed on lanreotide and everolimus, asking if anything else can be done",
        intent="treatment_plan",
    ).answer
    asked = next((s for s in a.sections if s.title == "Your question"), None)
    assert asked is None or not any(i.text.startswith(("everolimus", "lanreotide")) for i in asked.items), asked


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Sunitinib inhibits VEGFR, what dose?", "therapy"),
        ("How long will I need to take lanreotide?", "therapy"),
        ("My CT shows a 1.5 cm spot on my pancreas that could be a NET. What is a Ki-67?", "grading"),
    ],
)
def test_a_question_keeps_its_topic(engine, text, intent):
    """Pass 2 of the review: the kidney-dosing note, the surveillance cues and the suspected-case rule each took
    a question that is not theirs."""
    result = engine.ask(text)
    assert result.answer.intent == intent and "kidney function" not in result.answer.summary, (
        result.answer.intent,
        result.answer.summary,
    )


@pytest.mark.parametrize(
    "text",
    [
        "IR consultant. Referred for TACE: 66M, s/p PD 2019 for PNET G2 (Ki-67 7%). Now liver mets.",
        "Transplant hepatologist. 41F, PD 2022 for pancreatic head NET, now liver-only mets",
    ],
)
def test_a_whipple_said_as_pd_stays_an_operation_beside_a_line_or_a_procedure(engine, text):
    """Session 8: "(PD)" after a line is progression; "s/p PD 2019" and "PD 2022 for ... NET" stay a Whipple."""
    assert "pancreatoduodenectomy" in engine.read(text).case.prior_surgery


# Session 8's code review (docs/reviews/code-review-2026-12-06-session8.md): posts each new reading must leave alone
def test_bone_spread_words_make_no_cord_emergency_without_cord_signs(engine):
    for text in (
        "What are the survival numbers for a pancreatic NET that has spread to the liver and bones?",
        "58F pancreatic NET G2 with liver and bone mets, 4 cycles of Lu-177 completed 2024, CgA fell from 300 to 120 "
        "since. On lanreotide. Continue?",
    ):
        assert "spinal_metastasis_symptoms" not in {f.id for f in engine.read(text).case.urgent}, text


def test_a_treatment_only_talked_about_is_not_given(engine):
    case = engine.read(
        "62M 3 cm G2 pNET in the tail. 1.5 cm liver lesion, indeterminate on CT, ?met vs haemangioma, MRI pending. "
        "TACE was mentioned by IR last week. Thoughts?"
    ).case
    assert case.treatments == [] and case.metastases == [] and case.uncertain_sites == ["liver"]
    assert (
        engine.read(
            "55M pNET G2, liver mets, stable. Sunitinib was brought up by the oncologist last week."
        ).case.treatments
        == []
    )


@pytest.mark.parametrize(
    "text",
    [
        "61M pNET G2 Ki-67 6%, 35% increase in liver lesion size over 6 months on lanreotide. Next line?",
        "58M, pancreatic tail NET, Ki67 6%, 30% of liver replaced by mets, on lanreotide, stable. Continue?",
    ],
)
def test_a_percentage_after_the_ki67_without_a_joiner_is_not_a_second_ki67(engine, text):
    assert engine.read(text).case.ki67 == 6.0


def test_a_size_after_a_relative_is_kept(engine):
    assert (
        engine.read("My husband, 2.5 cm pNET in the tail, Ki67 3%, no spread. Does he need surgery?").case.size_cm
        == 2.5
    )


def test_a_new_lesion_said_inside_a_question_is_still_progression(engine):
    case = engine.read(
        "58F pNET G2, liver mets, on lanreotide since 2021. Does the new liver lesion on this month's CT mean it has failed?"
    ).case
    assert case.progression is True


def test_a_lab_value_before_a_size_is_not_a_size(engine):
    assert engine.read("MEN1, 2 NF-pNETs, CgA 85, 12 mm head and 9 mm tail, stable on MRI. Resect?").case.size_cm == 1.2


def test_go_now_is_not_said_for_a_finding_whose_own_line_is_for_another_phase(engine):
    a = engine.ask(
        "54F, 3 cm G1 NF pNET in the tail, no mets. Distal pancreatectomy + splenectomy booked for 6 weeks' time. No "
        "vaccines given yet. Should we wait until the vaccines are done before the operation?"
    ).answer
    assert not any("do not wait" in i.text for s in a.sections for i in s.items)


def test_what_is_joined_to_a_graded_toxicity_by_and_shares_its_grade(engine):
    """Code review L3: "Grade 1 stomatitis and hyperglycaemia" is one graded event, not a second ungraded (and so
    critical) one; a glucose said before a graded toxicity stays its own event."""
    tox = engine.read("on everolimus for met PNET, stable. Grade 1 stomatitis and hyperglycaemia. Continue?").case
    assert [t.grade for t in tox.toxicities] == [1]
    tox = engine.read("Everolimus 10 mg daily for PNET, fasting glucose now 16 mmol/L and grade 2 stomatitis.").case
    assert sorted(t.grade or 0 for t in tox.toxicities) == [0, 2]
