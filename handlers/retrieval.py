"""Retrieval over the knowledge itself: every fact, figure, caveat and source title, ranked by BM25.

The fallback for an in-scope question no intent is confident about: instead of a decline, the cited
facts closest to the question, labelled as such. Built once with the engine; a query costs one pass
over the inverted index of its own terms (tens of microseconds).

Terms: folded tokens, synonyms expanded (and, in questions, typos corrected) by the lexicon, stop words dropped, then
stemmed with the Snowball English stemmer (PyStemmer, its C build) and cut to STEM_LEN characters so that "metastasis",
"metastases" and "metastatic" meet. An entity named in the question adds its canonical name's terms,
so a brand ("Somatuline") finds the facts written about its generic (lanreotide).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from handlers.answer import Item
from handlers.lexicon import Lexicon, Span
from knowledge import Knowledge
from knowledge.schema import Fact, Quantity
from knowledge.text import fold, tokens

K1, B = 1.2, 0.75
MIN_IDF = 1.0  # terms in more than about a third of the facts ("tumour", "pnet") do not rank them
MAX_TERMS = 8  # the rarest terms of a long question decide its closest facts; the rest only cost time
STEM_LEN = 7
TOP = 6

_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)[:STEM_LEN] if word.isalpha() else word


@dataclass(frozen=True)
class Doc:
    text: str
    sources: tuple[str, ...]
    intent: str  # the answer this fact belongs to, offered as the next question
    detail: str | None = None  # shown under it (a survival figure's cohort)


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float


class Retriever:
    def __init__(self, knowledge: Knowledge, lexicon: Lexicon):
        self.lex = lexicon
        self.stop = {w for term in knowledge.vocabulary.stopwords for w in lexicon.text_words(term)}
        self.names = _entity_names(knowledge)
        self.docs: list[Doc] = []
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths: list[int] = []
        for doc, extra in _documents(knowledge):
            terms = self.terms(doc.text + " " + extra)
            counts = Counter(terms)
            for t, tf in counts.items():
                postings.setdefault(t, []).append((len(self.docs), tf))
            self.docs.append(doc)
            lengths.append(len(terms))
        n = len(self.docs)
        avg = sum(lengths) / n
        self.name_terms = {key: self.terms(name) for key, name in self.names.items()}
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        # BM25 term weights precomputed per posting: a query only adds them up
        self.postings = {
            t: [(d, self.idf[t] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[d] / avg))) for d, tf in p]
            for t, p in postings.items()
        }

    def terms(self, text: str) -> list[str]:
        """Index terms of knowledge text: synonyms expanded, no typo correction (the text is curated)."""
        return [stem(w) for w, _ in self.lex.words(tokens(fold(text)), correct=False) if w not in self.stop]

    def query_terms(self, words: list[str], spans: list[Span]) -> set[str]:
        terms = {stem(w) for w in words if w not in self.stop}
        for s in spans:
            terms.update(self.name_terms.get((s.kind, s.id), ()))
        kept = sorted((t for t in terms if self.idf.get(t, 0.0) >= MIN_IDF), key=lambda t: (-self.idf[t], t))
        return set(kept[:MAX_TERMS])

    def search(self, words: list[str], spans: list[Span], top: int = TOP) -> list[Hit]:
        acc = [0.0] * len(self.docs)
        for t in self.query_terms(words, spans):
            for d, w in self.postings[t]:
                acc[d] += w
        ranked = heapq.nlargest(top, range(len(acc)), key=acc.__getitem__)  # ties: the earlier fact first
        return [Hit(self.docs[d], acc[d]) for d in ranked if acc[d] > 0.0]

    def informative(self, words: list[str], spans: list[Span]) -> float:
        """Sum of IDF of the question's terms found in the knowledge: how much of it the sources speak to."""
        return sum(self.idf[t] for t in self.query_terms(words, spans))


def item(hit: Hit) -> Item:
    return Item(text=hit.doc.text, sources=list(hit.doc.sources), detail=hit.doc.detail)


def _entity_names(k: Knowledge) -> dict[tuple[str, str], str]:
    names = {(kind, x.id): x.name for kind, items in k.entity_groups() for x in items}
    names.update({("trial", t.name): t.name for t in k.vocabulary.trials})
    names[("topic", "nec")] = k.topics.topics["nec"].title
    return names


def _fact(f: Fact, intent: str, extra: str = "") -> tuple[Doc, str]:
    return Doc(f.text, tuple(f.sources), intent), extra


