"""Question = topic x aspect: closest cited facts instead of a decline, compound questions answered
part by part, aspects the sources do not cover said as such, and the facts closest to the words."""

from bot.render import to_text
from handlers.engine import RELATED_TITLE


def test_in_scope_question_no_intent_fits_gets_closest_cited_facts(engine):
    result = engine.ask("somatostatin receptor expression")
    a = result.answer
    assert result.query.intent == "closest_matches" and a.closest and not a.declined
    items = next(s for s in a.sections if s.title == "Closest matches").items
    assert items and all(i.sources for i in items), "every closest match is cited"
    assert "closest" in a.summary.lower() and "somatostatin receptor" in to_text(a).lower()


def test_closest_matches_need_a_net_topic(engine):
    for text in ("can you book the MDT room", "what is the dose?", "asdfghjkl"):
        assert engine.ask(text).answer.declined, text


def test_every_article_and_fact_is_indexed(engine, knowledge):
    texts = {d.text for d in engine.retriever.docs}
    for art in knowledge.sources.articles:
        assert f"Article {art.file[:3]}: {art.title}" in texts
    for t in knowledge.topics.topics.values():
        for s in t.sections:
            assert {f.text for f in s.facts} <= texts
    assert all(d.sources for d in engine.retriever.docs)


def test_compound_question_answers_each_part(engine):
    result = engine.ask("dose of lanreotide and survival with bone mets")
    assert result.query.parts == ["therapy", "survival"]
    a = result.answer
    text = to_text(a)
    assert "120 mg" in text and "42.7%" in text and "56 months" in text
    assert a.parts == ["therapy", "survival"] and "·" in a.title


def test_one_comparison_is_not_split(engine):
    assert engine.router.route("insulinoma vs gastrinoma metastatic rate").parts == ["metastasis_rate"]


def test_head_of_the_question_decides_the_aspect(engine):
    q = engine.router.route("Life expectancy when a pancreatic NET has spread to liver and bones?")
    assert q.intent == "survival"
    q = engine.router.route("my dad's pnet spread to his liver. how long do people live with this?")
    assert q.intent == "survival"


def test_therapy_answer_leads_with_the_aspect_asked(engine):
    a = engine.ask("CLARINET result").answer
    assert a.summary.startswith("CLARINET study")
    a = engine.ask("sunitinib side effects").answer
    assert "side effects or interactions of Sunitinib" in a.not_covered
    a = engine.ask("diazoxide dose").answer
    assert any("dose" in n for n in a.not_covered) and "no dose" in to_text(a)


def test_unnamed_trial_is_said_to_be_unnamed(engine):
    a = engine.ask("NETTER-1 PFS").answer
    assert "the NETTER-1 trial" in a.not_covered and "PRRT" in a.title


def test_decline_of_a_net_drug_the_sources_omit_names_it(engine):
    a = engine.ask("CAPTEM dosing in pNET").answer
    assert a.declined and a.not_covered == ["captem"]


def test_neuroendocrine_carcinoma_answers_what_sources_say_and_do_not(engine):
    a = engine.ask("pancreatic neuroendocrine carcinoma prognosis").answer
    text = to_text(a)
    assert a.intent == "nec" and not a.declined and a.not_covered
    assert ">20%" in text and "What the sources do not say" in text


def test_subtype_named_in_another_question_brings_its_facts(engine):
    text = to_text(engine.ask("preop glucose control insulinoma").answer)
    assert "diazoxide" in text


def test_closest_facts_to_the_words_are_added_once(engine):
    a = engine.ask("txplant NET liver mets 5y").answer
    assert "69-97.2%" in to_text(a)
    related = [s for s in a.sections if s.title == RELATED_TITLE]
    assert len(related) <= 1
    if related:
        shown = [i.text for s in a.sections if s.title != RELATED_TITLE for i in s.items]
        assert not {i.text for i in related[0].items} & set(shown)


def test_a_described_case_gets_its_plan_only(engine):
    a = engine.ask("58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid").answer
    assert a.intent == "treatment_plan" and not any(s.title == RELATED_TITLE for s in a.sections)
