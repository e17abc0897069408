"""Questions answered as asked (issue 19): the first line answers the aspect asked, names what the sources
lack, and declines what is outside them. Each class is asked in more than one wording, through the engine."""

from __future__ import annotations

import pytest

from bot.render import to_text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("what is a PNET? the doctor used that word and I didn't want to ask", "Pancreatic neuroendocrine tumours"),
        (
            "My husband has a PNET on his pancreas, they called it an islet cell tumour?? what is that and is it cancer",
            "Pancreatic neuroendocrine tumours",
        ),
        (
            "What is a PNET? My gran had an islet cell tumour, is it the same thing? Is this pancreatic cancer?",
            "Pancreatic neuroendocrine tumours",
        ),
        ("what is an insulinoma? the consultant mentioned it on the ward round", "Insulinoma"),
    ],
)
def test_an_overview_asked_beside_context_is_an_overview(engine, text, title):
    a = engine.ask(text).answer
    assert a.intent == "overview" and not a.declined and a.title.startswith(title)


@pytest.mark.parametrize(
    "text",
    [
        "they can't find where my brother's neuroendocrine cancer started. does that make it worse?",
        "primary not known NET, is the outlook worse?",
    ],
)
def test_unknown_primary_worse_is_its_survival(engine, text):
    a = engine.ask(text).answer
    assert "11 months" in a.summary and "19 months" in a.summary


def test_a_subtype_rate_never_shows_a_neighbours_figure(engine):
    for text, own, other in [
        ("VIPoma met rate", "40-70%", "50-80%"),
        ("glucaganoma chances of spread", "50-80%", "40-70%"),
    ]:
        body = to_text(engine.ask(text).answer)
        assert own in body and other not in body, text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("CAPTEM vs STZ/5-FU for progressive G2 pNET, which do they prefer?", "captem"),
        ("i have a grade 2 pancreatic NET with spots on my liver, is it safe for me to go on mounjaro?", "mounjaro"),
        ("telotristat for carcinoid syndrome diarrhoea on SSA - dose?", "telotristat"),
    ],
)
def test_a_drug_the_sources_lack_is_named_first_when_asked(engine, text, said):
    a = engine.ask(text).answer
    assert a.summary.startswith("My sources do not cover") and said in a.summary.split(":")[0]
    assert said in a.not_covered


def test_a_drug_mentioned_in_passing_is_only_noted(engine):
    a = engine.ask("72M PNET tail 3 cm, Ki-67 4%, AF on apixaban, plan?").answer
    assert a.summary.startswith("Phase:") and any("apixaban" in w.text for w in a.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "how often should a PICC line be flushed when not in use?",
        "can you recommend a good NET specialist in Leeds for a second opinion?",
        "What's the IM glucagon dose for severe hypoglycaemia in a type 1 diabetic?",
        # blind set 38: reflux got the capabilities menu and coeliac the surveillance page
        "what foods help with acid reflux",
        "practice nurse q: best first-line blood test for suspected coeliac in adults?",
    ],
)
def test_outside_the_articles_is_declined(engine, text):
    result = engine.ask(text)
    assert result.answer.declined and result.query.confidence >= 90


@pytest.mark.parametrize(
    ("text", "gap"),
    [
        ("What is the gastrinoma triangle and what are its boundaries?", "gastrinoma triangle"),
        ("how long should a patient avoid close contact after Lu-177? radiation precautions?", "radiation"),
        ("my wife has a pancreatic NET, is there a gene test for our kids?", "genetic testing"),
        ("NETTER-1 PFS with Lu-177?", "NETTER-1"),
        ("usual diazoxide dose for insulinoma pre op?", "dose or schedule"),
    ],
)
def test_a_gap_is_said_on_the_first_line(engine, text, gap):
    a = engine.ask(text).answer
    assert not a.declined and any(gap in n for n in a.not_covered), a.not_covered
    assert "do not cover" in a.summary or "give no" in a.summary


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("my husband's PNET spread and the dr said everolimus next. what kind of drug is that, is it chemo?", "mTOR"),
        ("what is streptozocin?? the oncologist mentioned it with 5FU", "Cytotoxic chemotherapy"),
        ("is the monthly injection chemo?", "Somatostatin analogue"),
        ("is streptozocin still used for pnets? what's it given with?", "5-fluorouracil"),
        ("pt with met pnet asks how long everolimus or sunitinib usually works before it stops working", "11.4"),
    ],
)
def test_a_drug_question_leads_with_the_aspect_asked(engine, text, lead):
    a = engine.ask(text).answer
    assert lead in a.summary


