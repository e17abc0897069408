"""The Procfile's web line tried as an attacker would, on 127.0.0.1 only, each attack bounded in time.

Every test talks HTTP to the real process (two uvicorn workers) and checks, on the Slack stand-in, what
the bot sent out. Requests are written byte by byte where an attack needs headers that HTTP libraries
refuse to send.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.slack_stub import SECRET, SlackStub, command_body, event_body, signed_headers
from tests.servers import redis_server, web_line

PRIVATE = "Zyxwvut"  # a word that must never reach a log


@pytest.fixture(scope="module")
def stub():
    s = SlackStub()
    yield s
    s.close()


@pytest.fixture(scope="module")
def web(stub, tmp_path_factory):
    with web_line(stub, tmp_path_factory.mktemp("data"), WEB_CONCURRENCY="2", SLACK_API_TIMEOUT="1") as w:
        yield w
    assert PRIVATE not in w.log and "Traceback" not in w.log


def raw(port: int, head: bytes, body: bytes = b"", timeout: float = 10) -> int:
    """Send bytes as they are; the response's status code (0 if the connection closed without one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(head + body)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                return 0
            data += chunk
    return int(data.split(b" ", 2)[1])


def request(body: str, headers: dict[str, str], extra: bytes = b"") -> bytes:
    lines = [b"POST /slack/events HTTP/1.1", b"Host: 127.0.0.1", f"Content-Length: {len(body.encode())}".encode()]
    lines += [f"{k}: {v}".encode("latin-1") for k, v in headers.items()]
    return b"\r\n".join(lines) + extra + b"\r\n\r\n"


def slash(web, stub: SlackStub, text: str = "insulinoma metastasis rate") -> tuple[int, float]:
    """A legitimate signed slash command: (status, seconds to the ack)."""
    body = command_body(text, stub)
    started = time.perf_counter()
    status = raw(web.port, request(body, signed_headers(body)), body.encode())
    return status, time.perf_counter() - started


def sent(stub: SlackStub) -> list[str]:
    """Everything the bot sent to Slack so far, apart from its start-up auth.test."""
    return [c.method for c in stub.settle() if c.method != "auth.test"]


def attack_bodies(stub: SlackStub) -> list[tuple[str, str]]:
    """A slash command and an event, each naming a response_url, a channel and a user to post to."""
    event = {"type": "app_mention", "user": "UDOC", "text": f"<@UBOT> {PRIVATE}", "ts": "1.1", "channel": "CBOARD"}
    evil = json.loads(event_body(event, event_id="EvEVIL"))
    evil["response_url"] = stub.response_url("ssrf")
    return [
        (command_body(PRIVATE, stub), "application/x-www-form-urlencoded"),
        (json.dumps(evil), "application/json"),
    ]


BAD_TIMESTAMPS = {"word": "soon", "missing": None, "1e99": "1e99", "nan": "nan", "hex": "0x10", "8k-digits": "9" * 8000}


@pytest.mark.parametrize("timestamp", BAD_TIMESTAMPS.values(), ids=BAD_TIMESTAMPS.keys())
def test_a_malformed_timestamp_gets_401_and_nothing_is_sent(web, stub, timestamp):
    before = sent(stub)
    for body, kind in attack_bodies(stub):
        headers = signed_headers(body, content_type=kind)
        if timestamp is None:
            del headers["x-slack-request-timestamp"]
        else:
            headers["x-slack-request-timestamp"] = timestamp
        assert raw(web.port, request(body, headers), body.encode()) == 401
    assert sent(stub) == before


@pytest.mark.parametrize("signature", ["v0=é" + "0" * 63, "v0=✓" + "0" * 61, "", "v0=" + "0" * 64])
def test_a_malformed_or_wrong_signature_gets_401_and_nothing_is_sent(web, stub, signature):
    before = sent(stub)
    for body, kind in attack_bodies(stub):
        headers = {k: v for k, v in signed_headers(body, content_type=kind).items() if k != "x-slack-signature"}
        head = request(body, headers, extra=b"\r\nX-Slack-Signature: " + signature.encode())  # UTF-8, as sent
        assert raw(web.port, head, body.encode()) == 401
    assert sent(stub) == before


