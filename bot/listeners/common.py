"""Small things several listeners need: the not-enabled notice and replies through a response_url."""

from __future__ import annotations

from typing import Any

from slack_sdk.webhook import WebhookClient

from bot.render.slack import notice


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
