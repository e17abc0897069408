"""Text -> Query(intent, entities, confidence). Declines when unsure.

Scoring, all from knowledge/data/intents.yaml:
  cue groups found in the question            + their weights
  entities named (subtype, site, therapy, ...) + the intent's entity weights
  the nearest example phrasing (rapidfuzz)     + up to EXAMPLE_BONUS for that example's intent
The winner must reach min_score; an intent whose needs_any is not met cannot win; any out-of-scope
term (another cancer, a look-alike lesion, another drug) declines the question outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from handlers.case import Case, CaseParser
from handlers.lexicon import Lexicon, Span
from knowledge import Knowledge
from knowledge.text import alias_key, fold, tokens

EXAMPLE_BONUS = 4.0
EXAMPLE_FLOOR = 70.0  # token_sort_ratio below this adds nothing
MAX_NGRAM = 8

_SLACK_LINK = re.compile(r"<(https?://|mailto:)[^|>]*\|([^>]*)>")
_SLACK_BARE_LINK = re.compile(r"<(?:https?://|mailto:)[^>]*>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SLACK_MENTION = re.compile(r"<[@!][^>]*>")
_SLACK_FORMAT = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")


def clean_slack(text: str) -> str:
    """Slack markup out: mentions, <!channel>, links to their label, &amp;/&lt;/&gt; back to characters."""
    text = _SLACK_LINK.sub(r"\2", text)
    text = _SLACK_BARE_LINK.sub(" ", text)
    text = _SLACK_CHANNEL.sub(lambda m: m.group(1) or " ", text)
    text = _SLACK_MENTION.sub(" ", text)
    text = _SLACK_FORMAT.sub(" ", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


@dataclass
class Query:
    text: str  # the question with Slack markup removed; never logged
    intent: str
    confidence: int
    entities: dict[str, list[str]]
    words: list[str]
    case: Case
    scores: dict[str, float] = field(default_factory=dict)
    oos_terms: list[str] = field(default_factory=list)
    oos_groups: list[str] = field(default_factory=list)  # their groups in intents.yaml, in the same order

    def first(self, kind: str) -> str | None:
        ids = self.entities.get(kind)
        return ids[0] if ids else None


class Router:
    def __init__(self, knowledge: Knowledge, lexicon: Lexicon, case_parser: CaseParser):
        self.k = knowledge
        self.lex = lexicon
        self.cases = case_parser
        cfg = knowledge.intents
        self.intents = cfg.intents
        self.min_score = cfg.min_score
        self.min_margin = cfg.min_margin
        # cue phrases normalised exactly like questions are, indexed by phrase: phrase -> cue groups it belongs to
        self.cue_groups: dict[tuple[str, ...], set[tuple[str, int]]] = {}
        self.cue_weights: dict[tuple[str, int], float] = {}
        for i in self.intents:
            for n, cue in enumerate(i.cues):
                self.cue_weights[(i.name, n)] = cue.weight
                for t in cue.terms:
                    phrase = tuple(w for w, _ in lexicon.words(list(alias_key(t))))
                    self.cue_groups.setdefault(phrase, set()).add((i.name, n))
        self.examples: list[str] = []
        self.example_intent: list[str] = []
        for intent in self.intents:
            for ex in intent.examples:
                self.examples.append(" ".join(lexicon.text_words(clean_slack(ex))))
                self.example_intent.append(intent.name)

    def route(self, text: str) -> Query:
        cleaned = clean_slack(text)
        raw = tokens(fold(cleaned))
        words = [w for w, _ in self.lex.words(raw)]
        case = self.cases.parse(cleaned)
        if not words:
            return Query(cleaned, "help", 100, {}, words, case)
        spans = self.lex.find(raw)
        entities = _entities(spans)
        oos_spans = [s for s in spans if s.kind == "oos"]
        oos = [s.phrase for s in oos_spans]
        present = set(entities) | ({"case"} if case.details() >= 2 else set())
        if case.ki67 is not None or case.mitoses is not None:
            present.add("grade")
        has_domain = bool(present - {"oos"}) or case.details() >= 1

        grams = ngrams(words)
        scores = {i.name: sum(w for kind, w in i.entity_weights.items() if kind in present) for i in self.intents}
        for name, n in {g for gram in grams for g in self.cue_groups.get(gram, ())}:  # each cue group counts once
            scores[name] += self.cue_weights[(name, n)]
        best = process.extractOne(" ".join(words), self.examples, scorer=fuzz.token_sort_ratio)
        if best and best[1] > EXAMPLE_FLOOR:
            scores[self.example_intent[best[2]]] += EXAMPLE_BONUS * (best[1] - EXAMPLE_FLOOR) / (100 - EXAMPLE_FLOOR)
        for intent in self.intents:
            needs = set(intent.needs_any)
            if needs and not (needs & present or ("domain" in needs and has_domain)):
                scores[intent.name] = 0.0

        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        (top, top_score), (_, runner) = ranked[0], ranked[1]
        margin = top_score - runner
        if oos:
            intent, conf = "out_of_scope", 95
        elif top_score < self.min_score or (margin < self.min_margin and not has_domain):
            intent, conf = "out_of_scope", int(round(100 * (1 - min(top_score, self.min_score) / (2 * self.min_score))))
        else:
            intent = top
            conf = int(round(100 * min(1.0, top_score / 6) * (0.5 + 0.5 * min(1.0, margin / 3))))
        groups = [s.id for s in oos_spans]
        return Query(cleaned, intent, max(0, min(100, conf)), entities, words, case, scores, oos, groups)


def _entities(spans: list[Span]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in spans:
        value = s.phrase if s.kind in ("domain", "oos") else s.id
        if value not in out.setdefault(s.kind, []):
            out[s.kind].append(value)
    return out


def ngrams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for n in range(1, MAX_NGRAM + 1) for i in range(len(words) - n + 1)}
