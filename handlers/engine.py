"""The engine: one object, built once at start, that turns a question into (Query, Answer)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from handlers import answer, planner, retrieval
from handlers.answer import Answer, Item, Section, Warn
from handlers.board import board_card
from handlers.case import Case, CaseParser, case_from_form
from handlers.case.model import CURRENT
from handlers.case.reader import introduces_patient
from handlers.conversation import PRESENTED, FollowUps
from handlers.intents import HANDLERS
from handlers.intents.common import fact
from handlers.intents.therapy import SYSTEMIC, asked_therapies
from handlers.lexicon import Lexicon
from handlers.retrieval import Retriever
from handlers.router import INCIDENTAL_GROUPS, Query, Router
from knowledge import Knowledge, load
from knowledge.text import fold, tokens

CASE_FACTS = 3  # a post giving this many facts of a patient is a case to plan, whatever topic it names
# ... unless it opens as a general question ("What is the lanreotide dose for G2 PNET with liver mets?")
_ASKS_FIRST = re.compile(
    r"\s*(?:what|which|how|when|why|where|who|is|are|does|do|can|could|should|would|will|tell|explain|grade\s+(?:this|it|these)|classify)\b"
)
MAX_INPUT_CHARS = 6000  # a long tumour-board post fits; beyond this only the start is read


@dataclass(frozen=True)
class Result:
    query: Query
    answer: Answer


class Engine:
    def __init__(self, knowledge: Knowledge | None = None):
        self.knowledge = knowledge if knowledge is not None else load()
        missing = {i.name for i in self.knowledge.intents.intents} ^ set(HANDLERS)
        if missing:
            raise ValueError(f"intents without a handler, or handlers without an intent: {sorted(missing)}")
        self.lexicon = Lexicon(self.knowledge)
        self.case_parser = CaseParser(self.knowledge, self.lexicon)
        self.retriever = Retriever(self.knowledge, self.lexicon)
        self.router = Router(self.knowledge, self.lexicon, self.case_parser, self.retriever)
        self.follow_ups = FollowUps(self.knowledge)
        # the names of pancreatic NETs (pnet, pancreatic net...): a related fact naming one is about the pancreas
        self._pancreatic = {" ".join(self.lexicon.text_words(t)) for t in self.knowledge.vocabulary.overview.pnet}

    @property
    def version(self) -> str:
        return self.knowledge.version

    def read(self, text: str) -> Query:
        """The question or case in `text`, routed (only its first MAX_INPUT_CHARS are read)."""
        return self.router.route(_LONG_NUMBER.sub(" ", (text or "").replace("\x00", " "))[:MAX_INPUT_CHARS])

    def ask(self, text: str, intent: str | None = None) -> Result:
        """Answer a question. `intent` skips routing: "treatment_plan" plans whatever case the text describes."""
        truncated = len(_LONG_NUMBER.sub(" ", text or "")) > MAX_INPUT_CHARS
        query = self.read(text)
        if intent is not None:
            if intent not in HANDLERS:
                raise ValueError(f"unknown intent {intent!r}")
            silent = [] if intent == "treatment_plan" else query.silent  # a plan says its own gaps
            query = replace(query, intent=intent, confidence=100, parts=[intent], silent=silent)
        urgent = query.case.patient_findings() or query.case.toxicities
        facts = query.case.details()
        introduced = introduces_patient(text)
        # a patient's own line and how it went ("on lanreotide for 2 years, stable") presents a patient too
        history = any(t.outcome in _HISTORY for t in query.case.treatments)
        described = facts >= CASE_FACTS and (
            introduced or history or (facts > CASE_FACTS and not _ASKS_FIRST.match(fold(text)))
        )
        # "i had a whipple op in 2021 ... grade 1 ... all scans clear since": a patient and their operation; "5y post
        # Whipple ..., equivocal 1cm liver lesion. What next?", "NED after PD + hepatectomy 2018 ... stop imaging?": a
        # patient's course after it
        c = query.case
        after_surgery = bool(c.prior_surgery) and bool(c.uncertain_sites or c.recurrence or c.metastatic is False)
        # "TACE for liver mets after a Whipple, any issue?", "RFA for ~25 bilobar mets, largest 7 cm?": liver-directed
        # therapy asked of a liver the post describes, planned so that its gates and cautions are checked (lesion
        # size and spread, a liver abscess after a bilioenteric anastomosis), as for the same case posted
        liver_directed = {"tace", "rfa"} & set(query.entities.get("therapy", []))
        gated = (
            bool(liver_directed)
            and bool(c.metastatic)
            and (bool(c.prior_surgery) or bool(c.liver_widespread) or c.liver_lesion_cm is not None)
        )
        described = (
            described
            or (bool(c.prior_surgery) and introduced and facts >= CASE_FACTS - 1)
            or (after_surgery and facts >= 1)
            or gated
            # "TB: 71M, 4.2 cm PNET head, ... Ga PET not done yet": a patient presented with no question asked is a case
            or (introduced and facts >= CASE_FACTS - 1 and not c.question)
            # "I had my whipple in 2022 ... I've lost 8 kg since": a patient after an operation with a finding to act on
            or (introduced and bool(urgent) and bool(c.prior_surgery))
        )
        # "63F, 1.4 cm lesion, no biopsy yet"; "my mum is 89, spread to the liver, in bed most of the day"
        # "a 'shadow' on my pancreas, about 2 cm, they think it might be a NET. What happens now?": one fact is enough
        # beside a diagnosis still to be made
        suspected = introduced and (
            (query.case.diagnosis_pending and (facts >= 2 or (facts >= 1 and bool(_NEXT_STEP.search(fold(text))))))
            or (query.case.frail and (facts >= 2 or bool(urgent)))
        )
        # "Path just back: poorly differentiated small cell NEC, Ki-67 85%, liver mets. Lanreotide + everolimus?":
        # a carcinoma with its own facts is a patient to plan (referral first), not the NEC topic page
        carcinoma = query.intent == "nec" and query.case.differentiation == "poor" and facts >= CASE_FACTS
        # declined for what it names, and no NET named ("IM glucagon for a type 1 diabetic"): the reader's facts are no case
        foreign = query.intent == "out_of_scope" and not set(query.entities) - {"oos"}
        # "tiny duodenal NET taken off at OGD - chance it had spread to the nodes?": the sources plan only pancreatic
        # NETs, so a question about another primary is answered as asked, unless a finding needs acting on or a rule
        # plans that primary ("ileal NET, liver mets, where do we start?")
        elsewhere = (
            query.case.primary not in (None, "pancreas")
            and not urgent
            and not planner.planner_for(self.knowledge).plans_elsewhere(query.case)
        )
        if (
            intent is None
            and query.intent != "treatment_plan"
            and not foreign
            and not elsewhere
            # "My dad has a pancreatic NET and bad reflux ... vomited blood and collapsed": a patient introduced with a
            # finding to act on, beside another condition the router would decline, is planned, never refused
            and (
                described
                or suspected
                or carcinoma
                or (urgent and facts >= 2)
                or (
                    (introduced or query.case.lay_poster)
                    and query.intent == "out_of_scope"
                    and bool(query.entities.get("domain"))  # a NET named, never "pancreatitis" alone
                    and planner.case_facts(query.case, self.knowledge)["act_now"]
                )
            )
        ):
            # a patient, not a topic: planned, and an aspect the sources lack is the plan's to say
            query = replace(query, intent="treatment_plan", parts=["treatment_plan"], silent=[])
        result = self._answer(query)
        if query.oos_terms and result.intent != "out_of_scope":
            terms = list(dict.fromkeys(query.oos_terms))
            named = ", ".join(terms)
            groups = self.knowledge.vocabulary.out_of_scope
            # said first: set against a NET, or asked about (an incidental drug or condition only noted)
            shown = [
                g
                for t, g in zip(query.oos_terms, query.oos_groups, strict=True)
                if g not in INCIDENTAL_GROUPS or t in query.oos_asked
            ]
            why = "; ".join(dict.fromkeys(groups[g].why for g in shown))  # two groups with one reason: said once
            result.not_covered += [t for t in terms if t not in result.not_covered]
            if why:  # set against a NET ("is this the same as pancreatic cancer?"): the answer says so first
                result.summary = f"My sources do not cover {named}: {why}. {result.summary}"
            else:  # a drug or condition in passing ("AF on apixaban"): noted, and the answer goes on
                note = f"My sources do not discuss {named}. The answer leaves it aside."
                result.warnings.append(Warn(severity="info", text=note))
        if truncated:
            result.warnings.append(
                Warn(
                    severity="info", text=f"Your message was long: I read only its first {MAX_INPUT_CHARS} characters."
                )
            )
        return Result(query, answer.finish(result, self.knowledge))

    def follow_up(self, text: str, earlier: list[str]) -> Answer:
        """A message in a conversation, `earlier` its previous messages (oldest first): a change to the case
        described earlier ("and if Ki-67 were 25%?") re-plans that case; anything else is answered alone."""
        amended = self.changed_case(text, earlier)
        if amended is None:
            return self.ask(text).answer
        a = planner.plan(amended, self.knowledge, planner.planner_for(self.knowledge))
        a.warnings.append(Warn(severity="info", text=AMENDED_NOTE))
        return answer.finish(a, self.knowledge)

    def changed_case(self, text: str, earlier: list[str]) -> Case | None:
        """The case described in `earlier` as `text` changes it; None when `text` changes no earlier case
        (a question, or a new patient)."""
        case = None
        for message in earlier:
            case, _ = self._next_case(case, message)
        case, changed = self._next_case(case, text)
        return case if changed else None

    def _next_case(self, case: Case | None, text: str) -> tuple[Case | None, bool]:
        """The conversation's case after `text`, and whether `text` changed the one before it."""
        q = self.read(text)
        kind = self.follow_ups.kind(q, text)
        if case is not None and kind == "change":
            new = case.amended(q.case)
            if q.case.ki67 is not None or q.case.mitoses is not None:
                self.case_parser.grade(new)
            return new, True
        if kind == "new_case" or (case is None and q.case.details() >= PRESENTED):
            return q.case, False
        return case, False

    def board(self, text: str) -> Answer | None:
        """The tumour board's case card for the case `text` describes; None when it describes none."""
        case = self.ask(text, intent="treatment_plan").query.case
        if case.details() == 0 and case.metastatic is None:
            return None
        return answer.finish(board_card(case, self.knowledge, planner.planner_for(self.knowledge)), self.knowledge)

    def plan_form(self, values: dict) -> Answer:
        """The plan for a case given as form fields (validated with handlers.case.form_errors first)."""
        case = case_from_form(values, self.case_parser)
        return answer.finish(planner.plan(case, self.knowledge, planner.planner_for(self.knowledge)), self.knowledge)

    def _answer(self, q: Query) -> Answer:
        k = self.knowledge
        main = q.intent
        # a case (a patient's facts, planned): the plan is the whole answer; a topic its words touch is not added
        described = main == "treatment_plan" and q.case.details() >= 1 and "algorithm" not in q.aspects
        beside, asked_silent = self._asked_beside(q) if described else ([], set(q.silent))
        # a drug or condition only noted ("on clarithromycin for H pylori") leaves the aspect asked to be said
        noted_only = not set(q.oos_groups) - set(INCIDENTAL_GROUPS) and q.intent != "out_of_scope"
        silent = (
            [k.vocabulary.silent[s] for s in q.silent if s in asked_silent] if not q.oos_terms or noted_only else []
        )
        if silent and main in ("out_of_scope", "closest_matches") and silent[0].show:
            main = silent[0].show  # nothing else named: show what the sources say nearest to the aspect asked
        if beside:  # a question answered beside the plan is read: neither flagged as unread nor listed as unused
            asked = [fold(t) for t, _ in beside]
            kept = {
                f: [u for u in getattr(q.case, f) if not any((w := fold(u)) in t or t in w for t in asked)]
                for f in ("unread", "ignored")
            }
            q = replace(q, case=q.case.model_copy(update=kept))
        if main == "treatment_plan" and "algorithm" in q.aspects and q.case.details() < 2:
            # the general approach asked ("based on resectability, function, grade"), not one patient's plan
            a = HANDLERS[main](replace(q, case=self.case_parser.parse("")), k)
        else:
            a = HANDLERS[main](replace(q, intent=main), k)
        _answer_beside(a, _said_by_plan(a, beside, k))
        if main == "therapy" and set(q.aspects) <= {"treatment"} and _WH_ASKED.search(fold(q.text)):
            self._lead_with_closest(a, q)
        if not described:  # a case's own questions are answered beside its plan (above), each alone
            said = {a.summary}
            for part in q.parts[1:]:
                p = HANDLERS[part](replace(q, intent=part), k)
                if p.summary not in said:  # "how likely has it spread? should we be worried?": one answer, once
                    said.add(p.summary)
                    _append(a, p)
        if main not in _NO_TOPIC_FACTS and not described:
            _subtype_facts(a, q, k)
        if silent:
            _not_covered(a, [s.label for s in silent])
        if main not in _NO_RELATED and not described and not (a.not_covered and q.entities.get("primary")):
            # a primary the sources give no figure for is not given its neighbours' figures as "related"
            self._related(a, q)
        if a.plan is None and not a.declined:
            # a patient's findings lead a topic answer too; a question about no patient says only its drug notes ("on
            # itraconazole, is the everolimus dose still 10 mg?"), never its own words as findings
            patient = introduces_patient(q.text) or q.case.details() >= 1
            a.warnings[:0] = planner.act_first(q.case, None, k, patient)
        return a

    def _asked_beside(self, q: Query) -> tuple[list[tuple[str, Item]], set[str]]:
        """The questions of a case post that its plan does not answer, each answered from the sources in a line
        beside the plan: an aspect the sources do not cover, said so; a drug's side effects ("will he lose his hair?"
        of the drugs the post names); a topic asked in general ("... what does Ki-67 mean?", "is the liver the usual
        place?"), the case's own fact first where it gives one ("Ki-67 5% → G2"). Not: a question about this patient
        ("is it in his bones?", "how long has he got?"), which the plan and its details answer, nor one an entry of the
        plan's own (planner.yaml `asked`) answers. Also returns the aspects the sources lack that the questions ask
        (all the post names when it asks no question of its own: "pancreatic NET carcinoid crisis")."""
        k = self.knowledge
        plan_asks = planner.planner_for(k).asked
        routed = [(t, self.router.route(t, about_net=True)) for t in q.case.questions]
        asked_silent = {s for _, sub in routed for s in sub.silent} if routed else set(q.silent)
        out: list[tuple[str, Item]] = []
        systemic = set(planner.planner_for(k).therapies)
        current = [t.drug for t in q.case.treatments if t.outcome in CURRENT and t.drug in systemic]
        held = bool(planner.held_toxicities(q.case, k))
        for text, sub in routed:
            words = fold(text)
            # entries that answer whatever the case; one with a `when` ("treat now or watch") may not hold for this
            # case, so the gap line stays, and is dropped after the plan where the entry did answer (_said_by_plan)
            answered = [a for a, terms in plan_asks if terms.search(words) and a.when is None]
            # the question's own drugs; the case's where it names none, or names one only to compare ("... starting
            # lanreotide. Will he lose his hair, like with chemo?")
            own = [] if _COMPARED_DRUG.search(words) else sub.entities.get("therapy", [])
            drugs = own or q.entities.get("therapy", [])
            if sub.oos_terms or set(sub.silent) & set(q.silent):
                continue  # another cancer's question; or the answer's first line says it (the post as a whole asks it)
            if sub.silent and not {a.silent for a in answered} & set(sub.silent):
                labels = " or ".join(k.vocabulary.silent[s].label for s in sub.silent)
                out.append((text, Item(text=_gap(labels))))
            elif "side_effects" in sub.aspects and drugs:
                a = HANDLERS["therapy"](replace(sub, intent="therapy", entities={**sub.entities, "therapy": drugs}), k)
                out.append((text, Item(text=a.summary, sources=a.summary_sources)))
            elif (
                not answered
                and not held
                and _DOSE_NAMED.search(words)
                and (given := own or (current if _OF_THE_LINE.search(words) and not sub.oos_terms else []))
            ):
                # "on octreotide LAR 20 mg ... shd it be 30mg?": the sources' dose of the drug asked, else of the one
                # given now when the question's subject is it (never "increase amlodipine to 10mg?", "what dosing of
                # calcium?"); any other dose is the board's (a drug held for a toxicity: its act-first line answers)
                # a drug this plan forbids ("confirm the LAR dose?" in an insulinoma not shown receptor-positive):
                # the ban, never a dose
                banned = planner.planner_for(k).forbidding(q.case)
                if ban := next((banned[d] for d in given if d in banned), None):
                    out.append((text, Item(text=f"No dose here: {ban.text.split('. ')[0]}", sources=list(ban.sources))))
                    continue
                a = HANDLERS["therapy"](
                    replace(sub, intent="therapy", aspects=["dose"], entities={**sub.entities, "therapy": given}), k
                )
                dose = (
                    a.summary
                    if not a.summary_sources
                    else f"The sources' dose: {a.summary.rstrip('.')}; a different dose is for the board."
                )
                out.append((text, Item(text=dose, sources=a.summary_sources)))
            elif not answered and sub.intent in _BESIDE_PLAN and (sub.intent == "grading" or _IN_GENERAL.search(words)):
                said = [HANDLERS[sub.intent](replace(sub, case=c), k) for c in (q.case, sub.case)]
                summary = " ".join(dict.fromkeys(a.summary for a in said))
                out.append((text, Item(text=summary, sources=sorted({s for a in said for s in a.summary_sources}))))
        first = {i.text: n for n, (_, i) in reversed(list(enumerate(out)))}  # two questions, one answer: said once
        return [x for n, x in enumerate(out) if first[x[1].text] == n], asked_silent

    def _neighbour(self, q: Query, hit: retrieval.Hit) -> bool:
        """For a question about a NET of one non-pancreatic primary, a fact that names another primary (PNETs
        among them): a neighbour's fact, never shown as related."""
        asked = set(q.entities.get("primary", []))
        if not asked - {"pancreas"}:
            return False
        spans = self.lexicon.find(tokens(fold(hit.doc.text)))
        return any(
            (s.kind == "primary" and s.id not in asked) or (s.kind == "domain" and s.phrase in self._pancreatic)
            for s in spans
        )

    def _lead_with_closest(self, a: Answer, q: Query) -> None:
        """ "When can't they keep the spleen in a distal pancreatectomy?", "why is the hepatectomy done first?": a
        why or when asked of operations is answered by the facts closest to its words, not by the operation's
        indication. Not for drugs (their dose leads) and not where an aspect was recognised."""
        kinds = {t.kind for t in asked_therapies(q, self.knowledge)}
        if not kinds or kinds & set(SYSTEMIC):
            return
        hits = [h for h in self.retriever.search(q.words, q.spans, top=LEAD_POOL) if not self._neighbour(q, h)]
        if not hits or hits[0].score < RELATED_MIN_SCORE:
            return
        lead = [h for h in hits if h.score >= LEAD_SHARE * hits[0].score][:LEAD_HITS]
        a.summary = " ".join(h.doc.text.rstrip(".") + "." for h in lead)
        a.summary_sources = sorted({s for h in lead for s in h.doc.sources})

    def _related(self, a: Answer, q: Query) -> None:
        """Up to RELATED facts closest to the question's own words that the answer does not already
        hold: when a card answers the topic, the detail asked is still shown."""
        hits = self.retriever.search(q.words, q.spans, top=RELATED_POOL)
        if not hits:
            return
        floor = max(RELATED_MIN_SCORE, RELATED_SHARE * hits[0].score)
        shown = {a.summary, *(i.text for s in a.sections for i in s.items), *(w.text for w in a.warnings)}
        blob = "\n".join(shown)
        said = set(_FIGURE.findall(blob))

        def new(h: retrieval.Hit) -> bool:  # a fact not shown, nor only repeating figures shown ("60-100%")
            figures = set(_FIGURE.findall(h.doc.text))
            return h.doc.text not in blob and not (figures and figures <= said)

        extra = [
            h
            for h in hits
            if h.score >= floor
            and h.doc.intent not in ("sources", a.intent)  # its own topic's facts are the answer's to choose
            and new(h)
            and not self._neighbour(q, h)
        ][:RELATED]
        if extra:
            a.sections.append(Section(title=RELATED_TITLE, items=[retrieval.item(h) for h in extra]))


