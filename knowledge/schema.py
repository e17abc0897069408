"""Pydantic models for the knowledge files. Loading a file through these models is its validation."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator


def _exact_decimal(value: object) -> Decimal:
    """Keep a number exactly as the editor wrote it: 12.0 stays "12.0", 97.2 never becomes 97.19999."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError("must be a number")
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError as exc:
        raise ValueError(f"{value!r} is not a number") from exc
    if not number.is_finite():
        raise ValueError("must be a finite number")
    return number


Number = Annotated[Decimal, BeforeValidator(_exact_decimal), PlainSerializer(str, return_type=str)]
SourceIds = Annotated[list[str], Field(min_length=1)]


class Strict(BaseModel):
    # defer_build: a validator is built when a load first validates, not at import; a start from a
    # snapshot (bot/snapshot.py) validates nothing, so it builds none.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Fact(Strict):
    text: str = Field(min_length=1)
    sources: SourceIds
    aspects: list[str] = []  # on a topic page: the aspects (vocabulary.yaml) this fact answers; it leads when asked


class Quantity(Strict):
    """A figure: one value or a low-high range, with a unit and its sources."""

    id: str | None = None  # for figures the code names (read by id, never by list position)
    label: str | None = None
    # "other": a figure about other NETs (another primary, any primary) that an answer about PNETs leaves out
    cohort: Literal["other"] | None = None
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    unit: Literal["%", "months", "years", "cm", "mg"]
    sources: SourceIds

    @model_validator(mode="after")
    def _check(self) -> Quantity:
        if (self.value is None) == (self.low is None and self.high is None):
            raise ValueError("give either value or low and high")
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("a range needs both low and high")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"range low {self.low} is greater than high {self.high}")
        if self.unit == "%":
            for n in (self.value, self.low, self.high):
                if n is not None and not Decimal(0) <= n <= Decimal(100):
                    raise ValueError(f"percentage {n} is outside 0-100")
        return self

    def formatted(self) -> str:
        """The figure as the articles write it: 50-80%, 12.0%, 24 months."""
        number = str(self.value) if self.value is not None else f"{self.low}-{self.high}"
        return f"{number}%" if self.unit == "%" else f"{number} {self.unit}"

    def bounds(self) -> tuple[Decimal, Decimal]:
        """(low, high); a single value is both ends."""
        if self.value is not None:
            return self.value, self.value
        assert self.low is not None and self.high is not None  # _check requires both for a range
        return self.low, self.high


class Warning_(Strict):
    severity: Literal["critical", "warning", "info"]
    text: str
    sources: SourceIds
    subtype: str | None = None  # a caution for one subtype: a banner only where that subtype is in question


# --- sources -------------------------------------------------------------------------------------


class Reference(Strict):
    id: str
    number: int | None = None
    listed: bool = True
    kind: Literal["guideline", "research", "drug_label"] | None = None
    title: str | None = None
    publication: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)

    @model_validator(mode="after")
    def _listed_has_title(self) -> Reference:
        if self.listed and not self.title:
            raise ValueError("a listed reference needs a title")
        return self


class Article(Strict):
    id: str
    file: str
    title: str
    updated: dt.date
    review: str | None = None  # the article's own review status, when it says it is not yet reviewed
    references: list[Reference]


class SourcesFile(Strict):
    articles: list[Article] = Field(min_length=1)


class Prompt(Strict):
    title: str = Field(min_length=1, max_length=75)
    message: str = Field(min_length=1, max_length=500)


class AssistantView(Strict):
    """What Slack's assistant split view shows when a thread starts: a greeting and suggested prompts."""

    greeting: str
    prompts_title: str
    prompts: list[Prompt] = Field(min_length=1, max_length=4)  # Slack shows at most four


class Meta(Strict):
    edition_date: dt.date
    disclaimer: str
    assistant: AssistantView


# --- subtypes, sites, primaries, survival --------------------------------------------------------


class Subtype(Strict):
    id: str
    name: str
    aliases: list[str]
    functional: bool
    syndrome: Fact | None
    metastatic_rate: Quantity
    rank_note: str | None = None
    notes: list[Fact] = []


class SubtypesFile(Strict):
    subtypes: list[Subtype]


class Site(Strict):
    id: str
    name: str
    aliases: list[str]
    summary: str
    figures: list[Quantity]
    notes: list[Fact]


class SitesFile(Strict):
    sites: list[Site]


class Primary(Strict):
    id: str
    name: str
    aliases: list[str]
    nodal: Quantity | None
    liver: Quantity | None
    notes: list[Fact]


class PrimariesFile(Strict):
    primaries: list[Primary]
    general: list[Fact]


