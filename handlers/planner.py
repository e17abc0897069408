"""Case -> Plan. The rules, acts, requirements and drug conditions are data (knowledge/data/planner.yaml,
therapies.yaml); this module evaluates them over the whole case and lays the plan out.

1. Facts: the case's fields plus derived ones (liver-only, malignant features, primary already resected...).
2. Each rule fires where `applies` holds and no `excludes` does; a fact the case does not give, if the
   planner may branch on it, makes the rule hold "if ..." instead of being assumed.
3. Each step holds only where every requirement of its acts holds (fitness, resectability, the drug's
   label, not already failed); a requirement the case rules out holds the step back, with the reason.
4. The checker (handlers/plan_check.py) proves the plan consistent; what fails it is removed, and said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from handlers import answer, plan_check
from handlers.answer import Answer, Item, PlanSummary, Section, Warn, section
from handlers.branching import FALSE, TRUE, Cond, Logic, and_, any_of
from handlers.case import CURRENT, FAILED, PRIMARY_OPERATIONS, Case, understood, with_evidence
from handlers.case.model import Toxicity
from handlers.case.reader import antitumour
from knowledge import Knowledge
from knowledge.schema import (
    PHASES,
    Act,
    Asked,
    Requirement,
    Rule,
    RuleWarning,
    SequenceRule,
    Step,
    SurvivalPattern,
    terms_pattern,
)
from knowledge.text import fold, lower_first

MAX_HELD_BACK = 6


def case_facts(case: Case, k: Knowledge) -> dict[str, Any]:
    """The case's fields plus the derived facts rules test (knowledge/schema.py PLAN_FACTS)."""
    facts = case.model_dump(
        exclude={"evidence", "ignored", "unread", "question", "questions", "treatments", "toxicities", "urgent"}
    )
    distant = [s for s in case.metastases if s != "lymph_nodes"]
    if distant:
        facts["metastatic"] = True  # a named distant site outweighs "localised" (as the reader does)
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
    if case.functional is None and case.subtype:
        facts["functional"] = next(t.functional for t in k.subtypes.subtypes if t.id == case.subtype)
    facts["pancreatic"] = (
        None
        if case.primary is None
        else case.primary == "pancreas" or (case.primary == "duodenum" and case.subtype == "gastrinoma")
    )
    facts["primary_resected"] = bool(set(case.prior_surgery) & PRIMARY_OPERATIONS) or None
    if case.recurrence is None and facts["primary_resected"] and distant:
        facts["recurrence"] = True  # distant disease found after the primary was resected is a recurrence
    malignant = bool(
        case.malignant_features or case.biliary_obstruction or case.splenic_vessel_involvement or facts["nodes"]
    )
    facts["malignant"] = malignant or bool(facts["metastatic"])  # metastases are a malignant feature
    big = case.size_cm is not None and case.size_cm >= k.planner.large_tumour_cm
    facts["large_or_malignant"] = (
        True if malignant or big or facts["metastatic"] else False if case.size_cm is not None else None
    )
    if case.hepatic_burden_pct is not None and case.hepatic_burden_qualifier:
        # "<25%" is below 25 and ">25%" above it; the echo keeps what was written
        nudge = -0.001 if case.hepatic_burden_qualifier == "<" else 0.001
        facts["hepatic_burden_pct"] = case.hepatic_burden_pct + nudge
    facts["failed"] = sorted(_drugs(case, k, FAILED, class_wide=("progressed", "earlier_line")))
    facts["current"] = sorted(_drugs(case, k, CURRENT, class_wide=CURRENT))
    facts["sstr_negative"] = case.sstr == "negative"  # decided, never branched: SSA is not conditional on a scan
    facts["sstr_positive"] = case.sstr == "positive"  # decided: an insulinoma's analogue waits for the stated result
    facts["progressed_on"] = case.progressing_on
    facts["treated"] = case.prior_therapies
    facts["details"] = case.details()
    facts["toxicity"] = bool(held_toxicities(case, k))  # the toxicity is answered first
    facts["urgent"] = [f.id for f in case.urgent]
    acute = {f.id for f in k.urgent.findings if f.acute}
    facts["acute_illness"] = any(f.id in acute for f in case.urgent)
    # Antitumour systemic therapy, not symptom control (diazoxide, PPI, preoperative octreotide) or liver-directed.
    is_antitumour = antitumour(k)
    systemic = [t for t in case.treatments if is_antitumour(t.drug)]
    # A somatostatin analogue for a functioning tumour's symptoms before its operation is not a treatment line.
    ssa = {"ssa", *next(c.members for c in k.therapies.classes if c.id == "ssa")}
    advanced = bool(facts["metastatic"]) or case.resectable is False or bool(facts["recurrence"])
    if facts["functional"] and not advanced:
        systemic = [t for t in systemic if t.drug not in ssa]
    facts["treated_systemic"] = bool(systemic)
    facts["on_treatment"] = any(t.outcome in CURRENT for t in systemic)
    # the line given may have to stop (a toxicity of it now, or stopped for one, with no other line running): the
    # next lines are weighed whatever the scans show
    toxic_now = {t.drug for t in held_toxicities(case, k)}
    # a drug held for its toxicity while the disease was controlled on it: resuming it reduced is the board's choice
    facts["held_for_toxicity"] = [
        t.drug for t in systemic if t.drug in toxic_now and t.outcome != "progressed" and case.progression is not True
    ]
    # a line held for a toxicity while it controlled the disease is resumed before any new line, unless the
    # toxicity is one that stops it for good (urgent.yaml: grade 4, or the heart or lungs)
    tox = k.urgent.toxicity
    facts["resume_first"] = bool(facts["held_for_toxicity"]) and not any(
        (t.grade or 0) >= tox.switch_from_grade or set(t.organs) & set(tox.switch_organs)
        for t in held_toxicities(case, k)
    )
    facts["line_stopped"] = bool(systemic) and (
        any(t.drug in toxic_now for t in systemic if t.outcome in CURRENT)
        or (not facts["on_treatment"] and any(t.outcome in ("stopped_toxicity", "intolerant") for t in systemic))
    )
    hormonal = {f.id for f in k.urgent.findings if f.hormonal}
    # a hormonal finding shows the syndrome now, unless the post says the tumour is non-functioning; on treatment, it
    # is not controlled by it
    facts["syndrome_now"] = facts["functional"] is not False and any(f.id in hormonal for f in case.urgent)
    # a syndrome back after doses were missed is put down to the missed doses first: they are resumed, no new line
    facts["syndrome_uncontrolled"] = facts["syndrome_now"] and bool(facts["on_treatment"]) and not case.doses_missed
    # a finding that needs a doctor today: critical, with its own line shown (its `when` holds), not its `otherwise`
    found = {f.id for f in case.urgent}
    facts["act_now"] = any(
        f.id in found and f.severity == "critical" and (f.when is None or Logic(facts, {}).holds(f.when))
        for f in k.urgent.findings
    )
    phase = next(p for p in k.planner.phases if Logic(facts, {}).holds(p.when))
    facts["phase"] = phase.id
    for fact, value in phase.assume.items():
        if facts.get(fact) is None:
            facts[fact] = value
    facts["assumed"] = []
    for a in k.planner.assumptions:
        if Logic(facts, {}).holds(a.when):
            facts.update(a.set)
            facts["assumed"].append(a.say)
    return facts


