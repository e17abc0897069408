"""Case -> Plan. The rules are data (knowledge/data/planner.yaml); this module only evaluates them.

A rule's `when` is tested against the case's facts (its fields plus a few derived ones); fired
rules contribute numbered steps (ordered by phase), warnings, and their names, so a reviewer can
trace every line of the plan to a rule and every rule to its sources.
"""

from __future__ import annotations

from typing import Any

from handlers import answer
from handlers.answer import Answer, Item, Warn
from handlers.case import Case
from handlers.intents.common import figure, section
from knowledge import Knowledge
from knowledge.schema import PHASES

FIELD_LABELS = {
    "nonfunctioning": "Non-functioning",
    "lymph_nodes": "regional lymph nodes",
}


def case_facts(case: Case) -> dict[str, Any]:
    facts = case.model_dump()
    distant = [s for s in case.metastases if s != "lymph_nodes"]
    facts["distant_sites"] = distant
    facts["distant_count"] = len(distant) if case.metastatic is not None or distant else None
    if "liver" in case.metastases:
        facts["liver_mets"] = True
    elif "liver" in case.metastases_ruled_out or case.metastatic is False or distant:
        facts["liver_mets"] = False
    else:
        facts["liver_mets"] = None
    if any(s != "liver" for s in distant):
        facts["extrahepatic_mets"] = True
    elif distant or case.metastatic is False:
        facts["extrahepatic_mets"] = False  # only the liver was named
    else:
        facts["extrahepatic_mets"] = None
    facts["liver_only"] = facts["liver_mets"] is True and facts["extrahepatic_mets"] is False
    facts["nodes"] = (
        True if "lymph_nodes" in case.metastases else False if "lymph_nodes" in case.metastases_ruled_out else None
    )
    facts["details"] = case.details()
    return facts


def holds(cond: dict[str, Any], facts: dict[str, Any]) -> bool:
    for key, test in cond.items():
        if key == "any":
            ok = any(holds(c, facts) for c in test)
        elif key == "all":
            ok = all(holds(c, facts) for c in test)
        elif key == "not":
            ok = not holds(test, facts)
        else:
            ok = _test(facts.get(key), test)
        if not ok:
            return False
    return True


def _test(value: Any, test: Any) -> bool:
    if isinstance(test, bool):
        return value is test  # true must not match 1, nor false 0
    if not isinstance(test, dict):
        return value == test
    for op, arg in test.items():
        if op == "is":
            ok = value == arg
        elif op == "in":
            ok = value in arg
        elif op == "not_in":
            ok = value not in arg
        elif op in ("lt", "le", "gt", "ge"):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and _compare(op, value, arg)
        elif op == "has_any":
            ok = bool(set(value or []) & set(arg))
        else:  # has_none
            ok = not set(value or []) & set(arg)
        if not ok:
            return False
    return True


def _compare(op: str, a: float, b: float) -> bool:
    return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]


def _yes_no(v: bool | None, yes: str = "yes", no: str = "no") -> str:
    return "not stated" if v is None else yes if v else no


def _names(ids: list[str], k: Knowledge) -> str:
    lookup = {t.id: t.name for t in k.therapies.therapies}
    return ", ".join(lookup.get(i, i) for i in ids)


