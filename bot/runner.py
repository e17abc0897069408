"""Running the Slack app: Socket Mode (the Procfile's worker) or HTTP (the Procfile's web line, bot/web.py)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import heartbeat, logs
from bot.app import build_app
from bot.settings import Mode, Settings, secret
from bot.startup import KNOWLEDGE_ENV, StartupError
from bot.store import Store, StoreError, open_store
from handlers.engine import Engine

# Socket Mode: a ping every PING_INTERVAL_S; slack_sdk drops a connection whose last pong is older than
# four intervals and opens a new one at the next check, so a silent drop is noticed within about 15 s
# (Bolt's default of 10 s meant about a minute without answers).
PING_INTERVAL_S = 3


def store_for(settings: Settings) -> Store:
    try:
        return open_store(secret(settings.redis_url) or None, settings.data_dir)
    except StoreError as exc:
        raise StartupError([str(exc)]) from None


def slack_app(settings: Settings, engine: Engine, store: Store) -> App:
    """The Bolt app; Bolt checks the bot token with auth.test here, so a wrong token stops start-up."""
    logs.setup(settings.log_level)
    try:
        return build_app(settings, engine, store=store)
    except (BoltError, SlackClientError, OSError) as exc:
        api_error = exc if isinstance(exc, SlackApiError) else exc.__context__  # Bolt wraps auth.test's error
        if isinstance(api_error, SlackApiError):
            problem = f"Slack did not accept SLACK_BOT_TOKEN ({api_error.response.get('error')}); check the token"
        else:
            problem = f"Could not reach Slack at {settings.api_url} ({type(exc).__name__}); check SLACK_API_URL and the network"
        raise StartupError([problem]) from None


def serve(
    settings: Settings, mode: Mode, engine: Engine, knowledge_dir: str | None = None, err: TextIO = sys.stderr
) -> int:
    """Run the Slack app in Socket Mode or HTTP until stopped. `knowledge_dir` is where `engine`'s knowledge
    came from (None: the packaged knowledge); web workers load the same directory and must find the same version."""
    try:
        store = store_for(settings)
        app = slack_app(settings, engine, store)
    except StartupError as exc:
        err.write(exc.report())
        return 1
    logs.event("starting", mode=mode, knowledge_version=engine.version, command=settings.slash_command)
    if mode == "socket":
        socket_mode(app, settings).start()
        return 0
    from bot import web

    if settings.web_concurrency == 1:  # this process serves; the app built above is the one
        web.serve(web.Web(app, secret(settings.signing_secret), store, settings.web_threads, engine.version), settings)
    else:  # the app above was the start-up check; each worker builds its own from the environment
        if knowledge_dir:  # `--knowledge DIR` as well as PNET_KNOWLEDGE_DIR, whatever the workers' directory
            os.environ[KNOWLEDGE_ENV] = os.path.abspath(knowledge_dir)
        os.environ[web.KNOWLEDGE_VERSION_ENV] = engine.version
        web.serve("bot.web:worker", settings)
    return 0


def socket_mode(app: App, settings: Settings):
    """Bolt's Socket Mode handler, tuned to notice a dropped connection fast, logging connection events only."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, secret(settings.app_token), ping_interval=PING_INTERVAL_S)
    client = handler.client

    def on_message(message: str) -> None:  # only the connection's own messages are read, never a payload
        try:
            kind = json.loads(message).get("type")
        except (ValueError, AttributeError):
            return
        if kind == "hello":
            logs.event("socket_connected", session=client.session_id())
        elif kind == "disconnect":  # Slack asks us to reconnect (refresh, link disabled)
            logs.event("socket_disconnect_requested", session=client.session_id())

    def on_close(code: int, reason: str | None = None) -> None:
        logs.event("socket_closed", logging.WARNING, code=code, session=client.session_id())

    def on_error(error: Exception) -> None:
        logs.event("socket_error", logging.WARNING, error=type(error).__name__, session=client.session_id())

    client.on_message_listeners.append(on_message)
    client.on_close_listeners.append(on_close)
    client.on_error_listeners.append(on_error)
    heartbeat.keep(client, Path(settings.heartbeat_file), PING_INTERVAL_S)
    return handler