def _drugs(case: Case, k: Knowledge, outcomes: tuple[str, ...], class_wide: tuple[str, ...]) -> set[str]:
    """The drugs of the case's treatments with one of these outcomes, a class standing for its members.
    For the class_wide outcomes, one somatostatin analogue stands for the class: after progression on
    one (or one given as an earlier line), SSA alone is not the next line; on one, another is not a new first line."""
    classes = {c.id: set(c.members) for c in k.therapies.classes}
    member_of = {m: cid for cid, members in classes.items() for m in members}
    out: set[str] = set()
    for t in case.treatments:
        if t.outcome not in outcomes:
            continue
        out |= {t.drug} | classes.get(t.drug, set())
        if t.outcome in class_wide and member_of.get(t.drug) == "ssa":
            out |= {"ssa"} | classes["ssa"]
    return out


# --- the draft plan ------------------------------------------------------------------------------


@dataclass
class DraftStep:
    step: Step
    rule: str
    cond: Cond
    text: str
    acts: set[str]  # every act done, with what they imply
    options: set[str]  # one of these is chosen
    sources: list[str]


@dataclass
class DraftWarning:
    warning: RuleWarning
    rule: str
    cond: Cond


@dataclass
class Draft:
    facts: dict[str, Any]
    logic: Logic
    steps: list[DraftStep] = field(default_factory=list)
    warnings: list[DraftWarning] = field(default_factory=list)
    held_back: list[tuple[str, str]] = field(default_factory=list)  # (why, what): steps the case rules out
    branched: set[str] = field(default_factory=set)  # unknown facts the plan turns on
    sequence: SequenceRule | None = None  # the order of systemic therapy for this case
    problems: list[plan_check.Problem] = field(default_factory=list)


_ON_PROGRESSION = re.compile(r"(?:^|,\s*)on progression\b", re.I)  # a qualifier for a progression still to come
_OR = re.compile(r"^or\b[,:]?\s*", re.I)  # a step qualifier that makes it an alternative