def understood(case: Case, k: Knowledge) -> list[Item]:
    subtypes = {s.id: s.name for s in k.subtypes.subtypes}
    c = case
    grade = "not given"
    if c.grade:
        bits = [
            f"Ki-67 {c.ki67:g}%" if c.ki67 is not None else "",
            f"{c.mitoses:g} mitoses/10 HPF" if c.mitoses is not None else "",
        ]
        given = ", ".join(b for b in bits if b)
        grade = f"{c.grade} (by {c.grade_basis}{'; ' + given if given else ''})"
    mets = ", ".join(FIELD_LABELS.get(s, s.replace("_", " ")) for s in c.metastases) or "none named"
    if c.metastatic is False and not c.metastases:
        mets = "none (localised)"
    ruled = ", ".join(FIELD_LABELS.get(s, s.replace("_", " ")) for s in c.metastases_ruled_out)
    items = [
        Item(text=f"Size: {f'{c.size_cm:g} cm' if c.size_cm is not None else 'not given'}"),
        Item(text=f"Location: {c.location or 'not given'}"),
        Item(text=f"Subtype: {subtypes[c.subtype] if c.subtype else 'not given'}; functional: {_yes_no(c.functional)}"),
        Item(text=f"Grade: {grade}"),
        Item(text=f"Metastases: {mets}" + (f"; ruled out: {ruled}" if ruled else "")),
    ]
    optional = [
        ("Hepatic tumour burden", f"{c.hepatic_burden_pct:g}%" if c.hepatic_burden_pct is not None else None),
        ("Resectable", None if c.resectable is None else _yes_no(c.resectable)),
        ("SSTR imaging", c.sstr),
        ("MEN1", None if c.men1 is None else _yes_no(c.men1)),
        (
            "Progression",
            None
            if c.progression is None
            else ("rapid" if c.rapid_progression else _yes_no(c.progression))
            + (f" on {_names(c.progressing_on, k)}" if c.progressing_on else ""),
        ),
        ("Prior or current therapy", _names(c.prior_therapies, k) or None),
        (
            "Splenic vessels involved",
            None if c.splenic_vessel_involvement is None else _yes_no(c.splenic_vessel_involvement),
        ),
        ("Fit for surgery", None if c.fit_for_surgery is None else _yes_no(c.fit_for_surgery)),
    ]
    items += [Item(text=f"{label}: {value}") for label, value in optional if value]
    return items


def _phrase(case: Case, k: Knowledge) -> str:
    subtypes = {s.id: s.name for s in k.subtypes.subtypes}
    parts = []
    if case.size_cm is not None:
        parts.append(f"{case.size_cm:g} cm")
    if case.location:
        parts.append(case.location)
    name = subtypes[case.subtype] if case.subtype else "PNET"
    parts.append(name[0].lower() + name[1:] if name[1:].islower() else name)
    desc = " ".join(parts)
    if case.grade:
        desc += f", {case.grade}"
    distant = [s for s in case.metastases if s != "lymph_nodes"]
    if distant:
        desc += ", " + " and ".join(distant) + " metastases"
    elif case.metastatic:
        desc += ", metastatic"
    elif case.metastatic is False:
        desc += ", localised"
    return desc


def plan(case: Case, k: Knowledge) -> Answer:
    p = k.planner
    facts = case_facts(case)
    fired = [r for r in p.rules if holds(r.when, facts)]
    steps, seen = [], set()
    for phase in PHASES:
        for r in fired:
            for s in r.steps:
                if s.phase == phase and s.action not in seen:
                    seen.add(s.action)
                    steps.append(s)
    warnings: list[Warn] = []
    for r in fired:
        for w in r.warnings:
            if w.text not in {x.text for x in warnings}:
                warnings.append(Warn(severity=w.severity, text=w.text, sources=list(w.sources)))
    main = [s for s in steps if s.phase != "surveillance"]
    follow = [s for s in steps if s.phase == "surveillance"]
    desc = _phrase(case, k)
    first = main[0] if main else None
    a = answer.new(
        "treatment_plan",
        f"Plan: {desc}",
        f"{desc[0].upper() + desc[1:]}. First: {first.action[0].lower() + first.action[1:]}." if first else f"{desc}.",
        list(first.sources) if first else [],
    )
    a.warnings = warnings
    a.sections += section("What I understood", understood(case, k))
    missing = [m for m in p.missing if holds(m.when, facts)]
    a.sections += section(
        "Missing, and how it would change the plan", [Item(text=m.text, sources=list(m.sources)) for m in missing]
    )
    a.sections += section(
        "Plan", [Item(text=s.action, detail=s.rationale, sources=list(s.sources)) for s in main], numbered=True
    )
    a.sections += _prognosis(facts, k)
    a.sections += section(
        "Surveillance", [Item(text=s.action, detail=s.rationale, sources=list(s.sources)) for s in follow]
    )
    a.sections += section("Next", [Item(text=p.board_prompt)])
    a.rules_fired = [r.id for r in fired]
    a.case = case.model_dump()
    return a


def _prognosis(facts: dict[str, Any], k: Knowledge) -> list:
    patterns = {x.id: x for x in k.survival.patterns}
    for m in k.planner.prognosis:
        if holds(m.when, facts):
            pat = patterns[m.pattern]
            items = []
            if pat.median_months:
                items.append(figure(pat.median_months, f"{pat.name}: median survival"))
            items.append(figure(pat.os5, f"{pat.name}: 5-year OS"))
            return section("Prognosis for this metastatic pattern (population figures, not a prediction)", items)
    return []
