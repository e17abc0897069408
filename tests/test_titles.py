"""Each source article's own title, asked as a question, gets the answer its article gives: the
right kind of answer, citing that article, with the article's key figures or steps."""

from pathlib import Path

import pytest

from bot.render import to_text

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# article number -> (intent, strings its answer must show, as the article writes them)
EXPECTED = {
    "000": ("metastatic_sites", ["Liver", "25%", "45%"]),
    "001": ("metastatic_sites", ["82%", "Bone"]),
    "002": ("treatment_plan", ["60-100%", "Insulinoma", "everolimus", "Ki-67 <3%"]),
    "003": ("treatment_plan", ["120 mg", "PRRT", "liver"]),
    "004": ("treatment_plan", ["streptozocin", "ytoreductive", "everolimus"]),
}


def title(path: Path) -> str:
    """The article's question: its first line, or the line after a "Question:" label."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[1] if lines[0].endswith(":") else lines[0]


def seed(number: str) -> Path:
    found = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not found:
        pytest.skip(f"seed article {number} not found next to the repository")
    return found[0]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_article_title_gets_its_article_answer(engine, knowledge, number):
    question = title(seed(number))
    intent, must_show = EXPECTED[number]
    result = engine.ask(question)
    a = result.answer
    assert not a.declined and result.query.intent == intent, f"{question!r} -> {result.query.intent}"
    article = next(art.id for art in knowledge.sources.articles if art.file.startswith(number))
    assert any(s.id == article or s.id.startswith(article + ".") for s in a.sources), f"{number} not cited"
    text = to_text(a)
    missing = [s for s in must_show if s.lower() not in text.lower()]  # "Everolimus, 10 mg" as a plan step
    assert not missing, f"{question!r}: missing {missing}"


def test_titles_are_read_from_the_articles():
    assert title(seed("004")).startswith("Management of metastatic neuroendocrine tumor of pancreas")
    assert title(seed("001")) == "What are the classic areas of metastasis for neuroendocrine tumors?"
