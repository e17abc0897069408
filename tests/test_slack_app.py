"""The Slack app through the real Bolt pipeline: signed requests via app.dispatch, Web API stand-in.

Each test sends what Slack would send and asserts what Slack would receive back (the ack) and which
Web API calls or response_url posts the bot made, with what content.
"""

from __future__ import annotations

import io
import json
import logging
import time

import pytest
from slack_bolt import BoltRequest, BoltResponse

from benchmarks.slack_stub import (
    SECRET,
    SlackStub,
    command_body,
    event_body,
    interactive_body,
    signed_headers,
)
from bot import logs
from bot.app import build_app
from bot.render.slack import CASE_VIEW, DETAILS, HELPFUL, PLAN_SHORTCUT, REPORT, REPORT_VIEW, SHARE, pack, unpack
from bot.settings import Settings
from bot.store import SqliteStore

CASE = "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid"


@pytest.fixture
def stub():
    s = SlackStub()
    yield s
    s.close()


def settings(stub: SlackStub, **overrides) -> Settings:
    base = dict(bot_token="xoxb-test", signing_secret=SECRET, api_url=stub.api_url, feedback_channel="CCURATORS")
    return Settings(**{**base, **overrides})


@pytest.fixture
def store(tmp_path):
    return SqliteStore(tmp_path / "seen.sqlite3")


@pytest.fixture
def app(stub, engine, store):
    return stub.follow(build_app(settings(stub), engine, store=store))


@pytest.fixture
def log_lines():
    """Everything the app logs at DEBUG, as parsed JSON lines (restores logging afterwards)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    logs.setup("DEBUG", stream=stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.handlers[:] = handlers
    root.setLevel(level)


def send(app, body: str, json_body: bool = False, headers: dict | None = None) -> BoltResponse:
    h = signed_headers(body, content_type="application/json" if json_body else "application/x-www-form-urlencoded")
    return app.dispatch(BoltRequest(body=body, headers={**h, **(headers or {})}))


def slash(app, stub, text: str, **kw) -> dict:
    """Send /pnet TEXT; the answer is the body of the ack (HTTP 200), as Slack shows it."""
    resp = send(app, command_body(text, stub, **kw))
    assert resp.status == 200
    return json.loads(resp.body)


def block_texts(message: dict) -> str:
    """All visible text in a message's blocks, one string."""
    out = []
    for b in message.get("blocks", []):
        if isinstance(b.get("text"), dict):
            out.append(b["text"]["text"])
        for e in b.get("elements", []):
            out.append(e.get("text", {}).get("text", "") if isinstance(e.get("text"), dict) else e.get("text", ""))
    return "\n".join(out)


def buttons(message: dict) -> dict[str, dict]:
    return {e["action_id"]: e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}


def click(app, stub, action_id: str, value: str, hook: str = "click", user: str = "UDOC") -> BoltResponse:
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "trigger_id": "111.222.abc",
        "channel": {"id": "CBOARD"},
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": stub.response_url(hook),
        "actions": [{"action_id": action_id, "block_id": "answer_actions", "value": value, "type": "button"}],
    }
    return send(app, interactive_body(payload))


def submit(app, callback_id: str, values: dict, metadata: dict) -> BoltResponse:
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "UDOC"},
        "api_app_id": "A1",
        "trigger_id": "111.222.abc",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": json.dumps(metadata),
            "state": {"values": values},
        },
    }
    return send(app, interactive_body(payload))


