"""The tumour board's case card: the "Prepare for tumour board" shortcut, `/pnet board <case>` (in
commands.py) and "@pnet board" in a thread (in events.py), and the card's two buttons.

The card first reaches only the person who asked (the shortcut's and the command's reply is private);
"Post in thread" puts it in the case's thread, "Export for the minutes" uploads it there as a Markdown
file. The buttons carry the case text in their value (as Slack returns it, signed): nothing of the case
is stored by the bot, so the card is re-made from it on each click.
"""

from __future__ import annotations

import logging

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import logs
from bot.listeners.common import NOT_A_MEMBER, lazily, not_enabled
from bot.render.slack import BOARD_EXPORT, BOARD_POST, BOARD_SHORTCUT, notice, unpack
from bot.service import Service

EXPORT_NAME = "tumour-board-card.md"


def _card_value(body: dict) -> dict | None:
    """The clicked card button's case and thread; None if it was tampered with."""
    try:
        data = unpack(body["actions"][0].get("value") or "")
    except (ValueError, KeyError, IndexError):
        data = {}
    if not isinstance(data.get("c"), str) or not isinstance(data.get("t"), (str, type(None))):
        logs.event("bad_button_value", logging.WARNING)
        return None
    return data


def _private(respond: Respond, text: str) -> None:
    respond(response_type="ephemeral", replace_original=False, **notice(text))


def register(app: App, service: Service) -> None:
    @lazily(app.shortcut(BOARD_SHORTCUT))
    def on_board_shortcut(shortcut: dict, respond: Respond) -> None:
        channel = (shortcut.get("channel") or {}).get("id")
        if not service.settings.allows(channel):
            respond(response_type="ephemeral", **not_enabled(service.command))
            return
        posted = shortcut.get("message") or {}
        thread = posted.get("thread_ts") or posted.get("ts")
        card = service.board(posted.get("text") or "", "board_shortcut", thread_ts=thread, private=True)
        respond(response_type="ephemeral", **card)

    @lazily(app.action(BOARD_POST))
    def on_post(body: dict, client: WebClient, respond: Respond) -> None:
        data, channel = _card_value(body), (body.get("channel") or {}).get("id")
        if data is None or not channel or not service.settings.allows(channel):
            _private(respond, "Sorry, I could not post that card. Please prepare it again.")
            return
        card = service.board(data["c"], "board_post", thread_ts=data["t"], private=False)
        try:
            client.chat_postMessage(channel=channel, thread_ts=data["t"], **card)
        except SlackApiError as exc:
            if exc.response.get("error") not in NOT_A_MEMBER:
                raise
            _private(respond, "I am not a member of this channel, so I cannot post there. Invite me and try again.")
            return
        respond(delete_original=True)

    @lazily(app.action(BOARD_EXPORT))
    def on_export(body: dict, client: WebClient, respond: Respond) -> None:
        data, channel = _card_value(body), (body.get("channel") or {}).get("id")
        markdown = service.board_markdown(data["c"]) if data else None
        if data is None or markdown is None or not channel or not service.settings.allows(channel):
            _private(respond, "Sorry, I could not export that card. Please prepare it again.")
            return
        try:
            client.files_upload_v2(
                channel=channel,
                thread_ts=data["t"],
                content=markdown,
                filename=EXPORT_NAME,
                title="Tumour board case card",
                initial_comment=f"Case card for the minutes, exported by <@{body['user']['id']}>.",
            )
        except SlackApiError as exc:
            if exc.response.get("error") not in NOT_A_MEMBER:
                raise
            _private(respond, "I am not a member of this channel, so I cannot upload there. Invite me and try again.")
            return
        logs.event("board_exported")
