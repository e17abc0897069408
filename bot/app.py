"""build_app(settings, engine) -> slack_bolt.App, the one place the Slack app is put together.

Beyond the listeners it adds what Slack expects of a well-behaved app:
- a Web API client on SLACK_API_URL that waits out rate limits (429 + Retry-After) instead of failing;
- event de-duplication: Slack re-sends an event it thinks we missed (X-Slack-Retry-Num), Bolt does not
  de-duplicate, and a second answer in a tumour-board thread would be noise;
- an error handler that tells the user politely, with an id, and logs the error type only.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot import logs
from bot.listeners import register_all
from bot.listeners.common import send_to_response_url
from bot.render.slack import error_notice
from bot.service import Service, new_answer_id
from bot.settings import Settings
from handlers.engine import Engine

RATE_LIMIT_RETRIES = 3
LISTENER_THREADS = 16
API_TIMEOUT_S = 10


class SeenEvents:
    """Event ids seen in the last `ttl` seconds (bounded), shared by the threads of one process."""

    def __init__(self, ttl: float = 3600, max_size: int = 50_000):
        self.ttl, self.max_size = ttl, max_size
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._seen and (len(self._seen) >= self.max_size or next(iter(self._seen.values())) < now - self.ttl):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class RequestGuard(Middleware):
    """Before any listener: refuse payloads Bolt itself would crash on, and skip re-delivered events.

    A class, not a decorated function, because Bolt's argument injection for decorated middleware
    reads `actions[0]` and the like, and raises on exactly the malformed payloads this refuses.
    """

    def __init__(self) -> None:
        self.seen = SeenEvents()

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        body = req.body
        kind = body.get("type")
        malformed = (
            (kind in ("block_actions", "interactive_message") and not _non_empty_list(body.get("actions")))
            or (kind in ("view_submission", "view_closed") and not isinstance(body.get("view"), dict))
            or (kind == "event_callback" and not isinstance(body.get("event"), dict))
            or (not kind and "command" not in body and "ssl_check" not in body)
        )
        if malformed:
            logs.event("malformed_request", logging.WARNING, request_type=kind)
            return BoltResponse(status=400, body="")
        event_id = body.get("event_id") if kind == "event_callback" else None
        if event_id and not self.seen.first_time(event_id):
            retry = (req.headers.get("x-slack-retry-num") or [None])[0]
            logs.event("event_redelivery_skipped", event_id=event_id, retry_num=retry)
            return BoltResponse(status=200, body="")
        return next()


def _non_empty_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def make_client(settings: Settings) -> WebClient:
    client = WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=API_TIMEOUT_S)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def build_app(settings: Settings, engine: Engine, client: WebClient | None = None) -> App:
    app = App(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret or "",
        process_before_response=False,  # ack at once; the answer follows from a worker thread
        # Listeners wait on Slack's Web API; Bolt's default of 5 threads would queue a busy board's requests.
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS),
    )
    service = Service(engine, settings)

    app.use(RequestGuard())

    @app.error
    def on_error(error: Exception, body: dict, client: WebClient) -> None:
        answer_id = new_answer_id()
        slack_error = error.response.get("error") if isinstance(error, SlackApiError) else None
        logs.event(
            "listener_failed",
            logging.ERROR,
            answer_id=answer_id,
            error=type(error).__name__,
            slack_error=slack_error,
            request_type=body.get("type"),
        )
        _tell_user(body, client, answer_id)

    register_all(app, service)
    return app


def _tell_user(body: dict, client: WebClient, answer_id: str) -> None:
    """Best effort: an ephemeral notice where Slack lets us send one. Failing here is only logged."""
    message = error_notice(answer_id)
    event = body.get("event") or {}
    try:
        if body.get("response_url"):
            send_to_response_url(body["response_url"], message)
        elif event.get("channel") and event.get("user"):
            client.chat_postEphemeral(channel=event["channel"], user=event["user"], **message)
        elif (body.get("user") or {}).get("id"):
            client.chat_postMessage(channel=body["user"]["id"], **message)
    except Exception as exc:
        logs.event("error_notice_failed", logging.WARNING, answer_id=answer_id, error=type(exc).__name__)
