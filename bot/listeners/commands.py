"""The slash command (default /pnet): `/pnet <question or case>`, `/pnet help`, `/pnet case` (the modal).

The answer is ephemeral, with a "Share in channel" button. Ack comes first, always.
"""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.listeners.common import not_enabled
from bot.render.slack import case_modal
from bot.service import Service


def register(app: App, service: Service) -> None:
    @app.command(service.command)
    def on_command(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        ack()
        if not service.settings.allows(command.get("channel_id")):
            respond(response_type="ephemeral", **not_enabled(service.command))
            return
        text = (command.get("text") or "").strip()
        if text.lower() == "case":
            metadata = {"channel": command.get("channel_id"), "response_url": command.get("response_url")}
            client.views_open(trigger_id=command["trigger_id"], view=case_modal(metadata))
            return
        reply = service.reply(text, "command", shareable=True)
        respond(response_type="ephemeral", replace_original=False, **reply.message)