class SurvivalPattern(Strict):
    id: str
    name: str
    site_ids: list[str]
    aliases: list[str]
    median_months: Quantity | None
    os5: Quantity
    cohort: str  # whose figure it is: every survival figure says so
    compare_with: list[str] = []  # survival figures for a similar setting from another source: shown beside it
    note: str | None = None


class SurvivalFigure(Strict):
    id: str
    label: str
    figure: Quantity
    cohort: str  # whose figure it is
    aliases: list[str]
    # the setting holds only for metastases confined to these sites (sites.yaml ids): a patient asked about with
    # metastases elsewhere is told so first ("spots in her spine: can mum go on the transplant list?")
    only_sites: list[str] = []


class SurvivalFile(Strict):
    patterns: list[SurvivalPattern]
    silent_sites: dict[str, str]
    other: list[SurvivalFigure]
    prognosticators: list[Fact]
    caveat: Fact  # said with every survival figure for a metastatic pattern, on its first line


# --- grading, risk -------------------------------------------------------------------------------


class Bound(Strict):
    lt: Number | None = None
    le: Number | None = None
    gt: Number | None = None
    ge: Number | None = None

    def contains(self, x: Decimal) -> bool:
        return (
            (self.lt is None or x < self.lt)
            and (self.le is None or x <= self.le)
            and (self.gt is None or x > self.gt)
            and (self.ge is None or x >= self.ge)
        )

    def describe(self) -> str:
        parts = []
        for op, sym in (("gt", ">"), ("ge", "≥"), ("lt", "<"), ("le", "≤")):
            v = getattr(self, op)
            if v is not None:
                parts.append(f"{sym}{v}")
        return " and ".join(parts)


class GradeRule(Strict):
    grade: Literal["G1", "G2", "G3"]
    label: str
    ki67: Bound
    mitoses: Bound
    derived: bool
    sources: SourceIds


class GradingFile(Strict):
    grades: list[GradeRule]
    derived_note: str
    mitoses_unit: str
    notes: list[Fact]

    @model_validator(mode="after")
    def _partition(self) -> GradingFile:
        # Every Ki-67 value and mitotic count must fall in exactly one grade, so grading never guesses.
        probes = [Decimal(n) / 2 for n in range(0, 201)]
        for attr in ("ki67", "mitoses"):
            for x in probes:
                hits = [g.grade for g in self.grades if getattr(g, attr).contains(x)]
                if len(hits) != 1:
                    raise ValueError(f"{attr} {x} falls in {len(hits)} grades ({', '.join(hits) or 'none'})")
        return self


class RiskFactor(Strict):
    name: str
    text: str
    sources: SourceIds


class PrognosticGroup(Strict):
    label: str
    items: list[Fact]


class RiskFile(Strict):
    risk_factors: list[RiskFactor]
    prognostic_factors: dict[Literal["favourable", "poor"], PrognosticGroup]
    recurrence: list[Fact]


# --- therapies -----------------------------------------------------------------------------------


class Therapy(Strict):
    id: str
    name: str
    kind: Literal["drug", "radionuclide", "liver_directed", "procedure"]
    class_: str = Field(alias="class")
    aliases: list[str]
    dose: Fact | None
    route: Fact | None
    indication: list[Fact]
    evidence: list[Fact]
    figures: list[Quantity]
    cautions: list[Warning_]
    disagreement: str | None = None
    # Label or trial conditions: the planner offers the drug only where each holds for the case.
    requires: list[Requirement] = []


class TherapyClass(Strict):
    id: str
    name: str
    aliases: list[str]
    members: list[str] = Field(min_length=1)


class TherapiesFile(Strict):
    therapies: list[Therapy]
    overview: Fact
    classes: list[TherapyClass]
    general: list[Fact]


# --- topics, intents -----------------------------------------------------------------------------


class TopicSection(Strict):
    title: str
    facts: list[Fact]
    # whose facts these are: after a resection, or metastatic disease; a question in the other context is never led
    # by them ("surveillance after enucleation: how often?" is not answered with the 3-6-monthly monitoring on treatment)
    context: Literal["resected", "metastatic"] | None = None
    # words (regular expressions) that ask for this section ("when should we think about bone imaging?"): it leads
    asked_by: list[str] = []


class Topic(Strict):
    title: str
    summary: Fact
    sections: list[TopicSection]
    not_covered: list[str] = []  # what the sources do not say on this topic, said as such


TopicKey = Literal["imaging", "surveillance", "pitfalls", "men1", "treatment_algorithm", "nec"]


class TopicsFile(Strict):
    topics: dict[TopicKey, Topic]


class Cue(Strict):
    terms: list[str] = Field(min_length=1)
    weight: float = Field(gt=0, le=10)


