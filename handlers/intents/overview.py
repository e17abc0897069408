"""overview: what the sources say about PNETs, NETs in general, one subtype or one primary site, in brief.

Asked by shape ("what is a PNET?", "tell me about insulinomas", a bare "pancreatic NET": see the router),
and built from the knowledge itself: every line is a cited fact or figure from the entity files and topic
pages, so an overview says nothing the specific answers would not. The first line answers the asked
aspect when there is one (a subtype's symptoms), or says the sources do not give it.
"""

from __future__ import annotations

from handlers import answer
from handlers.answer import Answer, Item, Section
from handlers.intents.common import fact, figure, section, site_figure
from handlers.intents.grading import threshold
from handlers.intents.spread import primary_site_pattern, rank_lines
from handlers.intents.topics import nec
from handlers.router import Query
from knowledge import Knowledge
from knowledge.schema import Subtype
from knowledge.text import alias_key, fold, tokens

MORE = "Ask about any of these for the detail: e.g. “where do PNETs spread”, “survival with liver mets”, “lanreotide dose”."


def overview(q: Query, k: Knowledge) -> Answer:
    subtypes = [s for s in k.subtypes.subtypes if s.id in q.entities.get("subtype", [])]
    function_asked = bool(set(tokens(fold(q.text))) & _names(k.vocabulary.overview.functioning, k))
    if subtypes:
        return _subtype(q, k, subtypes[0], function_asked)
    if [p for p in q.entities.get("primary", []) if p != "pancreas"]:
        return _retitled(primary_site_pattern(q, k))
    if q.entities.get("topic"):
        return _retitled(nec(q, k))
    pancreatic = _names(q.entities.get("domain", []), k) & _names(k.vocabulary.overview.pnet, k)
    if function_asked:
        return _functioning(k)
    a = _pnets(k) if pancreatic else _nets(k)
    if "symptoms" in q.aspects:  # the sources give presentations by subtype only
        with_syndrome = [(s.name, syndrome) for s in k.subtypes.subtypes if (syndrome := s.syndrome) is not None]
        a.sections.insert(0, Section(title="In brief", items=[Item(text=a.summary, sources=a.summary_sources)]))
        a.summary = (
            f"The sources give no general list of symptoms of {'PNETs' if pancreatic else 'NETs'}; they give the presentation "
            "of some subtypes: "
            + "; ".join(
                f"{name.lower()}: {syndrome.text[0].lower()}{syndrome.text[1:]}" for name, syndrome in with_syndrome
            )
            + "."
        )
        a.summary_sources = sorted({sid for _, syndrome in with_syndrome for sid in syndrome.sources})
        a.not_covered.append("a general list of symptoms")
    return a


def _names(terms: list[str], k: Knowledge) -> set[str]:
    """Terms compared as the lexicon reads them ("tumor" is "tumour")."""
    syn = k.vocabulary.synonyms
    return {" ".join(syn.get(w, w) for w in alias_key(t)) for t in terms}


def _retitled(a: Answer) -> Answer:
    a.intent = "overview"
    return a


def _kind(s: Subtype) -> str:
    return "a functioning PNET" if s.functional else "a non-functioning PNET"


def _defined(s: Subtype) -> str:
    """A subtype's kind, with what the word means ("whats a functioning tumour?" asked by its patient)."""
    return _kind(s) + (
        " (it secretes a hormone that causes a syndrome)"
        if s.functional
        else " (it secretes no hormone that causes a syndrome)"
    )


def _subtype(q: Query, k: Knowledge, s: Subtype, function_asked: bool = False) -> Answer:
    rate = figure(s.metastatic_rate, "metastatic rate")
    rank = f" ({s.rank_note})" if s.rank_note else ""
    if "symptoms" in q.aspects and s.syndrome is None:
        a = answer.new(
            "overview",
            f"{s.name}: symptoms not in my sources",
            f"The sources give no symptoms or presentation for {s.name.lower()}; they give its {rate.text}{rank}.",
            rate.sources,
        )
        a.not_covered.append(f"the symptoms of {s.name}")
    elif leads := [n for n in s.notes if set(n.aspects) & set(q.aspects)]:
        label = k.vocabulary.aspects[next(x for x in q.aspects if any(x in n.aspects for n in leads))].label
        a = answer.new(
            "overview",
            f"{s.name}: {label}",
            " ".join(n.text for n in leads),
            sorted({sid for n in leads for sid in n.sources}),
        )
    else:
        presentation = f"; presentation: {s.syndrome.text[0].lower()}{s.syndrome.text[1:]}" if s.syndrome else ""
        lead = f"{s.name}: {_defined(s) if function_asked else _kind(s)}{presentation}; {rate.text}{rank}."
        if "symptoms" in q.aspects and s.syndrome:  # a presentation in a few words, not a list of symptoms
            lead = (
                f"My sources do not give a list of symptoms of {s.name.lower()}; they name "
                f"{s.syndrome.text[0].lower()}{s.syndrome.text[1:]}; {rate.text}{rank}."
            )
        sources = sorted({*rate.sources, *(s.syndrome.sources if s.syndrome else [])})
        a = answer.new("overview", f"{s.name}: an overview from my sources", lead, sources)
        if "symptoms" in q.aspects:
            a.not_covered.append(f"a list of symptoms of {s.name}")
    a.sections += section(f"About {s.name.lower()}", [fact(n) for n in s.notes])
    ranked = sorted(k.subtypes.subtypes, key=lambda x: -(x.metastatic_rate.high or x.metastatic_rate.value or 0))
    a.sections += section(f"Where {s.name.lower()} ranks among the subtypes", rank_lines(s, ranked))
    return a