def _figure(q: Quantity, label: str, intent: str, extra: str = "", detail: str | None = None) -> tuple[Doc, str]:
    return Doc(f"{label}: {q.formatted()}", tuple(q.sources), intent, detail), extra


def _documents(k: Knowledge) -> list[tuple[Doc, str]]:
    """(document, extra index words) for every fact in the knowledge. The extra words are names and
    aliases that make a fact findable by what it is about, without being shown."""
    docs: list[tuple[Doc, str]] = []
    for s in k.subtypes.subtypes:
        names = " ".join([s.name, *s.aliases[:2]])
        docs.append(_figure(s.metastatic_rate, f"{s.name}: metastatic rate", "metastasis_rate", names))
        if s.syndrome:
            docs.append(_fact(Fact(text=f"{s.name}: {s.syndrome.text}", sources=s.syndrome.sources), "metastasis_rate"))
        docs += [_fact(n, "metastasis_rate", names) for n in s.notes]
    for site in k.sites.sites:
        names = f"{site.name} metastases"
        docs += [_figure(f, f.label or site.name, "metastatic_sites", names) for f in site.figures]
        docs += [_fact(n, "metastatic_sites", names) for n in site.notes]
    for p in k.primaries.primaries:
        names = f"{p.name} primary"
        if p.nodal and p.liver:
            docs.append(_figure(p.nodal, f"{p.name} NETs: nodal metastases at presentation", "primary_site_pattern"))
            docs.append(_figure(p.liver, f"{p.name} NETs: liver metastases at presentation", "primary_site_pattern"))
        docs += [_fact(n, "primary_site_pattern", names) for n in p.notes]
    docs += [_fact(f, "primary_site_pattern") for f in k.primaries.general]
    sv = k.survival
    for pat in sv.patterns:
        if pat.median_months:
            docs.append(
                _figure(
                    pat.median_months, f"{pat.name}: median survival", "survival", detail=f"Whose figure: {pat.cohort}"
                )
            )
        docs.append(
            _figure(pat.os5, f"{pat.name}: 5-year overall survival", "survival", detail=f"Whose figure: {pat.cohort}")
        )
    docs += [_figure(o.figure, o.label, "survival", detail=f"Whose figure: {o.cohort}") for o in sv.other]
    docs += [_fact(f, "survival") for f in sv.prognosticators]
    for r in k.grading.grades:
        text = f"{r.grade} ({r.label}): Ki-67 {r.ki67.describe()}%, mitotic count {r.mitoses.describe()}{k.grading.mitoses_unit}"
        docs.append((Doc(text, tuple(r.sources), "grading"), "grade grading criteria threshold"))
    docs += [_fact(f, "grading") for f in k.grading.notes]
    for f in k.risk.risk_factors:
        docs.append(_fact(Fact(text=f"{f.name}: {f.text}", sources=f.sources), "risk_factors", "risk factor"))
    for group in k.risk.prognostic_factors.values():
        docs += [_fact(f, "risk_factors", group.label) for f in group.items]
    docs += [_fact(f, "surveillance", "recurrence") for f in k.risk.recurrence]
    for t in k.therapies.therapies:
        names = " ".join([t.name, t.class_, *t.aliases[:3]])
        if t.dose:
            route = f", {t.route.text.lower()}" if t.route else ""
            sources = (*t.dose.sources, *(t.route.sources if t.route else ()))
            docs.append((Doc(f"{t.name}: {t.dose.text}{route}", tuple(dict.fromkeys(sources)), "therapy"), names))
        docs += [_fact(Fact(text=f"{t.name}: {f.text}", sources=f.sources), "therapy", names) for f in t.indication]
        docs += [_fact(f, "therapy", names) for f in t.evidence]
        docs += [_figure(f, f"{t.name}: {f.label}", "therapy", names) for f in t.figures]
        docs += [(Doc(c.text, tuple(c.sources), "therapy"), names) for c in t.cautions]
    docs += [_fact(f, "therapy") for f in k.therapies.general]
    for name, topic in k.topics.topics.items():
        intent = "treatment_plan" if name == "treatment_algorithm" else name
        for sec in topic.sections:
            docs += [_fact(f, intent, f"{topic.title} {sec.title}") for f in sec.facts]
    for art in k.sources.articles:
        docs.append((Doc(f"Article {art.file[:3]}: {art.title}", (art.id,), "sources"), "source article"))
        for ref in art.references:
            if ref.listed and ref.title:
                docs.append((Doc(f"Reference: {ref.title}", (ref.id,), "sources"), "source reference"))
    return docs
