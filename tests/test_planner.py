"""Vignettes: a described case -> parsed fields, the rules that fire (steps) and the warnings."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import to_blocks, to_text

# (case text, expected parsed fields, rules that must fire, rules that must not, warning phrases)
VIGNETTES = [
    (
        "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid",
        {
            "size_cm": 4.2,
            "location": "tail",
            "ki67": 8,
            "grade": "G2",
            "metastases": ["liver"],
            "sstr": "positive",
            "metastatic": True,
        },
        [
            "resectable_liver_metastases",
            "ssa_first_line",
            "prrt_sstr_positive",
            "liver_directed",
            "surveillance_metastatic",
        ],
        ["bodytail_distal_pancreatectomy", "localized_resection", "chemo_high_grade"],
        [],
    ),
    (
        "1.5 cm nonfunctional PNET in the tail, Ki67 2%, no mets",
        {"size_cm": 1.5, "subtype": "nonfunctioning", "functional": False, "grade": "G1", "metastatic": False},
        ["localized_resection", "small_nonfunctional", "surveillance_after_resection", "favourable_prognosis"],
        ["large_or_malignant", "ssa_first_line"],
        ["7-26%"],
    ),
    (
        "18 mm body PNET, Ki-67 2%, no lymphadenopathy, liver clear",
        {"size_cm": 1.8, "location": "body", "metastases": [], "metastases_ruled_out": ["liver", "lymph_nodes"]},
        ["small_nonfunctional"],
        ["ssa_first_line"],
        [],
    ),
    (
        "PNET 25 x 18 mm in the head, G2, localized",
        {"size_cm": 2.5, "location": "head", "grade": "G2", "grade_basis": "stated", "metastatic": False},
        ["head_pancreatoduodenectomy", "large_or_malignant"],
        ["bodytail_distal_pancreatectomy", "splenectomy_vaccination"],
        [],
    ),
    (
        "3 cm uncinate NET, no distant metastases, resectable",
        {"size_cm": 3.0, "location": "uncinate", "resectable": True, "metastatic": False},
        ["head_pancreatoduodenectomy"],
        [],
        [],
    ),
    (
        "5.1 cm body PNET, no metastases, splenic vein encased",
        {"size_cm": 5.1, "location": "body", "splenic_vessel_involvement": True},
        ["bodytail_distal_pancreatectomy", "splenectomy_vaccination", "splenic_vessel_involvement"],
        [],
        ["do not perform spleen preservation", "trivalent vaccination"],
    ),
    (
        "2.2 cm tail PNET, splenic vessels not involved, localised",
        {"splenic_vessel_involvement": False},
        ["bodytail_distal_pancreatectomy"],
        ["splenic_vessel_involvement"],
        [],
    ),
    (
        "45F insulinoma 1.2 cm head, hypoglycaemia, no mets",
        {"subtype": "insulinoma", "functional": True, "size_cm": 1.2, "location": "head"},
        ["insulinoma", "localized_resection"],
        ["head_pancreatoduodenectomy", "small_nonfunctional"],
        ["never use octreotide"],
    ),
    (
        "insulinoma with liver metastases, octreoscan negative",
        {"subtype": "insulinoma", "sstr": "negative", "metastases": ["liver"]},
        ["insulinoma", "ssa_insulinoma_caution", "prrt_sstr_negative"],
        ["ssa_first_line", "prrt_sstr_positive"],
        ["not a safe default"],
    ),
    (
        "metastatic insulinoma, octreoscan positive, unresectable liver mets",
        {"subtype": "insulinoma", "sstr": "positive", "resectable": False},
        ["ssa_first_line", "prrt_sstr_positive"],
        ["ssa_insulinoma_caution"],
        [],
    ),
    (
        "Zollinger-Ellison, 1.8 cm duodenal gastrinoma with nodal mets",
        {"subtype": "gastrinoma", "location": "duodenum", "metastases": ["lymph_nodes"]},
        ["gastrinoma"],
        ["ssa_first_line"],
        [],
    ),
    (
        "gastrinoma 2 cm pancreatic head, no distant mets",
        {"subtype": "gastrinoma", "location": "head", "size_cm": 2.0},
        ["gastrinoma"],
        ["head_pancreatoduodenectomy"],
        [],
    ),
    (
        "glucagonoma 6 cm tail, weight loss, necrolytic rash",
        {"subtype": "glucagonoma", "size_cm": 6.0, "location": "tail"},
        ["glucagonoma_vipoma", "glucagonoma_nutrition", "splenectomy_vaccination"],
        ["bodytail_distal_pancreatectomy"],
        ["trivalent vaccination"],
    ),
    ("glucaganoma 4cm body", {"subtype": "glucagonoma", "size_cm": 4.0}, ["glucagonoma_vipoma"], [], []),
    (
        "VIPoma 3.5 cm tail, severe watery diarrhoea",
        {"subtype": "vipoma", "functional": True},
        ["glucagonoma_vipoma", "glucagonoma_vipoma_symptoms", "splenectomy_vaccination"],
        ["glucagonoma_nutrition"],
        [],
    ),
    (
        "ectopic ACTHoma with liver and bone mets",
        {"subtype": "acthoma", "metastases": ["liver", "bone"]},
        ["acthoma_silent", "ssa_first_line"],
        ["resectable_liver_metastases"],
        ["no subtype-specific management"],
    ),
    ("MEN1 patient, multiple PNETs, dominant 2.8 cm body lesion", {"men1": True, "size_cm": 2.8}, ["men1"], [], []),
    ("sporadic 2.1 cm tail PNET, MEN1 negative", {"men1": False}, [], ["men1"], []),
    (
        "72 yo man, unresectable PNET with bone and liver mets, progressing on lanreotide, octreoscan positive",
        {
            "resectable": False,
            "metastases": ["liver", "bone"],
            "progression": True,
            "progressing_on": ["lanreotide"],
            "prior_therapies": ["lanreotide"],
            "sstr": "positive",
        },
        ["progressing_on_ssa", "progression_targeted", "prrt_sstr_positive", "cytoreduction_widespread"],
        ["ssa_first_line", "liver_transplant"],
        ["Progressing on a somatostatin analogue"],
    ),
    (
        "PNET, Ki-67 35%, multiple liver lesions, unresectable",
        {"ki67": 35, "grade": "G3", "resectable": False},
        ["chemo_high_grade", "poor_prognosis", "liver_transplant", "liver_directed"],
        ["favourable_prognosis"],
        [],
    ),
    (
        "Ki-67 12% but 25 mitoses/10 HPF, 3 cm head PNET",
        {"ki67": 12, "mitoses": 25, "grade": "G3", "grade_basis": "mitoses"},
        ["chemo_high_grade"],
        [],
        [],
    ),
    ("G1 PNET Ki67 <1%, 1.1 cm tail", {"ki67": 1, "grade": "G1"}, ["favourable_prognosis"], [], []),
    ("Ki-67 >20% pancreatic NET with liver mets", {"ki67": 20, "grade": "G3"}, ["chemo_high_grade"], [], []),
    ("Ki-67 20% pancreatic NET, 3 cm tail", {"grade": "G2"}, [], ["chemo_high_grade"], []),
    (
        "pancreatic NET 4 cm, liver metastases, hepatic burden 40%",
        {"hepatic_burden_pct": 40},
        ["poor_prognosis"],
        [],
        [],
    ),
    (
        "PNET with liver mets, <25% liver involvement, G1",
        {"grade": "G1"},
        ["favourable_prognosis"],
        ["poor_prognosis"],
        [],
    ),
    (
        "rapidly progressing PNET with liver mets despite everolimus",
        {"progression": True, "rapid_progression": True, "progressing_on": ["everolimus"]},
        ["chemo_high_grade", "ssa_first_line"],
        [],
        [],
    ),
    (
        "stable disease on octreotide, liver mets, SSTR positive",
        {"progression": False, "prior_therapies": ["octreotide"]},
        ["prrt_sstr_positive"],
        ["progressing_on_ssa"],
        [],
    ),
    (
        "frail 85 year old, ECOG 3, 3 cm PNET head, no mets",
        {"fit_for_surgery": False},
        ["unfit_for_surgery", "poor_prognosis"],
        ["localized_resection", "head_pancreatoduodenectomy"],
        ["Not fit for surgery"],
    ),
    (
        "fit for surgery, ECOG 0, 2.5 cm body PNET, localized",
        {"fit_for_surgery": True},
        ["localized_resection"],
        ["unfit_for_surgery"],
        [],
    ),
    (
        "Liver lesions ruled out. Bone scan negative. 2.4 cm tail PNET",
        {"metastases": [], "metastases_ruled_out": ["liver", "bone"]},
        [],
        ["ssa_first_line"],
        [],
    ),
    (
        "no liver mets, lung nodule suspicious for metastasis, PNET 3 cm",
        {"metastases": ["lung"], "metastases_ruled_out": ["liver"], "metastatic": True},
        ["ssa_first_line"],
        ["resectable_liver_metastases", "liver_directed"],
        [],
    ),
    (
        "PNET tail 35mm with peritoneal metastases",
        {"size_cm": 3.5, "metastases": ["peritoneum"]},
        ["ssa_first_line"],
        [],
        [],
    ),
    ("3 cm tail PNET with brain metastasis", {"metastases": ["brain"]}, ["ssa_first_line"], [], []),
    (
        "liver only metastases, unresectable, G2, SSTR negative",
        {"metastases": ["liver"], "resectable": False, "sstr": "negative"},
        ["liver_transplant", "liver_directed", "prrt_sstr_negative"],
        ["prrt_sstr_positive"],
        [],
    ),
    (
        "resectable tail PNET with 3 liver metastases, G2",
        {"resectable": True},
        ["resectable_liver_metastases", "bodytail_distal_pancreatectomy", "splenectomy_vaccination"],
        ["ssa_first_line", "liver_directed"],
        [],
    ),
    (
        "Management of metastatic neuroendocrine tumor of pancreas",
        {"metastatic": True},
        ["ssa_first_line", "progression_targeted", "sstr_imaging_for_metastatic", "liver_directed"],
        [],
        [],
    ),
    ("how to treat a 1 cm pancreatic NET", {"size_cm": 1.0}, ["staging_incomplete", "small_nonfunctional"], [], []),
    ("8 mm PNET incidentally found", {"size_cm": 0.8}, ["small_nonfunctional", "staging_incomplete"], [], []),
    (
        "PNET 2x1.5 cm body, Ki67 4%, mitoses 1/10HPF",
        {"size_cm": 2.0, "ki67": 4, "mitoses": 1, "grade": "G2", "grade_basis": "Ki-67"},
        [],
        [],
        [],
    ),
    (
        "Tumour board:\n67M\nPancreatic tail NET 3.8 cm\nKi-67 6%\nDOTATATE PET: avid primary, 5 liver lesions, no bone disease\nLiver burden ~15%\nDiscuss",
        {
            "size_cm": 3.8,
            "ki67": 6,
            "grade": "G2",
            "metastases": ["liver"],
            "metastases_ruled_out": ["bone"],
            "sstr": "positive",
            "hepatic_burden_pct": 15,
        },
        ["resectable_liver_metastases", "prrt_sstr_positive"],
        ["poor_prognosis"],
        [],
    ),
    (
        "*Case*: 50F, 4 cm head PNET &amp; liver mets, Ki-67 &lt;3%",
        {"size_cm": 4.0, "location": "head", "ki67": 3, "grade": "G1", "metastases": ["liver"]},
        ["resectable_liver_metastases"],
        [],
        [],
    ),
    (
        "<@U0BOT> plan 2.5 cm tail PNET node positive N1",
        {"metastases": ["lymph_nodes"]},
        ["bodytail_distal_pancreatectomy"],
        ["ssa_first_line"],
        [],
    ),
    (
        "PNET with positive nodes and liver mets, unresectable, 60% hepatic replacement",
        {"hepatic_burden_pct": 60, "metastases": ["liver", "lymph_nodes"]},
        ["poor_prognosis", "liver_directed"],
        [],
        [],
    ),
    (
        "nonfunctioning PNET 1.2 cm, tail, Ki-67 1%, splenic artery abutting",
        {"splenic_vessel_involvement": True},
        ["small_nonfunctional", "splenic_vessel_involvement"],
        [],
        ["do not perform spleen preservation"],
    ),
]


@pytest.mark.parametrize(("text", "fields", "fire", "quiet", "warns"), VIGNETTES, ids=[v[0][:45] for v in VIGNETTES])
def test_vignette(engine, text, fields, fire, quiet, warns):
    case = engine.router.route(text).case  # through the real pipeline: Slack markup is cleaned first
    for key, value in fields.items():
        assert getattr(case, key) == value, f"{key}: {getattr(case, key)!r} != {value!r}"
    result = engine.ask(text)
    assert result.query.intent == "treatment_plan", result.query.scores
    a = result.answer
    for rule in fire:
        assert rule in a.rules_fired, f"{rule} did not fire: {a.rules_fired}"
    for rule in quiet:
        assert rule not in a.rules_fired, f"{rule} fired"
    text_out = to_text(a)
    for phrase in warns:
        assert phrase in text_out
    assert "Discuss this plan at the multidisciplinary tumour board" in text_out
    # every plan step cites at least one source
    steps = next((s for s in a.sections if s.title == "Plan"), None)
    if steps:
        assert all(item.sources for item in steps.items)


def test_enough_vignettes():
    assert len(VIGNETTES) >= 40


def test_missing_information_is_explained(engine):
    a = engine.ask("plan for a PNET with liver mets").answer
    missing = next(s for s in a.sections if s.title.startswith("Missing")).items
    texts = " ".join(i.text for i in missing)
    assert "Ki-67 and mitoses not given: grade unknown. If G3" in texts
    assert "SSTR status not given" in texts and "Resectability not given" in texts


def test_critical_warnings_first_and_prognosis_labelled(engine):
    a = engine.ask("glucagonoma 6 cm tail, liver only metastases, resectable").answer
    assert a.sorted_warnings()[0].severity == "critical"
    prog = next(s for s in a.sections if s.title.startswith("Prognosis"))
    assert "not a prediction" in prog.title
    assert any("25.5%" in i.text for i in prog.items)


def test_age_and_sex_never_stored(engine):
    d = engine.case_parser.parse("58F, 4.2 cm tail PNET").model_dump()
    assert "58" not in str(d.values()) and "age" not in d and "sex" not in d


def test_general_question_gets_the_algorithm(engine):
    a = engine.ask("treatment algorithm for pancreatic NETs").answer
    assert a.title == "Treatment algorithm for pancreatic NETs"
    assert any(s.title == "For a plan tailored to a patient" for s in a.sections)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parser_and_planner_never_raise_and_are_deterministic(engine, text):
    first = engine.ask(text)
    second = engine.ask(text)
    assert to_text(first.answer) == to_text(second.answer)
    assert to_blocks(first.answer) == to_blocks(second.answer)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "PNET",
                "4.2 cm",
                "12 mm",
                "tail",
                "head",
                "Ki-67 8%",
                "Ki-67 >20%",
                "no",
                "liver mets",
                "bone",
                "not",
                "unresectable",
                "resectable",
                "DOTATATE-avid",
                "octreoscan negative",
                "MEN1",
                "progressing on lanreotide",
                "insulinoma",
                "glucagonoma",
                "splenic vein involved",
                "ECOG 3",
                ",",
                ".",
                "\n",
                "ruled out",
                "mitoses 30/10 HPF",
            ]
        ),
        max_size=25,
    )
)
def test_case_like_text_never_raises(engine, words):
    text = " ".join(words)
    result = engine.ask(text)
    assert result.answer.title
