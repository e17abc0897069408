"""Events: mentions (answered in the thread), direct messages, App Home.

"@bot plan" alone in a thread plans the case posted as the thread's first message; "@bot board" makes
the tumour board's case card for it.
"""

from __future__ import annotations

import re

from slack_bolt import App, Say
from slack_sdk import WebClient

from bot.listeners.common import lazily, not_enabled
from bot.service import Service
from handlers.router import clean_slack

_BARE_MAX = 200  # characters, mention markup included
_BARE = re.compile(
    r"^\s*(?:please\s+)?(?P<what>plan|board|prepare(?:\s+(?:it|this))?\s+for\s+(?:the\s+)?(?:tumou?r\s+)?board)"
    r"(?:\s+(?:this|the|it))?(?:\s+case)?(?:\s+please)?\s*[.!?]*\s*$",
    re.I,
)


def bare_request(text: str) -> str | None:
    """'@bot plan' or '@bot board' alone: "plan" or "board"; a long message is never that, so it is not
    cleaned in full to find out."""
    m = _BARE.match(clean_slack(text)) if len(text) <= _BARE_MAX else None
    return None if m is None else "plan" if m["what"].lower() == "plan" else "board"


def register(app: App, service: Service) -> None:
    @lazily(app.event("app_mention"))
    def on_mention(event: dict, say: Say, client: WebClient) -> None:
        channel, user = event["channel"], event.get("user")
        if not service.settings.allows(channel):
            if user:
                client.chat_postEphemeral(channel=channel, user=user, **not_enabled(service.command))
            return
        thread_ts = event.get("thread_ts")
        text = event.get("text") or ""
        bare = bare_request(text) if thread_ts else None
        if thread_ts and bare:
            replies = client.conversations_replies(channel=channel, ts=thread_ts, limit=1, inclusive=True)
            parent = (replies.get("messages") or [{}])[0].get("text") or ""
            if bare == "plan":
                message = service.reply(parent, "mention_plan", plan=True)
            else:
                message = service.board(parent, "mention_board", thread_ts=thread_ts, private=False)
        else:
            message = service.reply(text, "mention")
        say(thread_ts=thread_ts or event["ts"], **message)

    @lazily(app.event("message"))
    def on_message(event: dict, say: Say) -> None:
        """Direct messages only; edits, joins and bots' messages (ours included) are ignored."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        say(thread_ts=event.get("thread_ts"), **service.reply(event.get("text") or "", "dm"))

    @lazily(app.event("app_home_opened"))
    def on_home(event: dict, client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            client.views_publish(user_id=event["user"], view=service.home_view())
