"""Renderers: Slack's Block Kit limits are kept, text is escaped, citations are numbered."""

import re
from collections import Counter

import pytest

from bot.render import LIMITS, cite_map, escape, fallback_text, to_blocks, to_text
from bot.render.slack import answer_message
from bot.render.text import cites
from handlers import answer
from handlers.answer import Item, Row, Section, Table, Warn
from tests import blockkit


def _big_answer(knowledge):
    a = answer.new("therapy", "T" * 400, "S" * 5000, ["A000"])
    a.sections = [
        Section(
            title=f"Section {i}",
            items=[Item(text="x" * 700 + f" <!channel> {j}", sources=["A002.R1"]) for j in range(9)],
        )
        for i in range(40)
    ]
    a.warnings = [Warn(severity="info", text="note"), Warn(severity="critical", text="crit <@U1>", sources=["A002.R4"])]
    return answer.finish(a, knowledge)


def _texts(blocks):
    for b in blocks:
        if "text" in b:
            yield b["type"], b["text"]["text"]
        for e in b.get("elements", []):
            yield "context", e["text"]


def test_block_kit_limits(knowledge):
    blocks = to_blocks(_big_answer(knowledge))
    assert len(blocks) <= LIMITS["blocks"]
    assert blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) <= LIMITS["header"]
    for kind, text in _texts(blocks):
        assert len(text) <= (LIMITS["context_text"] if kind == "context" else LIMITS["section"])
    for b in blocks:
        if b["type"] == "context":
            assert len(b["elements"]) <= LIMITS["context_elements"]
    assert any("trimmed to fit Slack" in t for _, t in _texts(blocks))


def test_everything_is_escaped(knowledge):
    blocks = to_blocks(_big_answer(knowledge))
    for kind, text in _texts(blocks):
        if kind != "header":  # plain_text is not parsed for mentions
            assert "<!channel>" not in text and "<@U1>" not in text
    assert any("&lt;!channel&gt;" in t for _, t in _texts(blocks))
    assert escape("a & <b> ") == "a &amp; &lt;b&gt; "


def test_critical_warning_comes_first(knowledge):
    a = _big_answer(knowledge)
    blocks = to_blocks(a)
    assert ":red_circle:" in blocks[2]["text"]["text"]
    text = to_text(a)
    assert text.index("CRITICAL") < text.index("NOTE")
    assert "Critical: crit" in fallback_text(a)


def test_user_text_echoed_is_escaped(engine):
    # the out-of-scope term is echoed back; it must not form markup even if the user wrote some
    blocks = to_blocks(engine.ask("<!here> lipoma <b>rate</b> & more").answer)
    assert all("<!here>" not in t and "<b>" not in t for _, t in _texts(blocks))


def test_citations_are_numbered_and_listed(engine):
    a = engine.ask("glucagonoma metastatic rate").answer
    text = to_text(a)
    assert "50-80% metastatic rate. [1]" in text
    assert "\n  [1] What are the common sites of metastasis" in text
    assert a.knowledge_version in text and a.disclaimer in text


def test_every_intent_renders_within_limits(engine, knowledge):
    for intent in knowledge.intents.intents:
        for ex in intent.examples:
            blocks = to_blocks(engine.ask(ex).answer)
            assert len(blocks) <= LIMITS["blocks"]
            assert all(len(t) <= LIMITS["section"] for _, t in _texts(blocks))


# --- tables: where people compare figures ------------------------------------------------------------

FIGURE = re.compile(r"\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?(?:%| months| mg)")
TABLED = {
    "metastatic rate by subtype": "metastasis_rate",
    "survival by metastatic pattern": "survival",
    "patterns by primary site": "primary_site_pattern",
    "compare everolimus and sunitinib": "therapy",
}


def _tables(blocks):
    return [b for b in blocks if b["type"] == "table"]


def _cells(table_block):
    return [[c["text"] for c in row] for row in table_block["rows"]]


def _assert_table_limits(blocks):
    tables = _tables(blocks)
    assert len(tables) <= LIMITS["tables"] == 1
    for t in tables:
        rows = _cells(t)
        assert 2 <= len(rows) <= LIMITS["table_rows"]  # the header and at least one row
        assert all(len(r) == len(rows[0]) <= LIMITS["table_cells"] for r in rows)
        assert len(t["column_settings"]) <= LIMITS["table_cells"]
        assert all(0 < len(c) <= LIMITS["table_cell"] for r in rows for c in r)
        assert sum(len(c) for r in rows for c in r) <= LIMITS["table_chars"]
        assert all(c["type"] == "raw_text" for row in t["rows"] for c in row)


@pytest.mark.parametrize("question", TABLED)
def test_figures_people_compare_come_as_one_table(engine, question):
    a = engine.ask(question).answer
    assert a.intent == TABLED[question]
    blocks = to_blocks(a)
    (block,) = _tables(blocks)
    _assert_table_limits(blocks)
    assert blockkit.problems(answer_message(a, "abcd1234")) == []
    section = next(s for s in a.sections if s.table)
    assert blocks[blocks.index(block) - 1]["text"]["text"].startswith(f"*{escape(section.title)}*")
    header, *rows = _cells(block)
    assert header == [*section.table.columns, "Sources"] and len(rows) == len(section.table.rows)
    # the same figures, as the same strings, as the section's items (its text form) print them
    in_table = Counter(f for r in rows for c in r[:-1] for f in FIGURE.findall(c))
    assert in_table and in_table == Counter(f for i in section.items for f in FIGURE.findall(i.text))
    # citations numbered as in the text, and every source cited is listed
    n = cite_map(a)
    assert all(sid in n for r in section.table.rows for sid in r.sources)
    assert [r[-1] for r in rows] == [cites(r.sources, n).strip() for r in section.table.rows]
    # the text and terminal rendering keep the bullets
    text = to_text(a)
    assert all(f"{i.text}{cites(i.sources, n)}" in text for i in section.items)


