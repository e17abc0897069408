"""Where and how often NETs spread: metastatic rate by subtype, sites, primary-site patterns,
survival by metastatic pattern, and risk factors."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import answer
from handlers.answer import Answer, Item, Row, Table
from handlers.intents.common import cell, fact, figure, section, site_figure
from handlers.intents.therapy import not_curative, therapy
from handlers.router import Query, ngrams
from knowledge import Knowledge
from knowledge.schema import Primary, Quantity, Subtype
from knowledge.text import alias_key, fold, lower_first, tokens

# "apart from the liver and nodes, where else...": the sites after it are set aside
_APART = re.compile(
    r"\b(?:apart from|other than|besides|except(?: for)?|excluding|aside from|not counting)\b([^?.;]{0,60})"
)


def _bounds(q: Quantity) -> tuple:
    return (q.low, q.high) if q.value is None else (q.value, q.value)


def _rate_name(s: Subtype) -> str:
    return s.name + (f" ({s.rank_note})" if s.rank_note else "")


def _rate_line(s: Subtype) -> Item:
    return figure(s.metastatic_rate, _rate_name(s))


def _rate_table(ranked: list[Subtype]) -> Table:
    return Table(
        columns=["Subtype", "Metastatic rate"],
        rows=[
            Row(cells=[_rate_name(s), cell(s.metastatic_rate)], sources=list(s.metastatic_rate.sources)) for s in ranked
        ],
    )


def metastasis_rate(q: Query, k: Knowledge) -> Answer:
    subtypes = k.subtypes.subtypes
    ranked = sorted(subtypes, key=lambda s: tuple(-x for x in reversed(_bounds(s.metastatic_rate))))
    table = [_rate_line(s) for s in ranked]
    rates = _rate_table(ranked)
    asked = [s for s in subtypes if s.id in q.entities.get("subtype", [])]
    primary = asked_primary(q, k)
    if primary and all(not s.functional for s in asked):
        asked = []  # "a non-functioning duodenal NET": the PNET subtype's rate is a neighbour's, never this one's
    if not asked and primary:
        return (
            primary_site_pattern(q, k)
            if q.entities.get("primary")
            else _gap(primary, k, "metastasis_rate", "metastasis_rate")
        )
    if not asked and q.entities.get("site"):
        return metastatic_sites(q, k)  # "how many PNETs have liver mets": the site's figure, not the subtypes'
    if not asked:
        lo, hi = ranked[-1], ranked[0]
        a = answer.new(
            "metastasis_rate",
            "Metastatic rate by PNET subtype",
            f"From {lo.metastatic_rate.formatted()} ({lo.name}) to {hi.metastatic_rate.formatted()} ({hi.name}).",
            sorted({*lo.metastatic_rate.sources, *hi.metastatic_rate.sources}),
        )
        extreme = superlative(q, higher_is_worse=True)
        if extreme:  # "which subtype is most aggressive": the answer first, the range after
            pick = hi if extreme == "highest" else lo
            a.summary = (
                f"{pick.name} has the {extreme} metastatic rate: {pick.metastatic_rate.formatted()}"
                f" (the range is {lo.metastatic_rate.formatted()} for {lo.name} to {hi.metastatic_rate.formatted()} for {hi.name})."
            )
        a.sections += section("All subtypes (ordered by highest figure)", table, table=rates)
        overall = [f for f in k.risk.risk_factors if f.name in ("Lifetime risk", "Small tumours are not safe")]
        if "lifetime" in q.aspects:  # "how many non-metastatic PNETs go on to develop metastases"
            life = _lifetime_risk(k)
            a.summary, a.summary_sources = life.text, list(life.sources)
        liver = site_figure(k, "liver", "pnet_at_diagnosis")
        nodes = site_figure(k, "lymph_nodes", "pnet_at_diagnosis")
        a.sections += section(
            "All PNETs",
            [figure(liver), figure(nodes)] + [Item(text=f.text, sources=list(f.sources)) for f in overall],
        )
        return a
    first = asked[0]
    a = answer.new(
        "metastasis_rate",
        f"{first.name}: metastatic rate"
        if len(asked) == 1
        else "Metastatic rate: " + " vs ".join(s.name for s in asked),
        " ".join(
            f"{s.name}: {s.metastatic_rate.formatted()} metastatic rate{f' ({s.rank_note})' if s.rank_note else ''}."
            for s in asked
        ),
        sorted({sid for s in asked for sid in s.metastatic_rate.sources}),
    )
    if "lifetime" in q.aspects:  # "small NF-PNET, not spread: chances it spreads later?": the lifetime figure first
        life = _lifetime_risk(k)
        a.summary = f"{life.text[:-1]} (all PNETs; the sources give no lifetime figure by subtype). {a.summary}"
        a.summary_sources = sorted({*a.summary_sources, *life.sources})
    extreme = superlative(q, higher_is_worse=True)
    top = (ranked[0] if extreme == "highest" else ranked[-1]) if extreme else None
    # "which subtype spreads the most? where do NF-PNETs sit?": the extreme first; never beside two subtypes set against
    # each other ("is one that makes gastrin more or less likely to spread than one that makes glucagon?")
    if top and top not in asked and len(asked) < 2:
        a.summary = (
            f"{_rate_name(top)} has the {extreme} metastatic rate: {top.metastatic_rate.formatted()}. {a.summary}"
        )
        a.summary_sources = sorted({*a.summary_sources, *top.metastatic_rate.sources})
    if len(asked) > 1 or extreme or COMPARED & set(q.words):  # every subtype's figure
        a.sections += section("All subtypes (ordered by highest figure)", table, table=rates)
    else:  # one subtype asked: where it ranks, by name; a neighbour's figure is never read as its own
        a.sections += section(f"Where {first.name.lower()} ranks among the subtypes", rank_lines(first, ranked))
    for s in asked:
        about = ([fact(s.syndrome, "Presentation: ")] if s.syndrome else []) + [fact(n) for n in s.notes]
        a.sections += section(f"About {s.name.lower()}", about)
    return a


def rank_lines(first: Subtype, ranked: list[Subtype]) -> list[Item]:
    """The other subtypes above, level with and below this one's metastatic rate, by name only."""
    lo, hi = _bounds(first.metastatic_rate)
    groups: dict[str, list[str]] = {"Higher": [], "Overlapping or equal": [], "Lower": []}
    others = [s for s in ranked if s.id != first.id]
    for s in others:
        olo, ohi = _bounds(s.metastatic_rate)
        groups["Higher" if olo > hi else "Lower" if ohi < lo else "Overlapping or equal"].append(s.name)
    sources = sorted({sid for s in [first, *others] for sid in s.metastatic_rate.sources})
    return [Item(text=f"{label}: {', '.join(v)}", sources=sources) for label, v in groups.items() if v]


