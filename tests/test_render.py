"""Renderers: Slack's Block Kit limits are kept, text is escaped, citations are numbered."""

from bot.render import LIMITS, escape, fallback_text, to_blocks, to_text
from handlers import answer
from handlers.answer import Item, Section, Warn


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
