"""Help, sources, and the polite decline for out-of-scope questions."""

from __future__ import annotations

from handlers import answer
from handlers.answer import Answer, Item
from handlers.intents.common import section
from handlers.router import Query
from knowledge import Knowledge

_HIDDEN = {"help", "sources", "out_of_scope"}
_CHAT_GROUP = "everyday chat"


def capabilities(k: Knowledge) -> list[Item]:
    return [
        Item(text=f"{i.label}: {i.description}. Try “{i.example}”") for i in k.intents.intents if i.name not in _HIDDEN
    ]


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
    if q.oos_terms and set(q.oos_groups) != {_CHAT_GROUP}:
        groups = sorted(set(q.oos_groups) - {_CHAT_GROUP})
        what = ", ".join(f"“{t}”" for t in q.oos_terms[:3])
        summary = (
            f"I don't cover {what}: my sources are five articles on neuroendocrine tumours"
            f"{' (' + ', '.join(groups) + ' are outside them)' if groups else ''}."
        )
    else:
        summary = "I don't cover that. I answer questions about neuroendocrine tumours, above all pancreatic NETs, from five cited articles."
    a = answer.new("out_of_scope", "Not something I cover", summary, declined=True)
    a.sections += section("What I can answer", capabilities(k))
    return a
