# ruff: noqa: F811  (pytest fixtures imported from tests/test_slack_app.py are parameters here)
"""The tumour board's case card and Slack's assistant view, through the real Bolt app: signed requests
in, the Web API stand-in recording what the bot sends back."""

from __future__ import annotations

import json

import pytest

from benchmarks.slack_stub import event_body, interactive_body
from bot.render.slack import BOARD_EXPORT, BOARD_POST, BOARD_SHORTCUT, DETAILS, pack, unpack
from handlers.case import Case
from handlers.engine import AMENDED_NOTE
from tests import blockkit
from tests.test_slack_app import (  # noqa: F401  (fixtures)
    CASE,
    app,
    block_texts,
    buttons,
    click,
    log_lines,
    mention,
    send,
    settings,
    slash,
    store,
    stub,
)

THREAD = "1700000009.000200"


def valid(message: dict) -> dict:
    assert blockkit.problems(message) == []
    return message


# --- the case card -----------------------------------------------------------------------------------


def test_board_command_gives_a_private_card_with_what_the_meeting_needs(app, stub):
    card = valid(slash(app, stub, f"board {CASE}"))
    text = block_texts(card)
    assert card["response_type"] == "ephemeral"
    assert "Tumour board: 4.2 cm tail PNET, G2, liver metastases" in text
    # the case with the words each field was read from, and the grade's thresholds
    assert "Size: 4.2 cm" in text and "read from: “4.2 cm”" in text
    assert "G2 (Grade 2): Ki-67 ≥3 and ≤20%" in text
    # what is missing says which decision it changes; the board's questions
    assert "Still needed before the meeting" in text and "Resectability not given (a surgeon's assessment)" in text
    assert "For the board to decide" in text and "Is the disease resectable, in the surgeons' assessment?" in text
    assert "If unresectable, or if not fit for surgery" in text and "Lanreotide, 120 mg every 4 weeks" in text
    assert "population and cohort figures, not a prediction" in text
    # a critical warning comes before the case itself
    assert text.index(":red_circle: *Critical*") < text.index("The case as understood")
    assert set(buttons(card)) >= {BOARD_POST, BOARD_EXPORT}
    assert buttons(card)[BOARD_POST]["text"]["text"] == "Post in channel"  # a command has no thread


def test_board_command_without_a_case_says_what_it_needs(app, stub):
    reply = slash(app, stub, "board what is the dose of everolimus?")
    assert "found no case to prepare" in reply["text"] and "/pnet board" in reply["text"]
    assert "actions" not in [b["type"] for b in reply["blocks"]]


def board_shortcut(stub, channel: str = "CBOARD") -> dict:
    return {
        "type": "message_action",
        "callback_id": BOARD_SHORTCUT,
        "trigger_id": "111.222.abc",
        "response_url": stub.response_url("board"),
        "team": {"id": "T1"},
        "channel": {"id": channel},
        "user": {"id": "UDOC"},
        "message": {"type": "message", "user": "USURG", "text": CASE, "ts": THREAD},
    }


def test_shortcut_shows_the_card_to_the_asker_first_then_posts_it_in_the_thread(app, stub):
    send(app, interactive_body(board_shortcut(stub)))
    (private,) = stub.wait("hook:board")
    valid(private.params)
    assert private.params["response_type"] == "ephemeral"
    assert stub.calls_to("chat.postMessage") == []  # nothing in the channel until the user chooses
    post = buttons(private.params)[BOARD_POST]
    assert post["text"]["text"] == "Post in thread"

    click(app, stub, BOARD_POST, post["value"], hook="posted")
    (posted,) = stub.wait("chat.postMessage")
    assert posted.params["channel"] == "CBOARD" and posted.params["thread_ts"] == THREAD
    assert "For the board to decide" in block_texts(posted.params)
    blocks = (
        json.loads(posted.params["blocks"]) if isinstance(posted.params["blocks"], str) else posted.params["blocks"]
    )
    assert BOARD_POST not in buttons({"blocks": blocks}) and BOARD_EXPORT in buttons({"blocks": blocks})
    (gone,) = stub.wait("hook:posted")
    assert gone.params.get("delete_original") in (True, "true")


def test_export_uploads_the_card_as_markdown_into_the_thread(app, stub, log_lines):
    value = pack({"c": CASE, "t": THREAD})
    click(app, stub, BOARD_EXPORT, value)
    (ticket,) = stub.wait("files.getUploadURLExternal")
    assert ticket.params["filename"] == "tumour-board-card.md"
    (upload,) = stub.wait("upload")
    md = upload.params["raw"]
    assert md.startswith("# Tumour board: 4.2 cm tail PNET, G2, liver metastases")
    assert "## For the board to decide" in md and "## Still needed before the meeting" in md
    assert "## Sources" in md and "[1] " in md
    (done,) = stub.wait("files.completeUploadExternal")
    assert done.params["channel_id"] == "CBOARD" and done.params["thread_ts"] == THREAD
    stub.settle()
    dumped = json.dumps(log_lines())
    assert "4.2 cm" not in dumped and "liver mets" not in dumped  # no case text in the logs


