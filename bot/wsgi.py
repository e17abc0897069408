"""WSGI entry for the Procfile's web process: `gunicorn --preload ... 'bot.wsgi:web()'`.

  POST /slack/events   Slack's events, commands, shortcuts and interactivity (Bolt, signature checked)
  GET  /healthz        200 with the knowledge version, for load balancers and uptime checks

With --preload the app is built once in gunicorn's master before workers fork, so a bad setting, a
rejected token or broken knowledge stops the process at once with a clear message, not a restart loop.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot import logs
from bot.runner import slack_app
from bot.startup import KNOWLEDGE_ENV, StartupError, load_engine, settings_for

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def create_app(env: Mapping[str, str]) -> WSGIApp:
    settings, _ = settings_for(env, "http")
    engine = load_engine(env.get(KNOWLEDGE_ENV))
    slack = SlackRequestHandler(slack_app(settings, engine))
    health = json.dumps({"status": "ok", "knowledge_version": engine.version}).encode()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and method == "POST":
            try:
                return slack(environ, start_response)
            except Exception as exc:  # a body Bolt cannot parse (it raises before answering): 400, no traceback
                logs.event("bad_request", logging.WARNING, error=type(exc).__name__)
                start_response("400 Bad Request", [("Content-Type", "text/plain"), ("Content-Length", "0")])
                return [b""]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(health)))])
            return [health if method == "GET" else b""]
        body = b"Not found. Slack posts to /slack/events; health checks use /healthz.\n"
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    return app


def web() -> WSGIApp:
    """gunicorn's factory (`bot.wsgi:web()`): the app from the environment, or a clear message and exit 1."""
    try:
        return create_app(os.environ)
    except StartupError as exc:
        sys.stderr.write(exc.report("Cannot start the web process"))
        raise SystemExit(1) from None
