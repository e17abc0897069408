"""The engine: one object, built once at start, that turns a question into (Query, Answer)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from handlers import answer
from handlers.answer import Answer, Warn
from handlers.case import CaseParser
from handlers.intents import HANDLERS
from handlers.lexicon import Lexicon
from handlers.router import Query, Router
from knowledge import Knowledge, load

MAX_INPUT_CHARS = 6000  # a long tumour-board post fits; beyond this only the start is read


@dataclass(frozen=True)
class Result:
    query: Query
    answer: Answer


class Engine:
    def __init__(self, knowledge: Knowledge | None = None):
        self.knowledge = knowledge if knowledge is not None else load()
        missing = {i.name for i in self.knowledge.intents.intents} ^ set(HANDLERS)
        if missing:
            raise ValueError(f"intents without a handler, or handlers without an intent: {sorted(missing)}")
        self.lexicon = Lexicon(self.knowledge)
        self.case_parser = CaseParser(self.knowledge, self.lexicon)
        self.router = Router(self.knowledge, self.lexicon, self.case_parser)

    @property
    def version(self) -> str:
        return self.knowledge.version

    def ask(self, text: str, intent: str | None = None) -> Result:
        """Answer a question. `intent` skips routing: "treatment_plan" plans whatever case the text describes."""
        text = (text or "").replace("\x00", " ")
        truncated = len(text) > MAX_INPUT_CHARS
        query = self.router.route(text[:MAX_INPUT_CHARS])
        if intent is not None:
            if intent not in HANDLERS:
                raise ValueError(f"unknown intent {intent!r}")
            query = replace(query, intent=intent, confidence=100)
        result = HANDLERS[query.intent](query, self.knowledge)
        if truncated:
            result.warnings.append(
                Warn(
                    severity="info", text=f"Your message was long: I read only its first {MAX_INPUT_CHARS} characters."
                )
            )
        return Result(query, answer.finish(result, self.knowledge))