AMENDED_NOTE = (
    "Re-planned: the case from earlier in this conversation with the change in your last message. "
    "“What I understood” shows the case as it now stands."
)
# No clinical number has more than a dozen digits; a long run of them only makes the number patterns
# scan it again from every position (a 6,000-digit message took seconds).
# "what happens now?", "what next?": a patient asking for the plan, not a topic
_NEXT_STEP = re.compile(
    r"\b(?:what happens|what now|what next|next steps?|what should (?:i|we) do|what do (?:i|we) do|plan)\b"
)
_LONG_NUMBER = re.compile(r"\d{13,}")
_ASKED_LEAD = re.compile(r"^(?:.*\basks?\s*:\s*)?(?:and|or|but|so|also)?\s*", re.IGNORECASE)
# outcomes that only a patient's line has ("a response rate" asks about a drug, "on it, stable" tells of a patient)
_HISTORY = {"ongoing", "stable", "progressed", "stopped_toxicity", "intolerant", "earlier_line"}
# topics a case post's own question may be answered with beside its plan, when it asks in general (_IN_GENERAL) or
# for a grade; survival is not (the plan's prognosis is this patient's, and "how long does it work?" is no survival)
_BESIDE_PLAN = {"grading", "overview", "men1", "nec", "imaging", "pitfalls", "metastasis_rate", "metastatic_sites"}
# "shd it be 30mg?", "go up to 50 mg?", "what dose?": a dose asked (never "a bilirubin of 2.5 mg/dL", "amlodipine 5mg")
_DOSE_NAMED = re.compile(
    r"\b(?:be|to|at|reduce|increase|drop|lower|raise)\s+\d+(?:\.\d+)?\s*mg\b(?!\s*/)|\b\d+(?:\.\d+)?\s*mg\s+instead\b"
    r"|\bdos(?:e|es|ing|age)\b"
)
_OF_THE_LINE = re.compile(
    r"\b(?:(?:should|shd|could|can|would|will|is)\s+(?:it|this|that)|(?:the|her|his|this|that)\s+dose)\b"
)
_COMPARED_DRUG = re.compile(r"\b(?:like|as)\s+(?:with|on|for)\b|\bcompared\s+(?:to|with)\b")
_IN_GENERAL = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+|also\s+)?(?:what\s+(?:is|are|does|do)\b|what'?s\b|explain\b|tell\s+(?:me|us)\s+"
    r"(?:about|what)\b|define\b|meaning\s+of\b)|\b(?:usual(?:ly)?|common(?:ly)?|how\s+often|how\s+likely|chances?\s+of)\b"
)
_NO_TOPIC_FACTS = {"metastasis_rate", "out_of_scope", "help", "sources"}
_NO_RELATED = {"out_of_scope", "help", "sources", "closest_matches", "treatment_plan"}  # a plan is long enough
RELATED = 3
RELATED_POOL = 8
RELATED_MIN_SCORE = 6.0  # BM25: a fact sharing two or three informative words with the question
RELATED_SHARE = 0.6  # of the best fact's score
RELATED_TITLE = "Also in my sources, closest to your words"
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?\s*(?:%|months?\b)")
# a why, when or which asked of an operation: its closest facts lead (those within LEAD_SHARE of the best)
_WH_ASKED = re.compile(r"\b(?:why|when|which|how|in what)\b")
LEAD_POOL, LEAD_HITS, LEAD_SHARE = 4, 2, 0.9