def extremes(q: Query, higher_is_worse: bool) -> list[str]:
    """Every extreme asked: "highest", "lowest", or both ("highest nodal rate? and the lowest?")."""
    asked = set(q.aspects)
    high = {"highest"} | ({"worst"} if higher_is_worse else {"best"})
    low = {"lowest"} | ({"best"} if higher_is_worse else {"worst"})
    return [name for name, terms in (("highest", high), ("lowest", low)) if asked & terms]


def superlative(q: Query, higher_is_worse: bool) -> str | None:
    """ "highest" or "lowest" when the question asks for an extreme (vocabulary.yaml aspects highest, lowest,
    worst, best); worst is the highest figure where a higher figure is worse (a rate), else the lowest."""
    asked = set(q.aspects)
    high = {"highest"} | ({"worst"} if higher_is_worse else {"best"})
    low = {"lowest"} | ({"best"} if higher_is_worse else {"worst"})
    if asked & high and not asked & low:
        return "highest"
    if asked & low and not asked & high:
        return "lowest"
    return None


def _set_aside(q: Query, k: Knowledge) -> set[str]:
    """Sites the question sets aside: "apart from liver and lymph nodes, where else do NETs spread?"."""
    m = _APART.search(fold(q.text))
    if m is None:
        return set()
    words = f" {' '.join(tokens(m.group(1)))} "
    return {s.id for s in k.sites.sites if any(f" {a} " in words for a in s.aliases)}


