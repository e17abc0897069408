"""The Procfile's two process lines, started for real against the local Slack stand-in.

web:    gunicorn on a free port; driven over HTTP with signed requests, and /healthz.
worker: Socket Mode against a local WebSocket stand-in: apps.connections.open (on the Web API
        stand-in) hands out its ws:// URL; it sends hello and an events_api envelope; the bot must
        ack the envelope and post the answer.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from websockets.sync.server import serve

from tests.procfile import free_port, procfile, start, stop
from tests.servers import wait_http
from tests.slack_stub import SECRET, SlackStub, command_body, event_body, signed_headers


@pytest.fixture
def stub():
    s = SlackStub()
    yield s
    s.close()


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_procfile_web_line_serves_slack_and_health(stub, knowledge, tmp_path):
    port = free_port()
    env = {
        "PNET_DATA_DIR": str(tmp_path),
        "PORT": str(port),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": stub.api_url,
    }
    proc = start(procfile()["web"], env)
    try:
        health = json.loads(wait_http(f"http://127.0.0.1:{port}/healthz", proc))
        assert health == {"status": "ok", "knowledge_version": knowledge.version}

        body = command_body("How often do insulinomas metastasise?", stub)
        status, ack = post(f"http://127.0.0.1:{port}/slack/events", body, signed_headers(body))
        answer = json.loads(ack)
        assert status == 200 and answer["response_type"] == "ephemeral" and "Insulinoma" in answer["text"]

        forged = {**signed_headers(body), "x-slack-signature": "v0=" + "1" * 64}
        assert post(f"http://127.0.0.1:{port}/slack/events", body, forged)[0] == 401
        assert post(f"http://127.0.0.1:{port}/elsewhere", "x", {})[0] == 404
        garbled = "payload=not-json"  # signed, so it reaches Bolt, which cannot parse it
        assert post(f"http://127.0.0.1:{port}/slack/events", garbled, signed_headers(garbled)) == (400, b"")
    finally:
        err = stop(proc)
    assert "How often" not in err and "insulinomas" not in err  # the logs never carry the question
    assert "Traceback" not in err and '"event": "bad_request"' in err


def test_procfile_web_line_stops_with_a_clear_message_on_missing_settings(stub):
    proc = start(
        procfile()["web"], {"PORT": str(free_port()), "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": stub.api_url}
    )
    try:
        proc.wait(timeout=30)
    finally:
        err = stop(proc)
    assert proc.returncode != 0
    assert "Cannot start" in err and "SLACK_SIGNING_SECRET is not set" in err
    assert "xoxb-test" not in err


def test_procfile_worker_line_runs_socket_mode(stub, tmp_path):
    acks: list[dict] = []
    first_answer_posted = threading.Event()

    def slack_side(ws):
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}))
        payload = json.loads(
            event_body(
                {
                    "type": "app_mention",
                    "user": "UDOC",
                    "text": "<@UBOT> surveillance after resection of a G1 PNET?",
                    "ts": "1700000001.000100",
                    "channel": "CBOARD",
                    "event_ts": "1700000001.000100",
                },
                event_id="EvSOCKET",
            )
        )
        ws.send(
            json.dumps(
                {
                    "envelope_id": "env-1",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                    "retry_reason": "",
                    "payload": payload,
                }
            )
        )
        for message in ws:
            acks.append(json.loads(message))
            if first_answer_posted.is_set():
                break

    with serve(slack_side, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stub.ws_url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/link/?ticket=t1"
        env = {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_APP_TOKEN": "xapp-1-test",
            "SLACK_API_URL": stub.api_url,
            "PNET_DATA_DIR": str(tmp_path),
        }
        proc = start(procfile()["worker"], env)
        try:
            (opened,) = stub.wait("apps.connections.open", timeout=30)
            assert opened.headers.get("Authorization") == "Bearer xapp-1-test"
            (posted,) = stub.wait("chat.postMessage", timeout=30)
            first_answer_posted.set()
            assert posted.params["thread_ts"] == "1700000001.000100" and "Surveillance" in posted.params["text"]
            deadline = time.monotonic() + 10
            while not acks and time.monotonic() < deadline:
                time.sleep(0.05)
            assert {"envelope_id": "env-1"} in acks
        finally:
            stop(proc)