@pytest.mark.parametrize("value", ["not-packed", pack({"c": 3}), pack({"t": THREAD})])
def test_a_tampered_card_button_is_refused_politely(app, stub, value):
    click(app, stub, BOARD_EXPORT, value)
    (call,) = stub.wait("hook:click")
    assert "could not export" in call.params["text"]
    assert stub.calls_to("files.getUploadURLExternal") == []


def test_card_buttons_respect_the_channel_allow_list(stub, engine, store):
    from bot.app import build_app

    app = stub.follow(build_app(settings(stub, allowed_channels=frozenset({"COTHER"})), engine, store=store))
    click(app, stub, BOARD_POST, pack({"c": CASE, "t": THREAD}))
    (call,) = stub.wait("hook:click")
    assert "could not post" in call.params["text"] and stub.calls_to("chat.postMessage") == []
    send(app, interactive_body(board_shortcut(stub)))
    (hook,) = stub.wait("hook:board")
    assert "not enabled in this channel" in hook.params["text"]


def test_export_in_a_channel_without_the_bot_says_how_to_fix_it(app, stub):
    stub.fail("files.getUploadURLExternal", 200, {"ok": False, "error": "not_in_channel"})
    click(app, stub, BOARD_EXPORT, pack({"c": CASE, "t": THREAD}))
    (call,) = stub.wait("hook:click")
    assert "not a member of this channel" in call.params["text"]


def test_bare_board_mention_in_a_thread_prepares_the_parent_case(app, stub):
    stub.threads[THREAD] = [{"type": "message", "user": "USURG", "text": CASE, "ts": THREAD}]
    send(app, event_body(mention("<@UBOT> prepare for tumour board", thread_ts=THREAD)), json_body=True)
    (post,) = stub.wait("chat.postMessage")
    assert post.params["thread_ts"] == THREAD and "Tumour board: 4.2 cm tail PNET" in block_texts(post.params)


# --- the assistant view ------------------------------------------------------------------------------

DM = "D0ASSIST"
ASSIST_THREAD = "1700000100.000001"


def thread_started() -> dict:
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {"user_id": "UDOC", "channel_id": DM, "thread_ts": ASSIST_THREAD, "context": {}},
        "event_ts": "1700000100.000002",
    }


def user_message(text: str, ts: str) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": DM,
        "user": "UDOC",
        "text": text,
        "ts": ts,
        "thread_ts": ASSIST_THREAD,
    }


def test_a_new_assistant_thread_gets_the_greeting_and_the_knowledge_prompts(app, stub, knowledge):
    send(app, event_body(thread_started(), event_id="EvA1"), json_body=True)
    (greeting,) = stub.wait("chat.postMessage")
    assert greeting.params["channel"] == DM and greeting.params["thread_ts"] == ASSIST_THREAD
    assert greeting.params["text"] == knowledge.meta.assistant.greeting
    (prompts,) = stub.wait("assistant.threads.setSuggestedPrompts")
    sent = prompts.params["prompts"]
    sent = json.loads(sent) if isinstance(sent, str) else sent
    assert sent == [p.model_dump() for p in knowledge.meta.assistant.prompts]


def test_every_suggested_prompt_gets_an_answer(engine, knowledge):
    for p in knowledge.meta.assistant.prompts:
        a = engine.ask(p.message).answer
        assert not a.declined and not a.closest and a.intent != "out_of_scope", p.title


def test_an_assistant_message_gets_a_status_an_answer_and_a_title(app, stub):
    stub.threads[ASSIST_THREAD] = []
    send(app, event_body(user_message("what is the dose of lanreotide?", "1700000101.000001"), "EvA2"), True)
    (status,) = stub.wait("assistant.threads.setStatus")
    assert status.params["thread_ts"] == ASSIST_THREAD and status.params["status"]
    (answer,) = stub.wait("chat.postMessage")
    assert answer.params["thread_ts"] == ASSIST_THREAD and "120 mg" in block_texts(answer.params)
    valid(answer.params)
    (title,) = stub.wait("assistant.threads.setTitle")
    assert title.params["title"] == "Lanreotide"


def test_a_follow_up_re_plans_the_case_from_earlier_in_the_thread(app, stub):
    stub.threads[ASSIST_THREAD] = [
        {"type": "message", "user": "UDOC", "text": CASE, "ts": "1700000102.000001"},
        {"type": "message", "bot_id": "BBOT", "text": "Plan: …", "ts": "1700000102.000002"},
        {"type": "message", "user": "UDOC", "text": "and if Ki-67 were 25%?", "ts": "1700000102.000003"},
    ]
    send(app, event_body(user_message("and if Ki-67 were 25%?", "1700000102.000003"), "EvA3"), True)
    (replies,) = stub.wait("conversations.replies")
    assert replies.params["channel"] == DM and replies.params["ts"] == ASSIST_THREAD
    (answer,) = stub.wait("chat.postMessage")
    text = block_texts(answer.params)
    assert "Plan: 4.2 cm tail PNET, G3, liver metastases" in text
    assert "Re-planned: the case from earlier in this conversation" in text
    value = buttons(answer.params)[DETAILS]["value"]
    assert unpack(value) == {"q": "and if Ki-67 were 25%?", "e": [CASE]}  # the thread's case, re-read on click
    click(app, stub, DETAILS, value, hook="details")
    (details,) = stub.wait("hook:details")
    text = block_texts(details.params)
    assert "Grade: G3 (from: Ki-67; Ki-67 25%)" in text and "Size: 4.2 cm" in text