class Intent(Strict):
    name: str
    label: str
    description: str
    example: str
    cues: list[Cue]
    entity_weights: dict[
        Literal["subtype", "site", "primary", "therapy", "therapy_class", "trial", "topic", "grade", "case", "oos"],
        float,
    ] = {}
    needs_any: list[
        Literal["subtype", "site", "primary", "therapy", "therapy_class", "trial", "topic", "domain", "case"]
    ] = []
    examples: list[str]


class IntentsFile(Strict):
    min_score: float
    min_margin: float
    intents: list[Intent]


# --- case vocabulary -----------------------------------------------------------------------------


def terms_pattern(terms: list[str]) -> re.Pattern[str]:
    """One regular expression for a list of terms, each anchored at a word start."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(f"(?:{t})" for t in terms) + ")")


Terms = Annotated[list[str], Field(min_length=1)]


class Presentation(Strict):
    """A syndrome or lab pattern that implies a subtype: every group of one all_of entry must be present."""

    subtype: str
    evidence: str
    all_of: list[list[Terms]] = Field(min_length=1)
    unless: list[str] = []  # another explanation in the text ("type 1 diabetic on insulin") rules it out
    suspected: bool = False  # the pattern suggests the subtype; the diagnosis is still to be made


class Outcomes(Strict):
    stopped_toxicity: Terms
    intolerant: Terms
    progressed: Terms
    responded: Terms
    stable: Terms
    ongoing: Terms


class KrenningScale(Strict):
    """Receptor uptake by Krenning score: from `positive_from` positive, up to `negative_to` negative, between for
    the board."""

    positive_from: int = Field(ge=0, le=4)
    negative_to: int = Field(ge=0, le=4)


class CaseVocabulary(Strict):
    """knowledge/data/case.yaml: how the case reader recognises presentations, primaries, history."""

    presentations: list[Presentation]
    primaries: dict[str, Terms]
    diagnosis_pending: Terms
    weak_pending: Terms  # a raised marker: "no diagnosis yet" only when no NET is named at all
    differentiation: dict[Literal["poor", "well"], Terms]
    procedures: dict[str, Terms]
    procedure_done: Terms  # words that say an operation is done by themselves ("resected", "R0")
    procedure_past: Terms
    procedure_future: Terms
    recurrence: Terms
    outcomes: Outcomes
    toxicity_grade_context: Terms
    unfit: Terms
    frail: Terms
    inpatient: Terms  # the patient is in hospital now: urgent care is escalated on the ward, not sought at the ED
    inpatient_home: Terms  # ... unless the post says the patient is home
    declines_surgery: Terms  # the patient declines the operation: unfit for the plan, said as their choice
    declined_by_team: Terms  # ... unless the team declined it (named before it in its clause): unfit
    lay_poster: Terms  # the patient writing of themself (a relative writing is read from the relative words)
    lay_poster_not: Terms  # ... never in a post with a clinician's marker ("reg", "pharmacist", "my patient")
    new_lesions: Terms  # a new lesion of the tumour (case.yaml outcomes.progressed shares it)
    stable_elsewhere: Terms  # stable said of the other sites, beside a growth said
    doses_missed: Terms  # doses of the line given now were missed: a syndrome back is put down to them first
    other_test_negative: Terms  # 'negative' said of another test than the receptor scan
    not_tumour_size: Terms  # a size said just after these measures something else than the tumour
    tumour_size_kept: Terms  # ... unless these name the tumour or where it lies among the same words
    side_effects_asked: Terms  # side effects asked about in general, not an event
    side_effect_now: Terms  # words of an event now or of a patient beside them
    treatment_naive: Terms  # no anti-tumour treatment given: 'treatment naive', 'no prior tx'
    shrinkage_needed: Terms  # the disease must shrink: 'needs shrinkage', 'bulky symptomatic', 'need a response'
    syndrome_settled: Terms  # the syndrome said to have settled: 'no hypos since', 'normal glucose', 'rash resolved'
    fit: Terms
    fitness_uncertain: Terms
    comorbidity: Terms
    hedges: Terms
    benign: Terms
    benign_lesions: Terms  # a benign lesion whose own uptake a scan reports ('typical haemangioma, not avid')
    krenning: KrenningScale
    liver_widespread: Terms
    liver_bilobar: Terms  # both lobes: widespread unless `liver_few` counts the lesions
    liver_few: Terms  # five liver lesions or fewer counted
    diffuse_liver_burden_pct: float
    unresectable_share_pct: float  # a removable share at or below it reads as unresectable (A002.R2)
    liver_treatments: list[str]  # treatments given only to liver metastases: once given, the liver is a site
    primary_in_situ: Terms
    vascular: Terms
    biliary_obstruction: Terms
    peripheral: Terms
    central: Terms
    malignant_features: Terms
    fdg_positive: Terms
    fdg_negative: Terms
    several_lesions: Terms
    no_syndrome: Terms  # no hormone syndrome said ("asymptomatic")
    hormone_clues: Terms  # ... which a post naming any of these does not say
    scan_booked: Terms  # a test booked or awaited, not yet reported
    scan_not_booked: Terms  # ... unless the booking is negated, asked about, cancelled or never done
    scan_repeat: Terms  # a second scan named beside a result already given
    prrt_course: Terms  # "Lu-177 DOTATATE cycle 4 booked": treatment with the tracer's name, not a scan
    clinical_words: Terms
    toxicity_events: dict[str, Terms]  # by the organ each event touches
    antitumour_other: Terms
    diagnosis_pending_anywhere: Terms

    @model_validator(mode="after")
    def _compiles(self) -> CaseVocabulary:
        def walk(node: Any, where: str) -> None:
            if isinstance(node, str):
                try:
                    re.compile(node)
                except re.error as exc:
                    raise ValueError(f"{where}: {node!r} is not a valid pattern ({exc})") from None
            elif isinstance(node, (list, tuple)):
                for i, x in enumerate(node):
                    walk(x, f"{where}[{i}]")
            elif isinstance(node, dict):
                for k, x in node.items():
                    if k not in ("subtype", "evidence"):  # names and echo text, not patterns
                        walk(x, f"{where}.{k}")

        walk(self.model_dump(), "case")
        return self


# --- urgent findings ------------------------------------------------------------------------------


class LabRange(Strict):
    """A flagging range; `below`: this range applies to values under it (the unit the value implies)."""

    low: float
    high: float
    unit: str
    below: float | None = None


class Settles(Strict):
    """Values of a lab read, none below `below`, say these subtypes' syndrome has settled ("BMs 8-10, now 14.5"),
    unless the post has one of `unless` (hypos in words, a dextrose drip)."""

    below: float
    subtypes: list[str] = Field(min_length=1)
    unless: list[str] = []


class Lab(Strict):
    id: str
    label: str
    pattern: str  # one group: the value
    ranges: list[LabRange] = Field(min_length=1)
    unless: list[str] = []  # a value in a sentence naming one of these is another test's ("ketones on her meter 2.6")
    settles: Settles | None = None

    @model_validator(mode="after")
    def _compiles(self) -> Lab:
        if re.compile(self.pattern).groups != 1:
            raise ValueError(f"labs.{self.id}.pattern: one group, the value")
        return self


class UrgentFinding(Strict):
    id: str
    labs: list[str] = []  # lab ids whose value outside its range is this finding
    quotes: list[str] = []  # lab ids whose value outside its range is quoted when it is raised, never raising it
    side: Literal["low", "high"] | None = None  # only a value on this side of the range ("BM 27.4" is no hypo)
    all_of: list[list[Terms]] = []  # or: every group of one entry has a term in the post
    when: dict[str, Any] | None = None  # only where these plan facts hold
    otherwise: str | None = None  # the line where `when` does not hold, so the finding is never dropped unseen
    beside_current: list[str] = []  # read only beside one of these drugs given now or being started, never a past line
    read_with: list[str] = []  # read only where the post has one of these ("POD 6", "5 days ago": a recent operation)
    # a lab value said just after these words is a test's result, not a finding now ("72h fast +ve at 14h (glc 2.1")
    unless_before: list[str] = []
    # a clause saying this finding is controlled or past ("hypos controlled on diazoxide") raises nothing from its
    # words; a lab value outside its range still does
    settled: list[str] = []
    line: str  # what to do now
    # warning: matters now, but not an emergency; info: a note, nothing is held or acted on today
    severity: Literal["critical", "warning", "info"] = "critical"
    sources: list[str] = []
    said: str | None = None  # what the sources do give, with `sources`
    silent: str | None = None  # what they do not give
    hormonal: bool = False  # a sign that a functioning tumour's syndrome is not controlled now
    acute: bool = False  # an acute illness (sepsis, bleeding, cord compression): the current line's next dose waits
    # a post with this finding is a patient to plan whatever else it asks (every critical finding is; a warning one only
    # when it says so: "my husband ... never had the vaccines. What should we do?")
    plans_patient: bool = False

    @model_validator(mode="after")
    def _valid(self) -> UrgentFinding:
        if not self.labs and not self.all_of:
            raise ValueError(f"findings.{self.id}: labs or all_of")
        if bool(self.sources) != bool(self.said):
            raise ValueError(f"findings.{self.id}: `said` and `sources` go together")
        if self.when is not None:
            _check_condition(self.when, f"findings.{self.id}.when")
        elif self.otherwise is not None:
            raise ValueError(f"findings.{self.id}: `otherwise` needs `when`")
        for term in [t for entry in self.all_of for group in entry for t in group] + self.settled:
            re.compile(term)
        return self


class ToxicityLine(Strict):
    line: str
    silent: str
    held: str  # why a drug held for a toxicity, with the disease controlled on it, is not offered as it was
    next_lines: str  # the step naming the lines that follow once a grade 3-4 toxicity settles
    hold_from_grade: int  # a toxicity of this grade or none said holds the line; below it the line goes on
    # words that make a grade below it untrusted: worse now, or beyond it by what it does
    worse: list[str] = Field(min_length=1)
    mild: str  # what is said of a toxicity below that grade, the line going on
    switch_from_grade: int  # a toxicity of this grade stops the line for good: new lines are weighed, not resumption
    switch_organs: list[str]  # a toxicity of these organs (case.yaml toxicity_events) stops the line too
    resume: str  # that step's first option when the disease was controlled on the drug ({drugs})
    switch: str  # that step's other option, the next lines ({lines})


class HistorySection(Strict):
    """The patient's past history ("PMH: ..."): an item there said to be over is a past event, not a finding now."""

    header: str
    ends: list[str] = Field(min_length=1)  # words of now that end the section
    splits: list[str] = Field(min_length=1)  # what separates its items
    joins: list[str] = []  # what joins a part to the one after it in one event ("seizure with glucose 1.8 in 2022")
    asides: list[str] = []  # what opens an aside on the part before it ("seizure in 2022 (glucose 1.8)")
    past: list[str] = Field(min_length=1)  # an item with one of these is over
    ongoing: list[str] = []  # unless it has one of these

    @model_validator(mode="after")
    def _compiles(self) -> HistorySection:
        for pattern in [self.header, *self.ends, *self.splits, *self.joins, *self.asides, *self.past, *self.ongoing]:
            re.compile(pattern)
        return self


