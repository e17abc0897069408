"""The slash command (default /pnet): `/pnet <question or case>`, `/pnet help`, `/pnet case` (the modal),
`/pnet board <case>` (the tumour board's case card).

The answer travels in the acknowledgement itself, as Slack recommends for replies ready within 3 s:
the engine takes about a millisecond, so one HTTP round trip carries it, with no response_url post
that could fail or arrive out of order. It is ephemeral, with a "Share in channel" button.
"""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.common import not_enabled
from bot.render.slack import case_modal
from bot.service import Service


def register(app: App, service: Service) -> None:
    @app.command(service.command)
    def on_command(ack: Ack, command: dict, client: WebClient) -> None:
        if not service.settings.allows(command.get("channel_id")):
            ack(response_type="ephemeral", **not_enabled(service.command))
            return
        text = (command.get("text") or "").strip()
        if text.lower() == "case":
            ack()
            metadata = {"channel": command.get("channel_id"), "response_url": command.get("response_url")}
            client.views_open(trigger_id=command["trigger_id"], view=case_modal(metadata))
            return
        word, _, rest = text.partition(" ")
        if word.lower() == "board":
            ack(response_type="ephemeral", **service.board(rest, "command_board", thread_ts=None, private=True))
            return
        ack(response_type="ephemeral", **service.reply(text, "command", shareable=True))
