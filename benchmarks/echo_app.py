"""The baseline for benchmarks/http_mode.py: a bare Bolt app that only echoes the slash command's text.

Served by the same gunicorn line as the bot (the Procfile's web line with this factory instead).
"""

from __future__ import annotations

import os

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient


def web():
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.command(os.environ.get("PNET_SLASH_COMMAND", "/pnet"))
    def echo(ack, command):
        ack(text=command.get("text") or "")

    return SlackRequestHandler(app)
