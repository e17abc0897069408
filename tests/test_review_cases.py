"""Every case of the clinical review of 2026-12-06, with what the review said must hold
(tests/reviews/clinical-review-2026-12-06.yaml). Each failed on main before the plans work (8a895bf)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.render import to_text
from handlers import planner as P

CASES = yaml.safe_load((Path(__file__).parent / "reviews" / "clinical-review-2026-12-06.yaml").read_text("utf-8"))


def _your_question(a):
    """The plan's "Your question" section."""
    return next(s for s in a.sections if s.title == "Your question")


def _plan(engine, item):
    if item.get("earlier"):
        case = engine.changed_case(item["text"], item["earlier"])
        assert case is not None, "the follow-up did not change the case"
        return case, engine.follow_up(item["text"], item["earlier"])
    result = engine.ask(item["text"], intent="treatment_plan")
    return result.query.case, result.answer


@pytest.mark.parametrize("item", CASES, ids=[c["id"] for c in CASES])
def test_review_case(engine, item):
    case, a = _plan(engine, item)
    assert a.plan is not None, f"no plan: {a.title}"
    held = set(a.plan.acts) | set(a.plan.warnings)
    for field, value in (item.get("case") or {}).items():
        got = getattr(case, field)
        got = [t.model_dump() for t in got] if field == "treatments" else got
        assert got == value, f"{field}: {got!r} != {value!r}"
    for field, values in (item.get("case_has") or {}).items():
        assert set(values) <= set(getattr(case, field)), f"{field}: {getattr(case, field)!r}"
    assert not set(item.get("acts", [])) - held, f"missing {set(item.get('acts', [])) - held}"
    assert not set(item.get("no_acts", [])) & held, f"should not hold {set(item.get('no_acts', [])) & held}"
    assert not set(item.get("warnings", [])) - held, f"missing warnings {set(item.get('warnings', [])) - held}"
    assert not set(item.get("no_warnings", [])) & held, f"should not warn {set(item.get('no_warnings', [])) & held}"
    assert not set(item.get("no_asks", [])) & set(a.plan.asks), f"asks {a.plan.asks}"
    assert not set(item.get("urgent", [])) - {f.id for f in case.urgent}, f"urgent read: {case.urgent}"
    assert not set(item.get("no_urgent", [])) & {f.id for f in case.urgent}, f"urgent read: {case.urgent}"
    if "phase" in item:
        assert a.plan.phase == item["phase"]
    if "sequence" in item:
        assert a.plan.sequence == item["sequence"]
    assert a.plan.sequence not in item.get("no_sequence", [])
    if "toxicity_drug" in item:
        assert any(t.drug == item["toxicity_drug"] for t in case.toxicities), case.toxicities
    if "toxicity" in item:
        want = item["toxicity"]
        assert any(t.drug == want["drug"] and t.grade == want["grade"] for t in case.toxicities), case.toxicities
        assert any(w.text.startswith("Act first:") and want["drug"] in w.text for w in a.warnings)
    if "main_has" in item or "main_not" in item:
        main = to_text(a).split("─── Details")[0]
        assert all(x in main for x in item.get("main_has", [])), main
        assert not [x for x in item.get("main_not", []) if x in main], main
    if "summary_has" in item:
        assert item["summary_has"] in a.summary
    for title in item.get("no_sections", []):
        assert not any(title in s.title for s in a.sections), [s.title for s in a.sections]
    if item.get("no_branch_banner"):
        assert not any(w.text.startswith("If ") for w in a.warnings)
    lay = P.layout(case, P.planner_for(engine.knowledge))
    ordered = [s for s in lay.main if s.step.phase != "intensity"] + [s for ss in lay.branches.values() for s in ss]
    if item.get("first_not") and ordered:
        first = ordered[0].acts | ordered[0].options
        assert not set(item["first_not"]) & first, f"first step: {ordered[0].text}"
    systemic = [s for s in lay.draft.steps if s.step.phase == "systemic"]
    if "first_systemic" in item:
        assert item["first_systemic"] in systemic[0].acts
    if item.get("first_line_qualified") is False and systemic:
        assert not systemic[0].text.lower().startswith(("on progression", "or")), systemic[0].text


def test_a_question_about_one_option_is_answered_about_that_option_only(engine):
    """Round 6's dangerous case: PRRT asked with reduced kidney function. PRRT and streptozocin are held
    back for the board (sources silent on renal eligibility), and the answer names only what was asked."""
    a = engine.ask(
        "Metastatic PNET G2, SSTR+ all lesions, progressing on lanreotide, creatinine clearance 35. Is PRRT OK?"
    ).answer
    asked = _your_question(a)
    assert len(asked.items) == 1 and asked.items[0].text.startswith("PRRT: not offered here: reduced kidney function")
    assert not {"prrt", "streptozocin_5fu"} & set(a.plan.acts)
    assert any(w.text.startswith("Act first: creatinine clearance 35") for w in a.warnings)