@pytest.mark.parametrize(
    "text", ["is a pancreatic neuroendocrine tumour curable?", "islet cell tumour in her pancreas. can it be cured??"]
)
def test_cure_is_answered_with_resection_and_its_survival(engine, text):
    a = engine.ask(text).answer
    assert "only potential for cure" in a.summary and "60-100%" in a.summary


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("the tumour is 4cm in the head of his pancreas. what operation will they do", "Whipple"),
        ("What operation is done for a pNET in the head of the pancreas?", "Whipple"),
        ("Surgical approach for a 1.5 cm non-functional PNET in the pancreatic tail?", "spleen-preserving"),
        ("incidental 1.5cm NF-pNET in tail. LN risk? enucleate or formal resection w nodes?", "7-26%"),
        ("does a 9 mm insulinoma need surgery?", "regardless of size"),
    ],
)
def test_which_operation_leads_with_the_operations(engine, text, lead):
    assert lead in engine.ask(text).answer.summary


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("GEP NETs by primary - highest nodal met rate? and the lowest?", "Appendix has the lowest"),
        ("Which NET primary site has the most favourable metastatic profile?", "Appendix"),
        ("which pNET subtype spreads the most? where do NF-pNETs sit?", "Ectopic ACTHoma"),
        ("pNET mets pattern vs OS - bone v lung v multi-organ, 5y figures?", "42.7%"),
        ("Liver Tx for unresectable liver-only pNET mets - 5y OS?", "69-97.2%"),
        ("met PNET - what proportion of tumour burden must be resectable to justify debulking?", "70%"),
    ],
)
def test_a_superlative_or_a_figure_asked_is_the_first_line(engine, text, lead):
    assert lead in engine.ask(text).answer.summary


def test_a_patient_on_a_drug_is_still_planned(engine):
    a = engine.ask("Pt in 3rd year of lanreotide 120mg q4w, SD on last 2 CTs. Now RUQ pain after fatty meals").answer
    assert a.intent == "treatment_plan"


@pytest.mark.parametrize(
    "text",
    [
        "my mum has a pancreatic NET, can it be cured?",
        "can they cure an islet cell tumour?",
        "is there a cure for pancreatic neuroendocrine tumours",
        "my brother's neuroendocrine tumour in the pancreas - will he be cured?",
        "can surgery cure a PNET?",
    ],
)
def test_can_it_be_cured_leads_with_what_the_sources_say_about_cure(engine, text):
    a = engine.ask(text).answer
    assert not a.declined and "only potential for cure" in a.summary


def test_cure_with_liver_metastases_leads_with_their_resection_with_curative_intent(engine):
    summary = engine.ask("is there any cure once it has spread to the liver?").answer.summary
    assert "only potential for cure" in summary and "10-year OS 50.4%" in summary


@pytest.mark.parametrize(
    "text",
    [
        "his PNET has gone to the bones. is that worse than liver mets?",
        "pNET with bone mets vs liver mets - which is better?",
        "PNET with liver and bone mets - is bone worse?",
    ],
)
def test_one_spread_set_against_another_leads_with_both_survival_figures(engine, text):
    summary = engine.ask(text).answer.summary
    assert all(s in summary for s in ("56 months", "42.7%", "24 months", "25.5%")), summary


@pytest.mark.parametrize(
    "text",
    [
        "on octreotide LAR for metastatic PNET, what tumour marker should be followed?",
        "which blood test do they use to keep an eye on a NET?",
        "pt on everolimus for met pNET, which marker do we track?",
    ],
)
def test_the_marker_followed_is_chromogranin_a(engine, text):
    assert "chromogranin A" in engine.ask(text).answer.summary


@pytest.mark.parametrize(
    "text",
    [
        "are pancreatic NETs always fast growing?",
        "my dad's PNET has spread but he's well - can these be slow growing for years?",
        "how quickly does a PNET grow?",
    ],
)
def test_how_fast_it_grows_leads_with_the_indolent_course_and_its_caveat(engine, text):
    summary = engine.ask(text).answer.summary
    assert "indolent for years" in summary and "Do not assume" in summary


@pytest.mark.parametrize(
    "text",
    [
        "my sister's pancreatic NET is only in the pancreas for now. how likely is it to spread in the future?",
        "PNET not spread yet - what are the odds it does later on?",
        "what's the risk a localised pNET will metastasise later?",
    ],
)
def test_the_chance_of_spreading_later_is_the_lifetime_figure(engine, text):
    assert "85%" in engine.ask(text).answer.summary


