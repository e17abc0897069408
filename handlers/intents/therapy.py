"""Therapies and procedures: dose, route, indication, evidence figures and cautions.

The summary answers the aspect asked (vocabulary.yaml aspects): evidence and trial results, side
effects, indications; dose, schedule and route otherwise. A trial the articles do not name, or side
effects they do not give, are said to be outside the sources (Answer.not_covered)."""

from __future__ import annotations

import re

from handlers import answer
from handlers.answer import Answer, Item, Row, Table, Warn
from handlers.intents.common import NOT_GIVEN, fact, figure, section
from handlers.router import Query
from knowledge import Knowledge
from knowledge.schema import Therapy, terms_pattern
from knowledge.text import fold, lower_first

_WHEN = re.compile(r"\bwhen\b|too late|how long before|how soon|timing|in time|how many (?:days|weeks)")
LEAD = 3  # the first line holds this many answers to the aspects asked ("response rate and 5-year OS")
MAX_DETAILED = 4  # more than this many therapies in one question get one line each
SYSTEMIC = ("drug", "radionuclide")  # kinds compared side by side (dose, route, key figures) when two are asked


def asked_therapies(q: Query, k: Knowledge) -> list[Therapy]:
    by_id = {t.id: t for t in k.therapies.therapies}
    ids = list(q.entities.get("therapy", []))
    for c in k.therapies.classes:
        if c.id in q.entities.get("therapy_class", []):
            ids += [m for m in c.members if m not in ids]
    return [by_id[i] for i in ids]


def dose_line(t: Therapy) -> Item:
    if t.dose is None:
        return Item(text=f"{t.name}: dose not given in the sources")
    route = f", {t.route.text.lower()}" if t.route else ""
    return Item(
        text=f"{t.name}: {t.dose.text}{route}", sources=sorted({*t.dose.sources, *(t.route.sources if t.route else [])})
    )


def shows_dose(t: Therapy) -> bool:
    """A drug's dose is said, or that the sources give none; an operation has no dose to say."""
    return t.kind in SYSTEMIC or t.dose is not None


def lead_line(t: Therapy) -> Item:
    """A therapy's first line: a drug's dose (or that the sources give none); an operation's or a liver-directed
    treatment's indication, never "dose not given"."""
    if shows_dose(t) or not t.indication:
        return dose_line(t)
    return Item(text=f"{t.name}: {t.indication[0].text.rstrip('.')}", sources=list(t.indication[0].sources))


def therapy(q: Query, k: Knowledge) -> Answer:
    asked = asked_therapies(q, k)
    if not asked:
        a = answer.new(
            "therapy",
            "Therapies for pancreatic NETs",
            k.therapies.overview.text,
            list(k.therapies.overview.sources),
        )
        for kind, title in (
            ("drug", "Drugs"),
            ("radionuclide", "Radionuclide"),
            ("liver_directed", "Liver-directed"),
            ("procedure", "Procedures"),
        ):
            items = [_overview(t) for t in k.therapies.therapies if t.kind == kind]
            a.sections += section(title, items)
        a.sections += section("General", [fact(f) for f in k.therapies.general])
        return a
    brief = len(asked) > MAX_DETAILED
    first = asked[0]
    title = first.name if len(asked) == 1 else " / ".join(t.name for t in asked[:MAX_DETAILED]) + ("…" if brief else "")
    lines = [lead_line(t) for t in asked]
    summary = "; ".join(line.text for line in lines[:2]) + "."
    a = answer.new("therapy", title, summary, sorted({s for line in lines[:2] for s in line.sources}))
    focus = _focus(q, k, asked[:MAX_DETAILED], a)
    if focus:
        a.sections += section(answer.ASKED_TITLE, focus)
        lead = focus[:LEAD]
        a.summary = " ".join(i.text.rstrip(".") + "." for i in lead)
        a.summary_sources = sorted({s for i in lead for s in i.sources})
    drugs = [t for t in asked if t.kind in SYSTEMIC]
    if len(drugs) > 1:
        a.sections += _side_by_side(drugs)
    if brief:
        a.sections += section("Therapies", [_overview(t) for t in asked])
        return a
    named = set(q.entities.get("subtype", [])) | {q.case.subtype}  # a subtype's caution is a banner only here
    for t in asked:
        items = [Item(text=f"Class: {t.class_}")]
        items += [dose_line(t)] if shows_dose(t) else []
        items += [fact(f, "Indication: ") for f in t.indication]
        items += [figure(f) for f in t.figures]
        items += [fact(f, "Evidence: ") for f in t.evidence]
        # a subtype's caution is a banner where that subtype is in question, else a line of the drug's card
        banner = [c for c in t.cautions if c.subtype is None or c.subtype in named]
        items += [Item(text=f"Caution: {c.text}", sources=list(c.sources)) for c in t.cautions if c not in banner]
        a.sections += section(t.name, items)
        a.warnings += [Warn(severity=c.severity, text=c.text, sources=list(c.sources)) for c in banner]
        if t.disagreement:
            a.warnings.append(
                Warn(severity="info", text=t.disagreement, sources=sorted({s for f in t.figures for s in f.sources}))
            )
    # "suspected insulinoma ... can I start octreotide?": a critical caution for the tumour in question answers
    # first (round 48 #31); asked its dose, the dose leads under the caution's banner
    critical = [w for w in a.warnings if w.severity == "critical" and q.entities.get("subtype")]
    if critical and "dose" not in q.aspects and _STARTS.search(fold(q.text)):
        a.summary, a.summary_sources = critical[0].text, list(critical[0].sources)
        a.warnings.remove(critical[0])
    return a