def _functioning(k: Knowledge) -> Answer:
    """The functioning subtypes, each with the syndrome its hormone causes and its metastatic rate."""
    functioning = [s for s in k.subtypes.subtypes if s.functional]
    a = answer.new(
        "overview",
        "Functioning PNETs: an overview from my sources",
        "A functioning PNET secretes a hormone that causes a syndrome; a non-functioning one causes none. The "
        "sources name " + ", ".join(s.name for s in functioning) + ".",
        sorted({sid for s in functioning if s.syndrome for sid in s.syndrome.sources}),
    )
    a.sections += section(
        "Each, with its syndrome and metastatic rate",
        [
            Item(
                text=f"{s.name}: {s.syndrome.text[0].lower()}{s.syndrome.text[1:]}; {figure(s.metastatic_rate, 'metastatic rate').text}"
                if s.syndrome
                else _subtype_line(s).text,
                sources=sorted({*s.metastatic_rate.sources, *(s.syndrome.sources if s.syndrome else [])}),
            )
            for s in functioning
        ],
    )
    return a


def _subtype_line(s: Subtype) -> Item:
    return figure(s.metastatic_rate, f"{s.name} ({_kind(s)[2:]}), metastatic rate")


def _pnets(k: Knowledge) -> Answer:
    subtypes = sorted(k.subtypes.subtypes, key=lambda x: x.metastatic_rate.high or x.metastatic_rate.value or 0)
    lo, hi = subtypes[0], subtypes[-1]
    liver = site_figure(k, "liver", "pnet_at_diagnosis")
    nodes = site_figure(k, "lymph_nodes", "pnet_at_diagnosis")
    a = answer.new(
        "overview",
        "Pancreatic neuroendocrine tumours (PNETs): an overview from my sources",
        f"My sources cover pancreatic NETs by subtype, functioning (hormone-secreting) or non-functioning. "
        f"How often they spread depends on the subtype, from {lo.metastatic_rate.formatted()} ({lo.name}) to "
        f"{hi.metastatic_rate.formatted()} ({hi.name}); at diagnosis about {liver.formatted()} have liver and "
        f"{nodes.formatted()} regional lymph node metastases.",
        sorted({*lo.metastatic_rate.sources, *hi.metastatic_rate.sources, *liver.sources, *nodes.sources}),
    )
    course = next(s for s in k.topics.topics["pitfalls"].sections if s.title == "Natural history caveats")
    a.sections += section("How they behave", [fact(f) for f in course.facts[:3]])
    a.sections += section("Subtypes", [_subtype_line(s) for s in reversed(subtypes)])
    a.sections += section("Where they spread", [figure(liver), figure(nodes)])
    a.sections += _shared(k)
    return a


def _nets(k: Knowledge) -> Answer:
    general = k.primaries.general
    overall = site_figure(k, "liver", "metastatic_net_any_primary")
    a = answer.new(
        "overview",
        "Neuroendocrine tumours (NETs): an overview from my sources",
        "NETs arise at many primary sites; my sources are above all about pancreatic NETs (PNETs). "
        + " ".join(f.text for f in general),
        sorted({sid for f in general for sid in f.sources}),
    )
    prims = [(p.name, nodal, liver) for p in k.primaries.primaries if (nodal := p.nodal) and (liver := p.liver)]
    a.sections += section(
        "Nodal and liver metastases at presentation, by primary site",
        [
            Item(
                text=f"{name}: nodal {nodal.formatted()}, liver {liver.formatted()}",
                sources=sorted({*nodal.sources, *liver.sources}),
            )
            for name, nodal, liver in prims
        ],
    )
    a.sections += section(
        "Where they spread", [figure(overall)] + [Item(text=f"{s.name}: {s.summary}") for s in k.sites.sites[:3]]
    )
    a.sections += _shared(k)
    return a


def _shared(k: Knowledge) -> list:
    """What every overview ends with: grade, treatment, follow-up in brief, and what the sources do not say."""
    algorithm, surveillance = k.topics.topics["treatment_algorithm"], k.topics.topics["surveillance"]
    out = section("Grade (WHO, from Ki-67 and mitoses)", [threshold(r, k.grading) for r in k.grading.grades])
    out += section("Treatment in brief", [fact(algorithm.summary)])
    out += section("Follow-up", [fact(surveillance.summary)])
    out += section("What the sources do not say", [Item(text=t) for t in k.vocabulary.overview.not_covered])
    out += section("Ask next", [Item(text=MORE)])
    return out
