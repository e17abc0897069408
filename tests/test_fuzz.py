"""Fuzzing with hypothesis: router, case parser and renderers, on text as hostile as Slack can carry.

Properties: nothing raises; every message is valid Block Kit within Slack's limits; user text never
reaches Slack unescaped (no raw "<" or bare "&"); the same input always gives the same answer.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import fallback_text, to_blocks, to_text
from bot.render.blocks import LIMITS
from bot.render.slack import answer_message
from tests.blockkit import problems

WORDS = [
    "PNET",
    "insulinoma",
    "glucagonoma",
    "liver",
    "mets",
    "Ki-67",
    "8%",
    "4.2 cm",
    "tail",
    "head",
    "no",
    "not",
    "DOTATATE-avid",
    "unresectable",
    "MEN1",
    "survival",
    "dose",
    "octreotide",
    "lanreotide",
    "G3",
    "plan",
    "surveillance",
    "<!channel>",
    "<!here>",
    "<@U123ABC>",
    "<#C123|board>",
    "<https://evil.example|click>",
    "&",
    "&amp;",
    "<",
    ">",
    "*bold*",
    "_it_",
    "`code`",
    "\n",
    "\t",
    "\x00",
    "\u202e",
    "🙂",
    "mm",
    "x",
    "%",
    "progression on everolimus",
    "bone",
    "lung",
    "ruled out",
    "2 x 1.5 cm",
    "mitoses 25/10 HPF",
    "Ki67 <2%",
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=30).map(" ".join),
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_BARE_AMP = re.compile(r"&(?!amp;|lt;|gt;)")


def visible_texts(blocks: list[dict]) -> list[tuple[str, str]]:
    """(type, text) of every text object in the blocks, buttons included."""
    out = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            out.append((b["text"]["type"], b["text"]["text"]))
        for e in b.get("elements", []):
            t = e.get("text")
            if isinstance(t, dict):
                out.append((t["type"], t["text"]))
            elif isinstance(t, str):
                out.append((e["type"], t))
    return out


def assert_valid_message(message: dict) -> None:
    blocks = message["blocks"]
    assert message["text"].strip() and len(message["text"]) <= LIMITS["fallback"] + 50
    assert blocks and not problems(message), problems(message)
    for b in blocks:
        if b["type"] in {"header", "section"}:
            assert b["text"]["text"].strip()
        if b["type"] == "context":
            assert all(e["text"] for e in b["elements"])
    for kind, text in visible_texts(blocks) + [("mrkdwn", message["text"])]:
        if kind == "mrkdwn":
            assert "<" not in text and ">" not in text, text  # escaped: nothing can ping, link or mention
            assert not _BARE_AMP.search(text), text


@FUZZ
@given(text=texts)
def test_any_text_gives_a_valid_escaped_deterministic_message(engine, text):
    first = engine.ask(text)
    second = engine.ask(text)
    assert first.query.intent in {i.name for i in engine.knowledge.intents.intents}
    assert 0 <= first.query.confidence <= 100
    assert to_blocks(first.answer) == to_blocks(second.answer)
    assert to_text(first.answer) == to_text(second.answer)
    assert fallback_text(first.answer) == fallback_text(second.answer)
    message = answer_message(first.answer, "abcd1234", share={"q": text})
    assert_valid_message(message)


@FUZZ
@given(text=texts)
def test_any_text_can_be_planned(engine, text):
    result = engine.ask(text, intent="treatment_plan")
    case = result.query.case
    assert case.ki67 is None or 0 <= case.ki67 <= 100
    assert case.hepatic_burden_pct is None or 0 <= case.hepatic_burden_pct <= 100
    assert case.size_cm is None or case.size_cm > 0
    assert set(case.metastases).isdisjoint(case.metastases_ruled_out)
    assert_valid_message(answer_message(result.answer, "abcd1234", share={"q": text, "p": 1}))


def _long(chunk: str, n: int) -> str:
    chunk = chunk + " "
    return (chunk * (n // len(chunk) + 1))[:n]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.builds(_long, texts, st.integers(min_value=5000, max_value=12000)))
def test_huge_input_is_read_in_part_and_says_so(engine, text):
    result = engine.ask(text)
    assert_valid_message(answer_message(result.answer, "abcd1234"))
    # a number of 13 or more digits is dropped before reading (it is never a figure), so only the rest counts:
    # "0000000000000 " repeated is read whole
    if len(re.sub(r"\d{13,}", " ", text)) > 6000:
        assert "first 6000 characters" in to_text(result.answer)
