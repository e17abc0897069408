"""Help, sources, the polite decline for out-of-scope questions, and the closest matches when no
answer fits an in-scope question."""

from __future__ import annotations

from handlers import answer
from handlers.answer import Answer, Item
from handlers.intents.common import section
from handlers.retrieval import item
from handlers.router import Query
from knowledge import Knowledge

_HIDDEN = {"help", "sources", "out_of_scope", "closest_matches"}
_CHAT_GROUP = "everyday chat"


def capabilities(k: Knowledge, first: list[str] | None = None) -> list[Item]:
    """One line per intent with an example; the intents named in `first` lead (what is close)."""
    order = {name: n for n, name in enumerate(first or [])}
    shown = [i for i in k.intents.intents if i.name not in _HIDDEN]
    shown.sort(key=lambda i: order.get(i.name, len(order)))
    return [Item(text=f"{i.label}: {i.description}. Try “{i.example}”") for i in shown]


def help_(q: Query, k: Knowledge) -> Answer:
    a = answer.new(
        "help",
        "PNET tumour-board assistant",
        "Ask about pancreatic and other neuroendocrine tumours, or paste a case for a step-by-step, cited plan.",
    )
    a.sections += section("What I can answer", capabilities(k))
    a.sections += section(
        "How to ask",
        [
            Item(text="/pnet <question or case>: the answer is shown to you, with a button to share it in the channel"),
            Item(
                text="Mention me in a tumour-board thread; “@bot plan” in a thread plans the case in its first message"
            ),
            Item(text="Message me directly, or use “Plan this case” on any message"),
            Item(text="/pnet sources lists the five articles everything comes from"),
        ],
    )
    return a


def sources(q: Query, k: Knowledge) -> Answer:
    arts = k.sources.articles
    a = answer.new(
        "sources",
        "Sources",
        f"Every figure comes from {len(arts)} source articles and the references they cite. Knowledge version {k.version}.",
    )
    for art in arts:
        items = [
            Item(text=f"Article {art.file[:3]}: {art.title} (updated {art.updated.isoformat()})", sources=[art.id])
        ]
        items += [
            Item(text=k.source(r.id).label.split(", citing: ")[-1], sources=[r.id]) for r in art.references if r.listed
        ]
        a.sections += section(f"Article {art.file[:3]}", items)
    return a


def out_of_scope(q: Query, k: Knowledge) -> Answer:
    groups = k.vocabulary.out_of_scope
    named = [g for g in dict.fromkeys(q.oos_groups) if g != _CHAT_GROUP]
    if q.oos_terms and named:
        what = ", ".join(f"“{t}”" for t in q.oos_terms[:3])
        why = "; ".join(dict.fromkeys(groups[g].why for g in named))  # two groups with one reason: said once
        summary = f"My sources do not cover {what}: {why}. They are five articles on neuroendocrine tumours."
        close = [c for g in named for c in groups[g].close]
    else:
        summary = "I don't cover that. I answer questions about neuroendocrine tumours, above all pancreatic NETs, from five cited articles."
        close = []
    a = answer.new("out_of_scope", "Not something I cover", summary, declined=True)
    a.not_covered = [t for t, g in zip(q.oos_terms, q.oos_groups, strict=True) if g != _CHAT_GROUP]
    a.sections += section("What I can answer", capabilities(k, close))
    return a


def closest_matches(q: Query, k: Knowledge) -> Answer:
    """No intent fits, yet the sources speak to the question: the closest cited facts, labelled as such."""
    a = answer.new(
        "closest_matches",
        "Closest matches in my sources",
        "No answer of mine fits your question exactly. These are the cited facts closest to it: check they answer what you asked.",
        closest=True,
    )
    a.sections += section("Closest matches", [item(h) for h in q.matches])
    return a