class UrgentFile(Strict):
    # words several findings' `settled` or `read_with` lists share, each named by a YAML anchor (one home)
    shared_words: dict[str, str] = {}
    history_section: HistorySection
    labs: list[Lab]
    findings: list[UrgentFinding]
    toxicity: ToxicityLine
    acute_first: str  # said before each treatment step of a plan while an acute finding is present

    @model_validator(mode="after")
    def _links(self) -> UrgentFile:
        labs = {lab.id for lab in self.labs}
        bad = [f"findings.{f.id}: unknown lab {x!r}" for f in self.findings for x in f.labs + f.quotes if x not in labs]
        if bad:
            raise ValueError("; ".join(bad))
        return self


# --- vocabulary ----------------------------------------------------------------------------------


class OutOfScopeGroup(Strict):
    why: str  # said in the decline: why this is outside the five articles
    close: list[str] = []  # intent names whose example the decline offers first
    terms: list[str] = Field(min_length=1)
    # words that, up to NOT_AFTER_WINDOW words before a term, make it another organ's ("liver focus ?cyst")
    not_after: list[str] = []
    # words just before a term that set it against a NET in a case as a differential ("?NET vs adenoCa"): the case
    # is planned as suspected, the look-alike said to be outside the sources, never declined whole
    differential_before: list[str] = []