def _subtype_facts(a: Answer, q: Query, k: Knowledge) -> None:
    """A subtype named in a question about something else (its surgery, its preoperative care): what
    the sources say about that subtype, so the answer covers the topic as well as the aspect."""
    for s in k.subtypes.subtypes:
        if s.id in q.entities.get("subtype", []):
            items = [fact(s.syndrome, "Presentation: ")] if s.syndrome else []
            a.sections.append(Section(title=f"{s.name} in my sources", items=items + [fact(n) for n in s.notes]))


def _gap(labels: str) -> str:
    """The line beside a plan for a question whose aspect the sources do not cover."""
    return f"My sources do not cover {labels}."


def _said_by_plan(a: Answer, beside: list[tuple[str, Item]], k: Knowledge) -> list[tuple[str, Item]]:
    """The lines beside a plan without a gap the plan's own answers already say: "My sources do not cover watchful
    waiting" where its "treat now or watch" entry answered (an entry with a `when` answers only where it holds)."""
    section = next((s for s in a.sections if s.title == planner.YOUR_QUESTION), None)
    said = {i.text.split(":")[0] for i in section.items} if section else set()
    asks = planner.planner_for(k).asked
    gaps = {_gap(k.vocabulary.silent[q.silent].label) for q, _ in asks if q.silent and q.label in said}
    return [(t, i) for t, i in beside if i.text not in gaps]


