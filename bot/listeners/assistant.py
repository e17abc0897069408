"""Slack's assistant split view (Agents & AI Apps), through Bolt's Assistant middleware.

A new thread gets the greeting and suggested prompts from knowledge/data/meta.yaml; a message in the
thread gets a status while it is answered, the answer in the thread, and the thread's title from the
answer's title. A follow-up that changes the case discussed earlier ("and if Ki-67 were 25%?") re-plans
that case: the thread's earlier messages are read back from Slack when needed, never stored by the bot.

Without the feature turned on in the app's settings Slack sends none of these events, except replies in
a direct-message thread, which are answered the same way (the status and title calls then fail quietly).
"""

from __future__ import annotations

import logging

from slack_bolt import App, Assistant, SetStatus, SetSuggestedPrompts, SetTitle
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import logs
from bot.listeners.common import ack_now, later
from bot.service import Service
from handlers.conversation import HISTORY

STATUS = "is reading the sources…"
TITLE_MAX = 100
REPLIES_PAGE = 200  # messages per conversations.replies call (Slack suggests at most 200)


def _quietly(call, *args, **kwargs) -> None:
    """A status or title: nice to have, never worth failing the answer for."""
    try:
        call(*args, **kwargs)
    except Exception as exc:
        slack_error = exc.response.get("error") if isinstance(exc, SlackApiError) else None
        logs.event("assistant_call_failed", logging.WARNING, error=type(exc).__name__, slack_error=slack_error)


def earlier_messages(client: WebClient, channel: str, thread_ts: str, before: str) -> list[str]:
    """The texts of the last HISTORY people's messages in the thread before `before`, oldest first.

    Slack returns a thread oldest first, a page at a time, so every page is read (slack_sdk follows the
    cursor) to reach the latest ones; messages are keyed by ts, in case a page repeats the parent."""
    texts: dict[str, str] = {}
    for page in client.conversations_replies(channel=channel, ts=thread_ts, limit=REPLIES_PAGE):
        for m in page.get("messages") or []:
            ts = m.get("ts") or "0"
            if not m.get("bot_id") and not m.get("subtype") and float(ts) < float(before):
                texts[ts] = m.get("text") or ""
    return [texts[ts] for ts in sorted(texts, key=float)][-HISTORY:]


def register(app: App, service: Service) -> None:
    assistant = Assistant()
    view = service.engine.knowledge.meta.assistant

    def on_started(event: dict, client: WebClient, set_suggested_prompts: SetSuggestedPrompts) -> None:
        thread = event["assistant_thread"]
        client.chat_postMessage(channel=thread["channel_id"], thread_ts=thread["thread_ts"], text=view.greeting)
        prompts = [p.model_dump() for p in view.prompts]
        _quietly(set_suggested_prompts, prompts=prompts, title=view.prompts_title)

    def on_context_changed() -> None:
        """Which channel the user is looking at: the bot does not use it, so it is not kept."""

    def on_message(event: dict, client: WebClient, set_status: SetStatus, set_title: SetTitle) -> None:
        channel, thread_ts = event["channel"], event["thread_ts"]
        _quietly(set_status, STATUS)
        earlier = earlier_messages(client, channel, thread_ts, event["ts"])
        message, title = service.follow_up(event.get("text") or "", earlier, "assistant")
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
        if title:
            _quietly(set_title, title[:TITLE_MAX])

    assistant.thread_started(lazy=[later(on_started)])(ack_now)
    assistant.thread_context_changed(lazy=[later(on_context_changed)])(ack_now)
    assistant.user_message(lazy=[later(on_message)])(ack_now)
    app.use(assistant)
