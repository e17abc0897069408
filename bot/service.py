"""What every Slack surface shares: question in, Slack message out, with an answer id and one log line.

The listeners decide where a reply goes; this module decides what it says. It never raises: if the
engine or a renderer fails, the reply is a polite notice with the answer id, and the log line says
which error type happened (never the question).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from bot import logs
from bot.render import slack, to_markdown
from bot.settings import Settings
from handlers.answer import Answer
from handlers.case import form_errors
from handlers.engine import Engine

PLAN = "treatment_plan"
NO_CASE = (
    "I found no case to prepare in that message. A tumour-board card needs a described case, e.g. "
    "“58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid”: `{command} board <case>`, "
    "or the message shortcut “Prepare for tumour board” on the case post."
)
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

        def make(answer_id: str) -> tuple[Answer, int, dict[str, Any]]:
            confidence = 100
            if form is not None:
                answer = self.engine.plan_form(form)
            else:
                result = self.engine.ask(text, intent=PLAN if plan else None)
                answer, confidence = result.answer, result.query.confidence
            answer = self._localise(answer)
            again = {"f": form} if form is not None else {"q": text, "p": 1} if plan else {"q": text}
            share = again if shareable and answer.intent not in _NOT_SHARED else None
            return (
                answer,
                confidence,
                slack.answer_message(answer, answer_id, share=share, shared_by=shared_by, details=again),
            )

        return self._run(surface, make)

    def details(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """A plan's details from what its "Details" button carries; None when the value is not one of ours."""
        question, form, earlier = data.get("q"), data.get("f"), data.get("e")

        def make(answer_id: str) -> tuple[Answer, int, dict[str, Any]]:
            if isinstance(form, dict):
                answer = self.engine.plan_form(form)
            elif isinstance(earlier, list) and all(isinstance(m, str) for m in earlier):
                answer = self.engine.follow_up(question or "", earlier)
            else:
                answer = self.engine.ask(question or "", intent=PLAN if data.get("p") else None).answer
            return answer, 100, slack.details_message(answer)

        if not (isinstance(question, str) or (isinstance(form, dict) and not form_errors(form))):
            return None
        return self._run("details", make)

    def board(self, text: str, surface: str, *, thread_ts: str | None, private: bool) -> dict[str, Any]:
        """The tumour board's case card for the case in `text`, with "Export for the minutes" (and "Post in
        thread" while private); a polite notice when the text describes no case."""

        def make(answer_id: str) -> tuple[Answer, int, dict[str, Any]]:
            card = self.engine.board(text)
            if card is None:
                return self.engine.ask(text).answer, 0, slack.notice(NO_CASE.format(command=self.command))
            board = {"c": text, "t": thread_ts, "post": private}
            return card, 100, slack.answer_message(card, answer_id, board=board)

        return self._run(surface, make)

    def follow_up(self, text: str, earlier: list[str], surface: str) -> tuple[dict[str, Any], str | None]:
        """A message in a conversation (earlier: its previous messages, oldest first), and the answer's title."""
        titles: list[str] = []

        def make(answer_id: str) -> tuple[Answer, int, dict[str, Any]]:
            answer = self._localise(self.engine.follow_up(text, earlier))
            titles.append(answer.title)
            details = {"q": text, "e": earlier}
            return answer, 100, slack.answer_message(answer, answer_id, details=details)

        return self._run(surface, make), (titles[0] if titles else None)

    def board_markdown(self, text: str) -> str | None:
        """The card for the minutes, as Markdown; None when the text describes no case."""
        card = self.engine.board(text)
        return None if card is None else to_markdown(card)

    def _run(self, surface: str, make: Callable[[str], tuple[Answer, int, dict[str, Any]]]) -> dict[str, Any]:
        """make(answer_id) -> (answer, confidence, message), with one log line and never an exception."""
        answer_id = new_answer_id()
        started = time.perf_counter()
        try:
            answer, confidence, message = make(answer_id)
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
