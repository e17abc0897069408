"""Plan safety: the review's findings, each as a test that failed on the planner before whole-case rules,
and a property test that generates cases across every field and checks the invariants on every plan.

The invariants are asserted here directly from the plan's acts and the case, not only through the
checker (handlers/plan_check.py), so a bug in the checker cannot hide a bug in the planner.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import to_text
from handlers.branching import compatible, implies
from handlers.case import Case
from handlers.plan_check import CASE_DOMAINS
from handlers.planner import case_facts, planner_for
from knowledge import load

SURGERY = {"resection_primary", "pancreatoduodenectomy", "distal_pancreatectomy", "enucleation", "duodenotomy",
           "hepatectomy", "cytoreduction", "resect_recurrence", "liver_transplant", "splenectomy", "lymph_node_resection"}  # fmt: skip
PRIMARY_SURGERY = {"resection_primary", "pancreatoduodenectomy", "distal_pancreatectomy", "enucleation", "duodenotomy"}
SYSTEMIC = {"ssa", "octreotide", "lanreotide", "everolimus", "sunitinib", "prrt", "streptozocin_5fu"}
WORKUP = {"staging", "sstr_imaging", "confirm_syndrome"}
# what the sources give a metastatic NET of another gastroenteropancreatic primary: the lanreotide label, continuing an
# analogue, and ACR 2022's liver-directed alternatives (planner.yaml gep_* rules)
GEP_PRIMARIES = {"small_bowel", "stomach", "duodenum", "right_colon", "colon", "rectum", "appendix"}
GEP_ACTS = {"lanreotide", "ssa", "ssa_continue", "tae", "tace", "prrt"}
SYMPTOM_CONTROL = {"diazoxide"}  # glucose is secured in a suspected insulinoma before the diagnosis is made


def plan_of(engine, text):
    a = engine.ask(text, intent="treatment_plan").answer
    return a, set(a.plan.acts), set(a.plan.warnings), to_text(a)


# --- the review's findings ------------------------------------------------------------------------

FINDINGS = [
    # (case as typed, acts that must be in the plan, acts that must not, why)
    ("4 cm glucagonoma in the pancreatic head, localised, fit", {"pancreatoduodenectomy"}, {"distal_pancreatectomy"},
     "a head glucagonoma got both a Whipple and a distal pancreatectomy"),
    ("3 cm VIPoma of the pancreatic head, no metastases, ECOG 0", {"pancreatoduodenectomy"}, {"distal_pancreatectomy"},
     "a head VIPoma got both pancreatectomies"),
    ("insulinoma with multiple liver metastases, unresectable", {"diazoxide"}, PRIMARY_SURGERY | {"hepatectomy"},
     "an unresectable metastatic insulinoma was told to resect the primary regardless of size"),
    ("gastrinoma with liver and bone metastases, unresectable", {"ppi"}, {"duodenotomy"} | PRIMARY_SURGERY,
     "duodenotomy offered in unresectable metastatic disease"),
    ("G2 PNET with unresectable liver mets, progressed on everolimus", {"sunitinib"}, {"everolimus"},
     "everolimus offered again after progression on it"),
    ("unresectable liver mets from a tail PNET, progression on lanreotide", set(), {"lanreotide", "octreotide", "ssa"},
     "after progression on one SSA, SSA alone is not the next line"),
    ("G1 PNET, Ki-67 1%, unresectable, bone and liver metastases", set(), {"intensity_aggressive"} | SURGERY,
     "favourable prognosis fired on G1 alone and advised aggressive resection"),
    ("3 cm tail PNET, Ki-67 40%, localised, resectable, fit", {"resection_primary"}, {"streptozocin_5fu"},
     "a localised G3 tumour got streptozocin + 5-FU as if adjuvant"),
    ("frail 84F, ECOG 3, 3 cm head PNET, no metastases", set(), SURGERY | {"surveillance", "intensity_systemic"},
     "a frail localised case got 'favour systemic therapy' and post-resection surveillance without resection"),
    ("1.5 cm nonfunctioning tail PNET, node positive, no distant mets, fit", {"lymph_node_resection", "distal_pancreatectomy"},
     {"spleen_preserving", "enucleation"}, "the small-tumour advice fired for a node-positive tumour"),
    ("poorly differentiated neuroendocrine carcinoma of the pancreas, Ki-67 70%, liver mets, unresectable, DOTATATE avid",
     # the 2026-12-06 review: streptozocin + 5-FU is the sources' option for high-grade NETs, not a NEC regimen
     set(), {"lanreotide", "octreotide", "prrt", "streptozocin_5fu"}, "lanreotide offered to a G3 carcinoma as if CLARINET applied"),
    ("resected G3 PNET of the tail (distal pancreatectomy 2023), no residual disease", {"surveillance"},
     PRIMARY_SURGERY | SYSTEMIC, "a resected G3 case was told to operate again"),
    ("3.5 cm head PNET with obstructive jaundice, localised, fit", {"pancreatoduodenectomy"}, {"enucleation"},
     "a jaundiced head tumour was offered enucleation and no pancreatoduodenectomy"),
    ("4 cm head PNET, localised. Anaesthetics declined surgery.", set(), SURGERY | {"surveillance"},
     "'anaesthetics declined surgery' was not read as unfit"),
    ("raised chromogranin A, no diagnosis yet, CT awaited", set(), SURGERY | SYSTEMIC | {"surveillance"},
     "a patient with no diagnosis yet was given post-resection surveillance"),
    ("ileal NET with liver metastases", set(), SURGERY | (SYSTEMIC - GEP_ACTS) | {"surveillance"},
     "a small-bowel NET was given the pancreatic algorithm (the sources give it only the GEP-NET lanreotide label and "
     "ACR 2022's liver options)"),
    ("rectal NET 1.5 cm, no metastases", set(), SURGERY | SYSTEMIC | {"surveillance"},
     "a rectal NET was given the pancreatic algorithm"),
    ("5 cm body PNET, splenic vein encased, localised, fit", {"distal_pancreatectomy", "splenectomy"}, {"spleen_preserving"},
     "the splenic-vessel warning fired but the step still allowed spleen preservation"),
    # A second review, by a surgeon and an oncologist with fresh eyes (2026-11-23)
    ("pNET head 2.5cm G1, liver mets resected 2021 (R0 hepatectomy), primary still in situ, fit, resectable",
     {"pancreatoduodenectomy"}, set(), "a primary still in situ was read as resected"),
    ("sunitinib intolerant (HFSR grade 3, HTN), prior lanreotide PD, metastatic pNET liver-only unresectable, Ki67 15%",
     {"everolimus"}, {"sunitinib", "lanreotide", "streptozocin_5fu"}, "a side-effect grade was read as tumour grade"),
    ("pNET tail 3cm G2, 1 liver met 2cm seg 4, resectable on imaging, pt Child C liver disease, ascites",
     {"lanreotide"}, SURGERY, "Child C cirrhosis was not read as unfit, and every non-surgical option was withheld"),
    ("Metastatic PNET, liver bilobar >50% replaced, G2 Ki67 12%. Progressed on lanreotide 120 after 14mo, then everolimus stopped for pneumonitis.",
     {"sunitinib"}, {"hepatectomy", "liver_transplant", "everolimus", "lanreotide"}, "a liver >50% replaced was offered curative resection"),
    ("Prior Whipple 2019 for head PNET. Now new 2cm lesion in tail of remnant. G1. fit",
     {"resect_recurrence"}, {"pancreatoduodenectomy"}, "a new lesion in the remnant was ignored"),
    ("Metastatic pNET liver mets, not for surgery. Already on octreotide LAR 30mg q4w since 2021, stable on imaging.",
     {"ssa_continue"}, {"everolimus", "sunitinib", "lanreotide", "octreotide"} | SURGERY, "the current drug was offered as a new first line, and targeted therapy in stable disease"),
    ("G2 pNET liver mets, progressed on everolimus AND sunitinib AND lanreotide, SSTR neg, unresectable",
     {"streptozocin_5fu"}, {"prrt", "everolimus", "sunitinib", "lanreotide", "sstr_imaging"}, "'SSTR neg' was ignored and chemotherapy withheld after every other line"),
    ("62F, 3 cm tail PNET G2, no mets, fit, AF on apixaban", {"distal_pancreatectomy"}, set(),
     "a medication list declined the whole case"),
    ("s/p distal panc 2 months ago for 2.5cm G2 pNET tail Ki67 15%, 2/14 LN+. any adjuvant? streptozocin/5FU?",
     {"surveillance"}, {"resect_recurrence", "streptozocin_5fu"} | PRIMARY_SURGERY, "nodes at resection were read as a recurrence"),
    ("PNET tail 3cm, 3 liver mets, G2, resectable, fit", {"distal_pancreatectomy", "splenectomy"}, {"spleen_preserving"},
     "spleen preservation was left open in metastatic disease"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "present", "absent", "why"), FINDINGS, ids=[f[3][:50] for f in FINDINGS])
def test_review_finding_fixed(engine, text, present, absent, why):
    a, acts, _, _ = plan_of(engine, text)
    assert present <= acts, f"{why}: missing {present - acts}"
    assert not acts & absent, f"{why}: still offers {acts & absent}"
    assert not a.plan.removed, a.plan.removed


def test_grade_3_toxicity_is_not_tumour_grade(engine):
    case = engine.case_parser.parse("PNET Ki-67 8%, liver mets, everolimus stopped for grade 3 pneumonitis")
    assert case.grade == "G2"
    assert [(t.drug, t.outcome) for t in case.treatments] == [("everolimus", "stopped_toxicity")]


def test_octreoscan_is_named_for_insulinoma(engine):
    # receptor status unknown: no analogue at all; receptor-positive on PET: allowed, with the source's caution
    _, acts, warns, text = plan_of(engine, "metastatic insulinoma, unresectable liver mets, G2")
    assert "warn_octreotide_insulinoma" in warns and "Octreoscan" in text
    assert not acts & {"octreotide", "lanreotide", "ssa"}
    _, acts, warns, text = plan_of(engine, "metastatic insulinoma, DOTATATE avid, unresectable liver mets, G2")
    assert "warn_octreotide_insulinoma" not in warns and "warn_octreoscan_test" in warns
    assert "fatal hypoglycaemia" in text and "lanreotide" in acts
    _, acts, warns, _ = plan_of(engine, "metastatic insulinoma, Octreoscan negative, DOTATATE faintly avid, liver mets")
    assert "warn_octreotide_insulinoma" in warns and not acts & {"octreotide", "lanreotide", "ssa", "prrt"}
    _, acts, warns, _ = plan_of(engine, "metastatic insulinoma, Octreoscan positive, unresectable liver mets, G2")
    assert "warn_octreotide_insulinoma" not in warns and "lanreotide" in acts


def test_cytoreduction_cites_the_source_with_the_threshold(engine):
    a = engine.ask("tail PNET G2 with liver mets, resectable", intent="treatment_plan").answer
    # the step itself, in the details (the main message's branch line cites the union of its steps' sources)
    items = [i for s in a.sections if s.detail for i in s.items if "cytoreduct" in i.text.lower()]
    assert items and all(i.sources == ["A002.R2"] for i in items)  # 002's reference 2 gives the 70% threshold
    line = next(i for s in a.sections if not s.detail for i in s.items if "cytoreduct" in i.text.lower())
    assert "A002.R2" in line.sources


def test_survival_figures_say_whose_they_are_and_disagreements_show_side_by_side(engine):
    a = engine.ask("2 cm tail PNET, localised, G1, fit", intent="treatment_plan").answer
    prog = next(s for s in a.sections if s.title.startswith("Prognosis"))
    texts = [i.text for i in prog.items]
    assert any("77.1%" in t for t in texts) and any("60-100%" in t for t in texts)
    assert all(i.detail and i.detail.startswith("Whose figure:") for i in prog.items)
    assert "different cohorts" in prog.title
    a = engine.ask("tail PNET with liver-only metastases, resectable", intent="treatment_plan").answer
    prog = next(s for s in a.sections if s.title.startswith("Prognosis"))
    texts = " ".join(i.text for i in prog.items)
    assert "25.5%" in texts and "41-100%" in texts


def test_tace_figures_from_both_sources_in_the_plan(engine):
    _, _, _, text = plan_of(engine, "unresectable liver metastases from a G2 tail PNET")
    assert "70-100%" in text and "60-95%" in text


def test_unknown_resectability_branches_and_asks(engine):
    a, acts, _, _ = plan_of(engine, "4 cm tail PNET G2 with 3 liver metastases, fit")
    assert "ask_resectability" in a.plan.asks
    assert "resectable" in a.plan.branches and "unresectable" in a.plan.branches
    assert {"hepatectomy", "lanreotide"} <= acts  # each in its own branch
    titles = [s.title for s in a.sections]
    assert "If resectable" in titles and "If unresectable" in titles


def test_unknown_fitness_and_grade_are_asked(engine):
    a, _, _, _ = plan_of(engine, "3 cm body PNET, localised")
    assert {"ask_fitness", "ask_grade"} <= set(a.plan.asks)


@pytest.mark.parametrize(
    ("history", "step", "stale"),
    [
        ("progressed on lanreotide and then on everolimus", "1. PRRT with lutetium-177 dotatate", "Or, on progression"),
        ("could not tolerate lanreotide", "1. Octreotide LAR", "Or: octreotide"),
    ],
)
def test_an_alternative_whose_first_choice_is_held_back_is_not_called_an_alternative(engine, history, step, stale):
    case = f"5 cm head NF-PNET, Ki-67 15%, liver mets, unresectable, DOTATATE positive, {history}"
    text = to_text(engine.ask(case, intent="treatment_plan").answer)
    assert step in text and stale not in text


def test_held_back_steps_say_why(engine):
    a = engine.ask("PNET, G2, liver mets unresectable, progressed on lanreotide", intent="treatment_plan").answer
    held = next(s for s in a.sections if s.title == "Not offered, and why")
    assert any(
        i.text.startswith("Progressed on a somatostatin analogue") and "Lanreotide" in i.text for i in held.items
    )
    assert any(
        i.text.startswith("The disease is unresectable") and "resection of the primary tumour" in i.text
        for i in held.items
    )


def test_the_checker_removes_contradictions_and_says_so(engine, knowledge):
    """Break the knowledge on purpose: the checker catches it and the user gets the safe part."""
    from handlers.planner import Planner

    planner = Planner(knowledge)
    planner.exclusive = planner.exclusive | {frozenset(("pancreatoduodenectomy", "lymph_node_resection"))}
    case = engine.case_parser.parse("3 cm head PNET, localised, fit, G2")
    draft = planner.draft(case)
    assert any(p.invariant == "exclusive" for p in draft.problems)
    kept = set().union(*(s.acts for s in draft.steps))
    assert "pancreatoduodenectomy" not in kept and "lymph_node_resection" not in kept


# --- property: every generated case gets a consistent plan ----------------------------------------

cases = st.fixed_dictionaries({f: st.sampled_from(values) for f, values in CASE_DOMAINS.items()}).map(
    Case.model_validate
)


_KNOWLEDGE = []


def _planner():
    if not _KNOWLEDGE:  # not a fixture: hypothesis would print the whole knowledge with every failure
        _KNOWLEDGE.append(load())
    return planner_for(_KNOWLEDGE[0]), _KNOWLEDGE[0]


@settings(max_examples=int(__import__("os").environ.get("PLAN_EXAMPLES", "600")), deadline=None)
@given(case=cases)
def test_every_plan_is_consistent(case):
    planner, knowledge = _planner()
    d = planner.draft(case)
    assert d.problems == [], d.problems  # the checker finds nothing to remove
    facts = case_facts(case, knowledge)
    failed = set(facts["failed"])
    for s in d.steps:
        acts = s.acts | s.options
        if case.fit_for_surgery is False:
            assert not acts & SURGERY, (s.text, "surgery for an unfit patient")
        if case.resectable is False:
            assert not acts & (PRIMARY_SURGERY | {"hepatectomy", "cytoreduction", "resect_recurrence"}), s.text
        if facts["primary_resected"]:
            assert not acts & PRIMARY_SURGERY, (s.text, "the primary is already resected")
        if facts["pancreatic"] is False or case.diagnosis_pending:
            gep = (
                case.primary in GEP_PRIMARIES
                and facts["metastatic"]
                and case.differentiation != "poor"
                and not case.diagnosis_pending
            )
            assert acts <= WORKUP | SYMPTOM_CONTROL | (GEP_ACTS if gep else set()), (
                s.text,
                "out of the pancreatic scope",
            )
        assert not {planner.acts[a].drug or a for a in acts if "not_failed" in planner.acts[a].requires} & failed, (
            s.text
        )
        if facts["metastatic"] is False and case.resectable is not False and not facts["recurrence"]:
            assert not acts & SYSTEMIC, (s.text, "no adjuvant systemic therapy in the sources")
        if "surveillance" in acts and not facts["primary_resected"]:
            resections = [o.cond for o in d.steps if "resection_primary" in o.acts | o.options]
            assert resections and any(compatible(s.cond, r) for r in resections), "surveillance without a resection"
        for other in d.steps:
            if other is not s and compatible(s.cond, other.cond) and not (s.options or other.options):
                pairs = {frozenset((x, y)) for x in s.acts for y in other.acts}
                assert not pairs & planner.exclusive, (s.text, other.text)
    for w in d.warnings:
        for s in d.steps:
            if compatible(w.cond, s.cond):
                assert not set(w.warning.forbids) & (s.acts | s.options), (w.warning.id, s.text)
    for s in d.steps:  # every step's requirements are implied by where it is shown
        for act in s.acts:
            for req in planner.act_requirements(act):
                if req.id != "not_failed":
                    assert implies(s.cond, d.logic.eval(req.when), d.logic), (act, req.why)


def test_validate_sweeps_the_planner_and_names_an_inconsistency(tmp_path, capsys):
    """A rule edited carelessly (the glucagonoma operation without its body/tail scope) fails validate."""
    import shutil

    import yaml

    from bot.cli import main
    from knowledge.loader import DATA_DIR

    d = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, d)
    data = yaml.safe_load((d / "planner.yaml").read_text())
    rule = next(r for r in data["rules"] if r["id"] == "glucagonoma_vipoma_bodytail")
    rule["applies"] = {"subtype": {"in": ["glucagonoma", "vipoma"]}}
    (d / "planner.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert main(["validate", str(d)]) == 1
    err = capsys.readouterr().err
    assert (
        "exclusive: distal_pancreatectomy and pancreatoduodenectomy" in err
        or "exclusive: pancreatoduodenectomy and distal_pancreatectomy" in err
    )
    assert "glucagonoma_vipoma_bodytail" in err


# --- imprecise findings: whose figure, which source, which colon ----------------------------------


def test_every_survival_figure_says_whose_it_is(engine):
    import re

    figure = re.compile(r"(survival|OS)\b.*\d(%| months)")
    for q in ("survival with bone mets", "5 year survival localised pnet", "survival pnet liver only mets"):
        for s in engine.ask(q).answer.sections:
            if any(i.text.startswith("Whose figures:") for i in s.items):
                continue
            for n, i in enumerate(s.items):  # a figure's cohort is under it or under the pattern's last figure
                if figure.search(i.text):
                    assert any((j.detail or "").startswith("Whose figure") for j in s.items[n : n + 2]), (q, i.text)


def test_disagreeing_survival_figures_are_shown_side_by_side(engine):
    text = to_text(engine.ask("survival with no metastases").answer)
    assert "77.1%" in text and "60-100%" in text and "another cohort" in text


def test_pending_review_is_said(engine):
    a = engine.ask("insulinoma metastatic rate").answer
    assert "pending human review" in a.disclaimer


def test_sigmoid_is_not_right_colon_and_jejunum_is_not_given_the_ileal_liver_figure(engine):
    text = to_text(engine.ask("sigmoid colon NET: how often nodes and liver mets?").answer)
    assert "no nodal or liver figures" in text.split("\n")[1]
    line = to_text(engine.ask("jejunal NET metastatic pattern").answer).split("\n")[1]
    assert "30% (given for ileal NETs only" in line
