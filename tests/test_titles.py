"""Each source article's own title, asked as a question, gets the answer its article gives: the
right kind of answer, citing that article, with the article's key figures or steps.

The titles are the ones the knowledge holds (knowledge/data/sources.yaml), so this runs in any clone;
tests/test_seeds.py checks them against the articles themselves, where those are at hand (CI).
"""

import pytest

from bot.render import to_text

# article id -> (intent, strings its answer must show, as the article writes them)
EXPECTED = {
    "A000": ("metastatic_sites", ["Liver", "25%", "45%"]),
    "A001": ("metastatic_sites", ["82%", "Bone"]),
    "A002": ("treatment_plan", ["60-100%", "Insulinoma", "everolimus", "Ki-67 <3%"]),
    "A003": ("treatment_plan", ["120 mg", "PRRT", "liver"]),
    "A004": ("treatment_plan", ["streptozocin", "ytoreductive", "everolimus"]),
}


def test_every_article_is_expected(knowledge):
    assert sorted(a.id for a in knowledge.sources.articles) == sorted(EXPECTED)


@pytest.mark.parametrize("article", sorted(EXPECTED))
def test_article_title_gets_its_article_answer(engine, knowledge, article):
    answers_as_its_article(engine, article, next(a.title for a in knowledge.sources.articles if a.id == article))


def answers_as_its_article(engine, article: str, question: str) -> None:
    intent, must_show = EXPECTED[article]
    result = engine.ask(question)
    a = result.answer
    assert not a.declined and result.query.intent == intent, f"{question!r} -> {result.query.intent}"
    assert any(s.id == article or s.id.startswith(article + ".") for s in a.sources), f"{article} not cited"
    text = to_text(a)
    missing = [s for s in must_show if s.lower() not in text.lower()]  # "Everolimus, 10 mg" as a plan step
    assert not missing, f"{question!r}: missing {missing}"