class Planner:
    """Built once per engine: the planner's knowledge indexed for evaluation."""

    def __init__(self, k: Knowledge):
        self.k = k
        p = k.planner
        self.acts: dict[str, Act] = p.acts
        self.requirements: dict[str, Requirement] = {r.id: r for r in p.requirements if r.id}
        self.therapies = {t.id: t for t in k.therapies.therapies}
        self.unknowns = {u.fact: u for u in p.unknowns}
        self.asked = [self._asked(q, k) for q in p.asked]  # each question with its compiled terms
        self.phases = {ph.id: ph for ph in p.phases}
        self.exclusive = {frozenset(pair) for pair in p.exclusive}
        self._act_requirements = {
            name: [self.requirements[r] for r in act.requires]
            + (list(self.therapies[name].requires) if name in self.therapies else [])
            for name, act in self.acts.items()
        }
        # Acts the sources give only for advanced disease (the `advanced` requirement): systemic therapy.
        self.advanced_only = {
            name for name, reqs in self._act_requirements.items() if self.requirements["advanced"] in reqs
        }

    @staticmethod
    def _asked(q: Asked, k: Knowledge) -> tuple[Asked, re.Pattern[str]]:
        """An asked entry with its compiled terms; one that names a silent aspect takes its label and terms
        from the vocabulary (one home for what the sources do not cover) and says so."""
        if q.always:
            return q, re.compile("")  # said wherever its `when` holds; it answers no passage of the post
        if q.silent is None:
            return q, terms_pattern(q.terms)
        aspect = k.vocabulary.silent[q.silent]
        say = q.say or "not covered by the sources; it is for the treating team and the board"
        return q.model_copy(update={"label": q.label or aspect.label, "say": say}), terms_pattern(
            [re.escape(t) for t in aspect.terms]
        )

    def expand(self, acts: list[str]) -> set[str]:
        out: set[str] = set()
        todo = list(acts)
        while todo:
            a = todo.pop()
            if a not in out:
                out.add(a)
                todo += self.acts[a].implies
        return out

    def logic(self, facts: dict[str, Any]) -> Logic:
        plain = Logic(facts, {})
        phase = self.phases[facts["phase"]]
        domains = {
            u.fact: tuple(v for v, _ in u.values)
            for u in self.k.planner.unknowns
            if (u.when is None or plain.holds(u.when)) and u.fact not in phase.settled
        }
        return Logic(facts, domains)

    def act_requirements(self, act: str) -> list[Requirement]:
        """The act's named requirements, then its drug's own label or trial conditions."""
        return self._act_requirements[act]

    def requirement(self, req: Requirement, act: str, logic: Logic) -> Cond:
        if req.id in ("not_failed", "not_current"):
            drug = self.acts[act].drug or act
            return FALSE if drug in logic.facts["failed" if req.id == "not_failed" else "current"] else TRUE
        return logic.eval(req.when)

    def plans_elsewhere(self, case: Case) -> bool:
        """Whether a rule plans this NET of another primary (planner.yaml `plans_elsewhere`): "ileal NET, liver
        mets, where do we start?" is a patient to plan, not a question about the ileum's spread."""
        logic = self.logic(case_facts(case, self.k))
        return any(
            r.plans_elsewhere and logic.holds(r.applies) and not any(logic.holds(x.when) for x in r.excludes)
            for r in self.k.planner.rules
        )

    def forbidding(self, case: Case) -> dict[str, RuleWarning]:
        """The acts a warning of this case's plan forbids outright (no branch), with the warning: "confirm the LAR
        dose?" of an insulinoma not shown receptor-positive is answered with the ban, never with a dose."""
        return {a: w.warning for w in self.draft(case).warnings if w.cond == TRUE for a in w.warning.forbids}

    def draft(self, case: Case) -> Draft:
        facts = case_facts(case, self.k)
        logic = self.logic(facts)
        d = Draft(facts, logic)
        in_scope = logic.holds(self.requirements["in_scope"].when)
        for rule in self.k.planner.rules:
            if rule.any_scope or in_scope:
                self._fire(rule, d)
        self._after(d)
        self._draw(d)
        self._merge(d)
        d.problems = plan_check.check(d, self)
        if d.problems:
            bad = {i for prob in d.problems for i in prob.steps}
            d.steps = [s for i, s in enumerate(d.steps) if i not in bad]
        return d

    def _fire(self, rule: Rule, d: Draft) -> None:
        applies = d.logic.eval(rule.applies)
        if not applies:
            return
        cond = applies
        for ex in rule.excludes:
            hit = d.logic.eval(ex.when)
            if hit == TRUE and rule.steps:
                d.held_back += [(ex.why, self.step_label(step)) for step in rule.steps]
            cond = and_(cond, d.logic.negate(hit))
        if not cond:  # every exclusion that holds is a reason shown, not only the first
            return
        first = True  # no earlier step of this rule is in the plan: an "Or" step is then not an alternative
        for step in rule.steps:
            acts = self.expand(step.acts)
            scond = and_(cond, self._allowed(acts, step, d))
            allowed = {o: self._allowed(self.expand([o]), step, d) for o in step.options}
            options = {o for o, where in allowed.items() if where}
            if step.options:  # at least one of the alternatives must be possible
                scond = and_(scond, any_of(allowed.values()))
            if scond:
                text = self._step_text(step, alone=first, progressing=d.facts["progression"] is True)
                d.steps.append(DraftStep(step, rule.id, scond, text, acts, options, list(step.sources)))
                first = False
        d.warnings += [DraftWarning(w, rule.id, cond) for w in rule.warnings]

    def _allowed(self, acts: set[str], step: Step, d: Draft) -> Cond:
        """Where every requirement of these acts holds; a requirement the case rules out is recorded."""
        cond = TRUE
        for act in sorted(acts):
            for req in self.act_requirements(act):
                r = self.requirement(req, act, d.logic)
                if not r:
                    held = req.id == "not_failed" and (self.acts[act].drug or act) in d.facts["held_for_toxicity"]
                    d.held_back.append((self.k.urgent.toxicity.held if held else req.why, self.step_label(step)))
                    return FALSE
                cond = and_(cond, r)
        return cond

    def _after(self, d: Draft) -> None:
        """Acts that follow another (vaccination before a splenectomy, surveillance after a resection)."""
        kept = []
        for s in d.steps:
            needs = {a for act in s.acts for a in self.acts[act].after}
            if needs:
                history = [h for act in s.acts if (h := self.acts[act].after_history)]
                with_it = any_of(o.cond for o in d.steps if o is not s and needs & (o.acts | o.options))
                if any(d.logic.holds(h) for h in history):
                    with_it = TRUE
                s.cond = and_(s.cond, with_it)
            if s.cond:
                kept.append(s)
        d.steps = kept
        for w in d.warnings:
            if w.warning.after:
                w.cond = and_(w.cond, any_of(o.cond for o in d.steps if set(w.warning.after) & (o.acts | o.options)))
        d.warnings = [w for w in d.warnings if w.cond]

    def _draw(self, d: Draft) -> None:
        """Keep only branches the planner draws; the others wait for the missing fact (it is asked for)."""
        items: list[DraftStep | DraftWarning] = [*d.steps, *d.warnings]
        for item in items:
            d.branched |= {f for b in item.cond for f in b}
            item.cond = [b for b in item.cond if all(self._drawn(f, vals) for f, vals in b.items())]
        d.steps = [s for s in d.steps if s.cond]
        d.warnings = [w for w in d.warnings if w.cond]

    def _drawn(self, fact: str, vals: frozenset[Any]) -> bool:
        draw = self.unknowns[fact].draw
        return draw is None or vals <= set(draw)

    def _merge(self, d: Draft) -> None:
        """One line per step text, and one per therapy (two rules giving streptozocin + 5-FU, for high grade
        and after targeted therapy, give it once); a step two rules give holds wherever either gives it.
        Steps are ordered by phase, and systemic steps by the case's sequence (planner.yaml), whose first
        line is never worded "on progression" and carries the sequence's reason."""
        merged: dict[str, DraftStep] = {}
        for s in d.steps:
            key = f"therapy:{s.step.therapy}" if s.step.therapy else s.text
            if key in merged:
                m = merged[key]
                m.cond = any_of([m.cond, s.cond])
                m.sources += [x for x in s.sources if x not in m.sources]
            else:
                merged[key] = s
        seq = d.sequence = next(q for q in self.k.planner.sequence if d.logic.holds(q.when))

        def rank(s: DraftStep) -> tuple[int, int]:
            if s.step.phase != "systemic":
                return PHASES.index(s.step.phase), 0
            places = [seq.order.index(a) for a in sorted(s.acts | s.options) if a in seq.order]
            return PHASES.index(s.step.phase), min(places, default=len(seq.order))

        d.steps = sorted(merged.values(), key=rank)
        first = next((s for s in d.steps if s.step.phase == "systemic"), None)
        if first is not None and first.step.therapy and first.step.qualifier:
            first.text = self._step_text(first.step, alone=True, first_line=True)
        if first is not None:
            first.sources = list(dict.fromkeys(first.sources + seq.sources))

    def step_label_of(self, act: str) -> str:
        """The words a held-back step of this act is named by (a therapy's name, or the act's label)."""
        return self.therapies[act].name if act in self.therapies else self.acts[act].label

    def act_text(self, s: DraftStep) -> str:
        """A step by its acts' labels ("distal pancreatectomy + splenectomy"), a therapy by its short text."""
        if s.step.short or (s.step.therapy and not s.step.text):
            return self.short_text(s)
        done = " + ".join(self.acts[a].label for a in s.step.acts)
        choice = " or ".join(self.acts[a].label for a in s.step.options if a in s.options)
        return " + ".join(x for x in (done, choice) if x)

    def short_text(self, s: DraftStep) -> str:
        """A step in the main message: a therapy by its qualifier, name and dose (its figures are in the
        details); any other step without its parentheses and what follows a semicolon."""
        step = s.step
        if step.short:
            return step.short
        if step.therapy and not step.text:
            t = self.therapies[step.therapy]
            qualifier = s.text.split(":", 1)[0] if ":" in s.text.split(",")[0] else ""
            name = t.name + (f", {t.dose.text}" if t.dose else "")
            return f"{qualifier}: {lower_first(name)}" if qualifier else name
        return re.sub(r"\s*\([^()]*\)", "", s.text).split("; ")[0].strip()

    def step_label(self, step: Step) -> str:
        """A step in a few words: its first act's label, or the therapy's name."""
        if step.therapy:
            return self.therapies[step.therapy].name
        return self.acts[(step.acts or step.options)[0]].label

    def _step_text(self, step: Step, alone: bool = False, first_line: bool = False, progressing: bool = False) -> str:
        """A step's words; `alone`: the step it was the alternative to ("Or, on progression") is not in
        the plan (the patient progressed on everolimus), so the "Or" goes; `first_line`: the first
        systemic step, which no qualifier precedes; `progressing`: the progression is now, so "on
        progression" goes ("Or, on progression" -> "Or")."""
        qualifier = None if first_line else step.qualifier
        if progressing and qualifier:
            qualifier = _ON_PROGRESSION.sub("", qualifier).rstrip(", ") or None
        if alone and qualifier and _OR.match(qualifier):
            rest = _OR.sub("", qualifier)
            qualifier = rest[:1].upper() + rest[1:] or None
        if step.text:
            return step.text
        t = self.therapies[step.therapy or ""]
        parts = [t.name]
        if t.dose:
            parts.append(t.dose.text)
        if t.route:
            parts.append(t.route.text.lower())
        text = ", ".join(parts)
        figs = "; ".join(f"{q.label.lower() if q.label else ''} {q.formatted()}".strip() for q in t.figures)
        text += (f" ({figs})" if figs else "") + ("" if t.dose else " (the sources give no dose)")
        return f"{qualifier}: {lower_first(text)}" if qualifier else text

    def label(self, branch: dict[str, frozenset[Any]]) -> str:
        parts = []
        for fact, u in self.unknowns.items():
            if fact in branch:
                names = [name for value, name in u.values if value in branch[fact]]
                parts.append(" or ".join(names))
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    def cond_label(self, cond: Cond) -> str | None:
        """None when the step holds outright; else "if A, or if B"."""
        if cond == TRUE:
            return None
        return ", or if ".join(self.label(b) for b in cond)


