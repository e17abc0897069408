"""The web process (`python -m bot run --mode http`, the Procfile's web line): uvicorn, our front door, Bolt.

  POST /slack/events   Slack's events, commands, shortcuts and interactivity
  GET  /healthz        for load balancers and uptime checks: 200 when this worker can serve (knowledge
                       loaded, store reachable), else 503; both with {"status", "knowledge_version", "store"}

Every POST passes, in this order, before Bolt sees a byte of it:
  1. size: a Content-Length no larger than Slack ever sends (else 413, before reading the body; 411
     without one); the body must arrive within BODY_TIMEOUT_S (else 408);
  2. signature and timestamp (bot/verification.py; else 401);
  3. replay: the signature must not have been accepted before (bot/store.py; else 401).
Then Bolt dispatches it in one of WEB_THREADS threads, checking the signature once more.

Why uvicorn: it reads requests on an event loop, so a client that trickles its headers or promises a
body it never sends holds a few kilobytes and a socket, not a thread (gunicorn's gthread worker hands
each connection to a thread that blocks on the headers, and has no header timeout: eight slow clients
stopped it). Our checks run on the loop too; only verified requests take a thread. uvicorn itself has
no deadline for the request head and, with httptools, no bound on its size: bot/http_protocol.py adds
both on h11. Bodies above SMALL_BODY_BYTES draw on a per-worker budget, so many connections sending
large bodies cannot exhaust memory before their signature is checked.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot import logs
from bot.http_protocol import HEAD_MAX_BYTES, GuardedH11Protocol
from bot.manifest import EVENTS_PATH
from bot.settings import Settings, secret
from bot.store import REPLAY_TTL_S, Store, StoreError
from bot.verification import refusal

# Set by the web process for its workers: the knowledge version it checked at start. A worker that finds
# another version (the files changed since) refuses to start, and uvicorn then stops the whole service.
KNOWLEDGE_VERSION_ENV = "PNET_SERVING_KNOWLEDGE_VERSION"
HEALTH_PATH = "/healthz"

# Slack's largest payloads to this app are message events (text up to 40,000 characters, repeated in
# rich-text blocks, up to 4 bytes a character: about 320 KB) and button clicks that carry our own
# answer message (at most 50 blocks of 3,000 characters, form-encoded). 1 MiB covers both with room.
MAX_BODY_BYTES = 1024 * 1024
BODY_TIMEOUT_S = 5  # Slack sends its body at once; a client that takes longer is not Slack
SMALL_BODY_BYTES = 64 * 1024  # commands, clicks and most events; uvicorn buffers this much anyway
LARGE_BODY_BUDGET = 32 * 1024 * 1024  # per worker: larger bodies being read at once, all together
MAX_CONNECTIONS = 1000  # per worker; beyond it uvicorn answers 503 at once
KEEP_ALIVE_S = 5
HEALTH_CHECK_EVERY_S = 1.0  # /healthz asks the store at most this often per worker; callers in between share it

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Web:
    """The ASGI app of one worker process."""

    def __init__(self, bolt: App, signing_secret: str, store: Store, threads: int, knowledge_version: str):
        self.bolt, self.verifier, self.store = bolt, SignatureVerifier(signing_secret), store
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="web")
        self.knowledge_version = knowledge_version  # a Web exists only once its knowledge has loaded
        self.large_in_flight = 0  # bytes of large bodies being read now (event loop only: no lock needed)
        self._store_check: asyncio.Future[bool] | None = None  # the last store check (event loop only)
        self._store_checked_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path == EVENTS_PATH and method == "POST":
            status, headers, body = await self.slack(scope, receive)
        elif path == HEALTH_PATH and method in ("GET", "HEAD"):
            status, headers, body = await self.healthz()
        else:
            status, headers, body = 404, [("content-type", "text/plain")], b"Not found. Slack posts to /slack/events.\n"
        await send({"type": "http.response.start", "status": status, "headers": _raw(headers, len(body))})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})

    async def healthz(self) -> tuple[int, list[tuple[str, str]], bytes]:
        """200 if a Slack request would be served now, 503 if it would fail (the store is unreachable)."""
        loop = asyncio.get_running_loop()
        last = self._store_check
        if last is None or (last.done() and loop.time() - self._store_checked_at >= HEALTH_CHECK_EVERY_S):
            self._store_checked_at = loop.time()
            self._store_check = last = loop.run_in_executor(self.pool, self._store_reachable)
        store_ok = await asyncio.shield(last)  # a caller that goes away does not cancel the others' check
        body = {"status": "ok" if store_ok else "unavailable", "knowledge_version": self.knowledge_version}
        body["store"] = "ok" if store_ok else "unreachable"
        return 200 if store_ok else 503, [("content-type", "application/json")], json.dumps(body).encode()

    def _store_reachable(self) -> bool:
        try:
            self.store.check()
            return True
        except StoreError as exc:
            logs.event("store_unavailable", logging.ERROR, error=str(exc))
            return False

    async def slack(self, scope: Scope, receive: Receive) -> tuple[int, list[tuple[str, str]], bytes]:
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:  # the first of repeated headers, as Bolt would read them
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        if "transfer-encoding" in headers:  # Slack sends a Content-Length; with both, the length is no bound
            return _refuse(400, "transfer_encoding")
        length = headers.get("content-length", "")
        if not (length.isascii() and length.isdigit() and len(length) <= 9):
            return _refuse(411, "no_content_length")
        size = int(length)
        if size > MAX_BODY_BYTES:
            return _refuse(413, "body_too_large")
        large = size if size > SMALL_BODY_BYTES else 0
        if self.large_in_flight + large > LARGE_BODY_BUDGET:
            return _refuse(503, "large_body_budget")
        self.large_in_flight += large
        try:
            body = await asyncio.wait_for(_read_body(receive, size), BODY_TIMEOUT_S)
        except (asyncio.TimeoutError, ConnectionError):
            return _refuse(408, "body_not_sent")
        except ValueError:
            return _refuse(413, "body_longer_than_declared")
        finally:
            self.large_in_flight -= large
        reason = refusal(self.verifier, headers, body)
        if reason:
            return _refuse(401, reason)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, self.dispatch, scope, headers, body)

    def dispatch(self, scope: Scope, headers: dict[str, str], body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        """In a worker thread: the replay check, then Bolt."""
        try:
            if not self.store.first_time("sig:" + headers["x-slack-signature"][3:], REPLAY_TTL_S):
                return _refuse(401, "replayed")
        except StoreError as exc:
            logs.event("store_unavailable", logging.ERROR, error=str(exc))
            return _refuse(503, "store_unavailable")
        try:
            request = BoltRequest(
                body=body.decode("utf-8"), query=scope.get("query_string", b"").decode("latin-1"), headers=dict(headers)
            )
            response = self.bolt.dispatch(request)
        except Exception as exc:  # a body Bolt cannot parse (it raises before answering): 400, no traceback
            logs.event("bad_request", logging.WARNING, error=type(exc).__name__)
            return 400, [], b""
        out = [(k, v) for k, values in response.headers.items() if k.lower() != "content-length" for v in values]
        return response.status, out, (response.body or "").encode()


async def _read_body(receive: Receive, size: int) -> bytes:
    """The body, never more than the declared length (ValueError past it: nothing more is read)."""
    chunks: list[bytes] = []
    read = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("client went away")
        chunk = message.get("body", b"")
        read += len(chunk)
        if read > size:
            raise ValueError("body longer than its Content-Length")
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _refuse(status: int, reason: str) -> tuple[int, list[tuple[str, str]], bytes]:
    logs.event("request_refused", logging.WARNING, status=status, reason=reason)
    return status, [("connection", "close")], b""


def _raw(headers: list[tuple[str, str]], length: int) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers] + [
        (b"content-length", str(length).encode())
    ]


def create_app(env: Mapping[str, str]) -> Web:
    """The web app from the environment: settings, knowledge, the Slack app (auth.test) and the store."""
    from bot.runner import slack_app, store_for
    from bot.startup import KNOWLEDGE_ENV, StartupError, load_engine, settings_for

    settings, _ = settings_for(env, "http")
    engine = load_engine(env.get(KNOWLEDGE_ENV))
    expected = env.get(KNOWLEDGE_VERSION_ENV)
    if expected and engine.version != expected:
        raise StartupError(
            [
                f"the knowledge is now version {engine.version}, but the service started with {expected}"
                f" ({env.get(KNOWLEDGE_ENV) or 'the packaged knowledge'}); restart the service to serve one version"
            ]
        )
    store = store_for(settings)
    return Web(
        slack_app(settings, engine, store), secret(settings.signing_secret), store, settings.web_threads, engine.version
    )


def worker() -> Web:
    """uvicorn's factory in each worker process (`bot.web:worker`)."""
    from bot.startup import StartupError

    try:
        return create_app(os.environ)
    except StartupError as exc:  # the parent checked the same settings; only a changed world gets here
        sys.stderr.write(exc.report("Cannot start a web worker"))
        raise SystemExit(3) from None  # uvicorn's "failed to start": the parent stops instead of restarting it