@pytest.mark.parametrize(
    ("text", "gap"),
    [
        ("where is lanreotide injected - buttock or thigh?", "the injection site"),
        ("can sandostatin LAR be given in the upper arm?", "the injection site"),
        ("how many sessions of PRRT does a patient get?", "no dose or schedule figure"),
        ("what's the reference range for chromogranin A?", "reference ranges"),
        ("what is a normal chromogranin level?", "reference ranges"),
        ("whipples triad in insulinoma?", "Whipple's triad"),
    ],
)
def test_a_silent_aspect_is_named_on_the_first_line(engine, text, gap):
    a = engine.ask(text).answer
    assert a.not_covered and not a.declined and gap in a.title + " " + a.summary, (a.title, a.summary)


def test_whipples_triad_is_never_read_as_the_whipple_operation(engine):
    q = engine.router.route("what is whipple's triad")
    assert "therapy" not in q.entities and q.silent == ["whipple_triad"]


@pytest.mark.parametrize(
    "text",
    [
        "liver mets in lung NETs versus lung adenocarcinoma?",
        "bronchial carcinoid compared with lung adenocarcinoma - how often liver mets?",
    ],
)
def test_a_net_set_against_another_cancer_gives_the_nets_figure_and_the_gap(engine, text):
    a = engine.ask(text).answer
    assert not a.declined and "66%" in a.summary and "20%" in a.summary
    assert a.summary.startswith("My sources do not cover lung adenocarcinoma")


def test_another_cancer_alone_is_still_declined(engine):
    assert engine.ask("lung adenocarcinoma liver metastases rate").answer.declined


def test_survival_asked_of_sites_is_survival_not_where_they_spread(engine):
    a = engine.ask("liver-only vs multi-organ mets in pNET: survival difference?").answer
    assert a.intent == "survival" and "25.5%" in a.summary and "12.0%" in a.summary


def test_a_look_alike_set_against_a_pnet_is_still_declined(engine):
    assert engine.ask("solid pseudopapillary neoplasm vs PNET on CT?").answer.declined


def test_a_subtype_caution_is_a_banner_only_where_that_subtype_is_in_question(engine):
    """A relative asking about monthly injections is not shown a CRITICAL insulinoma banner; it stays on the
    drug's card. Asked of an insulinoma, the banner leads."""
    plain = engine.ask(
        "my dad has a pancreatic NET in his liver and gets an octreotide injection every month, what dose?"
    )
    assert not [w for w in plain.answer.warnings if "Insulinoma" in w.text]
    assert any("Insulinoma" in i.text for s in plain.answer.sections for i in s.items)
    insulinoma = engine.ask("octreotide for an insulinoma: what dose?")
    assert [w for w in insulinoma.answer.warnings if w.severity == "critical" and "Insulinoma" in w.text]


@pytest.mark.parametrize(
    "text",
    [
        "my wifes on lanreotide injections for her pancreatic net, what else is there if it stops working?",
        "Pt on octreotide LAR for met PNET - what options when it stops working?",
    ],
)
def test_if_the_line_stops_working_asks_the_next_line(engine, text):
    a = engine.ask(text).answer
    assert "next line" in a.title and "everolimus" in a.summary.lower() and "sunitinib" in a.summary.lower()


def test_the_question_after_a_dash_is_what_is_asked(engine):
    """Round 46 #32: the radiologist's question after the dash asks the imaging, not the grading in the preamble,
    and "newly diagnosed" asks nothing about diagnostic tests."""
    a = engine.ask(
        "Radiologist: newly diagnosed G1 PNET on biopsy - is multiphase CT enough for staging or do we need a DOTATATE PET too?"
    ).answer
    assert a.intent == "imaging" and not a.not_covered
    assert "somatostatin receptor imaging" in a.summary


def test_where_a_subtype_arises_leads_the_answer(engine):
    a = engine.ask("gastrenoma - where do they arise and how often do they metastasise?").answer
    assert "duodenum" in a.summary and "60%" in " ".join(i.text for s in a.sections for i in s.items)


def test_what_the_sources_say_about_a_thing_asks_about_the_thing(engine):
    a = engine.ask("PRRT pt worried about their kidneys - what do the sources say about Lu-DOTA-EB-TATE uptake?").answer
    assert a.intent != "sources" and "kidneys" in " ".join([a.summary, *(w.text for w in a.warnings)])


def test_another_childhood_cancer_is_declined(engine):
    a = engine.ask("my son has medulloblastoma, what chemo will they give him?").answer
    assert a.summary.startswith("My sources do not cover") and a.plan is None