_PLANNERS: dict[int, tuple[Knowledge, Planner]] = {}


def planner_for(k: Knowledge) -> Planner:
    """The planner for this knowledge, built once (the knowledge object is kept so its id stays its own)."""
    hit = _PLANNERS.get(id(k))
    if hit is None or hit[0] is not k:
        if len(_PLANNERS) > 8:  # tests load many knowledge variants; a server loads one
            _PLANNERS.clear()
        hit = _PLANNERS[id(k)] = (k, Planner(k))
    return hit[1]


# --- the answer ----------------------------------------------------------------------------------


def board_questions(lay: Layout, planner: Planner) -> list[str]:
    """What only the board can settle: facts it decides, and the choice among alternatives in each branch."""
    out = [
        u.board_question + _noted(lay.case.evidence.get(fact, ""))
        for fact, u in planner.unknowns.items()
        if u.board_question and fact in lay.draft.branched and lay.draft.facts.get(fact) is None
    ]
    groups = [("", lay.main)] + [(f"If {label}: ", steps) for label, steps in lay.branches.items()]
    for prefix, steps in groups:
        for s in steps:
            if len(s.options) > 1 and s.step.phase == "surgery":
                names = [planner.acts[o].label for o in s.step.options if o in s.options]
                out.append(f"{prefix}which operation: {' or '.join(names)}?")
        treatments = [planner.step_label(s.step) for s in steps if s.step.phase in _CHOICE_PHASES]
        if len(treatments) > 1:
            out.append(f"{prefix}which of these first, and in what order: {', '.join(dict.fromkeys(treatments))}?")
    return [q[0].upper() + q[1:] for q in out]


_CHOICE_PHASES = {"systemic", "liver_directed"}


def _noted(evidence: str) -> str:
    """What the post said that leaves a fact for the board ("COPD and CKD3" for fitness), quoted beside it."""
    said = evidence.removeprefix("uncertain: ")
    return f" Noted: “{said}”." if said != evidence else ""


def describe(case: Case, k: Knowledge) -> str:
    subtypes = {s.id: s.name for s in k.subtypes.subtypes}
    parts = []
    if case.size_cm is not None:
        parts.append(f"{case.size_cm:g} cm")
    if case.location:
        parts.append({"duodenum": "duodenal"}.get(case.location, case.location))
    # "small bowel NET": the primary read is shown, so a board can see a misread one
    other = f"{case.primary.replace('_', ' ')} NET" if case.primary not in (None, "pancreas", "unknown") else "NET"
    name = subtypes[case.subtype] if case.subtype else "PNET" if case.primary in (None, "pancreas") else other
    parts.append(lower_first(name))  # "PNET" stays, "Non-functioning" does not
    desc = ("MEN1, " if case.men1 else "") + " ".join(parts)
    if case.multiple_lesions:
        desc += " (the largest of several)"
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


@dataclass
class Layout:
    """A drafted plan laid out for reading: what holds outright, what holds in a branch, what was held back."""

    case: Case
    draft: Draft
    main: list[DraftStep]  # steps that hold outright, in phase order
    follow: list[DraftStep]  # surveillance that holds outright
    branches: dict[str, list[DraftStep]]  # "If ..." label -> its steps
    notes: dict[str, list[Item]]  # "If ..." label -> cautions that hold only there
    held: list[Item]  # "not offered, and why"
    asks: list[tuple[str, str, list[str]]]  # missing facts: (id, text, sources)


def layout(case: Case, planner: Planner) -> Layout:
    d = planner.draft(case)
    branches: dict[str, list[DraftStep]] = {}
    for s in d.steps:
        if s.cond != TRUE:
            branches.setdefault(planner.cond_label(s.cond) or "", []).append(s)
    held: dict[str, list[str]] = {}
    offered = {planner.step_label(s.step) for s in d.steps} | {
        planner.acts[act].label for s in d.steps for act in s.acts
    }
    for why, what in d.held_back:
        if what not in held.setdefault(why, []) and what not in offered:
            held[why].append(what)
    return Layout(
        case=case,
        draft=d,
        main=[s for s in d.steps if s.cond == TRUE and s.step.phase != "surveillance"],
        follow=[s for s in d.steps if s.cond == TRUE and s.step.phase == "surveillance"],
        branches=branches,
        notes=_branch_notes(d, planner),
        held=[Item(text=f"{why[0].upper() + why[1:]}: {', '.join(what)}") for why, what in held.items() if what][
            :MAX_HELD_BACK
        ],
        asks=_asks(d, planner),
    )