def metastatic_sites(q: Query, k: Knowledge) -> Answer:
    sites = {s.id: s for s in k.sites.sites}
    aside = _set_aside(q, k)
    asked = [sites[i] for i in q.entities.get("site", []) if i not in aside]
    set_against = COMPARED & set(q.words) or len(asked) > 1
    # survival asked as a part of its own, of no site ("commonest sites ... and how does survival differ?"), answers
    # after the sites; of a site named ("spread to the liver? what are the survival odds?"), it leads
    survival_asked = {"overall_survival", "prognosis"} & set(q.aspects) and ("survival" not in q.parts or asked)
    if survival_asked or (
        asked and {"worst", "best"} & set(q.aspects) and set_against and "find_primary" not in q.aspects
    ):
        # "bone v lung v multi-organ, 5y OS?", "spread to his bones: is that worse than the liver?": how each fares
        return survival(q, k)
    if not asked and "subtype" in q.words and superlative(q, higher_is_worse=True):
        return metastasis_rate(q, k)  # "which subtype spreads the most?": the subtypes' rates
    if (
        extremes(q, higher_is_worse=True)
        and "find_primary" not in q.aspects
        and (
            any("primary" in d for d in q.entities.get("domain", [])) or (len(asked) == 1 and asked[0].id in BY_PRIMARY)
        )
    ):
        # "which primary site (GI NET site) has the highest nodal rate": by primary, then the site's own figures
        a = primary_site_pattern(q, k)
        for s in asked:
            a.sections += section(s.name, [figure(f) for f in s.figures] + [fact(n) for n in s.notes])
        return a
    named = [p for p in q.entities.get("primary", []) if p not in ("pancreas", "unknown")]
    if named and all(s.id in BY_PRIMARY for s in asked) and not aside and "find_primary" not in q.aspects:
        # "thymic NET: odds of nodal or liver spread", "appendix carcinoid: chances it had already spread?": that
        # primary's own figures, or that it has none; never the pancreatic ones
        return primary_site_pattern(q, k)
    if not asked and aside:  # "apart from liver and nodes, where else?": the other sites, most common first
        rest = [s for s in k.sites.sites if s.id not in aside]
        a = answer.new(
            "metastatic_sites",
            "Where else NETs spread",
            " ".join(f"{s.name}: {s.summary}" for s in rest[:3]),
            sorted({sid for s in rest[:3] for sid in _site_sources(s)}),
        )
        a.sections += section(
            "Other sites, most common first",
            [Item(text=f"{s.name}: {s.summary}", sources=_site_sources(s)) for s in rest],
        )
        return a
    if not asked:
        liver = site_figure(k, "liver", "pnet_at_diagnosis")
        overall = site_figure(k, "liver", "metastatic_net_any_primary")
        nodes = site_figure(k, "lymph_nodes", "pnet_at_diagnosis")
        pnets = _about_pnets(q, k)  # "where do pancreatic NETs spread?": the PNET figures, no other NETs' figure
        a = answer.new(
            "metastatic_sites",
            "Where PNETs spread" if pnets else "Where PNETs and other NETs spread",
            f"Liver first: {liver.formatted()} of PNETs at diagnosis"
            + ("" if pnets else f" (and {overall.formatted()} of metastatic NETs overall)")
            + f"; regional lymph nodes in about {nodes.formatted()}.",
            sorted({*liver.sources, *nodes.sources, *([] if pnets else overall.sources)}),
        )
        a.sections += section(
            "Sites, most common first",
            [Item(text=f"{s.name}: {s.summary}", sources=_site_sources(s)) for s in k.sites.sites],
        )
        a.sections += section(
            "Key figures",
            [figure(f) for s in k.sites.sites for f in s.figures if not (pnets and f.cohort == "other")],
        )
    else:
        pnets = _about_pnets(q, k)
        a = answer.new(
            "metastatic_sites",
            " and ".join(s.name for s in asked) + " metastases",
            " ".join(f"{s.name}: {s.summary}" for s in asked),
            sorted({sid for s in asked for sid in _site_sources(s)}),
        )
        leads = [n for s in asked for n in s.notes if set(n.aspects) & set(q.aspects)]
        own = [f for s in asked for f in s.figures if f.id == "pnet_at_diagnosis"]
        if leads:  # "which blood result suggests bone mets": the note that answers it
            a.summary, a.summary_sources = (
                " ".join(n.text for n in leads),
                sorted({i for n in leads for i in n.sources}),
            )
        elif pnets and own:  # "% liver and nodal mets in PNETs": the PNET figures first
            a.summary = "; ".join(figure(f).text for f in own) + "."
            a.summary_sources = sorted({i for f in own for i in f.sources})
        elif "metastatic" in q.words and (
            every := [f for s in asked for f in s.figures if f.id == "metastatic_net_any_primary"]
        ):  # "what proportion of metastatic NETs involve the liver": all primaries
            a.summary = "; ".join(figure(f).text for f in every) + "."
            a.summary_sources = sorted({i for f in every for i in f.sources})
        for s in asked:
            shown = [f for f in s.figures if not (pnets and f.cohort == "other")]  # no other NETs' figures
            items = [figure(f) for f in shown] + [fact(n) for n in s.notes]
            a.sections += section(s.name, items)
        a.sections += section(
            "Other sites, for context",
            [Item(text=f"{s.name}: {s.summary}", sources=_site_sources(s)) for s in k.sites.sites if s not in asked],
        )
    for pid in q.entities.get("primary", []):
        a.sections += _primary_sections(k, pid)
    return a


