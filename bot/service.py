"""What every Slack surface shares: question in, Slack message out, with an answer id and one log line.

The listeners decide where a reply goes; this module decides what it says. It never raises: if the
engine or a renderer fails, the reply is a polite notice with the answer id, and the log line says
which error type happened (never the question).
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from bot import logs
from bot.render import slack
from bot.settings import Settings
from handlers.answer import Answer
from handlers.engine import Engine

PLAN = "treatment_plan"
_NOT_SHARED = {"help", "out_of_scope"}


def new_answer_id() -> str:
    return secrets.token_hex(4)


class Service:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings

    def reply(
        self,
        text: str,
        surface: str,
        *,
        plan: bool = False,
        form: dict[str, Any] | None = None,
        shareable: bool = False,
        shared_by: str | None = None,
    ) -> dict[str, Any]:
        """Answer `text` (plan=True: plan the case it describes; form: plan the case form's fields, checked
        with form_errors) as a Slack message: text and blocks.

        shareable: offer "Share in channel" (answers only the asker can see).
        """
        answer_id = new_answer_id()
        started = time.perf_counter()
        try:
            confidence = 100
            if form is not None:
                answer = self.engine.plan_form(form)
            else:
                result = self.engine.ask(text, intent=PLAN if plan else None)
                answer, confidence = result.answer, result.query.confidence
            answer = self._localise(answer)
            share = None
            if shareable and answer.intent not in _NOT_SHARED:
                share = {"f": form} if form is not None else {"q": text, "p": 1} if plan else {"q": text}
            message = slack.answer_message(answer, answer_id, share=share, shared_by=shared_by)
        except Exception as exc:  # the user gets a notice with the id; the log gets the error type
            logs.event("answer_failed", logging.ERROR, answer_id=answer_id, surface=surface, error=type(exc).__name__)
            return slack.error_notice(answer_id)
        logs.event(
            "answer",
            answer_id=answer_id,
            surface=surface,
            intent=answer.intent,
            confidence=confidence,
            declined=answer.declined,
            rules_fired=answer.rules_fired,
            knowledge_version=answer.knowledge_version,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return message

    def home_view(self) -> dict[str, Any]:
        return slack.home_view(self._localise(self.engine.ask("help").answer), self.engine.knowledge, self.command)

    @property
    def command(self) -> str:
        return self.settings.slash_command

    def _localise(self, answer: Answer) -> Answer:
        """The engine's help speaks of /pnet; a workspace may have named the command differently."""
        if self.command == "/pnet" or not any("/pnet" in i.text for sec in answer.sections for i in sec.items):
            return answer
        answer = answer.model_copy(deep=True)  # only the help answer names the command
        for section in answer.sections:
            for item in section.items:
                item.text = item.text.replace("/pnet", self.command)
        return answer
