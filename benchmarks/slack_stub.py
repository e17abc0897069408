"""A local stand-in for Slack: the Web API, response_urls, and signed requests to send to the bot.

SlackStub is an http.server on 127.0.0.1 that answers the Web API methods the bot uses the way Slack
does, records every call, and can be told to fail (429 with Retry-After, 500, a slow answer). The bot
reaches it through SLACK_API_URL, exactly as it would reach an enterprise proxy.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from concurrent.futures import Future
from concurrent.futures import wait as wait_for_all
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

SECRET = "8f742231b10e8888abcd99000111a5a5"  # a signing secret is hex, like this made-up one
BOT_USER = "UBOT"


@dataclass
class Call:
    method: str  # Web API method ("chat.postMessage") or "hook:<name>" for a response_url
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = 0.0  # time.perf_counter() when it arrived


@dataclass
class Canned:
    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class SlackStub:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.threads: dict[str, list[dict[str, Any]]] = {}  # thread ts -> messages for conversations.replies
        self.ws_url = ""  # what apps.connections.open hands out
        self._canned: dict[str, list[Canned]] = {}
        self._cond = threading.Condition()
        self._ts = 0
        self._followed: list[Future] | None = None  # the listener work of an in-process app, once follow()ed
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        # serve_forever notices shutdown() only between polls; its default 0.5 s poll made every close() wait.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()

    # --- addresses -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.url}hooks/{name}"

    def close(self) -> None:
        if self._followed is not None:
            self.settle()  # no listener thread of a follow()ed app outlives its test
        self.server.shutdown()
        self.server.server_close()

    # --- programming and reading it --------------------------------------------------------------
    def fail(
        self, method: str, status: int, body: dict[str, Any] | str | None = None, *, headers=None, delay=0.0, times=1
    ):
        body = (
            body if body is not None else {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}
        )
        with self._cond:
            self._canned.setdefault(method, []).extend(Canned(status, body, headers or {}, delay) for _ in range(times))

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait(self, method: str, n: int = 1, timeout: float = 10.0) -> list[Call]:
        """The first n calls to `method`, waiting for them; AssertionError if they do not come."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= n:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {n} call(s) to {method}; calls so far: {seen}")
                self._cond.wait(left)

    def follow(self, app: Any) -> Any:
        """Track an in-process Bolt app's listener threads (its ack listeners' lazy work), so settle()
        waits for exactly that work to finish instead of for a quiet spell. Returns the app."""
        executor = app.listener_runner.listener_executor
        submit = executor.submit
        self._followed = []

        def tracked(fn, /, *args, **kwargs):
            future = submit(fn, *args, **kwargs)
            with self._cond:
                self._followed.append(future)
            return future

        executor.submit = tracked
        return app

    def settle(self, quiet: float = 0.3) -> list[Call]:
        """All calls once nothing more will come (to prove a non-event): for a follow()ed app, once its
        listener work is done; for a bot in another process, once no call has come for `quiet` seconds."""
        if self._followed is not None:
            with self._cond:
                pending = list(self._followed)
            done, not_done = wait_for_all(pending, timeout=30)
            assert not not_done, f"{len(not_done)} listener(s) still running after 30 s"
            with self._cond:
                return list(self.calls)
        while True:
            with self._cond:
                before = len(self.calls)
            time.sleep(quiet)
            with self._cond:
                if len(self.calls) == before:
                    return list(self.calls)

    # --- the server ------------------------------------------------------------------------------
    def _answer(self, method: str, params: dict[str, Any]) -> Canned:
        with self._cond:
            queued = self._canned.get(method)
            if queued:
                return queued.pop(0)
            self._ts += 1
            ts = f"1700000000.{self._ts:06d}"
        if method.startswith("hook:"):
            return Canned(200, "ok")
        bodies: dict[str, dict[str, Any]] = {
            "auth.test": {
                "ok": True,
                "url": "https://stub.slack.com/",
                "team": "Stub",
                "user": "pnet",
                "team_id": "T1",
                "user_id": BOT_USER,
                "bot_id": "BBOT",
            },
            "chat.postMessage": {"ok": True, "channel": params.get("channel"), "ts": ts, "message": {"ts": ts}},
            "chat.postEphemeral": {"ok": True, "message_ts": ts},
            "views.open": {"ok": True, "view": {"id": "V1"}},
            "views.publish": {"ok": True, "view": {"id": "V2"}},
            "conversations.replies": self._replies(params),
            "apps.connections.open": {"ok": True, "url": self.ws_url},
            "files.getUploadURLExternal": {
                "ok": True,
                "upload_url": f"{self.url}upload/F{self._ts:06d}",
                "file_id": f"F{self._ts:06d}",
            },
            "upload": {"ok": True},  # the bytes POSTed to an upload_url; the stand-in keeps them in params["raw"]
            "files.completeUploadExternal": {
                "ok": True,
                "files": [{"id": f["id"], "title": f.get("title")} for f in _json_list(params.get("files"))],
            },
            "assistant.threads.setStatus": {"ok": True},
            "assistant.threads.setTitle": {"ok": True},
            "assistant.threads.setSuggestedPrompts": {"ok": True},
        }
        return Canned(200, bodies.get(method, {"ok": False, "error": "unknown_method"}))

    def _replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """As Slack pages a thread: oldest first (the parent first), `limit` at a time, then by cursor."""
        thread = self.threads.get(str(params.get("ts")), [])
        start = int(params.get("cursor") or 0)
        end = start + int(params.get("limit") or 1000)
        more = end < len(thread)
        cursor = str(end) if more else ""
        return {
            "ok": True,
            "messages": thread[start:end],
            "has_more": more,
            "response_metadata": {"next_cursor": cursor},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _serve(self, params: dict[str, Any]) -> None:
                path = urlparse(self.path).path
                if path.startswith("/hooks/"):
                    method = "hook:" + path.rsplit("/", 1)[-1]
                elif path.startswith("/upload/"):
                    method = "upload"
                else:
                    method = path.rsplit("/", 1)[-1]
                canned = stub._answer(method, params)
                if canned.delay:
                    time.sleep(canned.delay)
                with stub._cond:
                    stub.calls.append(Call(method, params, dict(self.headers), time.perf_counter()))
                    stub._cond.notify_all()
                body = canned.body if isinstance(canned.body, str) else json.dumps(canned.body)
                raw = body.encode()
                try:
                    self.send_response(canned.status)
                    self.send_header(
                        "Content-Type", "text/plain" if isinstance(canned.body, str) else "application/json"
                    )
                    self.send_header("Content-Length", str(len(raw)))
                    for k, v in canned.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(raw)
                except ConnectionError:  # the client gave up waiting (a slow answer, as a timeout test asks)
                    pass

            def do_GET(self) -> None:
                self._serve(dict(parse_qsl(urlparse(self.path).query)))

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if self.path.startswith("/upload/"):
                    params: dict[str, Any] = {"raw": raw}
                elif "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = dict(parse_qsl(raw))
                self._serve(params)

        return Handler


def _json_list(value: Any) -> list[dict[str, Any]]:
    """files.completeUploadExternal's `files` arrives as a JSON string in a form body."""
    try:
        data = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    return data if isinstance(data, list) else []


# --- signed requests, as Slack sends them -----------------------------------------------------------


def signed_headers(
    body: str,
    secret: str = SECRET,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"content-type": content_type, "x-slack-request-timestamp": ts, "x-slack-signature": f"v0={digest}"}


def command_body(
    text: str, stub: SlackStub, command: str = "/pnet", channel: str = "CBOARD", user: str = "UDOC"
) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": channel,
            "channel_name": "tumour-board",
            "user_id": user,
            "user_name": "doc",
            "command": command,
            "text": text,
            "response_url": stub.response_url("cmd"),
            "trigger_id": f"13345224609.738474920.{secrets.token_hex(10)}",  # unique per request, as Slack's
            "api_app_id": "A1",
        }
    )


def event_body(event: dict[str, Any], event_id: str = "Ev001") -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": "T1", "user_id": BOT_USER, "is_bot": True}],
        }
    )


def interactive_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})
