"""Running the Slack app: Socket Mode (the Procfile's worker) or Bolt's own HTTP server (local trials).

The Procfile's web process serves HTTP through gunicorn instead; see bot/wsgi.py.
"""

from __future__ import annotations

import sys
from typing import TextIO

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import logs
from bot.app import build_app
from bot.settings import Mode, Settings
from bot.startup import StartupError
from handlers.engine import Engine


def slack_app(settings: Settings, engine: Engine) -> App:
    """The Bolt app; Bolt checks the bot token with auth.test here, so a wrong token stops start-up."""
    logs.setup(settings.log_level)
    try:
        return build_app(settings, engine)
    except (BoltError, SlackClientError, OSError) as exc:
        api_error = exc if isinstance(exc, SlackApiError) else exc.__context__  # Bolt wraps auth.test's error
        if isinstance(api_error, SlackApiError):
            problem = f"Slack did not accept SLACK_BOT_TOKEN ({api_error.response.get('error')}); check the token"
        else:
            problem = f"Could not reach Slack at {settings.api_url} ({type(exc).__name__}); check SLACK_API_URL and the network"
        raise StartupError([problem]) from None


def serve(settings: Settings, mode: Mode, engine: Engine, err: TextIO = sys.stderr) -> int:
    """Run the Slack app in Socket Mode or HTTP until stopped."""
    try:
        app = slack_app(settings, engine)
    except StartupError as exc:
        err.write(exc.report())
        return 1
    logs.event("starting", mode=mode, knowledge_version=engine.version, command=settings.slash_command)
    if mode == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.app_token).start()
    else:  # Bolt's own HTTP server, for trying HTTP mode locally; production uses the Procfile's web line
        app.start(port=settings.port, path="/slack/events")
    return 0