BY_PRIMARY = ("liver", "lymph_nodes")  # metastatic sites the sources give by primary site
BY_PRIMARY_WORDS = {"primary", "primaries", "gastrointestinal", "gi"}  # a superlative asked across primary sites


def _lifetime_risk(k: Knowledge):
    """The sources' lifetime risk of metastases for non-metastatic PNETs (risk_factors.yaml)."""
    return next(f for f in k.risk.risk_factors if f.name == "Lifetime risk")


def _about_pnets(q: Query, k: Knowledge) -> bool:
    """The question names pancreatic NETs (PNET, pancreatic NET, the pancreas as primary)."""
    names = {" ".join(alias_key(t)) for t in k.vocabulary.overview.pnet}
    return "pancreas" in q.entities.get("primary", []) or bool(names & set(q.entities.get("domain", [])))


def _site_sources(site) -> list[str]:
    return sorted({sid for f in [*site.figures, *site.notes] for sid in f.sources})


def _primary_line(p) -> Item:
    if p.nodal is None and p.liver is None:
        return Item(
            text=f"{p.name}: no nodal or liver percentages in the sources",
            sources=sorted({sid for n in p.notes for sid in n.sources}),
        )
    return Item(
        text=f"{p.name}: nodal {cell(p.nodal, True)}, liver {cell(p.liver, True)}",
        sources=sorted({*p.nodal.sources, *p.liver.sources}),
    )


def _primary_table(prims) -> Table:
    return Table(
        columns=["Primary site", "Nodal metastases at presentation", "Liver metastases at presentation"],
        rows=[
            Row(cells=[p.name, cell(p.nodal, True), cell(p.liver, True)], sources=_primary_line(p).sources)
            for p in prims
        ],
    )


def _primary_sections(k: Knowledge, pid: str) -> list:
    p = next(x for x in k.primaries.primaries if x.id == pid)
    return section(f"{p.name} NETs", [_primary_line(p)] + [fact(n) for n in p.notes])


# the case reader's primary ids (case.yaml) that differ from primaries.yaml
_CASE_PRIMARY = {"small_bowel": "midgut", "colon": "colon_other"}
_GAPS = {
    "treatment": ("treatment", "the sources' treatment algorithm is for pancreatic NETs"),
    "survival": ("survival figure", "the sources' survival figures by metastatic pattern are for pancreatic NETs"),
    "metastasis_rate": ("metastatic rate by subtype", "the subtypes in the sources are pancreatic"),
    "surveillance": (
        "follow-up schedule or recurrence figure",
        "the sources' surveillance after resection is for pancreatic NETs",
    ),
}


def asked_primary(q: Query, k: Knowledge) -> Primary | None:
    """The non-pancreatic primary site a question names, if any (its entity, else the case reader's)."""
    ids = [p for p in q.entities.get("primary", []) if p != "pancreas"]
    if not ids and q.case.primary not in (None, "pancreas"):
        ids = [_CASE_PRIMARY.get(q.case.primary, q.case.primary)]
    return next((p for p in k.primaries.primaries if ids and p.id == ids[0]), None)