@pytest.mark.parametrize(
    ("text", "check"),
    [
        # round 6: a symptom course ("progressive dry cough") on a drug is a possible toxicity, not progression
        (
            "52F metastatic PNET G2 on everolimus 10 mg, 3 wks progressive dry cough, SOB on exertion, sats 89% RA, CT bilateral ground glass.",
            lambda case, a: case.progression is not True and any(t.drug == "everolimus" for t in case.toxicities),
        ),
        # a line stopped for a graded toxicity: the stop's other reason ("and hyperglycaemia") is history, not an
        # event now; only the heart failure said after it is
        (
            "70M PNET G2 liver mets. Lanreotide -> PD; everolimus stopped after grade 3 stomatitis and hyperglycaemia. Now echo LVEF 30%.",
            lambda case, a: (
                [t.event for t in case.toxicities if t.grade is None] == ["possible toxicity (Now echo LVEF 30%)"]
            ),
        ),
        # round 6: each size belongs to its own item; the dominant MEN1 lesion is in the head
        (
            "MEN1, 34F, several PNETs: 1.1 cm body, 0.8 cm tail, 2.4 cm head (grew from 1.8 in 18 mo), gastrin and glucose normal. Plan?",
            lambda case, a: (
                case.size_cm == 2.4 and case.location == "head" and "distal_pancreatectomy" not in a.plan.acts
            ),
        ),
        # round 6: after the operation, no lymph node resection and no 'resect or watch'
        (
            "Post distal pancreatectomy 3 months, G1 PNET 1.9 cm R0, 0/12 nodes. What follow-up?",
            lambda case, a: "lymph_node_resection" not in a.plan.acts and "surveillance" in a.plan.acts,
        ),
        # round 6: 'liver mets, largest 3 cm' is a liver lesion's size, not the primary's
        (
            "s/p Whipple 2020 for PNET, now 6 bilobar liver mets, largest 3 cm, G2 Ki-67 7%. IR offering TACE. Reasonable?",
            lambda case, a: case.size_cm is None and case.liver_lesion_cm == 3.0,
        ),
    ],
)
def test_round_6_classes(engine, text, check):
    result = engine.ask(text, intent="treatment_plan")
    assert check(result.query.case, result.answer)


def test_a_comorbidity_drug_is_never_held_as_a_toxicity(engine):
    """Round 7's dangerous case: 'hypertension and AF on apixaban' became 'hold apixaban now'. Only an
    antitumour drug carries a toxicity; a somatostatin analogue only when nothing else is given."""
    a = engine.ask("78M 0.8 cm NF-PNET tail, localised, G1. Hypertension and AF on apixaban. Resect?").answer
    assert not any("apixaban" in w.text for w in a.warnings if w.text.startswith("Act first"))
    assert a.plan.phase == "localised"
    case = engine.ask(
        "Met PNET G2 on lanreotide and everolimus, now grade 3 pneumonitis.", intent="treatment_plan"
    ).query.case
    assert [t.drug for t in case.toxicities] == ["everolimus"]


def test_a_question_about_a_drug_with_other_medicines_says_first_that_the_sources_are_silent(engine):
    """Round 8's dangerous case: 'everolimus with clarithromycin and simvastatin, is that safe?' got a dose
    card. Safety with other medicines is an aspect the sources do not cover: the first line says so."""
    a = engine.ask(
        "My dad has a pancreatic NET with spread to the liver and they want to start everolimus. "
        "He takes clarithromycin for a chest infection and simvastatin. Is that safe?"
    ).answer
    assert a.summary.startswith("My sources do not cover interactions with other medicines")
    assert "pharmacist" in a.summary


@pytest.mark.parametrize(
    "text",
    [
        "CNS here. Patient on everolimus for pNET asks if she can keep taking St John's wort and grapefruit juice, "
        "and she is due a yellow fever jab for travel. Is that OK?",  # round 9, case 32
        "is there an interaction between octreotide and ciclosporin?",
        "she missed her lanreotide injection by a week, do we just give it now",
    ],
)
def test_interactions_vaccines_and_missed_doses_are_named_as_not_covered_first(engine, text):
    a = engine.ask(text).answer
    assert a.title.startswith("Not in my sources: interactions with other medicines"), a.title
    assert not a.declined