def test_a_follow_up_in_a_long_thread_reads_its_latest_messages_not_its_first(app, stub):
    """Slack returns a thread oldest first, a page at a time: the case discussed last must be the one changed."""
    thread = [{"type": "message", "user": "UDOC", "text": CASE, "ts": "1700000105.000000"}]
    thread += [
        {"type": "message", "user": "UDOC", "text": "thanks", "ts": f"1700000105.{i:06d}"} for i in range(1, 230)
    ]
    later = "different patient: 70M, 2.1 cm head PNET, Ki-67 1%, no metastases"
    thread[200] = {"type": "message", "user": "UDOC", "text": later, "ts": thread[200]["ts"]}
    stub.threads[ASSIST_THREAD] = thread
    send(app, event_body(user_message("and if Ki-67 were 25%?", "1700000105.000230"), "EvA6"), True)
    (answer,) = stub.wait("chat.postMessage", timeout=20)
    text = block_texts(answer.params)
    assert "Re-planned: the case from earlier in this conversation" in text
    assert "Plan: 2.1 cm head PNET, G3" in text and "4.2 cm" not in text
    pages = stub.calls_to("conversations.replies")
    assert len(pages) >= 2 and pages[-1].params.get("cursor")


def test_a_finding_reported_in_the_thread_re_plans_the_case(app, stub):
    stub.threads[ASSIST_THREAD] = [
        {"type": "message", "user": "UDOC", "text": CASE, "ts": "1700000104.000001"},
        {"type": "message", "bot_id": "BBOT", "text": "Plan: …", "ts": "1700000104.000002"},
    ]
    send(app, event_body(user_message("the liver lesions were haemangiomas on MRI", "1700000104.000003"), "EvA5"), True)
    (answer,) = stub.wait("chat.postMessage")
    text = block_texts(answer.params)
    assert "Re-planned: the case from earlier in this conversation" in text
    assert "liver metastases" not in text.split("\n")[0] and "Phase: not yet staged" in text


def test_a_broken_assistant_feature_still_answers(app, stub):
    """Replies in a plain direct-message thread reach the same listener; without the feature the status
    and title calls fail, and the answer still comes."""
    stub.fail("assistant.threads.setStatus", 200, {"ok": False, "error": "not_allowed_token_type"})
    stub.fail("assistant.threads.setTitle", 200, {"ok": False, "error": "not_allowed_token_type"})
    send(app, event_body(user_message("where do PNETs spread?", "1700000103.000001"), "EvA4"), True)
    (answer,) = stub.wait("chat.postMessage")
    assert "liver" in block_texts(answer.params).lower()
    stub.wait("assistant.threads.setTitle")


# --- the conversation's case, in the engine -----------------------------------------------------------


def test_follow_ups_chain_and_questions_stay_questions(engine):
    a = engine.follow_up("and if unresectable?", [CASE, "and if Ki-67 were 25%?"])
    assert a.case["resectable"] is False and a.case["ki67"] == 25 and a.case["grade"] == "G3"
    assert any(w.text == AMENDED_NOTE for w in a.warnings)
    assert engine.follow_up("what is the dose of everolimus?", [CASE]).intent == "therapy"
    # a new case in the thread replaces the old one; a change with no case before is answered alone
    new = "62M 3 cm head insulinoma, Ki-67 2%, no mets"
    assert engine.follow_up("what if it were unresectable?", [CASE, new]).case["subtype"] == "insulinoma"
    assert engine.follow_up("and if Ki-67 were 25%?", []).intent == "grading"


def test_amending_a_case_adds_sites_and_replaces_what_changed():
    base = Case(size_cm=4.2, metastases=["liver"], metastatic=True, ki67=8, grade="G2", treatments=[])
    more = base.amended(Case(metastases=["bone"], metastatic=True))
    assert more.metastases == ["liver", "bone"] and more.size_cm == 4.2
    fewer = more.amended(Case(metastases_ruled_out=["liver"]))
    assert fewer.metastases == ["bone"] and fewer.metastases_ruled_out == ["liver"]
    stated = base.amended(Case(grade="G3", grade_basis="stated"))
    assert stated.grade == "G3" and stated.ki67 is None  # the old Ki-67 would contradict the grade asked about
    on = base.amended(Case(treatments=[{"drug": "lanreotide", "outcome": "ongoing"}]))
    off = on.amended(Case(treatments=[{"drug": "lanreotide", "outcome": "progressed"}]))
    assert [(t.drug, t.outcome) for t in off.treatments] == [("lanreotide", "progressed")]