def test_a_patients_own_operation_with_a_finding_is_planned(engine):
    """Clinical review round 68, case 31: a patient writing of their own operation and a missed course of vaccines is
    a patient to plan (the vaccines now), not a page about distal pancreatectomy."""
    text = (
        "I had a NET removed from my pancreas last year and they took my spleen too. Nobody gave me any vaccines "
        "before or after. Is that a problem, what should I do?"
    )
    a = engine.ask(text).answer
    assert a.plan is not None and "overwhelming post-splenectomy infection" in to_text(a)


def test_a_cases_story_is_not_an_aspect_asked(engine):
    """Clinical review round 68, case 22: "episodes after missing meals ... resolved with food" tells the story; it
    asks nothing about diet, so the plan is not headed "Not in my sources"; a question about diet is answered so."""
    story = (
        "GP here. 45M with episodes of sweating/confusion after missing meals, one glucose 2.4 in A&E that resolved "
        "with food. CT abdo normal. Could this be a pancreatic NET and what should I do next?"
    )
    a = engine.ask(story).answer
    assert a.plan is not None and not a.not_covered, a.title
    asked = "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, on lanreotide. Any diet she should follow?"
    main = to_text(engine.ask(asked).answer).split("─── Details")[0]
    assert "Any diet she should follow? My sources do not cover diet" in main


def test_each_question_of_a_relative_is_answered(engine):
    """Clinical review round 69, case 31: two questions of a wife, the second with no question mark; each gets its
    line (a drug's side effects the sources lack, driving they do not cover), the first line names the gap."""
    text = (
        "my husband is starting everolimus tablets for his pancreas NET now the lanreotide injections stopped "
        "working. Will he lose his hair? And can he still drive to work, he's a lorry driver"
    )
    a = engine.ask(text).answer
    body = to_text(a)
    assert "driving and work" in a.title
    assert "Will he lose his hair? Everolimus: my sources do not cover its side effects" in body


def test_a_relatives_post_of_missed_vaccines_is_planned(engine):
    """Code review session 14, finding 1: a missed vaccine course after a splenectomy, told by a relative, plans the
    patient (a finding that plans the patient, urgent.yaml plans_patient), not a topic page."""
    text = "My husband had a NET removed from his pancreas in March, splenectomy too. He never had the vaccines. What should we do?"
    a = engine.ask(text).answer
    assert a.plan is not None and "Give the trivalent vaccines now" in to_text(a)


@pytest.mark.parametrize(
    "text",
    [
        "My dad has pancreas cancer, the neuroendocrine type, grade 1, 2cm in the tail, no spread. What happens now?",
        "my husband has cancer of the pancreas but they say its a neuroendocrine tumour grade 2 with spots on the liver",
    ],
)
def test_pancreas_cancer_said_of_the_net_is_the_net(engine, text):
    """Code review session 14, pass 2, finding 5: a relative's "pancreas cancer, the neuroendocrine type" is the PNET's
    lay name, planned; set against the NET ("is it the bad kind of pancreas cancer?") it stays a look-alike."""
    assert engine.ask(text).answer.plan is not None
    a = engine.ask("mum has an islet cell thing on her pancreas, is it the bad kind of pancreas cancer?").answer
    assert a.intent == "overview" and "pancreas cancer" in a.not_covered


@pytest.mark.parametrize(
    "text",
    [
        "Biopsy: pancreatic carcinoma, negative for neuroendocrine markers. 68M, 3cm head mass. Plan?",
        "They first thought it was a NET but the biopsy showed it is pancreatic cancer. My dad is 70. What treatment?",
        "My husband has pancreatic cancer. His brother had a NET years ago. Is chemo the main treatment?",
    ],
)
def test_pancreatic_cancer_beside_a_net_word_is_still_declined(engine, text):
    """Code review session 14, pass 3, finding 4: only a NET named in apposition ("pancreas cancer, the neuroendocrine
    type") makes the look-alike the PNET's lay name; a negated, earlier or someone else's NET does not."""
    assert engine.ask(text).answer.plan is None


def test_a_nets_denial_after_it_keeps_pancreatic_carcinoma_declined(engine):
    """Code review session 14, pass 4, finding 7: "pancreatic carcinoma, the neuroendocrine markers were negative"."""
    text = "Biopsy: pancreatic carcinoma, the neuroendocrine markers were negative. 68M, 3cm head mass. Plan?"
    assert engine.ask(text).answer.plan is None