def test_a_relative_asking_whether_a_pnet_is_pancreatic_cancer_is_answered_not_declined(engine):
    """Round 9, case 30: 'Is this the same as pancreatic cancer, and how long has she got?' was declined."""
    a = engine.ask(
        "Hi, my mum is 71 and they found a tumour in her pancreas they call neuroendocrine, and it has gone to "
        "her liver. They said it is slow growing. Is this the same as pancreatic cancer, and how long has she got?"
    ).answer
    assert not a.declined and a.intent == "survival"
    assert a.summary.startswith("My sources do not cover pancreatic cancer: a different pancreatic lesion")
    assert "24 months" in a.summary  # isolated liver metastasis, article 000


def test_transplant_asked_for_a_patient_with_the_primary_in_place_gets_that_reason(engine):
    """Round 9, case 16: the reason given was 'not diffuse liver disease', for 40% of the liver."""
    a = engine.ask(
        "52M unresectable liver-only mets from pNET G2 Ki-67 12%, about 40% of the liver involved, primary still "
        "in situ in the head. Should we refer for liver transplant?"
    ).answer
    asked = _your_question(a)
    assert asked.items[0].text.startswith(
        "liver transplantation (for the board): not offered here: the primary is still"
    )


def test_a_bare_agree_asks_about_the_sentence_before_it(engine):
    """Round 9 (cases 18-20) and plans7: 'Plan: Whipple now, hepatectomy in 3 months. Agree?' went unanswered."""
    a = engine.ask(
        "HPB surgeon. 56M, fit, NF-PNET head 3.5 cm G2, 3 liver mets right lobe, nothing else on DOTATATE, FLR fine. "
        "Plan: Whipple now, right hepatectomy in 3 months once recovered. Agree?"
    ).answer
    asked = _your_question(a)
    assert "hepatectomy first" in asked.items[0].text


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Thymic NET - recurrence rate after R0 resection?", "Thymus NETs: no follow-up schedule or recurrence figure"),
        (
            "appendiceal NET follow up after appendicectomy?",
            "Appendix NETs: no follow-up schedule or recurrence figure",
        ),
    ],
)
def test_follow_up_of_another_primary_is_never_given_the_pnet_figures(engine, text, first):
    a = engine.ask(text).answer
    assert a.title.startswith(first) and "21-42%" not in a.summary


def test_the_share_of_metastatic_nets_in_the_liver_leads_with_the_all_primaries_figure(engine):
    a = engine.ask("What proportion of patients with metastatic NETs have liver metastases?").answer
    assert "82%" in a.summary


def test_a_lung_adenocarcinoma_trial_question_is_declined(engine):
    assert engine.ask("Osimertinib 1L for EGFR-mutant lung adeno - OS benefit in FLAURA?").answer.declined


def test_a_survival_figure_for_a_metastatic_pattern_says_what_it_is_on_its_first_line(engine):
    """Round 11, case 30: a relative got 'median survival 24 months' as the headline, with no context."""
    a = engine.ask(
        "My dad was told he has a neuroendocrine tumour in his pancreas that has spread to his liver. They said it "
        "is slow growing. Does that mean he won't need chemo? And how long do people usually live with this?"
    ).answer
    assert "24 months" in a.summary and "not a prediction for one person" in a.summary and "indolent" in a.summary


@pytest.mark.parametrize(
    "text",
    [
        "pulm NET liver met rate vs lung adeno?",  # the sources give lung adenocarcinoma's 20% for comparison
        "pt with met pnet asking how long everolimus or sunitinib usually works before it stops working",
    ],
)
def test_everyday_words_do_not_send_a_covered_question_away(engine, text):
    a = engine.ask(text).answer
    assert not a.declined and not a.title.startswith("Not in my sources"), a.title


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("started on lanreotide 2019 with RECIST PD at 18 months", [("lanreotide", "progressed")]),
        ("switched to everolimus after PD on lanreotide", [("everolimus", "ongoing"), ("lanreotide", "progressed")]),
        ("it grew so they switched her to sunitinib 3 weeks ago", [("sunitinib", "ongoing")]),
        ("switched to everolimus, PD after 6 months", [("everolimus", "progressed")]),
    ],
)
def test_a_switch_makes_the_new_line_current_unless_its_own_outcome_follows(engine, text, want):
    assert [(t.drug, t.outcome) for t in engine.read(text).case.treatments] == want