_CHEMO_WORDS = {"chemo", "chemotherapy"}
_CHANGED_DOSE = re.compile(
    r"\b(?:increas\w*|escalat\w*|higher dose|double|q\s?(?:14|2\s?w)|every (?:2|two|14) (?:weeks|days)|fortnightly"
    r"|more often|more frequent\w*|shorter interval|rescue|top[- ]up)\b"
)


def not_curative(t: Therapy) -> Item:
    """Asked whether a drug or other non-surgical treatment cures: the sources never call one curative; what they
    give it for."""
    use = t.indication[:1]
    why = "".join(f"; they give it for: {lower_first(f.text)}" for f in use)
    return Item(
        text=f"The sources do not describe {t.name} as curative{why}", sources=[s for f in use for s in f.sources]
    )


_STARTS = re.compile(r"\b(?:start|starting|give|giving|use|using|try|prescribe)\b")  # the drug asked to be given


def _side_by_side(asked: list[Therapy]) -> list:
    """Drugs asked together, one line each (dose, route, key figures), and the same as a table."""
    items, rows = [], []
    for t in asked:
        dose, figures = dose_line(t), [figure(f) for f in t.figures]
        sources = sorted({*dose.sources, *(s for f in figures for s in f.sources)})
        items.append(Item(text="; ".join([dose.text] + [f.text for f in figures]), sources=sources))
        cells = [t.name, t.class_, t.dose.text if t.dose else NOT_GIVEN, t.route.text if t.route else NOT_GIVEN]
        rows.append(Row(cells=cells + ["; ".join(f.text for f in figures) or NOT_GIVEN], sources=sources))
    table = Table(columns=["Therapy", "Class", "Dose", "Route", "Key figures"], rows=rows)
    return section("Side by side", items, table=table)


def _overview(t: Therapy) -> Item:
    line = lead_line(t)
    if t.indication and shows_dose(t):  # a dose line: the first indication after it
        line = Item(
            text=f"{line.text}. {t.indication[0].text}", sources=sorted({*line.sources, *t.indication[0].sources})
        )
    return line


