"""Modal submissions: the case form (returns the plan) and the problem report (goes to the curators)."""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import logs
from bot.listeners.common import later, send_to_response_url
from bot.render.slack import (
    CASE_VIEW,
    REPORT_FIELDS,
    REPORT_VIEW,
    form_values,
    notice,
    report_message,
    thanks_view,
)
from bot.service import Service
from handlers.case import form_errors


def _metadata(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def register(app: App, service: Service) -> None:
    def check_case(ack: Ack, view: dict) -> None:
        errors = form_errors(form_values(view.get("state", {}).get("values", {})))
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def on_case(body: dict, view: dict, client: WebClient) -> None:
        values = form_values(view.get("state", {}).get("values", {}))
        if form_errors(values):
            return  # refused in the modal by check_case
        user = body["user"]["id"]
        plan = service.reply("", "modal", form=values, shareable=True)
        response_url = _metadata(view).get("response_url")
        if response_url:
            send_to_response_url(response_url, plan)
        else:  # opened from App Home: the plan goes to the app's direct-message tab
            client.chat_postMessage(channel=user, **plan)

    app.view(CASE_VIEW)(ack=check_case, lazy=[later(on_case)])

    def thank(ack: Ack) -> None:
        ack(
            response_action="update",
            view=thanks_view(
                "Thank you. Your report has gone to the curators with the answer id; they may contact you."
            ),
        )

    def on_report(body: dict, view: dict, client: WebClient) -> None:
        meta = _metadata(view)
        values = form_values(view.get("state", {}).get("values", {}), REPORT_FIELDS)
        category, details = values.get("category", "other"), values.get("details")
        user, channel = body["user"]["id"], service.settings.feedback_channel
        try:
            assert channel, "the report form opens only when FEEDBACK_CHANNEL is set (listeners/actions.py)"
            client.chat_postMessage(channel=channel, **report_message(meta, user, category, details))
        except Exception as exc:
            logs.event("report_failed", logging.ERROR, answer_id=meta.get("id"), error=type(exc).__name__)
            client.chat_postMessage(
                channel=user,
                **notice(
                    f"Sorry, your report on answer `{meta.get('id', '?')}` could not be delivered to the curators. Please tell your Slack admin."
                ),
            )
            return
        logs.event(
            "report",
            answer_id=meta.get("id"),
            intent=meta.get("intent"),
            knowledge_version=meta.get("v"),
            category=category,
        )

    app.view(REPORT_VIEW)(ack=thank, lazy=[later(on_report)])
