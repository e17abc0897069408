"""The Procfile's two process lines, started for real against the local Slack stand-in.

web:    uvicorn on a free port; driven over HTTP with signed requests, and /healthz.
worker: Socket Mode against a local WebSocket stand-in: apps.connections.open (on the Web API
        stand-in) hands out its ws:// URL; it sends hello and an events_api envelope; the bot must
        ack the envelope and post the answer.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
import redis
from websockets.sync.server import serve

from benchmarks.procfile import free_port, procfile, start, stop
from benchmarks.slack_stub import SECRET, SlackStub, command_body, event_body, signed_headers
from bot.runner import PING_INTERVAL_S
from bot.startup import StartupError
from bot.web import HEALTH_CHECK_EVERY_S, KNOWLEDGE_VERSION_ENV, create_app
from knowledge.loader import DATA_DIR, load
from tests.servers import redis_server, wait_http, web_line


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


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def worker_env(stub, tmp_path) -> dict[str, str]:
    """The Procfile's Socket Mode worker against the stand-ins."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_APP_TOKEN": "xapp-1-test",
        "SLACK_API_URL": stub.api_url,
        "PNET_DATA_DIR": str(tmp_path),
    }


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
        assert health == {"status": "ok", "knowledge_version": knowledge.version, "store": "ok"}

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


@pytest.mark.slow  # waits out HEALTH_CHECK_EVERY_S
def test_healthz_says_503_while_the_store_is_down_as_slack_requests_would_get(stub, knowledge, tmp_path):
    with redis_server(tmp_path) as url, web_line(stub, tmp_path / "data", REDIS_URL=url, WEB_CONCURRENCY="2") as web:
        health = f"http://127.0.0.1:{web.port}/healthz"
        stub.wait(
            "auth.test", 3, timeout=30
        )  # both workers are up (one that starts without its store stops the service)
        assert get(health) == (
            200,
            json.dumps({"status": "ok", "knowledge_version": knowledge.version, "store": "ok"}).encode(),
        )
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis.from_url(url).shutdown(nosave=True)
        time.sleep(HEALTH_CHECK_EVERY_S + 0.1)  # every worker asks the store again at its next /healthz
        status, body = get(health)
        assert status == 503
        assert json.loads(body) == {
            "status": "unavailable",
            "knowledge_version": knowledge.version,
            "store": "unreachable",
        }
        command = command_body("How often do insulinomas metastasise?", stub)
        assert post(web.url, command, signed_headers(command))[0] == 503  # what /healthz foretold
        assert get(health)[0] == 503  # and so says every worker
    assert '"event": "store_unavailable"' in web.log and url not in web.log


def edited_knowledge(tmp_path, edition: str = "2031-01-01"):
    """A copy of the packaged knowledge with another edition date, so another version."""
    d = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, d)
    meta = d / "meta.yaml"
    meta.write_text(re.sub(r"^edition_date: .*$", f"edition_date: {edition}", meta.read_text(), count=1, flags=re.M))
    return d, load(d).version


def test_every_web_worker_serves_the_knowledge_given_with_the_knowledge_option(stub, knowledge, tmp_path):
    directory, version = edited_knowledge(tmp_path)
    assert version.startswith("2031-01-01.") and version != knowledge.version
    port = free_port()
    line = procfile()["web"].replace("python -m bot ", f"python -m bot --knowledge {directory} ", 1)
    assert "--knowledge" in line
    env = {
        "PNET_DATA_DIR": str(tmp_path / "data"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": stub.api_url,
    }
    proc = start(line, env)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc)
        stub.wait("auth.test", 3, timeout=30)  # the start-up check, then each worker as it starts
        time.sleep(0.5)  # the second worker is listening
        versions, answers = set(), set()
        for _ in range(12):  # new connections, spread over both workers by the kernel
            versions.add(
                json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read())["knowledge_version"]
            )
            body = command_body("How often do insulinomas metastasise?", stub)
            status, ack = post(f"http://127.0.0.1:{port}/slack/events", body, signed_headers(body))
            assert status == 200
            answers.update(re.findall(r"Knowledge version (\d{4}-\d\d-\d\d\.[0-9a-f]+)", ack.decode()))
        assert versions == {version} and answers == {version}
    finally:
        err = stop(proc)
    started = [json.loads(x) for x in err.splitlines() if '"event": "starting"' in x]
    assert [e["knowledge_version"] for e in started] == [version]