def test_a_net_named_as_pancreas_cancer_with_another_negated_fact_is_planned(engine):
    """Code review session 14, pass 5, H3: "a pNET, no mets" denies the metastases, not the NET."""
    assert engine.ask("Pancreas cancer, a pNET, no mets on DOTATATE, 3cm G2. Plan?").answer.plan is not None


def test_a_carcinoma_asked_about_a_drug_is_planned(engine):
    """Clinical review round 73, case 21: a poorly differentiated carcinoma with its facts, asked "lanreotide first
    line?", is a patient: referred, no analogue; not the drug's card."""
    text = (
        "pancreatic neuroendocrine carcinoma, poorly differentiated small cell type, Ki67 80%, liver mets. "
        "start lanreotide 120mg as first line?"
    )
    a = engine.ask(text).answer
    assert a.plan is not None and "lanreotide" not in a.plan.acts


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        (
            "Pharmacist: starting everolimus for progressive pNET. Pt is on itraconazole long-term for ABPA. "
            "Is the dose still 10mg once daily?",
            "a strong CYP3A4 inhibitor",
        ),
        (
            "onc wants to start sunitinib next week for his pNET, he is on clarithromycin. any issue?",
            "CYP3A4 inhibitor",
        ),
        ("pNET on everolimus 10mg, GP started rifampicin for TB. dose ok?", "a strong CYP3A4 inducer"),
    ],
)
def test_an_interaction_of_a_drug_started_or_given_leads_a_question(engine, text, finding):
    """Clinical review round 74 #32: a pharmacist asking the everolimus dose beside itraconazole was told the standard
    dose; the interaction (practice, the sources silent) is said above the answer, never "ask the pharmacist"."""
    a = engine.ask(text).answer
    assert a.warnings and finding in a.warnings[0].text and "Sources silent" in a.warnings[0].text
    assert "ask the pharmacist" not in to_text(a)


def test_an_interaction_of_a_past_line_is_not_flagged(engine):
    text = "pNET liver mets: everolimus 2019-21, PD. Now on clarithromycin for a chest infection. Next line?"
    a = engine.ask(text).answer
    assert not any("CYP3A4" in w.text for w in a.warnings)


def test_a_relatives_survival_question_says_the_figures_are_not_by_grade_and_who_can_say_more(engine):
    """Clinical review round 74 #30: a daughter asking how long her mother with grade 2 liver-only spread will live got
    one cohort's median with no word that it ignores grade and treatment, and no one to ask."""
    a = engine.ask(
        "my mum was told her pancreatic NET has spread to the liver only, they say it is grade 2 and slow. "
        "nobody will tell us how long. how long do people live with this??"
    ).answer
    assert "24 months" in a.summary
    assert "not broken down by grade or treatment" in a.summary and "treating team" in a.summary


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        (
            "can gastrinomas be outside the pancreas? pt says hers is in the 'duodenum'",
            "Gastrinomas arise in the duodenum or pancreas",
        ),
        (
            "is an islet cell tumour that makes gastrin more or less likely to spread than one that makes glucagon?",
            "Gastrinoma: 60% metastatic rate. Glucagonoma: 50-80% metastatic rate.",
        ),
    ],
)
def test_a_question_with_a_patient_beside_it_is_answered_as_asked(engine, text, lead):
    """Blind set 35: 'can gastrinomas be outside the pancreas? pt says hers is in the duodenum' got a case plan; two
    subtypes named by their hormone and set against each other led with the least aggressive subtype instead."""
    a = engine.ask(text).answer
    assert a.plan is None and a.summary.startswith(lead), a.summary


def test_another_primary_is_never_given_a_pancreatic_subtypes_rate(engine):
    a = engine.ask(
        "pt had a tiny duodenal NET taken off at OGD (8mm, non functioning) - whats the chance it had spread to the nodes?"
    ).answer
    assert a.plan is None and a.summary.startswith("The sources give no nodal or liver figures for duodenum NETs")
    assert "60%" not in to_text(a)


@pytest.mark.parametrize(
    "text",
    [
        "What is carcinoid crisis? what are the symptoms, e.g. severe headache, flushing?",
        "Can lanreotide cause gallstones and cholangitis?",
        "Is hypertension on sunitinib common? BP 180/100",
    ],
)
def test_a_question_about_no_patient_never_acts_on_its_own_words(engine, text):
    """Code review session 15: 'Act first: What is carcinoid crisis: an acute event' quoted a question as a finding."""
    assert not [w for w in engine.ask(text).answer.warnings if w.text.startswith("Act first")]