def _answer_beside(a: Answer, asked: list[tuple[str, Item]]) -> None:
    """The questions of a case post answered beside its plan, a line each ("What does Ki-67 mean? ..."), after the
    plan's own answers to the post's questions."""
    if not asked:
        return
    items = []
    for text, item in asked:
        said = _ASKED_LEAD.sub("", text).rstrip("? ")  # "She asks: and is she safe ...": "Is she safe ..."
        items.append(item.model_copy(update={"text": f"{said[:1].upper()}{said[1:]}? {item.text}"}))
    at = next((n for n, s in enumerate(a.sections) if s.title == planner.YOUR_QUESTION), None)
    if at is None:
        a.sections.insert(0, Section(title=planner.YOUR_QUESTION, items=items))
    else:
        a.sections[at].items += items


def _append(a: Answer, part: Answer) -> None:
    """A further part of a compound question: its own heading (its summary), then its sections."""
    a.parts = a.parts or [a.intent]
    a.parts.append(part.intent)
    a.title = f"{a.title} · {part.title}"
    a.sections.append(Section(title=part.title, items=[Item(text=part.summary, sources=part.summary_sources)]))
    a.sections += [s.model_copy(update={"title": f"{part.title}: {s.title}"}) for s in part.sections]
    known = {w.text for w in a.warnings}
    a.warnings += [w for w in part.warnings if w.text not in known]
    a.not_covered += [n for n in part.not_covered if n not in a.not_covered]


def _not_covered(a: Answer, labels: list[str]) -> None:
    """Lead with what the sources do not cover; what they do say follows, under its own heading."""
    what = " or ".join(labels)
    a.not_covered += [x for x in labels if x not in a.not_covered]
    a.declined = False
    if a.intent == "out_of_scope":  # nothing close enough to show: say so, and what can be asked
        a.title = f"Not in my sources: {what}"
        a.summary = f"My sources do not cover {what}, and nothing in them is close enough to show."
        return
    said = Section(title=f"What my sources do say: {a.title}", items=[Item(text=a.summary, sources=a.summary_sources)])
    a.sections.insert(0, said)
    a.title = f"Not in my sources: {what}"
    a.summary = f"My sources do not cover {what}. Here is what they do say that is closest to your question."
    a.summary_sources = []