def test_a_web_worker_that_finds_other_knowledge_than_the_service_started_with_refuses_to_start(stub, tmp_path):
    directory, version = edited_knowledge(tmp_path)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": stub.api_url,
        "PNET_DATA_DIR": str(tmp_path / "data"),
        "PNET_KNOWLEDGE_DIR": str(directory),
        KNOWLEDGE_VERSION_ENV: "2026-11-22.0000000000",  # what the web process checked before the files changed
    }
    with pytest.raises(StartupError, match=f"now version {version}.*started with 2026-11-22.0000000000"):
        create_app(env)
    assert create_app({**env, KNOWLEDGE_VERSION_ENV: version}).knowledge_version == version


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
        proc = start(procfile()["worker"], worker_env(stub, tmp_path))
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


def health(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`python -m bot health` as a platform's liveness check runs it, beside the worker."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PNET_"))}
    cmd = [sys.executable, "-m", "bot", "health", *args]
    return subprocess.run(cmd, env={**clean, **env}, capture_output=True, text=True, timeout=30)


@pytest.mark.slow  # waits out the heartbeat's age and two ping intervals
def test_socket_mode_liveness_is_a_heartbeat_that_health_checks(stub, tmp_path):
    def slack_side(ws):  # greets, then answers pings (the websockets library pongs by itself)
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}))
        for _ in ws:
            pass

    env = {**worker_env(stub, tmp_path), "PNET_HEARTBEAT_FILE": str(tmp_path / "beat")}
    missing = health(env)
    assert missing.returncode == 1 and "no heartbeat at" in missing.stderr
    with serve(slack_side, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stub.ws_url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/link/?ticket=t1"
        proc = start(procfile()["worker"], env)
        try:
            deadline = time.monotonic() + 30
            while not (tmp_path / "beat").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            alive = health(env)
            assert alive.returncode == 0, alive.stderr
            os.killpg(proc.pid, signal.SIGSTOP)  # hung: no pings, no pongs, no heartbeat
            time.sleep(2.5)
            hung = health(env, "--max-age", "2")
            assert hung.returncode == 1 and "is hung or cut off" in hung.stderr
            os.killpg(proc.pid, signal.SIGCONT)
            time.sleep(PING_INTERVAL_S * 2)  # pinged again, and Slack answered
            assert health(env, "--max-age", str(PING_INTERVAL_S * 2)).returncode == 0  # touched at every ping
        finally:
            stop(proc)


class Blackhole:
    """A TCP relay to the WebSocket stand-in whose first connection goes silent on cut(): nothing passes
    either way and nothing is closed, as when a network path dies. Later connections pass normally."""

    def __init__(self, upstream: int):
        self.upstream, self.silent = upstream, threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.first = True
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.silent.set()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            silent = self.silent if self.first else threading.Event()
            self.first = False
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b, silent), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, silent: threading.Event) -> None:
        try:
            while data := src.recv(65536):
                if not silent.is_set():
                    dst.sendall(data)
        except OSError:
            pass


@pytest.mark.slow  # waits out the Socket Mode client's ping timeout, as a dead network path would make it
def test_procfile_worker_reconnects_within_20s_after_the_connection_goes_silent(stub, tmp_path):
    connections: list[int] = []

    def slack_side(ws):
        connections.append(1)
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}))
        if len(connections) > 1:  # the new connection after the drop gets an event to answer
            event = {"type": "app_mention", "user": "UDOC", "text": "<@UBOT> insulinoma", "ts": "5.5", "channel": "C1"}
            payload = json.loads(event_body(event, event_id="EvAFTERDROP"))
            ws.send(json.dumps({"envelope_id": "env-2", "type": "events_api", "payload": payload}))
        for _ in ws:
            pass

    with serve(slack_side, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        relay = Blackhole(server.socket.getsockname()[1])
        stub.ws_url = f"ws://127.0.0.1:{relay.port}/link/?ticket=t1"
        proc = start(procfile()["worker"], worker_env(stub, tmp_path))
        try:
            stub.wait("apps.connections.open", timeout=30)
            time.sleep(1)  # connected and greeted
            relay.cut()
            dropped = time.monotonic()
            stub.wait("apps.connections.open", 2, timeout=25)
            (posted,) = stub.wait("chat.postMessage", timeout=25)
            assert time.monotonic() - dropped < 20
            assert posted.params["thread_ts"] == "5.5" and "Insulinoma" in posted.params["text"]
        finally:
            err = stop(proc)
            relay.listener.close()
    logged = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert [e["event"] for e in logged if e["event"] == "socket_connected"] == ["socket_connected"] * 2
    assert "insulinoma" not in err
