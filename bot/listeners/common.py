"""Small things several listeners need: acknowledging at once, reporting failures, the not-enabled
notice and replies through a response_url."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_bolt.kwargs_injection import Args
from slack_bolt.util.utils import get_arg_names_of_callable
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot import logs
from bot.render.slack import error_notice, notice
from bot.service import new_answer_id

CHECKED = "pnet_checked"  # context key: the request passed Bolt's verification and our guard
NOT_A_MEMBER = {"not_in_channel", "channel_not_found"}  # Slack errors when the bot may not post in a channel


def not_enabled(command: str) -> dict[str, Any]:
    return notice(
        "I am not enabled in this channel. Ask your Slack admin to add it to my allow-list, "
        f"or message me directly (`{command}` works in direct messages too)."
    )


def send_to_response_url(url: str, message: dict[str, Any]) -> None:
    """Post privately to a response_url Slack gave us earlier (e.g. kept in a modal's metadata); raises on failure."""
    response = WebhookClient(url, timeout=10).send_dict({"response_type": "ephemeral", **message})
    if response.status_code != 200:
        raise RuntimeError(f"response_url answered {response.status_code}")


def ack_now(ack: Ack) -> None:
    ack()


def later(func: Callable[..., None]) -> Callable[[Args], None]:
    """`func` as a Bolt lazy listener (run after the ack) whose failure reaches the user and the log.

    Bolt only logs a lazy listener's exception and never calls the app's error handler, so this does.
    """
    names = get_arg_names_of_callable(func)

    def run(args: Args) -> None:
        try:
            func(**{name: getattr(args, name) for name in names})
        except Exception as error:
            report_failure(error, args.body, args.client, tell_user=bool(args.context.get(CHECKED)))

    run.__name__ = func.__name__  # Bolt finds a lazy function again by its name
    return run


def lazily(register: Callable[..., Any]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorator: `@lazily(app.action(X))` acks at once and runs the function afterwards, via later()."""

    def decorate(func: Callable[..., None]) -> Callable[..., None]:
        register(ack=ack_now, lazy=[later(func)])
        return func

    return decorate


def report_failure(error: Exception, body: dict, client: WebClient, *, tell_user: bool) -> None:
    """Log the error type with an answer id and, for a checked request, tell the user politely (best effort)."""
    answer_id = new_answer_id()
    slack_error = error.response.get("error") if isinstance(error, SlackApiError) else None
    logs.event(
        "listener_failed",
        logging.ERROR,
        answer_id=answer_id,
        error=type(error).__name__,
        slack_error=slack_error,
        request_type=body.get("type"),
    )
    if not tell_user:
        return
    message = error_notice(answer_id)
    event = body.get("event") or {}
    try:
        if body.get("response_url"):
            send_to_response_url(body["response_url"], message)
        elif event.get("channel") and event.get("user"):
            client.chat_postEphemeral(channel=event["channel"], user=event["user"], **message)
        elif (body.get("user") or {}).get("id"):
            client.chat_postMessage(channel=body["user"]["id"], **message)
    except Exception as exc:
        logs.event("error_notice_failed", logging.WARNING, answer_id=answer_id, error=type(exc).__name__)