def option_sections(lay: Layout, title: str = "Plan") -> list[Section]:
    """The plan, each branch with its cautions, and what was not offered."""
    out = section(title, [_item(s) for s in lay.main], numbered=True)
    for label in list(lay.branches) + [n for n in lay.notes if n not in lay.branches]:
        out += section(f"If {label}", [_item(s) for s in lay.branches.get(label, [])], numbered=True)
        out += section(f"If {label}: cautions", lay.notes.get(label, []))
    return out + section("Not offered, and why", lay.held)


# the section answering the post's own questions: the plan's answers, then the engine's lines beside it
YOUR_QUESTION = "Your question"
MAIN_STEPS = 7  # numbered steps in a plan's main message; the rest are behind "Details"
MAIN_QUESTIONS = 2  # questions for the board in the main message
CONFIRMED_STEPS = 3  # a suspected NET: the steps the sources would give once it is diagnosed


def plan(case: Case, k: Knowledge, planner: Planner) -> Answer:
    """The plan as a board member reads it in the meeting: the case in a line with its phase, what to act
    on first, the first step and a few numbered steps, at most two questions for the board. Everything
    else (how the case was read, what is missing, the branches in full, what is not offered and why,
    cautions, prognosis, surveillance) is in detail sections, shown behind "Details"."""
    lay = layout(case, planner)
    d = lay.draft
    desc = describe(case, k)
    phase = planner.phases[d.facts["phase"]]
    steps = main_steps(lay, planner)
    urgent = act_first(case, d, k)
    summary = f"Phase: {phase.label}."  # the title holds the case in a line
    summary += "".join(f" Assumed: {x}." for x in d.facts["assumed"])
    first = next((i.text for i in steps if not i.text.startswith("If ")), None)
    leads = [w.warning.first for w in d.warnings if w.warning.first]
    # a toxicity of any grade is answered first (the toxicity phase), whatever its severity
    if any(w.severity == "critical" for w in urgent) or d.facts["toxicity"]:
        summary += " First: act on the urgent findings below, before any test or treatment."
    elif leads:
        summary += f" First: {leads[0]}."
    elif steps and (first is None or steps[0].text.startswith("If ")):
        summary += f" First: settle what the plan turns on (if {steps[0].text[3:].split(': ')[0]})."
    elif first is not None:
        summary += f" First: {lower_first(first)}."
    reason = _order_reason(d)
    if d.facts["progression"] is True and reason and first is not None and not steps[0].detail:
        # "progressed on lanreotide, what next?" with receptor imaging first: the next line is said up front
        summary += f" Next line: {lower_first(reason)}."
    a = answer.new("treatment_plan", f"Plan: {desc}", summary)
    cautions = plan_warnings(d, planner)
    critical = [w for w in cautions if w.severity == "critical" and not w.text.startswith("If ")]
    a.warnings = urgent + critical
    answers = asked(case, lay, planner)
    # a passage of the question the plan answers ("can he stop the CT scans?") was read
    unread = [x for x in case.unread if not answered_passage(x, case.question, planner, answers)]
    if unread:
        a.warnings.append(Warn(severity="warning", text="Not read, check: " + "; ".join(f"“{x}”" for x in unread)))
    a.sections += section(YOUR_QUESTION, answers)
    a.sections += section("Plan", steps[:MAIN_STEPS], numbered=True)
    a.sections += section(
        "If the diagnosis is confirmed (for the board, not yet a plan)", _if_confirmed(case, d, planner)
    )
    more = len(steps) - MAIN_STEPS
    raised = list(dict.fromkeys(w.warning.board_question for w in d.warnings if w.warning.board_question))
    paused = _paused(d, planner)
    questions = (
        raised
        + ([] if paused else board_questions(lay, planner))[:MAIN_QUESTIONS]
        + ["Needed: " + t.split(":")[0][0].lower() + t.split(":")[0][1:] for _, t, _ in lay.asks if ":" in t]
    )
    a.sections += section(
        "For the board" + (f" ({more} more option(s) under Details)" if more > 0 else ""),
        [Item(text=q) for q in dict.fromkeys(questions[:MAIN_QUESTIONS])],
    )
    details = section("What I understood", with_evidence(understood(case, k), case))
    details += section("Missing, and how it would change the plan", [Item(text=t, sources=s) for _, t, s in lay.asks])
    # a phase whose new lines wait (a toxicity, controlled disease): the options are for a change, not a first line
    details += option_sections(
        lay,
        "If the treatment is changed: the options, with the reasons"
        if paused
        else "The plan in full, with the reasons",
    )
    details += section("Cautions", [Item(text=w.text, sources=w.sources) for w in cautions if w not in critical])
    details += prognosis(d.logic, k)
    details += section("Surveillance", [_item(s) for s in lay.follow])
    details += section("Next", [Item(text=k.planner.board_prompt)])
    a.sections += [sec.model_copy(update={"detail": True}) for sec in details]
    summarise(a, lay, planner)
    return a


def _if_confirmed(case: Case, d: Draft, planner: Planner) -> list[Item]:
    """A suspected pancreatic NET: the steps the sources would give once the diagnosis is made, so the team
    can tell the patient what is likely ("what do we tell him while we wait for histology?"). Nothing is
    planned before the diagnosis; the plan's own steps (staging) are not repeated."""
    if d.facts["phase"] != "suspected" or case.primary != "pancreas":
        return []
    confirmed = layout(case.model_copy(update={"diagnosis_pending": False}), planner)
    own = {planner.short_text(s) for s in d.steps}
    return [i for i in main_steps(confirmed, planner) if i.text not in own][:CONFIRMED_STEPS]