def test_table_cells_are_the_item_figures_row_by_row(engine):
    a = engine.ask("metastatic rate by subtype").answer
    section = next(s for s in a.sections if s.table)
    header, *rows = _cells(_tables(to_blocks(a))[0])
    n = cite_map(a)
    assert [f"{name}: {rate}" for name, rate, _ in rows] == [i.text for i in section.items]
    assert [cited for *_, cited in rows] == [cites(i.sources, n).strip() for i in section.items]


def test_survival_table_says_whose_figures_they_are(engine):
    a = engine.ask("survival by metastatic pattern").answer
    blocks = to_blocks(a)
    (block,) = _tables(blocks)
    title = blocks[blocks.index(block) - 1]["text"]["text"]
    assert "Whose figures: PNET patients grouped by metastatic pattern" in title
    assert ["No organ metastasis", "not given", "77.1%", "[1]"] in _cells(block)


def test_only_the_first_tabled_section_is_a_table(engine, knowledge):
    a = engine.ask("metastatic rate by subtype").answer.model_copy(deep=True)
    survival = next(s for s in engine.ask("survival by metastatic pattern").answer.sections if s.table)
    a.sections.append(survival)
    a = answer.finish(a, knowledge)
    blocks = to_blocks(a)
    (block,) = _tables(blocks)
    assert _cells(block)[0][0] == "Subtype"
    n = cite_map(a)
    texts = "\n".join(t for _, t in _texts(blocks))
    assert "*All metastatic patterns (PNETs)*" in texts
    assert all(f"• {escape(i.text)}{cites(i.sources, n)}" in texts for i in survival.items)
    _assert_table_limits(blocks)


def _tabled(knowledge, rows: list[Row], columns: list[str], caption: str | None = None):
    a = answer.new("survival", "Tabled", "S", ["A000"])
    items = [Item(text=": ".join(r.cells), sources=r.sources) for r in rows]
    a.sections = [Section(title="Rows <b>", items=items, table=Table(columns=columns, rows=rows, caption=caption))]
    return answer.finish(a, knowledge)


def test_a_long_table_is_cut_to_slacks_limits_saying_so(knowledge):
    rows = [Row(cells=[f"row {i}", f"{i}%"], sources=["A000"]) for i in range(150)]
    blocks = to_blocks(_tabled(knowledge, rows, ["Name", "Figure"], caption="<!channel> & co"))
    (block,) = _tables(blocks)
    assert len(block["rows"]) == LIMITS["table_rows"] and _cells(block)[1] == ["row 0", "0%", "[1]"]
    after = blocks[blocks.index(block) + 1]
    assert after["type"] == "context" and "51 more row(s) trimmed" in after["elements"][0]["text"]
    assert blocks[blocks.index(block) - 1]["text"]["text"] == "*Rows &lt;b&gt;*\n&lt;!channel&gt; &amp; co"
    _assert_table_limits(blocks)


def test_long_cells_are_clipped_and_empty_ones_filled(knowledge):
    rows = [Row(cells=["x" * 5000, ""], sources=[]) for _ in range(40)]  # 40 clipped rows pass 10,000 characters
    blocks = to_blocks(_tabled(knowledge, rows, ["Name", "Figure"]))
    (block,) = _tables(blocks)
    assert _cells(block)[1][1:] == ["–", "–"] and _cells(block)[1][0].endswith("…")
    assert len(block["rows"]) < 41 and "trimmed" in blocks[blocks.index(block) + 1]["elements"][0]["text"]
    _assert_table_limits(blocks)


def test_a_table_too_wide_for_slack_is_sent_as_bullets(knowledge):
    columns = [f"c{i}" for i in range(LIMITS["table_cells"])]  # one more with the sources column
    blocks = to_blocks(_tabled(knowledge, [Row(cells=columns, sources=["A000"])], columns))
    assert not _tables(blocks)
    assert any(t.startswith("*Rows &lt;b&gt;*\n• c0: c1") for _, t in _texts(blocks))


def test_tables_keep_the_block_budget(knowledge):
    a = _big_answer(knowledge)
    for s in a.sections:
        s.table = Table(columns=["Text"], rows=[Row(cells=[i.text], sources=i.sources) for i in s.items])
    blocks = to_blocks(a)
    assert len(blocks) <= LIMITS["blocks"] - 4 and len(_tables(blocks)) == 1
    assert any("trimmed to fit Slack" in t for _, t in _texts(blocks))
    assert blockkit.problems({"text": "t", "blocks": blocks}) == []


def test_every_intent_example_is_valid_block_kit(engine, knowledge):
    for intent in knowledge.intents.intents:
        for ex in intent.examples:
            a = engine.ask(ex).answer
            assert blockkit.problems(answer_message(a, "abcd1234")) == [], ex
            _assert_table_limits(to_blocks(a))


def test_a_clipped_text_never_ends_inside_an_escape():
    from bot.render.blocks import _clip

    for limit in range(5, 40):
        clipped = _clip("&lt;0" * 50, limit)
        assert len(clipped) <= limit and not re.search(r"&[a-z]*…$", clipped)
