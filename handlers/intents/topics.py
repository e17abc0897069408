"""Topic pages from knowledge/topics.yaml: surveillance, pitfalls, MEN1, imaging, neuroendocrine carcinoma."""

from __future__ import annotations

from handlers import answer
from handlers.answer import Answer, Item
from handlers.intents.common import fact, section
from handlers.intents.spread import primary_gap
from handlers.router import Query
from knowledge import Knowledge
from knowledge.schema import TopicKey, terms_pattern
from knowledge.text import fold


def topic_answer(
    intent: str,
    topic_key: TopicKey,
    k: Knowledge,
    aspects: list[str] | tuple[str, ...] = (),
    context: str | None = None,
    text: str = "",
) -> Answer:
    """A topic page; the facts that answer an asked aspect (topics.yaml `aspects`), or a section the question's
    `text` asks for (its `asked_by`), lead it, in its first line, never those of a section of another context (after
    a resection, metastatic disease) than the question's."""
    t = k.topics.topics[topic_key]
    a = answer.new(intent, t.title, t.summary.text, list(t.summary.sources))
    asked = [s for s in t.sections if s.asked_by and terms_pattern(s.asked_by).search(fold(text))]
    leads = [
        f
        for s in t.sections
        if context is None or s.context in (None, context)
        for f in s.facts
        if set(f.aspects) & set(aspects) or s in asked
    ]
    if leads:
        led = next((x for x in aspects if any(x in f.aspects for f in leads)), None)
        label = k.vocabulary.aspects[led].label if led else asked[0].title
        a.title = f"{t.title}: {label}"
        by_section = [(s.title, [f for f in s.facts if f in leads]) for s in t.sections]
        by_section = [(title, facts) for title, facts in by_section if facts]
        # "... every 6-12 months for up to 10 years. Metastatic disease on treatment: ... every 3-6 months": a
        # later section's lead says whose it is
        a.summary = " ".join(
            (f"{title}: " if i else "") + " ".join(f.text for f in facts) for i, (title, facts) in enumerate(by_section)
        )
        a.summary_sources = sorted({sid for f in leads for sid in f.sources})
        a.sections += section("In brief", [fact(t.summary)])
    for s in t.sections:
        a.sections += section(s.title, [fact(f) for f in s.facts])
    a.sections += section("What the sources do not say", [Item(text=x) for x in t.not_covered])
    return a


def surveillance(q: Query, k: Knowledge) -> Answer:
    # after an operation with no metastases said ("NED 6 y post Whipple ... CgA nl. Stop scans?"), the schedule after
    # resection leads, not the markers of metastatic disease on treatment
    resected = bool(q.case.prior_surgery) and q.case.metastatic is not True
    aspects = [a for a in q.aspects if a != "markers"] if resected else q.aspects
    context = "resected" if resected else "metastatic" if q.case.metastatic else None
    # a NET of another primary ("thymic NET recurrence after R0?") is never given the PNET figures
    return primary_gap(q, k, "surveillance", "surveillance") or topic_answer(
        "surveillance", "surveillance", k, aspects, context
    )


def pitfalls(q: Query, k: Knowledge) -> Answer:
    return topic_answer("pitfalls", "pitfalls", k, q.aspects)


def men1(q: Query, k: Knowledge) -> Answer:
    return topic_answer("men1", "men1", k)


def imaging(q: Query, k: Knowledge) -> Answer:
    return topic_answer("imaging", "imaging", k, text=q.text)


def nec(q: Query, k: Knowledge) -> Answer:
    a = topic_answer("nec", "nec", k)
    a.not_covered.append("neuroendocrine carcinoma as distinct from G3 NET")
    return a