def test_a_drugs_dose_and_interval_is_its_schedule_not_follow_up(engine):
    """Round 27 #30: "what dose and interval of lanreotide" leads with the dose, not surveillance intervals."""
    a = engine.ask("Quick q: what dose and interval of lanreotide for antiproliferative use in GEP-NET?").answer
    assert a.title.startswith("Lanreotide") and "120 mg every 4 weeks" in a.summary, (a.title, a.summary)


def test_how_long_a_named_drug_keeps_it_under_control_is_its_progression_free_survival(engine):
    """Round 31 #32 (major): a wife asking how long everolimus keeps it under control got survival by
    metastatic pattern; the drug's median progression-free survival answers it."""
    a = engine.ask(
        "My husband has a pancreatic neuroendocrine tumour that has spread to the liver and they're starting "
        "everolimus. How long does that tablet usually keep it under control?"
    ).answer
    assert a.summary.startswith("Everolimus: Median progression-free survival: 11.0 months"), a.summary


@pytest.mark.parametrize(
    ("item_id", "absent"),
    [
        # Round 33 #32: the metastasis's size is a case fact, so the post is planned and RFA's <5 cm gate checked
        ("R33-32", "rfa"),
        # Round 35 #9: "liver spots have grown" on octreotide is a patient's progression, not a drug comparison
        ("R35-9", "lanreotide"),
        # Round 35 #21: a patient's suspected PNET ("they think it might be a NET. What happens now?")
        ("R35-21", "pancreatoduodenectomy"),
        # Round 39 #22: a resected case asking about adjuvant therapy and imaging intervals got a topic dump led
        # by a splenectomy-vaccination banner; it is the plan for its phase, with no topic page appended
        ("R39-22", "distal_pancreatectomy"),
    ],
)
def test_a_patient_post_is_planned_not_answered_as_a_topic(engine, item_id, absent):
    text = next(c["text"] for c in CASES if c["id"] == item_id)
    a = engine.ask(text).answer
    assert a.plan is not None and absent not in a.plan.acts, a.title
    assert "·" not in a.title, a.title  # no topic page appended to the plan


def test_a_comorbidity_leaves_fitness_to_the_board_only_where_the_post_does_not_settle_it(engine):
    """Round 33 #17: "COPD and CKD3" with no fitness said is quoted in the board's fitness question; "fit,
    mild COPD" stays fit and "COPD on home O2" stays unfit."""
    assert engine.read("3 cm tail PNET G1 no mets, 70M with COPD").case.evidence["fit_for_surgery"].endswith("COPD")
    assert engine.read("3 cm tail PNET G1 no mets, 70M, fit, mild COPD").case.fit_for_surgery is True
    assert engine.read("3 cm tail PNET G1 no mets, 70M, COPD on home O2").case.fit_for_surgery is False


def test_go_now_is_said_only_beside_a_finding_that_needs_a_doctor_today(engine):
    """'Should we wait?' is answered 'do not wait' only when a critical finding is in the post; a stable patient
    asking whether to wait for the next scan gets the plan's own timing."""
    a = engine.ask(
        "Mum is on lanreotide for her pancreas NET, scans stable, a bit tired. Should we wait for the next scan "
        "before changing anything?"
    ).answer
    assert "do not wait" not in to_text(a)


def test_a_sore_back_is_cord_compression_only_beside_bone_or_spinal_disease(engine):
    """Round 41 #2's words read as cord compression need the bones named; a sore back in a patient with liver-only
    disease is not an emergency line."""
    case = engine.read("my mum has a pancreas NET in her liver, her back is really sore after gardening").case
    assert "spinal_metastasis_symptoms" not in {f.id for f in case.urgent}


@pytest.mark.parametrize(
    ("text", "ki67"),
    [
        ("Ki67 4% (primary bx 2018) -> 22% (liver core 2025)", 22.0),
        ("re-biopsy Ki67 11% (was 4% originally)", 11.0),
        ("Ki-67 rose from 5% to 25% on the liver biopsy", 25.0),
        ("Ki-67 8% on the primary, 30% on the liver core", 30.0),
        # a percentage of the liver said after the Ki-67 is the burden, never a second Ki-67
        ("Ki67 5% and liver 40% replaced", 5.0),
        ("G2 Ki-67 8%, 30% liver burden", 8.0),
    ],
)
def test_a_second_ki67_said_after_the_first_is_read_and_the_grade_follows_the_highest(engine, text, ki67):
    assert engine.read("pNET liver mets, " + text).case.ki67 == ki67