def _focus(q: Query, k: Knowledge, asked: list[Therapy], a: Answer) -> list[Item]:
    """Items answering the aspect asked of these therapies, and notes on what the sources do not give."""
    items: list[Item] = []
    trials = {t.name: t for t in k.vocabulary.trials}
    for name in q.entities.get("trial", []):
        trial = trials[name]
        if not trial.sources:  # said first: the figures that follow are not that trial's
            a.not_covered.append(f"the {trial.name} trial")
            items.append(
                Item(
                    text=f"My sources do not cover the {trial.name} trial; what they say about the same treatment follows"
                )
            )
    if "drug_class" in q.aspects:  # "what kind of drug is that, is it chemo?": its class, then what it is for
        chemo = bool(_CHEMO_WORDS & set(q.words))  # "is that chemo?": yes or no first
        for t in asked:
            use = t.indication[:1]
            said = "chemotherapy" in t.class_.lower()
            # its class answers it; chemoembolisation (TACE) is told by its class alone
            partly = "chemo" in t.name.lower() and not said
            verdict = f"{t.name} is {'' if said else 'not '}chemotherapy: " if chemo and not partly else ""
            text = f"{verdict}{t.name}, class: {t.class_}" + "".join(f". {f.text}" for f in use)
            items.append(Item(text=text, sources=sorted({s for f in use for s in f.sources})))
    if "cure" in q.aspects:  # "can it be cured?": what the sources say about cure, whatever the drug
        items += [not_curative(t) for t in asked if t.kind != "procedure"]
        items += [fact(f) for f in k.therapies.general if "cure" in f.aspects]
    if "markers" in q.aspects:  # "on lanreotide: which tumour marker do we track?": the monitoring the sources give
        items += [
            fact(f) for t in k.topics.topics.values() for s in t.sections for f in s.facts if "markers" in f.aspects
        ]
    if "overall_survival" in q.aspects:
        for t in asked:
            survival = [figure(f, f"{t.name}: {f.label}") for f in t.figures if "survival" in (f.label or "").lower()]
            survival = [i for i in survival if "progression" not in i.text.lower()]
            if survival:
                items += survival
                continue
            a.not_covered.append(f"an overall-survival figure for {t.name}")
            given = [f"{f.label[0].lower()}{f.label[1:]} of {f.formatted()}" for f in t.figures if f.label]
            items.append(
                Item(
                    text=f"The sources give no overall-survival figure for {t.name}"
                    + (f"; they give a {', '.join(given)}" if given else "; they give no outcome figure for it"),
                    sources=sorted({s for f in t.figures for s in f.sources}),
                )
            )
    if "evidence" in q.aspects or q.entities.get("trial"):
        # a named trial or guideline's own statement first, the one that names it ("where does ESMO 2020 put PRRT?")
        names = [n for name in q.entities.get("trial", []) for n in (name, *trials[name].aliases)]
        says = terms_pattern([rf"{re.escape(fold(n))}\b" for n in names]) if names else None
        own = [f for t in asked for f in (*t.indication, *t.evidence) if says and says.search(fold(f.text))]
        items += [fact(f) for f in own]
        for t in asked:
            found = [figure(f, f"{t.name}: {f.label}") for f in t.figures] + [
                fact(f) for f in t.evidence if f not in own
            ]
            mentioned = any(f in own for f in (*t.indication, *t.evidence))
            items += found or (
                [] if mentioned else [Item(text=f"{t.name}: the sources give no trial result or outcome figure")]
            )
    if "side_effects" in q.aspects:
        for t in asked:
            # a caution (octreotide in insulinoma) is not a side-effect profile: the gap is said first
            a.not_covered.append(f"side effects or interactions of {t.name}")
            items.append(
                Item(
                    text=f"{t.name}: my sources do not cover its side effects or interactions"
                    + ("; they give these cautions" if t.cautions else "")
                )
            )
            items += [Item(text=f"{t.name}: {c.text}", sources=list(c.sources)) for c in t.cautions]
    if {"dose", "schedule"} & set(q.aspects):
        for t in asked:
            if t.dose is None:
                a.not_covered.append(f"the dose or schedule of {t.name}")
                items.append(Item(text=f"{t.name}: my sources give no dose or schedule figure"))
        if _CHANGED_DOSE.search(fold(q.text)):  # "increase lanreotide to q14d?": the sources' one schedule, first
            dosed = [t for t in asked if t.dose is not None]
            a.not_covered += [f"a higher dose or shorter interval of {t.name}" for t in dosed]
            items[:0] = [
                Item(
                    text=f"{line.text}: the only dose the sources give; they give no higher dose, shorter interval "
                    "or rescue dosing",
                    sources=line.sources,
                )
                for line in map(dose_line, dosed)
            ]
    if "vaccination" in q.aspects:  # "which jabs before the splenectomy, and is it too late?"
        items += [
            Item(text=c.text, sources=list(c.sources))
            for t in k.therapies.therapies
            for c in t.cautions
            if "vaccination" in c.text
        ][:1]
        if _WHEN.search(fold(q.text)):
            a.not_covered.append("the timing of the vaccines")
            items.append(
                Item(
                    text="The sources say only 'preoperative': they give no interval before the operation and no plan "
                    "when it is sooner; that is for the surgical team and the board"
                )
            )
    if "indications" in q.aspects:
        items += [fact(f, f"{t.name}: ") for t in asked for f in t.indication[:2]]
    return items
