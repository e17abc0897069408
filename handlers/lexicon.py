"""Entity lexicon: every alias in knowledge/ as a token phrase, with typo correction.

Matching is exact on token phrases, longest first, after two steps per token:
1. synonyms from vocabulary.yaml are expanded ("mets" -> "metastases", "ln" -> "lymph nodes");
2. a word the vocabulary does not know is corrected to its nearest vocabulary word with
   rapidfuzz fuzz.ratio when the score reaches the cutoff ("glucaganoma" -> "glucagonoma").
   Confusables and short words are never corrected (vipoma~lipoma, carcinoid~carcinoma).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from knowledge import Knowledge
from knowledge.text import alias_key, fold, tokens

TYPO_CUTOFF = 85.0  # fuzz.ratio: one typo in a 9-letter word scores about 90; lipoma~vipoma 83
MIN_TYPO_LEN = 5
_PREFIXED = re.compile(r"un|in|im|ir|il|non|ab|de|dis|re|anti|a")  # what turns a word into its opposite
MAX_PHRASE = 8


@dataclass(frozen=True)
class Span:
    kind: str  # subtype, site, primary, therapy, therapy_class, trial, topic, domain, oos
    id: str  # entity id (oos: the group name; trial: its name in vocabulary.yaml; topic: "nec")
    start: int  # raw token indices [start, end)
    end: int
    tokens: tuple[str, ...]  # the raw tokens it covers
    phrase: str  # the matched alias, normalised


class Lexicon:
    def __init__(self, knowledge: Knowledge):
        k = knowledge
        self.phrases: dict[tuple[str, ...], tuple[str, str]] = {}
        for kind, items in k.entity_groups():
            for item in items:
                for alias in item.aliases:
                    self.phrases.setdefault(alias_key(alias), (kind, item.id))
        v = k.vocabulary
        for trial in v.trials:
            for alias in trial.aliases:
                self.phrases.setdefault(alias_key(alias), ("trial", trial.name))
        self.trial_therapy = {t.name: t.therapy for t in v.trials}
        for term in v.carcinoma_terms:
            self.phrases.setdefault(alias_key(term), ("topic", "nec"))
        for term in v.domain_terms:
            self.phrases.setdefault(alias_key(term), ("domain", term))
        for group, g in v.out_of_scope.items():
            for term in g.terms:
                self.phrases.setdefault(alias_key(term), ("oos", group))
        self.longest = min(MAX_PHRASE, max(map(len, self.phrases)))
        # one-token synonyms ("mets") by token; longer ones ("neuro-endocrine" -> neuro endocrine) by phrase
        self.abbreviations = {
            alias_key(short)[0]: alias_key(long) for short, long in v.synonyms.items() if len(alias_key(short)) == 1
        }
        self.multi = {
            alias_key(short): alias_key(long)
            for short, long in v.synonyms.items()
            if len(alias_key(short)) > 1 and alias_key(short) != alias_key(long)
        }
        self.multi_first = {key[0] for key in self.multi}
        self.before_number = set(v.not_as_synonym.before_whole_number)
        self.not_after = {a: set(words) for a, words in v.not_as_synonym.after.items()}
        self.not_as_entity = {w: (set(n.after), set(n.before)) for w, n in v.not_as_entity.items()}
        self.confusables = {t for c in v.confusables for t in alias_key(c)}
        vocab: set[str] = set(self.confusables)
        for phrase in self.phrases:
            vocab.update(phrase)
        for intent in k.intents.intents:
            for cue in intent.cues:
                for term in cue.terms:
                    vocab.update(alias_key(term))
            for example in intent.examples:
                vocab.update(alias_key(example))
        for long in self.abbreviations.values():
            vocab.update(long)
        for terms in [*(a.terms for a in v.aspects.values()), *(a.terms for a in v.silent.values())]:
            for term in terms:
                vocab.update(alias_key(term))
        self.vocab = vocab
        self._vocab_list = sorted(w for w in vocab if w.isalpha() and len(w) >= MIN_TYPO_LEN - 1)
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def _correct(self, word: str) -> str:
        if word in self.vocab or len(word) < MIN_TYPO_LEN or not word.isalpha() or word in self.confusables:
            return word
        best = process.extractOne(word, self._vocab_list, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        if (
            best is None
            or _PREFIXED.fullmatch(word.replace(best[0], "", 1) or "-")
            or _PREFIXED.fullmatch(best[0].replace(word, "", 1) or "-")
            or word.replace("hyper", "hypo") == best[0].replace("hyper", "hypo")
        ):
            return word  # "unresected" is not a typo of "resected", nor "hypotension" of "hypertension"
        return best[0]

    def words(self, raw: list[str], correct: bool = True) -> list[tuple[str, int]]:
        """Expanded, corrected words, each with the index of the raw token it came from. Curated
        text (the knowledge itself) is expanded only: correct=False."""
        out: list[tuple[str, int]] = []
        i = 0
        while i < len(raw):
            tok = raw[i]
            if tok in self.multi_first:
                hit = next((k for k in self.multi if tuple(raw[i : i + len(k)]) == k), None)
                if hit:
                    out.extend((w, i) for w in self.multi[hit])
                    i += len(hit)
                    continue
            if tok in self.abbreviations and not self._means_else(raw, i):
                out.extend((w, i) for w in self.abbreviations[tok])
            else:
                out.append((self.correct(tok) if correct else tok, i))
            i += 1
        return out

    def _means_else(self, raw: list[str], i: int) -> bool:
        """The abbreviation at i is a vital sign or an hour here ("HR 130", "in the last hr"), not its synonym."""
        tok, nxt, prev = raw[i], raw[i + 1 : i + 2], raw[i - 1 : i] if i else []
        if tok in self.before_number and nxt and nxt[0].isdigit() and raw[i + 2 : i + 3] != ["%"]:
            return True
        return tok in self.not_after and bool(prev) and (prev[0] in self.not_after[tok] or prev[0].isdigit())

    def _other_meaning(self, raw: list[str], i: int) -> bool:
        """The one-word name at i means something else beside these words (vocabulary `not_as_entity`)."""
        if raw[i] not in self.not_as_entity:
            return False
        after, before = self.not_as_entity[raw[i]]
        return bool((i and raw[i - 1] in after) or raw[i + 1 : i + 2] and raw[i + 1] in before)

    def find(self, raw: list[str]) -> list[Span]:
        """Entity spans in raw tokens, longest phrase first, without overlaps."""
        words = self.words(raw)
        plain = [w for w, _ in words]
        spans: list[Span] = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                key = tuple(plain[i : i + n])
                hit = self.phrases.get(key)
                if hit and n == 1 and self._other_meaning(raw, words[i][1]):
                    hit = None  # "NET CNS here": a nurse specialist, not the brain
                if hit:
                    start, end = words[i][1], words[i + n - 1][1] + 1
                    spans.append(Span(hit[0], hit[1], start, end, tuple(raw[start:end]), " ".join(key)))
                    i += n
                    break
            else:
                i += 1
        return spans

    def text_words(self, text: str) -> list[str]:
        """Folded, expanded and corrected words of a text, for cue matching."""
        return [w for w, _ in self.words(tokens(fold(text)))]