def test_a_drug_asked_about_after_a_sentence_of_context_is_answered_about_the_drug(engine):
    """Round 48 #31 (major): 'suspected insulinoma ..., no SSTR imaging yet. Can I start octreotide for the hypos
    meanwhile?' got the imaging page; the sentence that asks names the drug, so the drug's caution leads."""
    a = engine.ask(
        "Endo: suspected insulinoma (72h fast +, insulin/C-pep high), localisation pending, no SSTR imaging yet. "
        "Can I start octreotide for the hypos meanwhile?"
    ).answer
    assert a.summary.startswith("Insulinoma: never use octreotide"), a.summary


def test_the_octreotide_scan_is_a_scan_not_the_drug(engine):
    q = engine.ask("why did they send my wife for an octreotide scan? what does it show them").query
    assert q.intent == "imaging" and "therapy" not in q.entities


def test_a_drug_asked_for_a_patient_after_the_operation_is_answered_by_the_plan(engine):
    """Round 49 #23: '2y post DP ... NED. Should she have adjuvant SSA or capecitabine? And how often scans?' got the
    surveillance page with no word on adjuvant therapy; the plan answers both."""
    a = engine.ask(
        "2y post DP for G2 pNET 3.5cm, 2/14 LN+, Ki67 9%, CT reported last week: NED. Should she have adjuvant SSA "
        "or capecitabine? And how often scans from here?"
    ).answer
    assert a.plan is not None and a.plan.phase == "resected_ned"
    assert "the sources give no adjuvant systemic therapy" in to_text(a).split("─── Details")[0]


@pytest.mark.parametrize(
    "text",
    [
        # round 49 #11 (major): the carcinoma's topic page never said no to 'lanreotide first'
        "Poorly diff pancreatic NEC, small cell morphology, Ki67 80%, multiple liver mets + nodes. Med onc colleague "
        "suggests starting lanreotide first as it's gentler, then chemo if progresses. Agree?",
        # round 49 #16 (major): the subtype's preoperative page for a patient two weeks after the operation
        "Glucagonoma s/p DP + splenectomy 2/52 ago. NME rash has now resolved, glucose ok. Realised vaccines weren't "
        "given pre-op. What now + f/u?",
        # round 52 #1 (dangerous): a relative's greeting ("hi, ...") gave the help menu for a low glucose at home
        "hi, my dad has the pancreas tumour (they said insulin one?) and this morning he was sweaty, shaking and "
        "talking nonsense, we did his sugar with my mums meter it was 2.1. can it wait till thursday?",
    ],
)
def test_a_described_patient_is_planned_not_given_a_topic_page(engine, text):
    assert engine.ask(text).query.intent == "treatment_plan"


def test_options_weighed_for_a_described_patient_are_the_plans_order(engine):
    """Round 50 #9: 'WD pNET G3, Ki67 35% ... Liver + bone mets. Which line first - SSA, PRRT, or chemo?' got a
    'not in my sources' drug catalogue with no order; the plan orders them for this patient."""
    a = engine.ask(
        "WD pNET G3, Ki67 35%, morphology well differentiated per 2nd path opinion, FDG avid, SSTR uptake "
        "heterogeneous. Liver + bone mets. Which line first - SSA, PRRT, or chemo?"
    ).answer
    assert a.plan is not None and a.plan.sequence is not None
    assert "First: streptozocin + 5-FU" in a.summary


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        # round 57: a look-alike named as a case's differential is a suspected PNET's work-up, not a decline
        (
            "CT: 2.8cm hypervascular panc head mass, ?NET vs adenoCa, CA19-9 normal, no mets seen. what workup do we need before MDT?",
            "suspected",
        ),
        (
            "2.8cm hypervascular panc head mass, differential NET vs adenocarcinoma, CA19-9 pending, 64M, what workup?",
            "suspected",
        ),
        # the look-alike asked about is still outside the sources
        ("what is the difference between a PNET and pancreatic adenocarcinoma?", None),
        ("pancreatic adenocarcinoma 3 cm head, CA19-9 900, what chemo?", None),
        # code review session 12: a differential since settled by a biopsy is the look-alike, declined
        (
            "CT: 3cm panc head mass, ?NET vs adenoCa. EUS-FNA has now confirmed adenoCa, CA19-9 900, liver mets. what chemo?",
            None,
        ),
        # a case naming a drug outside the sources is no differential ("adjuvant everolimus or CAPTEM")
        (
            "s/p Whipple 03/2023, PNET G2 Ki67 14%, pT3 N1 (4/19), R0. NED on CT. adjuvant everolimus or CAPTEM given the N1?",
            "resected_ned",
        ),
    ],
)
def test_a_differential_in_a_case_is_planned(engine, text, phase):
    a = engine.ask(text).answer
    assert (a.plan.phase if a.plan else None) == phase, a.title