def test_a_contrast_reaction_is_declined(engine):
    """Blind set 35: a temperature after CT contrast and its premedication got the surveillance page."""
    a = engine.ask(
        "pt spiked a temp 20 min after CT contrast, obs otherwise fine - what premed regimen for his next scan?"
    )
    assert a.answer.declined


def test_the_difference_between_a_net_and_another_cancer_gives_both_figures(engine):
    a = engine.ask("What's the difference in liver met rate between lung carcinoids and lung adenocarcinoma?").answer
    assert not a.declined and "66%" in a.summary and "20%" in a.summary


@pytest.mark.parametrize(
    "text",
    [
        "pNET G2 liver mets on sunitinib 37.5mg, stable. is the bilirubin of 2.5 mg/dL a reason to stop?",
        # code review session 15, pass 2: 'should we increase amlodipine to 10mg?' got sunitinib's dose
        "pNET G2 liver mets on sunitinib, stable. BP 150/90, should we increase amlodipine to 10mg?",
    ],
)
def test_a_number_that_is_no_dose_of_the_line_is_not_answered_with_one(engine, text):
    assert "The sources' dose" not in to_text(engine.ask(text).answer)


def test_sites_and_survival_asked_together_lead_with_the_sites(engine):
    """Clinical review round 82, case 30: the sites half was lost and the survival answer given twice."""
    a = engine.ask(
        "What are the commonest sites of metastasis for pancreatic NETs and how does survival differ by metastatic "
        "pattern?"
    ).answer
    assert "25%" in a.summary and "45%" in a.summary
    assert a.title.count("Survival by metastatic pattern") == 1


def test_two_questions_with_one_answer_are_answered_once(engine):
    """Clinical review round 82, case 32: 'how likely has it spread? should we be worried?' printed twice."""
    a = engine.ask(
        "My husband was told he has a rectal NET about 8mm that was removed at colonoscopy. How likely is it to have "
        "spread? Should we be worried?"
    ).answer
    assert to_text(a).count("Rectum: nodal 15%, liver 5%.") == 1


def test_a_metastatic_ileal_net_posted_as_a_case_is_planned(engine):
    """Clinical review round 82, case 28: 'where do we start?' of an ileal NET with liver metastases got the ileum's
    spread figures and the PNET survival figures, not the lanreotide label and the ACR liver options."""
    a = engine.ask(
        "68F flushing + diarrhoea, 2cm terminal ileal NET with mesenteric mass and multiple liver mets, 5-HIAA high, "
        "DOTATATE avid. Where do we start?"
    ).answer
    assert a.plan is not None and "lanreotide" in to_text(a).lower() and "Isolated liver metastasis" not in to_text(a)


def test_the_chemo_unit_is_not_chemotherapy(engine):
    """Blind set 38: 'chemo day unit: sunitinib dose for PNET?' answered streptozocin's dose first."""
    a = engine.ask("chemo day unit: sunitinib dose for PNET? is it the 50 mg 4 weeks on/2 off schedule?").answer
    assert a.summary.startswith("Sunitinib: 37.5 mg")


def test_where_a_pnet_spreads_asked_by_a_family(engine):
    """Blind set 38: 'does it spread anywhere?' got the closest matches."""
    a = engine.ask("what is a PNET? my mum was just told she has one in her pancreas, does it spread anywhere?").answer
    assert "Liver" in a.summary and "25%" in a.summary


def test_another_primarys_survival_gets_no_pnet_figures(engine):
    """Code review session 16, pass 3 (pre-existing): an ileal NET's survival was answered with the PNET patterns."""
    a = engine.ask("ileal NET with liver mets: what is the 5-year survival?").answer
    assert "no survival figure" in a.summary and "25.5%" not in to_text(a)


def test_a_gastrinomas_reflux_is_not_declined(engine):
    """Code review session 16, pass 4: the new reflux terms declined 'Gastrinoma with reflux: what is the treatment?'."""
    assert not engine.ask("Gastrinoma with reflux: what is the treatment?").answer.declined


@pytest.mark.parametrize(
    "text",
    [
        "My dad has a pancreatic NET and acid reflux. This morning he vomited blood and collapsed",
        "My dad has a pancreatic NET and bad reflux. This morning he vomited blood and collapsed",
    ],
)
def test_a_finding_beside_a_declined_condition_is_planned(engine, text):
    """Code review session 16, passes 4-5: a relative's haematemesis beside reflux was refused (routing, not forced)."""
    a = engine.ask(text).answer
    assert a.plan is not None and not a.declined and "gastrointestinal bleeding" in to_text(a)