def test_a_stale_but_correctly_signed_request_gets_401(web, stub):
    body = command_body("insulinoma", stub)
    headers = signed_headers(body, timestamp=int(time.time()) - 301)
    assert raw(web.port, request(body, headers), body.encode()) == 401


def test_a_correctly_signed_body_that_is_not_utf8_gets_401_and_the_worker_goes_on(web, stub):
    body = b"command=/pnet&text=\xff\xfe"
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": "v0=" + digest,
    }
    before = sent(stub)
    assert raw(web.port, request("x" * len(body), headers), body) == 401  # request() reads only the length
    assert sent(stub) == before and slash(web, stub)[0] == 200


def test_a_replayed_request_is_refused(web, stub):
    body = command_body("surveillance after resection", stub)
    head = request(body, signed_headers(body))
    assert raw(web.port, head, body.encode()) == 200
    assert [raw(web.port, head, body.encode()) for _ in range(4)] == [401] * 4


def test_an_oversized_body_gets_413_before_it_is_sent_and_legit_acks_go_on(web, stub):
    ten_mb = 10 * 1024 * 1024
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % ten_mb
    statuses = [raw(web.port, head) for _ in range(5)]  # headers only: the answer comes without the body
    assert statuses == [413] * 5
    assert all(status == 200 and seconds < 1 for status, seconds in (slash(web, stub) for _ in range(5)))
    chunked = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert raw(web.port, chunked) == 400


def test_a_small_content_length_with_a_chunked_body_is_refused_before_reading(web, stub):
    """The attack review of 2026-12-06: Content-Length 5 plus Transfer-Encoding: chunked streamed a worker to
    1.4 GB. Both headers: 400 before a byte of the body is read; the worker still acks at once."""
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert raw(web.port, head, b"400\r\n" + b"x" * 0x400 + b"\r\n") == 400  # refused on the head alone
    assert all(status == 200 and seconds < 1 for status, seconds in (slash(web, stub) for _ in range(3)))


def test_sixteen_slow_clients_do_not_delay_legit_acks(web, stub):
    stop = threading.Event()
    head = request("x" * 10, {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=" + "0" * 64})

    mid_headers = threading.Barrier(17)

    def trickle() -> None:  # one header byte every 50 ms until told to stop (at most 15 s)
        with socket.create_connection(("127.0.0.1", web.port), timeout=5) as s:
            for i in range(min(len(head) - 1, 300)):
                if stop.is_set():
                    return
                s.sendall(head[i : i + 1])
                if i == 2:
                    mid_headers.wait(timeout=10)
                time.sleep(0.05)

    slow = [threading.Thread(target=trickle, daemon=True) for _ in range(16)]
    for t in slow:
        t.start()
    mid_headers.wait(timeout=10)  # all sixteen connected and mid-headers
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: slash(web, stub), range(20)))
    finally:
        stop.set()
        for t in slow:
            t.join(timeout=5)
    assert all(status == 200 for status, _ in results)
    assert max(seconds for _, seconds in results) < 1, results


@pytest.mark.slow  # waits out BODY_TIMEOUT_S
def test_a_body_that_never_comes_is_dropped_without_holding_up_others(web, stub):
    results: list[int] = []
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
    liars = [threading.Thread(target=lambda: results.append(raw(web.port, head, b"abc"))) for _ in range(8)]
    started = time.monotonic()
    for t in liars:
        t.start()
    assert all(status == 200 and seconds < 1 for status, seconds in (slash(web, stub) for _ in range(5)))
    for t in liars:
        t.join(timeout=15)
    assert results == [408] * 8 and time.monotonic() - started < 10


def test_an_oversized_request_head_is_refused_and_legit_acks_go_on(web, stub):
    headers = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"y" * 100) for i in range(1000))  # about 110 KB of headers
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n" + headers + b"\r\n"
    assert raw(web.port, head, b"{}") in (0, 400, 431)
    assert all(status == 200 and seconds < 1 for status, seconds in (slash(web, stub) for _ in range(3)))


