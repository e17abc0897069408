"""Small helpers shared by the intent modules: knowledge facts and figures -> answer items."""

from __future__ import annotations

from handlers.answer import Item, section  # noqa: F401  (section: re-exported for the intent modules)
from knowledge import Knowledge
from knowledge.schema import Fact, Quantity


def fact(f: Fact, prefix: str = "") -> Item:
    return Item(text=prefix + f.text, sources=list(f.sources))


def figure(q: Quantity, label: str | None = None) -> Item:
    """A figure as "label: 50-80%" with its sources; the number is printed exactly as stored."""
    name = label or q.label
    return Item(text=f"{name}: {q.formatted()}" if name else q.formatted(), sources=list(q.sources))


NOT_GIVEN = "not given"  # a table cell for a figure the sources do not give


def cell(q: Quantity | None, labelled: bool = False) -> str:
    """A figure as a table cell or in a line, printed exactly as stored, with its label in brackets if asked."""
    if q is None:
        return NOT_GIVEN
    return q.formatted() + (f" ({q.label})" if labelled and q.label else "")


def site_figure(k: Knowledge, site: str, figure_id: str) -> Quantity:
    """A site's figure by its id in sites.yaml."""
    return next(f for s in k.sites.sites if s.id == site for f in s.figures if f.id == figure_id)