def test_a_condition_without_a_net_is_still_declined(engine):
    """Code review session 16, pass 5: 'my dad (70) has pancreatitis ... vomited blood' got a PNET plan."""
    a = engine.ask("My dad (70) has pancreatitis, the CT showed a swollen pancreas, he vomited blood and collapsed")
    assert a.answer.plan is None


@pytest.mark.parametrize(
    ("text", "own", "others"),
    [
        ("my dads pancreas NET has spread to his bones. how long do people live with that", "56 months", ["14 months"]),
        ("5-yr OS for PNET with isolated hepatic mets?", "25.5%", ["42.7%", "33.7%"]),
        ("5-year overall survival for PNET without any organ metastasis?", "77.1%", ["24 months", "56 months"]),
    ],
)
def test_one_pattern_asked_gets_its_figures_not_the_table(engine, text, own, others):
    """Blind set 39 (and 11 earlier ones): a question about one metastatic pattern was answered with every pattern's
    figures, a family shown 7 months beside their father's bone metastases."""
    a = engine.ask(text).answer
    body = to_text(a)
    assert own in a.summary and not [x for x in others if x in body]


@pytest.mark.parametrize(
    "text", ["pNET 5y OS by met pattern - none vs liver vs bone?", "PNET 5y OS: no organ mets vs multi-organ mets?"]
)
def test_patterns_compared_get_the_table(engine, text):
    body = to_text(engine.ask(text).answer)
    assert "77.1%" in body and "33.7%" in body  # the lung row, asked by neither: the whole table


def test_what_it_means_for_his_time_is_survival(engine):
    """Blind set 39: 'what does that mean for how much time he has?' cut at 'that' and was answered with sites."""
    a = engine.ask(
        "The doctors say my husbands tumour (pancreatic neuroendocrine) is now in several organs at once. "
        "What does that mean for how much time he has?"
    ).answer
    assert a.intent == "survival" and "7 months" in a.summary and "77.1%" not in a.summary


def test_never_finding_the_primary_is_its_survival(engine):
    a = engine.ask(
        "how do they work out where the NET started if its only showing in the liver? "
        "and is it worse if they never find it?"
    ).answer
    assert "11 months" in a.summary and "19 months" in a.summary


def test_a_burden_cut_off_asked_leads_with_it(engine):
    """Blind set 39: the hepatic-burden cut-off between favourable and poor prognosis got the survival table."""
    a = engine.ask("What hepatic tumour burden cutoff separates favourable from poor prognosis in metastatic pNET?")
    assert "<25%" in a.answer.summary and ">25%" in a.answer.summary


def test_how_drugs_work_is_their_class(engine):
    a = engine.ask("how do everolimus and sunitinib actually work? what kind of drugs are they").answer
    assert "mTOR" in a.summary and "Tyrosine kinase" in a.summary


def test_a_named_guideline_leads_with_its_own_statement(engine):
    """Blind set 39: 'Where does ESMO 2020 put PRRT?' led with ACR 2022."""
    a = engine.ask("Where does ESMO 2020 put PRRT for SSTR-positive Pan-NETs?").answer
    assert a.summary.startswith("ESMO 2020") and "earlier use" in a.summary


@pytest.mark.parametrize(
    "text",
    [
        "When should we be thinking about bone imaging in a NET pt - any bloods that should prompt it?",
        "when to do bone imaging in NET?",
    ],
)
def test_bone_imaging_asked_leads_with_its_section(engine, text):
    a = engine.ask(text).answer
    assert a.intent == "imaging" and "alkaline phosphatase" in a.summary


def test_why_an_option_is_in_the_plan_is_said_when_asked(engine):
    """Blind set 39: 'Do I really need to bother with the nodes?' was answered without the 7-26% nodal risk."""
    a = engine.ask(
        "1.5 cm non-functioning pNET in the tail, planning enucleation. Do I really need to bother with the nodes?"
    ).answer
    asked = next(s for s in a.sections if s.title == "Your question")
    assert "7-26%" in asked.items[0].text


@pytest.mark.parametrize(
    ("text", "lead", "not_lead"),
    [
        # code review session 17: "without any mets elsewhere" is no "no metastasis", "several places" no multiple organs
        ("PNET with liver mets, without any mets elsewhere: what is the 5-year survival?", "25.5%", "77.1%"),
        (
            "He has had scans in several places and they found liver mets from his pancreatic NET. How long has he got?",
            "24 months",
            "7 months",
        ),
        ("What is the 5 year survival for PNET with liver involvement?", "25.5%", "<25%"),
        ("PNET with liver mets: what is the survival, and does hepatic tumour burden matter?", "25.5%", "7 months"),
    ],
)
def test_survival_leads_with_the_patients_own_pattern(engine, text, lead, not_lead):
    a = engine.ask(text).answer
    assert lead in a.summary and not_lead not in a.summary