@pytest.mark.slow  # waits out HEAD_TIMEOUT_S
def test_idle_connections_are_closed_at_the_head_deadline(web, stub):
    from bot.http_protocol import HEAD_TIMEOUT_S

    idle = [socket.create_connection(("127.0.0.1", web.port), timeout=HEAD_TIMEOUT_S + 5) for _ in range(40)]
    try:
        idle[0].sendall(b"POST /slack/ev")  # one that starts and stalls
        assert all(status == 200 and seconds < 1 for status, seconds in (slash(web, stub) for _ in range(3)))
        closed = [s.recv(1) == b"" for s in idle]  # blocks until the server closes (or the timeout raises)
    finally:
        for s in idle:
            s.close()
    assert all(closed)


@pytest.mark.slow  # waits out BODY_TIMEOUT_S
def test_many_large_bodies_at_once_are_refused_beyond_the_budget(web, stub):
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (1024 * 1024)
    with ThreadPoolExecutor(100) as pool:
        pending = [pool.submit(raw, web.port, head, b"x") for _ in range(100)]
        time.sleep(1)
        assert all(status == 200 and seconds < 1 for status, seconds in (slash(web, stub) for _ in range(3)))
        statuses = [p.result() for p in pending]
    assert set(statuses) <= {408, 503} and statuses.count(503) >= 30, statuses


def test_a_message_of_digits_is_answered_at_once(web, stub):
    status, seconds = slash(web, stub, "1" * 5000)
    assert status == 200 and seconds < 1


@pytest.mark.slow  # waits out a Retry-After and two API timeouts
def test_web_api_429_500_and_timeout_are_survived(web, stub):
    def mention(event_id: str, text: str) -> None:
        event = {"type": "app_mention", "user": "UDOC", "text": f"<@UBOT> {text}", "ts": "2.2", "channel": "CBOARD"}
        body = event_body(event, event_id=event_id)
        assert raw(web.port, request(body, signed_headers(body, content_type="application/json")), body.encode()) == 200

    posts = len(stub.calls_to("chat.postMessage"))
    stub.fail("chat.postMessage", 429, headers={"Retry-After": "1"})
    mention("Ev429", "insulinoma")
    stub.wait("chat.postMessage", posts + 2)  # the refused one, then the answer
    assert "Insulinoma" in stub.calls_to("chat.postMessage")[-1].params["text"]

    notices = len(stub.calls_to("chat.postEphemeral"))
    stub.fail("chat.postMessage", 500)
    mention("Ev500", "insulinoma")
    stub.wait("chat.postEphemeral", notices + 1)

    stub.fail("chat.postMessage", 200, {"ok": True}, delay=2, times=2)  # SLACK_API_TIMEOUT=1: the try and its retry
    mention("EvSLOW", "insulinoma")
    notice = stub.wait("chat.postEphemeral", notices + 2, timeout=15)[-1]
    assert "something went wrong" in notice.params["text"]
    assert slash(web, stub)[0] == 200  # and the bot goes on answering


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_hundred_retried_events_over_two_workers_are_posted_exactly_once(kind, tmp_path):
    stub = SlackStub()
    try:
        if kind == "redis":
            with redis_server(tmp_path) as url:
                log = _send_retried_events(stub, tmp_path, REDIS_URL=url)
        else:
            log = _send_retried_events(stub, tmp_path)
    finally:
        stub.close()
    assert PRIVATE not in log
    assert log.count('"event": "event_redelivery_skipped"') == 100


def _send_retried_events(stub: SlackStub, data_dir, **env) -> str:
    def deliver(i: int, retry: int) -> int:
        ts = f"1700000{i:03d}.000100"
        event = {"type": "app_mention", "user": "UDOC", "text": f"<@UBOT> {PRIVATE} insulinoma", "ts": ts}
        body = event_body({**event, "channel": "CBOARD"}, event_id=f"EvR{i:03d}")
        # Slack's retry: the same event, signed anew (another timestamp), with the retry headers
        headers = signed_headers(body, content_type="application/json", timestamp=int(time.time()) - 2 * retry)
        if retry:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        return raw(web.port, request(body, headers), body.encode())

    with web_line(stub, data_dir, WEB_CONCURRENCY="2", **env) as web, ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda n: deliver(n // 2, n % 2), range(200)))
        assert statuses == [200] * 200
        stub.wait("chat.postMessage", 100, timeout=60)
        posts = [c for c in stub.settle(quiet=1.0) if c.method == "chat.postMessage"]
        assert sorted(p.params["thread_ts"] for p in posts) == [f"1700000{i:03d}.000100" for i in range(100)]
    return web.log