def main_steps(lay: Layout, planner: Planner) -> list[Item]:
    """The steps in order, one line each: those that hold outright (an operation that turns only on where the
    tumour is says so in brackets), then each branch as one line of its acts in short. When the disease is
    progressing, the branches without surgery come first. The first systemic step carries the reason for the
    order of systemic therapy."""
    d = lay.draft
    facts = d.facts
    paused = _paused(d, planner)
    first_systemic = next((s for s in d.steps if s.step.phase == "systemic"), None)
    groups: dict[str, list[tuple[DraftStep, str | None]]] = {}
    for s in d.steps:
        waits = paused and s.step.phase in _PAUSED and not any(planner.acts[a].continues for a in s.acts)
        if s.step.phase == "intensity" or waits or s in lay.follow:
            continue  # a reason, not a step; new lines that wait (toxicity, controlled disease); follow-up last
        base = _dedupe([{f: v for f, v in b.items() if f not in _WHERE} for b in s.cond])
        where = (
            None
            if base == s.cond
            else planner.cond_label([{f: v for f, v in b.items() if f in _WHERE} for b in s.cond])
        )
        groups.setdefault(planner.cond_label(base) or "", []).append((s, where))
    out = []
    waiting = [s for s in d.steps if paused and s.step.phase == "systemic" and s.cond == TRUE and s not in lay.follow]
    branches = [label for label in groups if label]
    if facts["progression"] is True:  # progressing: the non-surgical branches first
        branches.sort(key=lambda b: any(s.step.phase == "surgery" for s, _ in groups[b]))
    waited = False  # the first treatment step has said that it waits for the acute illness
    for s, where in groups.get("", []):
        if any(s.acts < o.acts and s.step.phase == o.step.phase for o, _ in groups[""]):
            continue  # "resection of the primary" beside the operation that does it: one step, not two
        text = planner.short_text(s) + (f" (if {where})" if where else "")
        if not waited and _waits_for_acute(text, s, facts, planner):
            text, waited = f"{planner.k.urgent.acute_first}: {lower_first(text)}", True
        keeps = any(planner.acts[a].continues for a in s.acts)  # the line kept needs no reason for the order
        why = _order_reason(d) if s is first_systemic and s.cond == TRUE and not keeps else None
        out.append(Item(text=text, sources=list(s.sources), detail=why))
    for label in branches:
        kept = groups[label]
        all_acts = [s.acts for s, _ in kept]
        kept = [  # a step whose acts the others already hold is said once (of two with the same acts, the first)
            (s, w)
            for i, (s, w) in enumerate(kept)
            if s.step.therapy
            or not s.acts <= set().union(*(a for j, a in enumerate(all_acts) if j != i and (a != s.acts or j < i)))
        ] or kept
        parts = list(dict.fromkeys(planner.act_text(s) + (f" ({w})" if w else "") for s, w in kept))
        text = "; ".join(lower_first(x) for x in parts)
        sources = list(dict.fromkeys(x for s, _ in kept for x in s.sources))
        lead = "If"
        if not waited and any(_waits_for_acute(text, s, facts, planner) for s, _ in kept):
            lead, waited = f"{planner.k.urgent.acute_first}, if", True
        out.append(Item(text=f"{lead} {label}: {text}", sources=sources))
    severe = any((t.grade or 0) >= 3 for t in lay.case.toxicities if t.current)
    names = [planner.step_label(s.step) for s in waiting]
    held = [planner.acts[x].label if x in planner.acts else x for x in facts["held_for_toxicity"]]
    if facts["line_stopped"] and severe and (names or held):
        # a grade 3-4 toxicity stops the line: the drug itself at a reduced dose where the disease was controlled
        # on it, and its successors in the sequence's order (none while it is to be resumed first), once it settles
        u = planner.k.urgent.toxicity
        options = [u.resume.format(drugs=" / ".join(held))] if held else []
        options += [u.switch.format(lines=", ".join(dict.fromkeys(names)))] if names else []
        out.append(
            Item(
                text=f"{u.next_lines}: {', or '.join(options)}",
                sources=list(dict.fromkeys(x for s in waiting for x in s.sources)),
            )
        )
    out += [Item(text=planner.short_text(s), sources=list(s.sources)) for s in lay.follow]
    return out


_PAUSED = {"systemic", "liver_directed"}  # what waits while a toxicity of the current drug settles
_WAITS_FOR_ACUTE = {"systemic", "liver_directed", "surgery"}  # what starts only once an acute illness is treated


def _waits_for_acute(text: str, s: DraftStep, facts: dict[str, Any], planner: Planner) -> bool:
    """A treatment step that waits for an acute illness now: the first one says so ("Once the acute illness is
    treated: PRRT ..."), the rest follow it."""
    return (
        facts["acute_illness"]
        and s.step.phase in _WAITS_FOR_ACUTE
        and not text.startswith(planner.k.urgent.acute_first)
    )


def _order_reason(d: Draft) -> str | None:
    """The reason for the order of systemic therapy, where the option it puts first leads the plan's systemic
    steps; never beside another option that leads because the first is held back ("after CAPTEM" holds back
    streptozocin + 5-FU)."""
    seq = d.sequence
    first = next((s for s in d.steps if s.step.phase == "systemic"), None)
    lead = next((o for o in seq.order if o != "continue_current"), None) if seq is not None else None
    return seq.why if seq is not None and first is not None and first.step.therapy == lead else None


def _paused(d: Draft, planner: Planner) -> bool:
    """A phase whose new lines wait (a toxicity of the drug given, a line that controls the disease), without
    progression: new lines and their choice go to the details."""
    phase = planner.phases[d.facts["phase"]]
    return (
        phase.pauses_new_lines
        and d.facts["progression"] is not True
        and not d.facts["syndrome_uncontrolled"]  # a syndrome out of control needs its next step now
        and (not phase.while_kept or any(planner.acts[a].continues for s in d.steps for a in s.acts))
    )


_WHERE = {"location", "peripheral"}  # facts about where the tumour is: said beside an operation, not as a branch


def _dedupe(cond: Cond) -> Cond:
    out: Cond = []
    for b in cond:
        if b not in out:
            out.append(b)
    return TRUE if any(not b for b in out) else out


def answered_passage(passage: str, question: str, planner: Planner, answers: list[Item]) -> bool:
    """The passage names what the plan's answers answer: part of the post's question naming an option, or a
    passage an answer's own words match ("my chromogranin went from 95 to 140", answered as a rising marker)."""
    words = fold(passage)
    return bool(answers) and any(
        not q.always
        and terms.search(words)
        and (words in fold(question) or any(q.label and i.text.startswith(f"{q.label}:") for i in answers))
        for q, terms in planner.asked
    )


