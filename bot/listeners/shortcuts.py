"""The message shortcut "Plan this case": the plan goes into the thread of the message it was run on."""

from __future__ import annotations

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.listeners.common import NOT_A_MEMBER, lazily, not_enabled
from bot.render.slack import PLAN_SHORTCUT, context
from bot.service import Service


def register(app: App, service: Service) -> None:
    @lazily(app.shortcut(PLAN_SHORTCUT))
    def on_plan_shortcut(shortcut: dict, client: WebClient, respond: Respond) -> None:
        channel = (shortcut.get("channel") or {}).get("id")
        if not channel or not service.settings.allows(channel):
            respond(response_type="ephemeral", **not_enabled(service.command))
            return
        posted = shortcut.get("message") or {}
        plan = service.reply(posted.get("text") or "", "shortcut", plan=True)
        try:
            client.chat_postMessage(channel=channel, thread_ts=posted.get("thread_ts") or posted["ts"], **plan)
        except SlackApiError as exc:
            if exc.response.get("error") not in NOT_A_MEMBER:
                raise
            # Not a member of the channel: the plan goes to the person who asked, with how to fix it.
            note = context(
                "I am not a member of this channel, so only you can see this plan. Invite me to post plans in threads."
            )
            respond(response_type="ephemeral", text=plan["text"], blocks=[note, *plan["blocks"]])