def primary_gap(q: Query, k: Knowledge, intent: str, what: str) -> Answer | None:
    """A question about a NET of another primary whose answer would be pancreatic figures: the first line
    says the sources give none for that primary; only that primary's own figures and notes follow."""
    p = asked_primary(q, k)
    return None if p is None else _gap(p, k, intent, what)


def _gap(p: Primary, k: Knowledge, intent: str, what: str) -> Answer:
    label, why = _GAPS[what]
    a = answer.new(
        intent,
        f"{p.name} NETs: no {label} in my sources",
        f"The sources give no {label} for {p.name.lower()} NETs: {why}.",
    )
    a.not_covered.append(f"{label} for {p.name.lower()} NETs")
    a.sections += section(
        f"What the sources give for {p.name.lower()} NETs", [_primary_line(p)] + [fact(n) for n in p.notes]
    )
    a.sections += section("General", [fact(f) for f in k.primaries.general])
    return a


def primary_site_pattern(q: Query, k: Knowledge) -> Answer:
    if "unknown" in q.entities.get("primary", []) and {"worst", "best", "overall_survival"} & set(q.aspects):
        return survival(q, k)  # "they can't find where it started: is that worse?": unknown primary's survival
    if "find_primary" in q.aspects and q.entities.get("site"):
        return metastatic_sites(q, k)  # "brain mets: which primary is most likely?": the site's clue to the primary
    prims = [p for p in k.primaries.primaries if p.nodal or p.liver or p.notes]  # a bare name adds no row
    asked = [p for p in k.primaries.primaries if p.id in q.entities.get("primary", [])]
    if asked and _about_pnets(q, k) and "pancreas" not in {p.id for p in asked}:  # "pNET vs ileal NET"
        asked += [p for p in k.primaries.primaries if p.id == "pancreas"]
    if asked and "treatment" in q.aspects and asked[0].id != "pancreas" and (primary := asked_primary(q, k)):
        return _gap(primary, k, "primary_site_pattern", "treatment")
    if not asked and superlative(q, True) and not q.entities.get("site") and not BY_PRIMARY_WORDS & set(q.words):
        return metastatic_sites(q, k)  # "the metastatic pattern of NETs: the commonest site?": a metastatic site
    table = [_primary_line(p) for p in prims]
    patterns = _primary_table(prims)
    if not asked:
        a = answer.new(
            "primary_site_pattern",
            "NET metastatic patterns by primary site",
            f"Nodal and liver metastases at presentation vary by primary site: nodal from {_nodal_range(prims)}.",
            sorted({sid for p in prims if p.nodal for sid in p.nodal.sources}),
        )
        liver_asked = "liver" in q.entities.get("site", []) and "lymph_nodes" not in q.entities.get("site", [])
        known = sorted(
            [(p, f) for p in prims if (f := p.liver if liver_asked else p.nodal) is not None],
            key=lambda pf: pf[1].bounds()[0],
        )
        picks = [(x, *(known[-1] if x == "highest" else known[0])) for x in extremes(q, higher_is_worse=True)]
        if picks:  # "which primary has the highest nodal rate (and the lowest)": the answer first
            what = "liver" if liver_asked else "nodal"
            a.summary = " ".join(
                f"{pick.name} has the {x} {what} metastasis rate at presentation: {fig.formatted()}."
                for x, pick, fig in picks
            )
            a.summary_sources = sorted({s for _, _, fig in picks for s in fig.sources})
        a.sections += section("Nodal and liver metastases at presentation", table, table=patterns)
        a.sections += section("General", [fact(f) for f in k.primaries.general])
        return a
    first = asked[0]
    line = _primary_line(first)
    a = answer.new("primary_site_pattern", f"{first.name} NETs: metastatic pattern", line.text + ".", line.sources)
    if first.nodal is None and first.liver is None:  # never another site's figures for a site with none
        a.summary = f"The sources give no nodal or liver figures for {first.name.lower()} NETs."
        a.not_covered.append(f"figures for {first.name.lower()} NETs")
        a.sections += section(f"What the sources give for {first.name.lower()} NETs", [fact(n) for n in first.notes])
        a.sections += section("General", [fact(f) for f in k.primaries.general])
        return a
    leads = [n for p in asked for n in p.notes if set(n.aspects) & set(q.aspects)]
    if leads:  # "lung NETs vs lung adenocarcinoma": the figure set against the other cancer
        a.summary = " ".join(n.text for n in leads)
        a.summary_sources = sorted({i for n in leads for i in n.sources})
    for p in asked:
        a.sections += _primary_sections(k, p.id)
    if superlative(q, higher_is_worse=True) or len(asked) > 1:  # other primaries' figures only when compared
        a.sections += section("All primary sites, for context", table, table=patterns)
    return a