class Trial(Strict):
    name: str
    aliases: list[str] = Field(min_length=1)
    therapy: str  # a therapies.yaml id
    sources: list[str] = []  # where the articles name it; empty: they do not


class Aspect(Strict):
    label: str
    terms: list[str] = Field(min_length=1)
    show: str | None = None  # the intent whose answer holds this aspect's facts: asking the aspect is a cue for it


class SilentAspect(Strict):
    label: str
    terms: list[str] = Field(min_length=1)
    unless: list[str] = []
    show: str | None = None  # intent answered after the "not covered" note when no topic is named


class FollowUpCues(Strict):
    """How a message after a case in the same conversation is read (vocabulary.yaml follow_up)."""

    new_patient: Terms
    fillers: Terms
    change_lead: Terms
    question_lead: Terms
    finding: Terms


class OverviewTerms(Strict):
    """What asks for an overview, and the domain terms that name PNETs or NETs in general (vocabulary.yaml)."""

    asks: list[str] = Field(min_length=1)
    pnet: list[str] = Field(min_length=1)
    net: list[str] = Field(min_length=1)
    functioning: list[str] = Field(min_length=1)  # "what is a functioning PNET?": the functioning subtypes together
    not_covered: list[str] = []  # said under every PNET or NET overview


class NotAsSynonym(Strict):
    """One-token synonyms left unexpanded where they mean something else ("HR 130", "in the last hr")."""

    before_whole_number: list[str] = []
    after: dict[str, list[str]] = {}  # also left after a number


class NotAsEntity(Strict):
    """A one-word name left unread where its neighbours give it another meaning ("NET CNS", "CNS nurse": a clinical
    nurse specialist, not the central nervous system)."""

    after: list[str] = []  # the word before it
    before: list[str] = []  # the word after it


