"""The blind question set (tests/blind/questions.yaml), judged as a clinician would judge the answer.

The set was written by someone who had read only the five source articles, never the engine, and is
committed unchanged. Every entry whose numeric id is divisible by 3 (q003, q006, ...) is HELD OUT:
its failures are never looked at to tune anything; only the development two thirds are.

Judgement, on the plain text of the answer (bot.render.to_text), after unicode dashes become "-",
runs of whitespace one space, the space between a number and its unit goes ("30 mg" = "30mg") and
case is ignored ("High-grade" = "high-grade"), as a reader would:
  scope in      not a decline; every must_include string present (a figure as a whole token: "10%" is
                not found inside "110%"), no must_not_include string present
  scope silent  the answer says the sources do not cover the aspect asked (Answer.not_covered, the
                machine-readable marker) and contains no must_not_include string
  scope out     the answer is a decline (out-of-scope recall)

This module imports the engine only through `handlers.engine` and `bot.render`, so the same scorer
runs against an older checkout put first on sys.path (benchmarks/blind.py --code DIR). tests/test_blind.py
holds the held-out part to its floors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).resolve().parents[1] / "tests" / "blind" / "questions.yaml"
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_SPACE = re.compile(r"\s+")
_UNIT_SPACE = re.compile(r"(?<=\d) (?=[a-z%])")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    scope: str  # in | silent | out
    must_include: tuple[str, ...]
    must_not_include: tuple[str, ...]
    origin: str = ""
    note: str = ""

    @property
    def held_out(self) -> bool:
        return int(re.sub(r"\D", "", self.id)) % 3 == 0


def load(path: Path = PATH) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Question(
            id=str(d["id"]),
            text=str(d["text"]),
            scope=str(d["scope"]),
            must_include=tuple(str(x) for x in d.get("must_include") or []),
            must_not_include=tuple(str(x) for x in d.get("must_not_include") or []),
            origin=str(d.get("origin") or ""),
            note=str(d.get("note") or ""),
        )
        for d in data
    ]


def normalise(text: str) -> str:
    return _UNIT_SPACE.sub("", _SPACE.sub(" ", text.translate(_DASHES)).strip().lower())


def contains(text: str, s: str) -> bool:
    """s in text; a string that starts or ends with a digit must not continue a longer number."""
    s = normalise(s)
    before = r"(?<![\d.])" if s[:1].isdigit() else ""
    after = r"(?!\d|\.\d)" if s[-1:].isdigit() else ""
    return re.search(before + re.escape(s) + after, text) is not None


@dataclass
class Verdict:
    question: Question
    passed: bool
    why: str
    intent: str


def judge(q: Question, answer: Any, render) -> Verdict:
    text = normalise(render(answer))
    intent = getattr(answer, "intent", "")
    declined = bool(getattr(answer, "declined", False))
    forbidden = [s for s in q.must_not_include if contains(text, s)]
    if q.scope == "out":
        return Verdict(q, declined, "" if declined else f"answered ({intent}), not declined", intent)
    if forbidden:
        return Verdict(q, False, f"contains forbidden {forbidden}", intent)
    if q.scope == "silent":
        marked = bool(getattr(answer, "not_covered", None))
        why = "" if marked else ("declined, no not-covered marker" if declined else f"no not-covered marker ({intent})")
        return Verdict(q, marked, why, intent)
    if declined:
        return Verdict(q, False, "declined", intent)
    missing = [s for s in q.must_include if not contains(text, s)]
    return Verdict(q, not missing, f"missing {missing} ({intent})" if missing else "", intent)


@dataclass
class Report:
    verdicts: list[Verdict] = field(default_factory=list)

    def subset(self, scope: str | None = None) -> list[Verdict]:
        return [v for v in self.verdicts if scope is None or v.question.scope == scope]

    def rate(self, scope: str | None = None) -> tuple[int, int]:
        vs = self.subset(scope)
        return sum(v.passed for v in vs), len(vs)


def score(engine, render, questions: list[Question]) -> Report:
    r = Report()
    for q in questions:
        r.verdicts.append(judge(q, engine.ask(q.text).answer, render))
    return r


def parts(questions: list[Question]) -> dict[str, list[Question]]:
    return {
        "development": [q for q in questions if not q.held_out],
        "held-out": [q for q in questions if q.held_out],
        "all": questions,
    }


def table(reports: dict[str, Report]) -> str:
    names = list(reports)
    lines = [f"{'':22}" + "".join(f"{n:>16}" for n in names)]
    for label, scope in (("all questions", None), ("in scope", "in"), ("silent", "silent"), ("out of scope", "out")):
        cells = []
        for n in names:
            right, total = reports[n].rate(scope)
            cells.append(f"{right}/{total} {right / total if total else 1:.1%}".rjust(16))
        lines.append(f"{label:22}" + "".join(cells))
    return "\n".join(lines)


# CI fails when the held-out part falls below these: the aims for in scope (>= 95% with no
# figure wrong) and out-of-scope recall (>= 95%); silent at the measured held-out score (7/9).
FLOORS = {"in scope": 0.95, "silent": 0.75, "out of scope": 0.95}


def below_floors(r: Report) -> list[str]:
    out = []
    for label, scope in (("in scope", "in"), ("silent", "silent"), ("out of scope", "out")):
        right, total = r.rate(scope)
        if total and right / total < FLOORS[label]:
            out.append(f"{label} {right}/{total} {right / total:.1%} < floor {FLOORS[label]:.0%}")
    return out