def _nodal_range(prims) -> str:
    known = sorted((p for p in prims if p.nodal), key=lambda p: p.nodal.value)
    lo, hi = known[0], known[-1]
    return f"{lo.nodal.formatted()} ({lo.name}) to {hi.nodal.formatted()} ({hi.name})"


COMPARED = {
    "versus",
    "or",
    "compared",
    "compare",
    "comparison",
    "between",
    "each",
    "than",
}  # sites compared, not together


CURED = "localized_resected"  # survival.yaml: the setting the sources give cure in (localised, resected)


def survival(q: Query, k: Knowledge) -> Answer:
    sv = k.survival
    grams = ngrams(q.words)

    def named(aliases: list[str]) -> int:
        """The length of the longest alias the question names (0: none)."""
        return max((len(key) for a in aliases if (key := alias_key(a)) in grams), default=0)

    asked_sites = q.entities.get("site", [])
    rows = [p for p in sv.patterns if set(p.site_ids) & set(asked_sites) or named(p.aliases)]
    # "liver mets, no mets elsewhere": a site named is the pattern; "no mets" then says only where else (not when
    # compared: "liver mets vs no mets?")
    compared = COMPARED & set(q.words) or {"worst", "best"} & set(q.aspects)  # "liver and bone mets: is bone worse?"
    rows = [p for p in rows if p.site_ids or not asked_sites or compared]
    # the setting named most fully first: "after resecting primary + liver mets" is that resection's, not "after resection"
    others = sorted((o for o in sv.other if named(o.aliases)), key=lambda o: -named(o.aliases))

    def pattern_items(p, whose: bool = True) -> list[Item]:
        items = []
        if p.median_months:
            items.append(figure(p.median_months, f"{p.name}, median survival"))
        items.append(figure(p.os5, f"{p.name}, 5-year OS"))
        if whose:  # said once per pattern, under its last figure
            items[-1] = items[-1].model_copy(update={"detail": f"Whose figures: {p.cohort}"})
        return items

    def other_item(o) -> Item:
        return figure(o.figure, o.label).model_copy(update={"detail": f"Whose figure: {o.cohort}"})

    by_id = {o.id: o for o in sv.other}
    beside = [by_id[c] for p in rows for c in p.compare_with if by_id[c] not in others]
    if len({s for p in sv.patterns for s in p.site_ids} & set(asked_sites)) > 1 and not compared:
        rows = [p for p in sv.patterns if "multiple" in p.site_ids] + rows  # "spread to lungs, liver and bones"
    pancreatic = {"pnet", "pancreatic net", "pannet"} & set(q.entities.get("domain", []))
    if rows and not pancreatic and (p := asked_primary(q, k)) is not None and p.id != "unknown":
        # "ileal NET with liver mets: 5-year survival?": the patterns are PNETs', never an ileal NET's (an unknown
        # primary's "spots on the liver: is it worse?" keeps its own figures, below)
        return _gap(p, k, "survival", "survival")
    asked = [other_item(o) for o in others] + [i for p in rows for i in pattern_items(p)]
    silent = [sv.silent_sites[s] for s in asked_sites if s in sv.silent_sites and not rows]
    if not rows and not others and not asked_sites and q.entities.get("therapy"):
        # "overall survival with everolimus": the therapy's own outcome figures, or that it has none
        return therapy(replace(q, aspects=[*q.aspects, "overall_survival"]), k)
    if not rows and not others:
        gap = primary_gap(q, k, "survival", "survival")
        if gap:
            return gap
        sites = {x.id: x for x in k.sites.sites}
        silent += [
            f"The sources give no survival figure for {sites[s].name.lower()} metastases."
            for s in asked_sites
            if s not in sv.silent_sites and s in sites
        ]
    cure = "cure" in q.aspects and not silent
    patterned = True  # the first line gives figures by metastatic pattern (the cohort caveat goes with them)
    # "what liver burden separates favourable from poor prognosis?": the prognostic factors asked lead
    factors = [
        Item(text=f"{g.label}: {lower_first(f.text)}", sources=list(f.sources))
        for g in k.risk.prognostic_factors.values()
        for f in g.items
        if set(f.aspects) & set(q.aspects)
    ]
    if factors:  # the factors asked, then any figure asked ("liver mets: survival, and does burden matter?")
        lead = factors + asked[:2]
        summary, ss = " ".join(i.text.rstrip(".") + "." for i in lead), sorted({s for i in lead for s in i.sources})
        asked, patterned = factors + asked, bool(rows)
    elif cure:
        # "can it be cured?": resection is the only potential cure, then how localised PNETs fare after it, or with
        # metastases named ("any cure once it has spread to the liver?") what the sources give for their resection
        lead = [fact(f) for f in k.therapies.general if "cure" in f.aspects]
        # "they want to start lanreotide: will it cure him?": that treatment is no cure in the sources, first
        drugs = [t for t in k.therapies.therapies if t.id in q.entities.get("therapy", []) and t.kind != "procedure"]
        lead = [not_curative(t) for t in drugs] + lead  # its non-cure first, then resection's
        if others:  # a setting named ("found early: can it be cured?"): its figure first
            lead = [other_item(o) for o in others] + lead
        elif asked_sites:
            cured = [
                f for t in k.topics.topics.values() for sec in t.sections for f in sec.facts if "cure" in f.aspects
            ]
            lead += [fact(f) for f in cured]
        else:
            lead += [other_item(o) for o in sv.other if o.id == CURED]
        summary, ss = " ".join(i.text.rstrip(".") + "." for i in lead), sorted({s for i in lead for s in i.sources})
    elif asked:
        lead = asked[:2]
        patterned = len(others) < len(lead)  # a pattern's figure leads beside a setting's (or alone)
        verdict = ""
        if len(rows) > 1 and compared:  # "is bone worse than liver?": which fares worse, then each one's figures
            lead, patterned = [i for p in rows for i in pattern_items(p, whose=False)], True
            poorer = min(rows, key=lambda p: p.os5.bounds()[1])
            verdict = f"Of these, the lowest 5-year OS is with {poorer.name.lower()} ({poorer.os5.formatted()})"
            timed = [(p, p.median_months) for p in rows if p.median_months]
            shortest, months = min(timed, key=lambda x: x[1].bounds()[1]) if timed else (poorer, None)
            if shortest is not poorer and months:  # the two measures disagree: both are said
                verdict += f", the shortest median survival with {shortest.name.lower()} ({months.formatted()})"
            verdict += ": "
        summary = verdict + "; ".join(i.text for i in lead) + "."
        ss = sorted({s for i in lead for s in i.sources})
    elif silent:
        summary, ss = silent[0], []
    elif extreme := superlative(q, higher_is_worse=False):
        pick = (max if extreme == "highest" else min)(sv.patterns, key=lambda p: p.os5.bounds()[1])
        worse = "worst" if extreme == "lowest" else "best"
        median = f"median {pick.median_months.formatted()}, " if pick.median_months else ""
        summary = f"{pick.name} has the {worse} survival: {median}5-year OS {pick.os5.formatted()}."
        ss = sorted({*pick.os5.sources, *(pick.median_months.sources if pick.median_months else [])})
    else:
        best = max(sv.patterns, key=lambda p: p.os5.bounds()[1])
        worst = min(sv.patterns, key=lambda p: p.os5.bounds()[0])
        median = f"median {worst.median_months.formatted()}, " if worst.median_months else ""
        summary = (
            f"Best with no organ metastasis (5-year OS {best.os5.formatted()}); worst with multiple organ metastases "
            f"({median}5-year OS {worst.os5.formatted()})."
        )
        ss = sorted({*best.os5.sources, *worst.os5.sources})
    if outside := _outside_setting(others, q, k):  # said first, whatever follows
        summary = " ".join(i.text + "." for i in outside) + " " + summary
        ss = sorted({*ss, *(s for i in outside for s in i.sources)})
    if rows and not cure and patterned:  # a pattern's figures come with what they are and what they are not
        summary, ss = f"{summary} {sv.caveat.text}", sorted({*ss, *sv.caveat.sources})
    title = (
        "Cure: what my sources say"
        if cure
        else "Prognostic factors and survival"
        if factors
        else "Survival by metastatic pattern (PNETs)"
    )
    a = answer.new("survival", title, summary, ss)
    a.sections += section(answer.ASKED_TITLE, asked)
    a.sections += section(
        "Another source, another cohort: shown side by side, not merged", [other_item(o) for o in beside]
    )
    # one pattern or setting asked ("bone mets: how long?"): its figures, not every other one's; several compared, or
    # "by pattern": the whole table
    whole = not asked or len(rows) > 1 or compared or "pattern" in q.words
    if silent:
        a.warnings.append(answer.Warn(severity="info", text=silent[0]))
        a.not_covered.append(silent[0])
    if q.entities.get("subtype") and not asked:
        a.warnings.append(answer.Warn(severity="info", text="The sources give no survival figures by PNET subtype."))
    if whole:
        cohorts = {p.cohort for p in sv.patterns}
        shared = len(cohorts) == 1
        whose = [Item(text=f"Whose figures: {next(iter(cohorts))}")] if shared else []
        a.sections += section(
            "All metastatic patterns (PNETs)",
            whose + [i for p in sv.patterns for i in pattern_items(p, whose=not shared)],
            table=_survival_table(sv.patterns, whose[0].text) if shared else None,
        )
        a.sections += section(
            "Other settings", [other_item(o) for o in sv.other if o not in others and o not in beside]
        )
    a.sections += section("Prognostic factors", [fact(f) for f in sv.prognosticators])
    return a