class ScanReason(Strict):
    """A condition named only as the reason a scan was done ("a scan for my kidney stones found a lesion in my
    pancreas"): context, not the question."""

    scans: list[str] = Field(min_length=1)  # words naming a scan
    conditions: list[str] = Field(min_length=1)  # conditions read so; never one that bears on the plan (cirrhosis)
    unless: list[str] = Field(min_length=1)  # words of an acute problem now: the post is not read as a scan's reason


class VocabularyFile(Strict):
    domain_terms: list[str]
    overview: OverviewTerms
    carcinoma_terms: list[str]
    synonyms: dict[str, str]
    not_as_synonym: NotAsSynonym = NotAsSynonym()
    not_as_entity: dict[str, NotAsEntity] = {}
    scan_reason: ScanReason
    confusables: list[str]
    out_of_scope: dict[str, OutOfScopeGroup]
    trials: list[Trial]
    aspects: dict[str, Aspect]
    silent: dict[str, SilentAspect]
    follow_up: FollowUpCues
    stopwords: list[str]


# --- planner -------------------------------------------------------------------------------------


# Case facts a rule may test (fields of the parsed case plus derived ones: handlers/planner.py case_facts).
class CaseEcho(Strict):
    """Where a case field shows in "What I understood" (knowledge/data/case_fields.yaml)."""

    line: str  # the line's label
    format: str | None = None  # how the line is written (handlers/case/echo.py); on the field that writes it
    missing: str | None = None  # the line's text when nothing is known; without it the line is left out
    evidence: bool = False  # the line shows the words this field was read from


class CaseFormInput(Strict):
    """A case field's input on the structured case form (the Slack modal)."""

    id: str  # the modal's block id and the form value's key
    widget: Literal["number", "select", "multi_select", "yes_no"]
    label: str
    min: str | None = None
    max: str | None = None
    choices: list[tuple[str, str]] = []  # (value, label) in display order

    @model_validator(mode="after")
    def _fits_widget(self) -> CaseFormInput:
        if (self.widget == "number") == bool(self.choices):
            raise ValueError(f"form {self.id!r}: a number has no choices; a select needs them")
        if self.widget == "yes_no" and [v for v, _ in self.choices] != ["yes", "no"]:
            raise ValueError(f"form {self.id!r}: a yes_no input offers yes, then no")
        return self


CaseFieldType = Literal[
    "number", "yes_no", "flag", "choice", "name", "names", "treatments", "toxicities", "findings", "words", "text"
]


class CaseField(Strict):
    """One field of the Case: its type, what it is, where its words come from and who uses it."""

    name: str
    type: CaseFieldType
    values: list[str] = []
    label: str
    read_from: str | None = None  # a knowledge/data/case.yaml key
    plan_fact: bool = False
    detail: bool = False
    echo: CaseEcho | None = None
    form: CaseFormInput | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CaseField:
        if (self.type == "choice") != bool(self.values) and self.type != "names":
            raise ValueError(f"{self.name}: a choice lists its values, and only a choice or names does")
        if self.read_from and self.read_from not in CaseVocabulary.model_fields:
            raise ValueError(f"{self.name}.read_from: {self.read_from!r} is not a key of case.yaml")
        return self


class CaseFields(Strict):
    """knowledge/data/case_fields.yaml: the case's one declaration."""

    fields: list[CaseField]
    derived: dict[str, str]  # facts handlers/planner.py case_facts derives from the fields -> what they mean

    @model_validator(mode="after")
    def _consistent(self) -> CaseFields:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("fields: a name is declared twice")
        if set(self.derived) & set(names):
            raise ValueError(f"derived: {sorted(set(self.derived) & set(names))} are fields already")
        lines = {f.echo.line for f in self.fields if f.echo}
        written = [f.echo.line for f in self.fields if f.echo and f.echo.format]
        if sorted(written) != sorted(lines):
            raise ValueError("echo: every line is written by exactly one field (its format)")
        shown = [f.echo.line for f in self.fields if f.echo and f.echo.evidence]
        if len(set(shown)) != len(shown):
            raise ValueError("echo: a line shows the words of one field only")
        return self

    @property
    def plan_facts(self) -> set[str]:
        return {f.name for f in self.fields if f.plan_fact} | set(self.derived)


CASE_FIELDS_FILE = Path(__file__).parent / "data" / "case_fields.yaml"


def _declared_case() -> CaseFields:
    """The case's declaration, read once at import: the Case model is built from it, so it is this package's
    own file whatever knowledge directory is loaded later."""
    return CaseFields.model_validate(yaml.load(CASE_FIELDS_FILE.read_text(encoding="utf-8"), Loader=_LOADER))


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CASE = _declared_case()
PLAN_FACTS = CASE.plan_facts  # what rules may test: the fields marked plan_fact and the derived facts
PLAN_OPS = {"is", "in", "not_in", "lt", "le", "gt", "ge", "has_any", "has_none"}
# "control": what keeps the patient safe now (glucose, acid, hormone symptoms, nutrition), before any test
Phase = Literal[
    "control", "staging", "preoperative", "surgery", "systemic", "liver_directed", "intensity", "surveillance"
]
PHASES = list(get_args(Phase))  # plan steps are ordered by phase
ActKind = Literal["workup", "preoperative", "surgery", "systemic", "liver_directed", "followup", "intensity"]


