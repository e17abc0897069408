"""build_app(settings, engine) -> slack_bolt.App, the one place the Slack app is put together.

Beyond the listeners it adds what Slack expects of a well-behaved app:
- acknowledgements without delay: process_before_response=True, so Bolt answers as soon as the ack
  listener returns (no poll loop); work that calls Slack runs afterwards as a lazy listener;
- a Web API client on SLACK_API_URL that waits out rate limits (429 + Retry-After) instead of failing;
- event de-duplication in the store all processes share (bot/store.py): Slack re-sends an event it
  thinks we missed (X-Slack-Retry-Num), Bolt does not de-duplicate, and a second answer in a
  tumour-board thread would be noise;
- an error handler that tells the user politely, with an id, and logs the error type only; it acts
  only on requests that passed Bolt's verification and our guard, never on an unverified body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot import logs
from bot.listeners import register_all
from bot.listeners.common import CHECKED, report_failure
from bot.service import Service
from bot.settings import Settings, secret
from bot.store import EVENT_TTL_S, Store, StoreError
from handlers.engine import Engine

RATE_LIMIT_RETRIES = 3


class RequestGuard(Middleware):
    """Before any listener: refuse payloads Bolt itself would crash on, and skip re-delivered events.

    It runs after Bolt's own middleware (signature check included), so a request that reaches it is
    marked as checked: only those may lead to a message to the user when something fails.

    A class, not a decorated function, because Bolt's argument injection for decorated middleware
    reads `actions[0]` and the like, and raises on exactly the malformed payloads this refuses.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

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
        if isinstance(event_id, str) and event_id:
            try:
                first = self.store.first_time("event:" + event_id, EVENT_TTL_S)
            except StoreError as exc:  # unanswered, so Slack retries later rather than risk a double post
                logs.event("store_unavailable", logging.ERROR, error=str(exc))
                return BoltResponse(status=503, body="")
            if not first:
                retries = req.headers.get("x-slack-retry-num") or []
                retry = retries[0] if retries else None
                logs.event("event_redelivery_skipped", event_id=event_id, retry_num=retry)
                return BoltResponse(status=200, body="")
        req.context[CHECKED] = True
        return next()


def _non_empty_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def make_client(settings: Settings) -> WebClient:
    client = WebClient(token=secret(settings.bot_token), base_url=settings.api_url, timeout=settings.api_timeout)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def build_app(settings: Settings, engine: Engine, client: WebClient | None = None, *, store: Store) -> App:
    app = App(
        client=client or make_client(settings),
        signing_secret=secret(settings.signing_secret),
        # Answer Slack as soon as the ack listener returns; work that calls Slack runs as a lazy listener.
        process_before_response=True,
        # Lazy listeners wait on Slack's Web API; Bolt's default of 5 threads would queue a busy board's requests.
        listener_executor=ThreadPoolExecutor(max_workers=settings.listener_threads, thread_name_prefix="listener"),
    )
    service = Service(engine, settings)

    app.use(RequestGuard(store))

    @app.error
    def on_error(error: Exception, body: dict, client: WebClient, context: dict) -> None:
        report_failure(error, body, client, tell_user=bool(context.get(CHECKED)))

    register_all(app, service)
    return app