def _outside_setting(others, q: Query, k: Knowledge) -> list[Item]:
    """A setting asked of a patient whose metastases lie outside it ("spots in her spine too: can mum go on the
    transplant list?"): said first, in plain words."""
    names = {x.id: x.name.lower() for x in k.sites.sites}
    where = q.case.metastases  # as read, with what was ruled out or removed left out
    out = []
    for o in (o for o in others if o.only_sites):
        outside = [names[s] for s in where if s not in o.only_sites and s in names]
        if outside:
            within = " and ".join(names[s] for s in o.only_sites if s in names)
            out.append(
                Item(
                    text=f"{o.label.split(':')[0]} is for metastases in the {within} only; with metastases in the "
                    f"{' and '.join(outside)} this patient is outside what the sources describe, and the treating "
                    "team can say more",
                    sources=list(o.figure.sources),
                )
            )
    return out


def _survival_table(patterns, caption: str) -> Table:
    """Survival side by side, for patterns from one cohort (said once, as the caption)."""
    return Table(
        columns=["Metastatic pattern", "Median survival", "5-year OS"],
        rows=[
            Row(
                cells=[p.name, cell(p.median_months), cell(p.os5)],
                sources=sorted({*(p.median_months.sources if p.median_months else []), *p.os5.sources}),
            )
            for p in patterns
        ],
        caption=caption,
    )


def risk_factors(q: Query, k: Knowledge) -> Answer:
    r = k.risk
    a = answer.new(
        "risk_factors",
        "Risk factors for metastatic PNET",
        "Risk factors for metastatic disease: " + "; ".join(f.name for f in r.risk_factors[:4]) + ".",
        sorted({sid for f in r.risk_factors[:4] for sid in f.sources}),
    )
    a.sections += section(
        "Risk factors for metastases",
        [Item(text=f"{f.name}: {f.text}", sources=list(f.sources)) for f in r.risk_factors],
    )
    for group in r.prognostic_factors.values():
        a.sections += section(group.label, [fact(f) for f in group.items])
    a.sections += section("Recurrence after resection", [fact(f) for f in r.recurrence])
    return a
