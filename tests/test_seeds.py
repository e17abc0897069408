"""The knowledge against the source articles themselves (../shared/seeds/, beside the repository, not in it).

Marked `seeds`: the default run leaves these out, so a clone without the articles runs everything else;
CI runs them as a step of their own (`python -m pytest -m seeds`), where a missing article fails.
"""

from pathlib import Path

import pytest

from tests.test_titles import answers_as_its_article

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

pytestmark = pytest.mark.seeds


def article_title(path: Path) -> str:
    """The article's question as it writes it: its first line, or the line after a "Question:" label."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[1] if lines[0].endswith(":") else lines[0]


@pytest.fixture(scope="module")
def articles(knowledge) -> dict[str, Path]:
    """Article id -> its file among the seeds; fails (never skips) when one is missing."""
    found = {a.id: SEEDS / a.file for a in knowledge.sources.articles}
    missing = [str(path) for path in found.values() if not path.is_file()]
    if missing:
        pytest.fail(f"source articles not found: {missing}")
    return found


def test_the_title_is_read_as_the_article_writes_it(articles):
    assert article_title(articles["A004"]) == "Management of metastatic neuroendocrine tumor of pancreas."
    assert article_title(articles["A001"]) == "What are the classic areas of metastasis for neuroendocrine tumors?"


def test_each_title_in_the_knowledge_is_its_article_title(knowledge, articles):
    for a in knowledge.sources.articles:
        assert a.title.startswith(article_title(articles[a.id]).rstrip(".")), a.id  # a curator may add "(step by step)"


def test_each_article_title_as_written_gets_its_article_answer(engine, knowledge, articles):
    for a in knowledge.sources.articles:
        answers_as_its_article(engine, a.id, article_title(articles[a.id]))
