"""Buttons: "Share in channel", "Details" (a plan's details, privately), "Helpful", "Report a problem" (opens
the report modal), "Describe a case".

Feedback is logged as ids only; a report goes to the curators' channel and nowhere else.
"""

from __future__ import annotations

import logging

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot import logs
from bot.listeners.common import lazily
from bot.render.slack import DETAILS, HELPFUL, OPEN_CASE, REPORT, SHARE, case_modal, notice, report_modal, unpack
from bot.service import Service
from handlers.case import form_errors


def _value(body: dict) -> dict:
    """The packed value of the clicked button; {} if it was tampered with."""
    try:
        return unpack(body["actions"][0].get("value") or "")
    except (ValueError, KeyError, IndexError):
        logs.event("bad_button_value", logging.WARNING)
        return {}


def register(app: App, service: Service) -> None:
    @lazily(app.action(SHARE))
    def on_share(body: dict, respond: Respond) -> None:
        data = _value(body)
        question, form, user = data.get("q"), data.get("f"), body["user"]["id"]
        if isinstance(form, dict) and not form_errors(form):
            message = service.reply("", "share", form=form, shared_by=user)
        elif isinstance(question, str):
            message = service.reply(question, "share", plan=bool(data.get("p")), shared_by=user)
        else:
            respond(
                response_type="ephemeral",
                replace_original=False,
                **notice("Sorry, I could not share that answer. Please ask again."),
            )
            return
        respond(response_type="in_channel", replace_original=False, **message)
        respond(delete_original=True)

    @lazily(app.action(DETAILS))
    def on_details(body: dict, respond: Respond) -> None:
        message = service.details(_value(body))
        if message is None:
            message = notice("Sorry, I could not show the details of that plan. Please ask again.")
        respond(response_type="ephemeral", replace_original=False, **message)

    @lazily(app.action(HELPFUL))
    def on_helpful(body: dict, respond: Respond) -> None:
        data = _value(body)
        logs.event(
            "feedback",
            answer_id=data.get("id"),
            intent=data.get("intent"),
            knowledge_version=data.get("v"),
            verdict="helpful",
        )
        respond(response_type="ephemeral", replace_original=False, **notice("Thank you: noted as helpful."))

    @lazily(app.action(REPORT))
    def on_report(body: dict, respond: Respond, client: WebClient) -> None:
        data = _value(body)
        if not service.settings.feedback_channel:
            respond(
                response_type="ephemeral",
                replace_original=False,
                **notice(
                    "Problem reports are not set up in this workspace (no curators' channel). "
                    f"Please tell your Slack admin, quoting answer id `{data.get('id', '?')}`."
                ),
            )
            return
        metadata = {k: data.get(k) for k in ("id", "intent", "v")}
        client.views_open(trigger_id=body["trigger_id"], view=report_modal(metadata))

    @lazily(app.action(OPEN_CASE))
    def on_open_case(body: dict, client: WebClient) -> None:
        client.views_open(trigger_id=body["trigger_id"], view=case_modal({"channel": None, "response_url": None}))