def asked(case: Case, lay: Layout, planner: Planner) -> list[Item]:
    """The options the post asks about (planner.yaml `asked`), answered from this plan: offered (and where),
    held back (and why), or not in the sources for this case."""
    text = case.question or ""
    out = []
    answered: set[str] = set()  # options an earlier entry answered ("injections to stop it coming back": adjuvant)
    said: set[str] = set()  # labels answered: two entries of one question ("is it chemo?", "need chemo?") say it once
    for q, terms in planner.asked:
        if not terms.search(text) or answered & set(q.acts) or (q.when and not lay.draft.logic.holds(q.when)):
            continue
        if not q.acts:  # a question about no option ("is that safe with her other medicines?")
            if (key := q.label or q.silent or "") not in said:
                said.add(key)
                out.append(Item(text=f"{q.label}: {q.say}", sources=list(q.sources)))
            continue
        acts = set(q.acts)
        answered |= acts
        name = q.label or " / ".join(planner.acts[a].label for a in q.acts[:2])
        toxic = next((t for t in held_toxicities(case, planner.k) if t.drug in acts), None)
        if toxic is not None:  # "what do we do with the everolimus?" while it causes a toxicity: the act-first line
            u = planner.k.urgent.toxicity
            out.append(Item(text=f"{name}: {toxic.event} on it now: {u.line}. Sources silent: {u.silent}"))
            continue
        steps = [s for s in lay.draft.steps if acts & (s.acts | s.options)]
        if acts & set(lay.draft.facts["current"]):  # "booked for PRRT cycle 2 - ok?": the step that keeps the line
            keep = [s for s in lay.draft.steps if any(planner.acts[a].continues for a in s.acts)]
            steps = [s for s in keep if "continue_current" in s.acts or acts & s.acts] or keep[:1] or steps
        if steps:
            s = steps[0]
            where = planner.cond_label(s.cond)
            # a caution tied to this option ("after a Whipple: liver-abscess risk") is part of the answer
            caution = next((w.warning.text for w in lay.draft.warnings if acts & set(w.warning.after)), "")
            out.append(
                Item(
                    text=f"{name}: in the plan{f', if {where}' if where else ''}: {s.text}"
                    + (f" ({lower_first(s.step.rationale)})" if s.step.rationale else "")  # why ("bother with nodes?")
                    + (f". But: {caution}" if caution else ""),
                    sources=list(s.sources),
                )
            )
            continue
        held = [
            why
            for why, what in lay.draft.held_back
            if any(planner.acts[a].label == what or planner.step_label_of(a) == what for a in acts)
        ]
        if q.say:
            out.append(Item(text=f"{name}: {q.say}"))
            continue
        scope = next(
            (r.scope for r in planner.k.planner.rules if r.scope and any(acts & set(st.acts) for st in r.steps)), None
        )
        if not held and scope:
            held = [scope]
        in_scope = planner.requirements["in_scope"]
        if not held and not lay.draft.logic.holds(in_scope.when):
            held = [in_scope.why]  # "?pNET, Whipple?": not before a diagnosed pancreatic NET
        forbidden = next(
            (w.warning for w in lay.draft.warnings if acts & set(w.warning.forbids) and w.cond == TRUE), None
        )
        # "can we start octreotide?" in an insulinoma not shown receptor-positive
        if not held and forbidden is not None:
            first = forbidden.text.split(". ")[0]  # the warning's first sentence says why
            out.append(Item(text=f"{name}: not offered here: {first}", sources=list(forbidden.sources)))
            continue
        if held:  # every reason that holds ("14 bilobar lesions" and "6.2 cm"), not only the first
            out.append(Item(text=f"{name}: not offered here: {'; and '.join(dict.fromkeys(held))}"))
        elif condition := _sources_condition(q.acts, planner):
            # "is she a PRRT candidate?" with no receptor result: the option's own gate; "SSA first or straight to
            # chemo given the pace?": what the sources give it for. Either way, against this case, for the board
            out.append(
                Item(
                    text=f"{name}: not in this plan as the case reads; the sources' condition: "
                    f"{lower_first(condition[0].rstrip('.'))}. Whether this case meets it is for the board",
                    sources=condition[1],
                )
            )
        else:
            out.append(Item(text=f"{name}: the sources give it no place in this case; it is for the board"))
    return out[:MAIN_QUESTIONS]


def _sources_condition(acts: list[str], planner: Planner) -> tuple[str, list[str]] | None:
    """What the sources require of an option asked about (its gate), else what they give it for (its indication),
    with their sources; None where they give neither."""
    therapies = [planner.therapies[a] for a in acts if a in planner.therapies]
    gates = [(g.why, list(g.sources)) for t in therapies for g in (t.requires or [])]
    indications = [(t.indication[0].text, list(t.indication[0].sources)) for t in therapies if t.indication]
    found = gates or indications
    return found[0] if found else None


def act_first(case: Case, d: Draft | None, k: Knowledge, patient: bool = True) -> list[Warn]:
    """What to act on before the plan (or, with no `d`raft, above a question's answer): each urgent finding and
    toxicity, with what the sources give and what they do not. A question about no `patient` says only its drug
    notes (an interaction of a drug named): its other words ("what is carcinoid crisis? severe headache?") are what it
    asks about. With no draft, a finding's `when` cannot be held against a plan: only findings without one are said."""
    u = k.urgent
    out = []
    said: dict[str, tuple[Any, list[str]]] = {}  # one line per action: a glucose of 1.8 and "hypos despite" share it
    unplaced: list[str] = []  # words of a finding whose `when` does not hold and that has no `otherwise`
    for f in case.urgent:
        rule = next(r for r in u.findings if r.id == f.id)
        if d is None and (rule.when is not None or not (patient or f.drug_note)):
            continue
        holds = rule.when is None or (d is not None and d.logic.holds(rule.when))
        line = rule.line if holds else rule.otherwise
        if line is None:
            unplaced += f.words.split("; ")
            continue
        words = said.setdefault(line, (rule, []))[1]
        words += [w for w in f.words.split("; ") if w not in words]
    for line, (rule, words) in said.items():
        # a line for another phase (`otherwise`: weigh it in fitness for surgery) is noted, not acted on first
        # a note (severity info) is labelled by its severity alone; a line for another phase (`otherwise`) is a note
        label = "" if rule.severity == "info" else "Act first: " if line == rule.line else "Note: "
        text = f"{label}{'; '.join(words)}: {line}."
        if rule.said:
            text += f" {rule.said[0].upper() + rule.said[1:]}."
        if rule.silent:
            text += f" Sources silent: {rule.silent}."
        # nor is it an emergency (`otherwise`: before a splenectomy, beside a resectable tumour)
        out.append(
            Warn(severity=rule.severity if line == rule.line else "warning", text=text, sources=list(rule.sources))
        )
    shown = {w for _, words in said.values() for w in words}
    tox_said = " ".join(t.event for t in case.toxicities if t.current and patient)  # "possible toxicity (plt 62)"
    if unshown := list(dict.fromkeys(w for w in unplaced if w not in shown and w not in tox_said)):
        # a finding another line stands in for ("jaundice" beside cholangitis) is said there; nothing vanishes
        out.append(
            Warn(
                severity="warning",
                text="Noted, not acted on in this plan, check: " + "; ".join(f"“{w}”" for w in unshown),
            )
        )
    # one line per drug for its graded toxicities, and one for the events said without a grade
    by_drug: dict[tuple[str | None, bool], list[Any]] = {}
    held = held_toxicities(case, k)
    for t in (t for t in case.toxicities if t.current and patient):
        by_drug.setdefault((t.drug, t.grade is None), []).append(t)
    for (key, ungraded), events in by_drug.items():
        drug = (k.planner.acts[key].label if key in k.planner.acts else key.replace("_", " ")) if key else None
        on = f"{'; '.join(t.event for t in events)} on {drug or 'the current treatment'}"
        if not [t for t in events if t in held]:  # grade 1: noted, the line goes on
            out.append(
                Warn(severity="warning", text=f"Note: {on}: {u.toxicity.mild}. Sources silent: {u.toxicity.silent}.")
            )
            continue
        out.append(
            Warn(
                # a grade 2 toxicity is acted on now, but is no emergency; grade 3-4, or no grade said, is critical
                severity="critical" if ungraded or max(t.grade or 0 for t in events) > 2 else "warning",
                text=f"Act first: {on}: {u.toxicity.line}. Sources silent: {u.toxicity.silent}.",
            )
        )
    return out