def _check_condition(cond: Any, where: str = "when", empty_ok: bool = True) -> None:
    if not isinstance(cond, dict) or (not cond and not empty_ok):
        raise ValueError(f"{where}: a condition is a mapping")
    for key, test in cond.items():
        if key in ("any", "all"):
            if not isinstance(test, list) or not test:
                raise ValueError(f"{where}.{key}: a non-empty list of conditions")
            for i, c in enumerate(test):
                _check_condition(c, f"{where}.{key}[{i}]", empty_ok=False)
        elif key == "not":
            _check_condition(test, f"{where}.not", empty_ok=False)
        elif key not in PLAN_FACTS:
            raise ValueError(f"{where}: unknown case fact {key!r}")
        elif isinstance(test, dict):
            bad = set(test) - PLAN_OPS
            if bad:
                raise ValueError(f"{where}.{key}: unknown operator(s) {sorted(bad)}")


Condition = Annotated[dict[str, Any], Field(default_factory=dict)]


class Conditional(Strict):
    """A model with a `when` condition on case facts, checked at load."""

    when: Condition

    @model_validator(mode="after")
    def _valid_condition(self) -> Conditional:
        _check_condition(self.when)
        return self


class Requirement(Conditional):
    """A condition an act or a drug needs; `why` is shown when the case rules it out."""

    id: str | None = None
    why: str
    sources: list[str] = []


class Note(Strict):
    id: str
    text: str
    sources: list[str] = []


class UnknownFact(Strict):
    """A fact the plan branches on when the case does not give it."""

    fact: str
    values: list[tuple[Any, str]] = Field(min_length=2)
    draw: list[Any] | None = None  # only these values' branches are drawn; the others wait for the answer
    when: dict[str, Any] | None = None  # branched only when this holds; otherwise "not given" stays unknown
    ask: Note
    board_question: str | None = None  # a fact the tumour board itself decides: the question on its case card

    @model_validator(mode="after")
    def _known_fact(self) -> UnknownFact:
        if self.fact not in PLAN_FACTS:
            raise ValueError(f"unknown case fact {self.fact!r}")
        return self


class MissingNote(Conditional):
    id: str
    text: str
    sources: list[str] = []
    leads: bool = False  # asked before the facts the plan branches on (a diagnosis before its staging)


class Act(Strict):
    label: str
    kind: ActKind
    drug: str | None = None  # the drug this act gives, when it is not the act's own id (for "already failed")
    implies: list[str] = []
    requires: list[str] = []  # requirement ids
    after: list[str] = []  # drawn only where one of these acts is planned too ...
    after_history: dict[str, Any] | None = None  # ... or where the case's history already has it
    continues: bool = False  # keeps the line the patient is on: shown while new lines wait


class Exclude(Conditional):
    why: str


class Step(Strict):
    phase: Phase
    text: str | None = None  # the step as shown; a therapy step without text is shown from therapies.yaml
    short: str | None = None  # the step in the main message, where its acts' labels would mislead
    therapy: str | None = None
    qualifier: str | None = None  # said before a therapy step ("On progression", "Or")
    acts: list[str] = []  # all of these are done
    options: list[str] = []  # one of these is chosen
    rationale: str
    sources: SourceIds

    @model_validator(mode="after")
    def _shown(self) -> Step:
        if not self.text and not self.therapy:
            raise ValueError("a step needs a text or a therapy")
        if not self.acts and not self.options:
            raise ValueError("a step names its acts")
        return self


class RuleWarning(Strict):
    id: str
    severity: Literal["critical", "warning", "info"]
    text: str
    sources: list[str] = []
    forbids: list[str] = []  # acts no step may hold while this warning stands
    board_question: str | None = None  # the question it raises for the board, shown in the main message
    after: list[str] = []  # shown only where one of these acts is planned (e.g. before a splenectomy)
    first: str | None = None  # what comes before every step of the plan ("agree the goals of care")


class Rule(Strict):
    id: str
    scope: str | None = None  # where its steps apply, said when a post asks for them elsewhere
    any_scope: bool = False  # fires outside the pancreatic scope too (work-up, out-of-scope notices)
    # plans a NET of another primary: a post it applies to is a patient to plan, not a question about that primary
    plans_elsewhere: bool = False
    applies: Condition
    excludes: list[Exclude] = []
    steps: list[Step] = []
    warnings: list[RuleWarning] = []

    @model_validator(mode="after")
    def _valid(self) -> Rule:
        _check_condition(self.applies, "applies")
        return self