def _raise_file_limit() -> None:
    """Each open connection is a file descriptor: allow as many as the system lets this process have (POSIX)."""
    if os.name != "posix":
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def serve(app: Web | str, settings: Settings) -> None:
    """Run uvicorn with WEB_CONCURRENCY workers (a "module:factory" string) or this process alone (an app)."""
    import uvicorn

    _raise_file_limit()
    uvicorn.run(
        app,
        factory=isinstance(app, str),
        host=settings.bind_address,
        port=settings.port,
        workers=settings.web_concurrency if isinstance(app, str) else None,
        # h11 bounds the request head (httptools accepts any number and size of headers) and our protocol
        # closes connections that do not send a complete head in time (bot/http_protocol.py).
        http=GuardedH11Protocol,
        h11_max_incomplete_event_size=HEAD_MAX_BYTES,
        loop="auto",  # uvloop where it is installed (not on Windows), else asyncio
        ws="none",  # Slack reaches the web process over plain HTTP only
        lifespan="off",
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=KEEP_ALIVE_S,
        timeout_graceful_shutdown=20,
        access_log=False,  # our own JSON lines say what matters; paths and client addresses are not needed
        server_header=False,
        log_config=None,  # keep our JSON log handler
        log_level=settings.log_level.lower(),
    )