def mention(text: str, ts: str = "1700000001.000100", thread_ts: str | None = None, channel: str = "CBOARD") -> dict:
    event = {"type": "app_mention", "user": "UDOC", "text": text, "ts": ts, "channel": channel, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


# --- slash command --------------------------------------------------------------------------------


def test_slash_command_answers_ephemerally_with_share_and_feedback(app, stub, knowledge):
    msg = slash(app, stub, "How often do glucagonomas metastasise?")
    assert msg["response_type"] == "ephemeral"
    assert "50-80%" in block_texts(msg) and "Glucagonoma" in msg["text"]
    assert set(buttons(msg)) == {SHARE, HELPFUL, REPORT}
    assert unpack(buttons(msg)[SHARE]["value"]) == {"q": "How often do glucagonomas metastasise?"}
    feedback = unpack(buttons(msg)[HELPFUL]["value"])
    assert feedback["intent"] == "metastasis_rate" and feedback["v"] == knowledge.version
    assert f"Answer id `{feedback['id']}`" in block_texts(msg)
    assert len(msg["blocks"]) <= 50


@pytest.mark.parametrize("text", ["help", "", "   "])
def test_slash_help_lists_what_it_can_do_without_a_share_button(app, stub, text):
    msg = slash(app, stub, text)
    assert msg["response_type"] == "ephemeral" and "What I can answer" in block_texts(msg)
    assert SHARE not in buttons(msg) and HELPFUL in buttons(msg)


def test_custom_command_name_is_served_and_named_in_help(stub, engine, store):
    app = stub.follow(build_app(settings(stub, slash_command="/net"), engine, store=store))
    text = block_texts(slash(app, stub, "help", command="/net"))
    assert "/net &lt;question or case&gt;" in text and "/pnet" not in text


def test_slash_case_opens_the_modal_with_the_response_url(app, stub):
    send(app, command_body("case", stub))
    (call,) = stub.wait("views.open")
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert call.params["trigger_id"].startswith("13345224609")
    assert view["callback_id"] == CASE_VIEW
    assert json.loads(view["private_metadata"]) == {"channel": "CBOARD", "response_url": stub.response_url("cmd")}
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    for field in (
        "diameter",
        "Location",
        "Subtype",
        "Ki-67",
        "Mitoses",
        "metastases",
        "burden",
        "Resectability",
        "receptor",
        "MEN1",
    ):
        assert any(field in label for label in labels), field


def test_slack_markup_in_a_question_cannot_ping_or_link(app, stub):
    msg = slash(app, stub, "<!channel> <@U999> dose of octreotide & <https://evil.example|click>")
    everything = json.dumps(msg)
    assert "<!channel>" not in everything and "<@U999>" not in everything and "evil.example" not in everything
    assert "octreotide" in block_texts(msg).lower()


def test_allow_list_declines_other_channels_but_not_direct_messages(stub, engine, store):
    app = stub.follow(build_app(settings(stub, allowed_channels=frozenset({"CBOARD"})), engine, store=store))
    assert "not enabled in this channel" in slash(app, stub, "insulinoma", channel="CRANDOM")["text"]
    assert "Insulinoma" in slash(app, stub, "insulinoma", channel="D0DM")["text"]


# --- modal ----------------------------------------------------------------------------------------


def case_state(**fields) -> dict:
    state = {}
    for name, value in fields.items():
        if isinstance(value, list):
            element = {"type": "multi_static_select", "selected_options": [{"value": v} for v in value]}
        elif name in ("location", "subtype", "resectable", "sstr", "men1"):
            element = {"type": "static_select", "selected_option": {"value": value}}
        else:
            element = {"type": "number_input", "value": value}
        state[name] = {name: element}
    return state


def test_case_modal_submission_returns_the_plan_through_the_response_url(app, stub):
    values = case_state(size="4.2", location="tail", ki67="8", sites=["liver"], sstr="positive", resectable="no")
    resp = submit(app, CASE_VIEW, values, {"channel": "CBOARD", "response_url": stub.response_url("modal")})
    assert resp.status == 200 and resp.body == ""
    (call,) = stub.wait("hook:modal")
    msg = call.params
    assert msg["response_type"] == "ephemeral"
    text = block_texts(msg)
    assert "4.2 cm" in text and "G2" in text and "Phase: metastatic, untreated" in text
    assert "Rules applied:" not in text  # the main message is short: the details are one click away
    form = {"size": "4.2", "location": "tail", "ki67": "8", "sites": ["liver"], "sstr": "positive", "resectable": "no"}
    assert unpack(buttons(msg)[SHARE]["value"]) == {"f": form}  # the fields themselves, not English to re-read
    assert unpack(buttons(msg)[DETAILS]["value"]) == {"f": form}


def test_details_button_shows_the_plans_details_privately_to_the_clicker(app, stub):
    plan = slash(app, stub, CASE)
    assert "What I understood" not in block_texts(plan) and "Rules applied:" not in block_texts(plan)
    click(app, stub, DETAILS, buttons(plan)[DETAILS]["value"], hook="details", user="UONC")
    (call,) = stub.wait("hook:details")
    assert call.params["response_type"] == "ephemeral" and call.params["replace_original"] is False
    text = block_texts(call.params)
    assert text.startswith("Details: Plan: 4.2 cm tail PNET")
    assert "What I understood" in text and "Ki-67 8" in text and "Rules applied:" in text


def test_a_forged_details_button_is_refused_politely(app, stub):
    click(app, stub, DETAILS, "not-a-packed-value", hook="details")
    (call,) = stub.wait("hook:details")
    assert "could not show the details" in block_texts(call.params)


def test_sharing_a_form_plan_re_plans_the_same_fields(app, stub):
    values = case_state(size="4.2", location="head", sites=["none"], resectable="yes")
    submit(app, CASE_VIEW, values, {"channel": "CBOARD", "response_url": stub.response_url("modal")})
    (call,) = stub.wait("hook:modal")
    click(app, stub, SHARE, buttons(call.params)[SHARE]["value"], hook="share", user="UONC")
    posted, _ = stub.wait("hook:share", 2)
    text = block_texts(posted.params)
    assert (
        posted.params["response_type"] == "in_channel" and "pancreatoduodenectomy" in text.lower() and "4.2 cm" in text
    )


def test_share_with_a_tampered_form_is_refused_politely(app, stub):
    click(app, stub, SHARE, pack({"f": {"location": "spleen"}}), hook="share")
    (call,) = stub.wait("hook:share")
    assert call.params["response_type"] == "ephemeral" and "could not share" in call.params["text"]


def test_case_modal_from_app_home_replies_in_the_app_dm(app, stub):
    submit(app, CASE_VIEW, case_state(size="1.5", subtype="insulinoma"), {"channel": None, "response_url": None})
    (call,) = stub.wait("chat.postMessage")
    assert call.params["channel"] == "UDOC" and "Insulinoma" in block_texts(call.params)


@pytest.mark.parametrize(
    "values, field",
    [({}, "size"), (case_state(sites=["none", "liver"]), "sites"), (case_state(location="elbow"), "location")],
)
def test_case_modal_refuses_empty_or_contradictory_forms_in_the_modal(app, stub, values, field):
    resp = submit(app, CASE_VIEW, values, {"channel": "CBOARD", "response_url": stub.response_url("modal")})
    body = json.loads(resp.body)
    assert body["response_action"] == "errors" and field in body["errors"]
    assert stub.settle() == [c for c in stub.calls if c.method == "auth.test"]


# --- buttons --------------------------------------------------------------------------------------


def test_share_posts_in_channel_saying_who_shared_and_removes_the_ephemeral(app, stub):
    share = buttons(slash(app, stub, CASE))[SHARE]
    click(app, stub, SHARE, share["value"], hook="share", user="UONC")
    posted, deleted = stub.wait("hook:share", 2)
    assert posted.params["response_type"] == "in_channel"
    assert "Shared by <@UONC>" in block_texts(posted.params)
    assert "Phase: metastatic, untreated" in block_texts(posted.params)  # re-planned, not re-routed
    assert SHARE not in buttons(posted.params)
    assert deleted.params["delete_original"] is True


def test_share_with_a_tampered_value_is_refused_politely(app, stub):
    click(app, stub, SHARE, "not-a-packed-value", hook="share")
    (call,) = stub.wait("hook:share")
    assert call.params["response_type"] == "ephemeral" and "could not share" in call.params["text"]


def test_start_up_logs_nothing_withheld(stub, engine, store, log_lines, monkeypatch):
    """Bolt reads SLACK_BOT_TOKEN from the environment too, and notes that our client wins: shown, not withheld."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    build_app(settings(stub), engine, store=store)
    lines = log_lines()
    assert not [line for line in lines if "note" in line]
    assert {
        "level": "warning",
        "logger": "slack_bolt.App",
        "message": "As you gave `client` as well, `token` will be unused.",
    } in [{k: line.get(k) for k in ("level", "logger", "message")} for line in lines]


def test_helpful_thanks_the_user_and_logs_ids_only(app, stub, log_lines):
    click(app, stub, HELPFUL, pack({"id": "abcd1234", "intent": "therapy", "v": "2026"}))
    (call,) = stub.wait("hook:click")
    assert "Thank you" in call.params["text"] and call.params["replace_original"] is False
    feedback = [line for line in log_lines() if line.get("event") == "feedback"]
    assert feedback == [feedback[0]] and feedback[0]["answer_id"] == "abcd1234" and feedback[0]["verdict"] == "helpful"


def test_report_opens_a_modal_and_the_report_reaches_the_curators_channel(app, stub):
    click(app, stub, REPORT, pack({"id": "abcd1234", "intent": "therapy", "v": "2026-11-22.x"}))
    view = stub.wait("views.open")[0].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == REPORT_VIEW
    metadata = json.loads(view["private_metadata"])
    values = {
        "category": {"category": {"type": "static_select", "selected_option": {"value": "figure"}}},
        "details": {"details": {"type": "plain_text_input", "value": "RFA range <b>differs</b> & so on"}},
    }
    resp = submit(app, REPORT_VIEW, values, metadata)
    assert json.loads(resp.body)["response_action"] == "update"
    (post,) = stub.wait("chat.postMessage")
    assert post.params["channel"] == "CCURATORS"
    text = block_texts(post.params)
    for part in (
        "abcd1234",
        "`therapy`",
        "2026-11-22.x",
        "<@UDOC>",
        "A figure is wrong",
        "&lt;b&gt;differs&lt;/b&gt; &amp;",
    ):
        assert part in text, part


def test_report_without_a_curators_channel_says_so(stub, engine, store):
    app = stub.follow(build_app(settings(stub, feedback_channel=None), engine, store=store))
    click(app, stub, REPORT, pack({"id": "abcd1234", "intent": "therapy", "v": "x"}))
    (call,) = stub.wait("hook:click")
    assert "not set up" in call.params["text"] and "abcd1234" in call.params["text"]
    assert stub.calls_to("views.open") == []


# --- events ---------------------------------------------------------------------------------------


def test_mention_is_answered_in_its_thread(app, stub):
    send(
        app,
        event_body(mention("<@UBOT> what is the dose of lanreotide?", thread_ts="1700000000.000001")),
        json_body=True,
    )
    (call,) = stub.wait("chat.postMessage")
    assert call.params["channel"] == "CBOARD" and call.params["thread_ts"] == "1700000000.000001"
    assert "120 mg" in block_texts(call.params)


def test_top_level_mention_starts_a_thread_under_itself(app, stub):
    send(app, event_body(mention("<@UBOT> where do PNETs spread?", ts="1700000005.000100")), json_body=True)
    (call,) = stub.wait("chat.postMessage")
    assert call.params["thread_ts"] == "1700000005.000100"


def test_bare_plan_in_a_thread_plans_the_parent_post(app, stub):
    stub.threads["1700000000.000001"] = [{"type": "message", "user": "USURG", "text": CASE, "ts": "1700000000.000001"}]
    send(app, event_body(mention("<@UBOT> plan", thread_ts="1700000000.000001")), json_body=True)
    (replies,) = stub.wait("conversations.replies")
    assert replies.params["channel"] == "CBOARD" and replies.params["ts"] == "1700000000.000001"
    (post,) = stub.wait("chat.postMessage")
    text = block_texts(post.params)
    assert post.params["thread_ts"] == "1700000000.000001"
    assert "4.2 cm" in text and "Phase: metastatic, untreated" in text and DETAILS in buttons(post.params)


def test_direct_message_is_answered_in_the_conversation(app, stub):
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DM",
        "user": "UDOC",
        "text": "Ki-67 of 12%?",
        "ts": "1.2",
    }
    send(app, event_body(event), json_body=True)
    (call,) = stub.wait("chat.postMessage")
    assert call.params["channel"] == "D0DM" and "G2" in block_texts(call.params)


@pytest.mark.parametrize(
    "extra",
    [{"bot_id": "BBOT"}, {"subtype": "message_changed"}, {"channel_type": "channel"}],
)
def test_own_messages_edits_and_channel_chatter_are_ignored(app, stub, extra):
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DM",
        "user": "UDOC",
        "text": "insulinoma",
        "ts": "1.2",
        **extra,
    }
    assert send(app, event_body(event), json_body=True).status == 200
    assert [c.method for c in stub.settle()] == ["auth.test"]


def test_app_home_shows_capabilities_sources_and_version(app, stub, knowledge):
    send(app, event_body({"type": "app_home_opened", "user": "UDOC", "channel": "D0DM", "tab": "home"}), json_body=True)
    (call,) = stub.wait("views.publish")
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert call.params["user_id"] == "UDOC" and view["type"] == "home"
    text = block_texts(view)
    assert knowledge.version in text and "What I can answer" in text
    for article in knowledge.sources.articles:
        assert article.title in text


# --- shortcut -------------------------------------------------------------------------------------


def shortcut_payload(stub) -> dict:
    return {
        "type": "message_action",
        "callback_id": PLAN_SHORTCUT,
        "trigger_id": "111.222.abc",
        "response_url": stub.response_url("shortcut"),
        "team": {"id": "T1"},
        "channel": {"id": "CBOARD"},
        "user": {"id": "UDOC"},
        "message": {"type": "message", "user": "USURG", "text": CASE, "ts": "1700000009.000200"},
    }


def test_plan_this_case_shortcut_posts_the_plan_in_the_message_thread(app, stub):
    send(app, interactive_body(shortcut_payload(stub)))
    (post,) = stub.wait("chat.postMessage")
    assert post.params["channel"] == "CBOARD" and post.params["thread_ts"] == "1700000009.000200"
    assert "Phase: metastatic, untreated" in block_texts(post.params)


def test_shortcut_in_a_channel_without_the_bot_gives_the_plan_privately(app, stub):
    stub.fail("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"})
    send(app, interactive_body(shortcut_payload(stub)))
    (call,) = stub.wait("hook:shortcut")
    assert call.params["response_type"] == "ephemeral"
    assert "not a member of this channel" in block_texts(call.params) and "Phase:" in block_texts(call.params)


# --- Slack manners --------------------------------------------------------------------------------


def test_a_retried_event_is_answered_once(app, stub):
    body = event_body(mention("<@UBOT> insulinoma metastasis rate"), event_id="EvRETRY")
    assert send(app, body, json_body=True).status == 200
    stub.wait("chat.postMessage")
    resp = send(app, body, json_body=True, headers={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
    assert resp.status == 200
    assert len([c for c in stub.settle() if c.method == "chat.postMessage"]) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"x-slack-signature": "v0=" + "0" * 64},
        {"x-slack-request-timestamp": str(int(time.time()) - 600)},
    ],
    ids=["forged", "stale"],
)
def test_forged_or_stale_requests_are_refused(app, stub, headers):
    body = command_body("insulinoma", stub)
    h = {**signed_headers(body), **headers}
    if "x-slack-signature" not in headers:  # stale: signed correctly, but with the old timestamp
        h = signed_headers(body, timestamp=int(headers["x-slack-request-timestamp"]))
    resp = app.dispatch(BoltRequest(body=body, headers=h))
    assert resp.status == 401
    assert [c.method for c in stub.settle()] == ["auth.test"]


def test_url_verification_echoes_the_challenge(app):
    body = json.dumps(
        {"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "token": "x"}
    )
    resp = send(app, body, json_body=True)
    assert resp.status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in resp.body


def test_a_failing_web_api_call_gives_the_user_a_polite_notice_and_logs_no_text(app, stub, log_lines):
    stub.threads["1700000000.000001"] = [{"text": CASE, "ts": "1700000000.000001"}]
    stub.fail("conversations.replies", 500)
    send(app, event_body(mention("<@UBOT> plan", thread_ts="1700000000.000001")), json_body=True)
    (notice,) = stub.wait("chat.postEphemeral")
    assert notice.params["user"] == "UDOC" and "something went wrong" in notice.params["text"]
    failed = [line for line in log_lines() if line.get("event") == "listener_failed"]
    assert len(failed) == 1 and failed[0]["answer_id"] in notice.params["text"]
    assert "Traceback" not in json.dumps(notice.params)


def test_rate_limited_post_is_retried_after_retry_after_and_posted_once(app, stub):
    stub.fail("chat.postMessage", 429, headers={"Retry-After": "1"})
    send(app, event_body(mention("<@UBOT> insulinoma")), json_body=True)
    posts = stub.wait("chat.postMessage", 2)
    assert len([c for c in stub.settle() if c.method == "chat.postMessage"]) == 2  # the refused one, then one post
    assert "Insulinoma" in posts[1].params["text"]


def test_no_message_text_reaches_the_logs_even_at_debug(app, stub, log_lines):
    secret_case = "Zyxwvut 61M, 3.1 cm head PNET, Ki-67 4%, liver mets"
    slash(app, stub, secret_case)
    send(app, event_body(mention(f"<@UBOT> {secret_case}"), event_id="EvP1"), json_body=True)
    stub.wait("chat.postMessage")
    stub.settle()
    lines = log_lines()
    answers = [line for line in lines if line.get("event") == "answer"]
    assert {a["surface"] for a in answers} == {"command", "mention"}
    for a in answers:
        assert a["intent"] == "treatment_plan" and a["rules_fired"] and a["knowledge_version"] and a["latency_ms"] >= 0
    dumped = json.dumps(lines)
    assert "Zyxwvut" not in dumped and "3.1 cm" not in dumped


# --- failures -------------------------------------------------------------------------------------


def test_a_500_on_posting_the_answer_gives_a_polite_notice(app, stub, log_lines):
    stub.fail("chat.postMessage", 500)
    send(app, event_body(mention("<@UBOT> insulinoma")), json_body=True)
    (notice,) = stub.wait("chat.postEphemeral")
    assert "something went wrong" in notice.params["text"] and notice.params["channel"] == "CBOARD"
    assert len([c for c in stub.settle() if c.method == "chat.postMessage"]) == 1  # not retried into a double post
    failed = [line for line in log_lines() if line.get("event") == "listener_failed"]
    assert failed and failed[0]["error"] == "SlackApiError" and failed[0]["answer_id"] in notice.params["text"]


def test_when_even_the_notice_fails_it_is_only_logged(app, stub, log_lines):
    stub.fail("chat.postMessage", 500)
    stub.fail("chat.postEphemeral", 500)
    send(app, event_body(mention("<@UBOT> insulinoma")), json_body=True)
    stub.wait("chat.postEphemeral")
    stub.settle()
    events = [line.get("event") for line in log_lines()]
    assert "listener_failed" in events and "error_notice_failed" in events


def test_a_web_api_that_times_out_gives_a_polite_notice(stub, engine, store):
    app = stub.follow(build_app(settings(stub, api_timeout=1), engine, store=store))
    stub.fail("chat.postMessage", 200, {"ok": True}, delay=2, times=2)  # the first try and the one retry
    send(app, event_body(mention("<@UBOT> insulinoma")), json_body=True)
    (notice,) = stub.wait("chat.postEphemeral", timeout=15)
    assert "something went wrong" in notice.params["text"]


@pytest.mark.parametrize(
    "body, json_body",
    [
        ("payload=" + json.dumps({"type": "block_actions", "user": {"id": "U1"}, "actions": []}), False),
        (json.dumps({"type": "event_callback", "event_id": "EvBAD", "event": {"type": "app_mention"}}), True),
        (
            json.dumps(
                {"type": "event_callback", "event_id": "EvBAD2", "event": {"type": "message", "channel_type": "im"}}
            ),
            True,
        ),
        ("command=%2Fpnet", False),
        ("", False),
    ],
    ids=["no-actions", "mention-without-fields", "dm-without-fields", "command-without-fields", "empty"],
)
def test_malformed_payloads_never_crash_the_app(app, stub, body, json_body, log_lines):
    resp = send(app, body, json_body=json_body)
    assert resp.status in (200, 400, 404)
    for call in stub.settle():
        assert "Traceback" not in json.dumps(call.params)
    assert "Traceback" not in json.dumps(log_lines())


def test_slash_comparison_comes_with_a_table_block(app, stub):
    msg = slash(app, stub, "metastatic rate by subtype")
    tables = [b for b in msg["blocks"] if b["type"] == "table"]
    assert len(tables) == 1 and [c["text"] for c in tables[0]["rows"][0]] == ["Subtype", "Metastatic rate", "Sources"]
    assert ["Glucagonoma", "50-80%", "[1]"] in [[c["text"] for c in row] for row in tables[0]["rows"]]
    assert msg["text"].startswith("Metastatic rate by PNET subtype: From 10% (Insulinoma) to 90%")
    assert "*All subtypes (ordered by highest figure)*" in block_texts(msg)