class PrognosisMap(Conditional):
    figures: list[str] = Field(min_length=1)  # survival.yaml pattern or figure ids


class PhaseRule(Conditional):
    """The patient's phase (planner.yaml `phases`): the first whose `when` holds."""

    id: str
    label: str
    assume: dict[str, Any] = {}  # facts taken as given in this phase when the post does not say them
    settled: list[str] = []  # facts that decide nothing in this phase: never branched on nor asked
    # new lines wait in this phase unless the disease progresses: the main message keeps the current line
    pauses_new_lines: bool = False
    # ... only while a current line is kept: one that the tumour's biology rules out (an analogue for
    # receptor-negative disease) holds no new line back
    while_kept: bool = False

    @model_validator(mode="after")
    def _known_facts(self) -> PhaseRule:
        bad = (set(self.assume) | set(self.settled)) - PLAN_FACTS
        if bad:
            raise ValueError(f"phases.{self.id}.assume: unknown case fact(s) {sorted(bad)}")
        return self


class SequenceRule(Conditional):
    """The order of systemic steps for a biology and history (planner.yaml `sequence`)."""

    id: str
    order: list[str] = Field(min_length=1)  # act ids
    why: str
    sources: list[str] = []


class Assumption(Conditional):
    set: dict[str, Any]
    say: str


class Asked(Strict):
    acts: list[str] = []  # none: a question about no option of the plan, answered by `say` under `label`
    terms: list[str] = []
    say: str | None = None  # the answer when no step holds (a question the sources answer by omission)
    label: str | None = None
    sources: list[str] = []  # what backs `say`, where the sources give part of it
    # an aspect the sources do not cover (vocabulary.yaml `silent`): its label and terms, answered as not covered
    silent: str | None = None
    when: dict[str, Any] | None = None  # only where these plan facts hold
    # said wherever `when` holds, asked or not (a relative writing of a finding to act on today: where to go now)
    always: bool = False

    @model_validator(mode="after")
    def _answerable(self) -> Asked:
        if self.silent is None and not self.terms and not self.always:
            raise ValueError("asked: an entry needs terms, or a silent aspect whose terms it takes, or always")
        if self.always and (self.terms or self.acts or self.when is None):
            raise ValueError("asked: an entry said always has no terms or acts, and a `when`")
        if not self.acts and self.silent is None and not (self.say and self.label):
            raise ValueError("asked: an entry with no acts needs a label and what to say")
        if self.when is not None:
            _check_condition(self.when, "asked.when")
        return self


class PlannerFile(Strict):
    phases: list[PhaseRule] = Field(min_length=1)
    assumptions: list[Assumption] = []
    asked: list[Asked] = []
    sequence: list[SequenceRule] = Field(min_length=1)
    unknowns: list[UnknownFact]
    missing: list[MissingNote]
    acts: dict[str, Act]
    exclusive: list[tuple[str, str]]
    requirements: list[Requirement]
    rules: list[Rule]
    prognosis: list[PrognosisMap]
    large_tumour_cm: float  # the size from which a tumour counts as large (large_or_malignant)
    board_prompt: str

    @model_validator(mode="after")
    def _links(self) -> PlannerFile:
        acts = set(self.acts)
        reqs = {r.id for r in self.requirements}
        problems = []
        for name, act in self.acts.items():
            problems += [f"acts.{name}.implies: unknown act {a!r}" for a in act.implies + act.after if a not in acts]
            problems += [f"acts.{name}.requires: unknown requirement {r!r}" for r in act.requires if r not in reqs]
        for pair in self.exclusive:
            problems += [f"exclusive: unknown act {a!r}" for a in pair if a not in acts]
        for seq in self.sequence:
            problems += [f"sequence.{seq.id}.order: unknown act {a!r}" for a in seq.order if a not in acts]
        for q in self.asked:
            problems += [f"asked: unknown act {a!r}" for a in q.acts if a not in acts]
        if self.phases[-1].when or self.sequence[-1].when:
            problems.append("phases and sequence end with a catch-all entry (when: {})")
        seen: set[str] = set()
        for i, rule in enumerate(self.rules):
            if rule.id in seen:
                problems.append(f"rules[{i}].id: duplicate id {rule.id!r}")
            seen.add(rule.id)
            for j, step in enumerate(rule.steps):
                problems += [
                    f"rules[{i}].steps[{j}]: unknown act {a!r}" for a in step.acts + step.options if a not in acts
                ]
            for j, w in enumerate(rule.warnings):
                problems += [f"rules[{i}].warnings[{j}].forbids: unknown act {a!r}" for a in w.forbids if a not in acts]
        if problems:
            raise ValueError("; ".join(problems))
        return self