def test_a_question_about_follow_up_with_bone_mets_is_follow_up(engine):
    """Code review session 17: naming bone metastases moved 'how often should we image?' to the Bone section."""
    a = engine.ask("Pt with known bone mets from pNET on lanreotide: how often should we image?").answer
    assert a.intent == "surveillance" and "3-6 months" in a.summary
    a = engine.ask("Is MRI or CT better for liver mets in a pNET patient who also has bone mets?").answer
    assert "targeting the liver" in a.summary


@pytest.mark.parametrize(
    "text", ["What was the PFS in CLARINET?", "Is octreotide as good as lanreotide was in CLARINET?"]
)
def test_a_named_trial_leads_with_the_statement_that_names_it(engine, text):
    assert engine.ask(text).answer.summary.startswith("CLARINET")


def test_what_it_means_for_the_plan_is_not_a_plan(engine):
    """Code review session 17: 'mean for the plan' widened the head and planned a Ki-67 question."""
    assert engine.ask("What does it mean for the plan that the Ki-67 is 25%?").answer.plan is None


def test_a_relatives_questions_about_a_drug_are_answered_in_turn(engine):
    """Round 88 #30: 'Is that chemo? Will it cure him?' led with the cure figures of an operation nobody proposed (they
    follow, since resection is the only potential cure: code review session 17, pass 2)."""
    a = engine.ask(
        "My dad has a tumour in his pancreas called neuroendocrine that has spread to his liver. The doctors want to "
        "start lanreotide injections. Is that chemo? Will it cure him? How long does he have?"
    ).answer
    assert a.summary.startswith("The sources do not describe Lanreotide as curative")
    assert "Lanreotide is not chemotherapy" in to_text(a)


def test_a_change_of_dose_asked_gets_the_one_dose_the_sources_give(engine):
    """Round 89 #32: 'increase lanreotide to q14d, or add octreotide rescue?' got side effects not covered."""
    a = engine.ask(
        "Pharmacist q: pt on lanreotide 120 mg q4w for pNET with breakthrough diarrhoea. Can we increase to q14d, "
        "or add s/c octreotide rescue? What do our sources support?"
    ).answer
    assert a.summary.startswith("Lanreotide: 120 mg every 4 weeks") and "no higher dose, shorter interval" in a.summary


def test_a_procedure_asked_whether_it_is_chemo_gets_no_verdict(engine):
    """Code review session 17, pass 2: 'Is TACE chemo?' was told 'not chemotherapy'."""
    assert "not chemotherapy" not in to_text(engine.ask("Is TACE chemo?").answer)


def test_a_site_named_makes_no_mets_elsewhere_that_site(engine):
    a = engine.ask("PNET with liver mets, no mets elsewhere: 5-year survival?").answer
    assert "25.5%" in a.summary and "77.1%" not in a.summary


def test_no_mets_compared_with_a_site_keeps_its_figure(engine):
    """Code review session 17, pass 3: 'liver mets vs no mets?' lost the no-metastasis figure."""
    a = engine.ask("liver mets vs no mets: 5y OS in PNET?").answer
    assert "77.1%" in a.summary and "25.5%" in a.summary


def test_a_transplant_asked_for_a_patient_with_bone_metastases_says_first_it_is_outside_the_setting(engine):
    """Round 87 #17 (major): a daughter whose mother has spinal metastases was shown the transplant's 69-97.2% first."""
    a = engine.ask(
        "Daughter here - my mum (52) has pancreatic NET, primary still in, liver is full of spots and they found some "
        "in her spine. A friend said a liver transplant cured her uncle. Can mum go on the transplant list?"
    ).answer
    assert a.summary.startswith("Liver transplantation") and "with metastases in the bone" in a.summary.split(".")[0]
    assert (
        "with metastases in"
        not in engine.ask("5 year survival after liver transplant for NET liver mets?").answer.summary
    )


def test_a_site_ruled_out_does_not_put_a_patient_outside_the_transplant_setting(engine):
    """Code review session 17, pass 4: 'a bone lesion was ruled out on MRI' was called outside the transplant setting."""
    a = engine.ask(
        "my mum has pancreatic NET with liver mets only, a bone lesion was ruled out on MRI. can she have a liver "
        "transplant, what is the survival?"
    ).answer
    assert "outside what the sources describe" not in a.summary