def held_toxicities(case: Case, k: Knowledge) -> list[Toxicity]:
    """The toxicities of now that hold their drug: no grade said, or at least urgent.yaml's `hold_from_grade` (a grade 1
    event is managed while the line goes on)."""
    tox = k.urgent.toxicity
    return [t for t in case.toxicities if t.current and (t.grade is None or t.grade >= tox.hold_from_grade)]


def summarise(a: Answer, lay: Layout, planner: Planner) -> None:
    """The rules fired, the case and the plan's ids on the answer, for the log, the checker and tests."""
    d, facts = lay.draft, lay.draft.facts
    a.rules_fired = list(dict.fromkeys([s.rule for s in d.steps] + [w.rule for w in d.warnings]))
    a.case = lay.case.model_dump()
    acts = set().union(*(s.acts | s.options for s in d.steps)) if d.steps else set()
    a.plan = PlanSummary(
        acts=sorted(acts),
        warnings=sorted({w.warning.id for w in d.warnings}),
        asks=[i for i, _, _ in lay.asks],
        branches=list(lay.branches),
        adjuvant=bool(acts & planner.advanced_only)
        and facts["metastatic"] is False
        and facts["resectable"] is not False
        and not facts["recurrence"],
        removed=[p.text for p in d.problems],
        phase=facts["phase"],
        sequence=d.sequence.id if d.sequence else None,
    )


def _item(s: DraftStep) -> Item:
    return Item(text=s.text, detail=s.step.rationale, sources=list(s.sources))


def _branch_notes(d: Draft, planner: Planner) -> dict[str, list[Item]]:
    """Warnings that hold only in a branch and are not critical sit with that branch's steps, not on top."""
    notes: dict[str, list[Item]] = {}
    for w in d.warnings:
        label = planner.cond_label(w.cond)
        if label is not None and w.warning.severity == "warning":  # an info note is shown only where it holds
            items = notes.setdefault(label, [])
            if w.warning.text not in [i.text for i in items]:
                items.append(Item(text=w.warning.text, sources=list(w.warning.sources)))
    return notes


def plan_warnings(d: Draft, planner: Planner) -> list[Warn]:
    """Warnings that hold outright, and critical ones of any branch (with their "If ...")."""
    out: list[Warn] = []
    seen: set[str] = set()
    for w in d.warnings:
        label = planner.cond_label(w.cond)
        if label is not None and w.warning.severity != "critical":
            continue
        text = w.warning.text if label is None else f"If {label}: {w.warning.text}"
        if text not in seen:
            seen.add(text)
            out.append(Warn(severity=w.warning.severity, text=text, sources=list(w.warning.sources)))
    if d.problems:
        rules = sorted({r for p in d.problems for r in p.rules})
        out.append(
            Warn(
                severity="critical",
                text=f"I removed {len({i for p in d.problems for i in p.steps})} step(s) that contradicted the case or "
                f"each other ({'; '.join(p.text for p in d.problems)}; rules: {', '.join(rules)}). "
                "The rest of the plan is shown; review it with the board.",
            )
        )
    return out


def _asks(d: Draft, planner: Planner) -> list[tuple[str, str, list[str]]]:
    """The missing facts the plan branches on (or waits for), then the other missing-fact notes."""
    out = [(u.ask.id, u.ask.text, list(u.ask.sources)) for f, u in planner.unknowns.items() if f in d.branched]
    plain = Logic(d.facts, {})
    notes = [m for m in planner.k.planner.missing if plain.holds(m.when)]
    lead = [(m.id, m.text, list(m.sources)) for m in notes if m.leads]
    return lead + out + [(m.id, m.text, list(m.sources)) for m in notes if not m.leads]


def prognosis(logic: Logic, k: Knowledge) -> list:
    """The survival figures for the case's pattern, each with its cohort; none outside the PNET scope,
    where the figures would be another population's."""
    plain = Logic(logic.facts, {})
    if logic.facts["pancreatic"] is False or logic.facts["diagnosis_pending"]:
        return []
    figures = {p.id: p for p in k.survival.patterns} | {f.id: f for f in k.survival.other}
    for m in k.planner.prognosis:
        if not plain.holds(m.when):
            continue
        items = []
        for fid in m.figures:
            f = figures[fid]
            if isinstance(f, SurvivalPattern):
                text = f"{f.name}: " + "; ".join(
                    ([f"median survival {f.median_months.formatted()}"] if f.median_months else [])
                    + [f"5-year OS {f.os5.formatted()}"]
                )
                srcs = list(dict.fromkeys((f.median_months.sources if f.median_months else []) + f.os5.sources))
            else:
                text = f"{f.label}: {f.figure.formatted()}"
                srcs = list(f.figure.sources)
            items.append(Item(text=text, detail=f"Whose figure: {f.cohort}", sources=srcs))
        title = "Prognosis for this pattern (population and cohort figures, not a prediction)"
        if len(items) > 1:
            title += ": the sources report different cohorts, shown side by side"
        return section(title, items)
    return []
