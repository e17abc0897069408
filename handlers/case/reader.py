"""Free text -> Case: the facts of a described patient that the planner needs.

Works clause by clause (a clause ends at punctuation, a new line or "but"), with a small NegEx-style
detector: a trigger before a term ("no", "without", "negative for") or after it ("negative",
"ruled out", "excluded") negates it within its clause. Age and sex are recognised so their numbers
are not misread, and are never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from handlers.lexicon import Lexicon, Span
from knowledge import Knowledge
from knowledge.text import fold, tokens

Grade = Literal["G1", "G2", "G3"]
SITE_ORDER = ["liver", "lymph_nodes", "bone", "lung", "brain", "peritoneum", "other"]
_CASE_SITES = {"liver", "lymph_nodes", "bone", "lung", "brain", "peritoneum"}  # others count as "other"


class Case(BaseModel):
    """The "case" object of `python -m bot ask --json`. Field names are a public contract."""

    size_cm: float | None = None
    location: Literal["head", "neck", "body", "tail", "uncinate", "duodenum"] | None = None
    subtype: Literal["nonfunctioning", "insulinoma", "gastrinoma", "glucagonoma", "vipoma", "acthoma"] | None = None
    functional: bool | None = None
    ki67: float | None = None
    mitoses: float | None = None
    grade: Grade | None = None
    grade_basis: str | None = None  # "stated", "Ki-67", "mitoses", or a combination
    metastatic: bool | None = None  # distant metastases: stated, or implied by a distant site
    metastases: list[str] = []
    metastases_ruled_out: list[str] = []
    hepatic_burden_pct: float | None = None
    resectable: bool | None = None
    sstr: Literal["positive", "negative"] | None = None
    men1: bool | None = None
    progression: bool | None = None
    rapid_progression: bool = False
    progressing_on: list[str] = []
    prior_therapies: list[str] = []
    splenic_vessel_involvement: bool | None = None
    fit_for_surgery: bool | None = None

    def details(self) -> int:
        """How many case facts were found: the router treats two or more as a described case."""
        data = self.model_dump(exclude={"grade_basis", "rapid_progression", "functional", "metastatic"})
        return sum(1 for v in data.values() if v not in (None, [], False)) - (1 if self.grade and self.ki67 else 0)


# --- patterns ------------------------------------------------------------------------------------

_NUM = r"(\d+(?:\.\d+)?)"
_CLAUSE_SPLIT = re.compile(r"[.;,\n()\[\]]+(?!\d)|\bbut\b|\bhowever\b|\bwhereas\b")
_AGE_SEX = re.compile(
    r"\b\d{1,3}\s*(?:-?\s*(?:y/?o|yo|yrs?|years?)(?:\s*-?\s*old)?|[mf]\b|male\b|female\b|man\b|woman\b)"
    r"|\b(?:male|female|man|woman|gentleman|lady)\b\s*(?:aged?\s*)?\d{0,3}"
)
_SIZE = re.compile(
    rf"(?<![\w.]){_NUM}\s*(?:(?:x|by)\s*{_NUM}\s*)?(?:(?:x|by)\s*{_NUM}\s*)?(cm|mm|centimet(?:er|re)s?|millimet(?:er|re)s?)\b"
)
_KI67 = re.compile(
    rf"ki67\s*(?:index|labell?ing index|proliferation index|pi|li)?\s*(?:of|is|was|=|:|at|~|approx\w*|about|around|-)?\s*"
    rf"(<|>|≤|≥|less than|under|below|over|above|greater than|up to)?\s*{_NUM}\s*(?:-\s*{_NUM}\s*)?%?"
    rf"|{_NUM}\s*%\s*ki67"
)
_MITOSES = re.compile(
    rf"(?:mitos[ie]s|mitotic\s*(?:count|rate|index|figures)?)\s*(?:of|is|was|=|:|~)?\s*{_NUM}"
    rf"|{_NUM}\s*(?:mitos[ie]s|mitotic figures|mf)?\s*(?:/|per)\s*10\s*(?:hpf|high[- ]power fields?)"
)
_GRADE = re.compile(r"\b(?:who\s*)?(?:grade\s*([123]|iii|ii|i)\b|g([123])\b)")
_ROMAN = {"i": "1", "ii": "2", "iii": "3"}
_BURDEN = re.compile(
    rf"(?:hepatic|liver)\s*(?:tumou?r\s*)?(?:burden|involvement|replacement)\s*(?:of|is|was|=|:|~|approx\w*|about)?\s*"
    rf"(<|>)?\s*{_NUM}\s*%"
    rf"|(<|>)?\s*{_NUM}\s*%\s*(?:of\s*(?:the\s*)?)?(?:hepatic|liver)\s*(?:tumou?r\s*)?(?:burden|involvement|replacement|replaced|involved)?"
    rf"|(<|>)?\s*{_NUM}\s*%\s*(?:tumou?r\s*)?burden"  # "liver mets, 30% burden": in a PNET case, burden is hepatic
)
_LOCATION = re.compile(r"\b(uncinate|head|neck|body|tail|duodenum|duodenal|periampullary)\b")
_SSTR_TERM = re.compile(
    r"dotatate|dotatoc|dotanoc|octreoscan|sstr\d?|somatostatin receptor|ga68|\bsrs\b|\bsrt\b|\bsst\b"
)
_SSTR_NEG = re.compile(
    r"\bnegative\b|non\s*-?\s*avid|\bnot\s+avid|\bno\s+(?:uptake|avidity|expression)|\babsent\b|\blow\s+(?:uptake|expression)|\bsstr\d?\s*-(?!\w)"
)
_SSTR_POS = re.compile(r"avid|positive|uptake|\bexpress|\bsstr\d?\s*\+")
_RESECT_NO = re.compile(
    r"\b(?:unresectable|irresectable|non\s*-?\s*resectable|not\s+resectable|inoperable|not\s+operable|not\s+amenable\s+to\s+(?:surgery|resection))\b"
)
_RESECT_YES = re.compile(r"\b(?:resectable|operable|amenable\s+to\s+(?:surgery|resection))\b")
_SPLENIC = re.compile(r"splenic\s*(?:vein|artery|vessels?|vasculature|hilum)|\bsplenic\s*v\b")
_SPLENIC_SPARED = re.compile(
    r"\b(?:not|no|without)\s+(?:\w+\s+)?(?:involv|encas|invad|invasion|abut|contact)|\bfree\b|\bspared\b|\bpatent\b"
)
_SPLENIC_INV = re.compile(r"involv|encas|invad|invasion|abut|thromb|occlu|infiltrat|contact")
_UNFIT = re.compile(
    r"\bunfit\b|\bnot\s+fit\b|\bfrail|\bpoor\s+(?:performance|ps|functional)|\bdeclining\s+performance|\bcachexi|\bcachectic"
    r"|\bprohibitive\b|\becog\s*(?:ps\s*)?[34]\b|\bps\s*[34]\b|\bhigh\s+surgical\s+risk|\blife-?limiting|\bnot\s+a\s+surgical\s+candidate"
)
_FIT = re.compile(
    r"\bfit\s+(?:for\s+)?(?:surgery|resection)|\bfit\b|\bgood\s+(?:performance|ps|functional)|\becog\s*(?:ps\s*)?[01]\b|\bps\s*[01]\b"
    r"|\bsurgical\s+candidate\b"
)
_PROGRESS = re.compile(
    r"progress|\bpd\b|\bgrowing\b|\bgrew\b|\benlarg|\bincreas\w*\s+in\s+size|\bnew\s+(?:liver\s+)?lesions?"
)
_RAPID = re.compile(r"\brapid(?:ly)?\b|\bfast\b|\bquickly\b|\baggressive(?:ly)?\s+progress")
_PRIOR = re.compile(
    r"\b(?:on|after|post|prior|previous(?:ly)?|received|failed|s/?p|status post|treated with|started|since|completed|underwent|had|despite|refractory|through)\b"
)
_MEN1_NEG = re.compile(
    r"\bno\s+men1|\bmen1\s*(?:negative|excluded|ruled out|testing negative)|\bsporadic\b|\bnot\s+men1"
)

_LOCALISED = re.compile(
    r"\blocali[sz]ed\b|\bnon\s*-?\s*metastatic\b|\bno\s+(?:distant\s+)?(?:metastas[ie]s|mets|metastatic)|\bm0\b"
)
_METASTATIC = re.compile(
    r"\bmetastatic\b|\bmetastas[ie]s\b|\bmets\b|\bstage\s*iv\b|\bm1\b|\bdisseminated\b|\bwidespread\b"
)

# NegEx triggers: before the term (within the clause) and after it.
_PRE_NEG = re.compile(
    r"\b(?:no|not|without|negative\s+for|free\s+of|absence\s+of|absent|denies|ruled\s+out|excluded|neither|nor|n0)\b"
)
_POST_NEG = re.compile(
    r"\b(?:negative|ruled\s+out|excluded|absent|clear|free|not\s+(?:seen|present|identified|detected)|unremarkable|normal|none)\b"
)
_MET_CONTEXT = re.compile(
    r"met(?:s|astas[ie]s|astatic)?\b|lesion|deposit|disease|involve|spread|nodule|mass|positive|avid|uptake|"
    r"lymphadenopathy|enlarged|suspicious|implant|carcinomatosis|seeding|\bn1\b|\+"
)
_NODES_POS = re.compile(
    r"\bn1\b|node[s]?\s*(?:-\s*)?positive|\bln\s*\+|lymphadenopathy|nodal\s+(?:disease|mets|metastas[ie]s|involvement)"
)
_NODES_NEG = re.compile(r"\bn0\b|node[s]?\s*(?:-\s*)?negative|\bno\s+(?:lymphadenopathy|nodal|lymph\s+node)")


@dataclass
class _Clause:
    text: str
    start: int  # offset in the folded text


def _clauses(text: str) -> list[_Clause]:
    out, pos = [], 0
    for m in _CLAUSE_SPLIT.finditer(text):
        out.append(_Clause(text[pos : m.start()], pos))
        pos = m.end()
    out.append(_Clause(text[pos:], pos))
    return [c for c in out if c.text.strip()]


def _negated(clause: str, start: int, end: int) -> bool:
    before, after = clause[:start], clause[end:]
    if _PRE_NEG.search(before[-40:]):
        return True
    return bool(_POST_NEG.search(after[:30]))


def _number(s: str | None) -> float | None:
    return float(Decimal(s)) if s else None


class CaseParser:
    def __init__(self, knowledge: Knowledge, lexicon: Lexicon):
        self.k = knowledge
        self.lex = lexicon
        self.functional = {s.id: s.functional for s in knowledge.subtypes.subtypes}

    def parse(self, text: str) -> Case:
        folded = _AGE_SEX.sub(" ", fold(text))
        case = Case()
        self._size(folded, case)
        self._ki67_mitoses_grade(folded, case)
        self._burden(folded, case)
        loc = _LOCATION.search(folded)
        if loc:
            word = loc.group(1)
            case.location = "duodenum" if word in ("duodenal", "periampullary") else word  # type: ignore[assignment]
        for clause in _clauses(folded):
            self._clause(clause.text, case)
        if case.subtype and case.functional is None:
            case.functional = self.functional[case.subtype]
        case.metastases = [s for s in SITE_ORDER if s in case.metastases]
        case.metastases_ruled_out = [
            s for s in SITE_ORDER if s in case.metastases_ruled_out and s not in case.metastases
        ]
        if any(s != "lymph_nodes" for s in case.metastases):
            case.metastatic = True  # a named distant site outweighs a negated phrase elsewhere
        return case

    # numbers -------------------------------------------------------------------------------------

    def _size(self, text: str, case: Case) -> None:
        for m in _SIZE.finditer(text):
            window = text[max(0, m.start() - 20) : m.end() + 25]
            primary_words = re.search(
                r"pnet|\bnet\b|tumou?r|mass|primary|lesion in|pancrea|head|body|tail|uncinate|neck", window
            )
            met_words = re.search(r"liver|hepatic|met|node|bone|lung", text[m.end() : m.end() + 25])
            if met_words and not primary_words:
                continue
            dims = [Decimal(g) for g in m.groups()[:3] if g]
            largest = max(dims)
            if m.group(4).startswith(("mm", "milli")):
                largest = largest / 10
            case.size_cm = float(largest)
            return

    def _ki67_mitoses_grade(self, text: str, case: Case) -> None:
        ki_op = None
        m = _KI67.search(text)
        if m:
            op, low, high, alt = m.group(1), m.group(2), m.group(3), m.group(4)
            case.ki67 = _number(high or low or alt)
            ki_op = {"less than": "<", "under": "<", "below": "<", "over": ">", "above": ">", "greater than": ">"}.get(
                op or "", op
            )
            if ki_op == "up to":
                ki_op = None
        mm = _MITOSES.search(text)
        if mm:
            case.mitoses = _number(mm.group(1) or mm.group(2))
        stated = None
        g = _GRADE.search(text)
        if g:
            stated = "G" + _ROMAN.get(g.group(1) or "", g.group(1) or g.group(2))
        candidates: list[tuple[str, str]] = []
        if stated:
            candidates.append((stated, "stated"))
        if case.ki67 is not None and case.ki67 <= 100:
            candidates.append((self.grade_for("ki67", case.ki67, ki_op), "Ki-67"))
        elif case.ki67 is not None:
            case.ki67 = None  # a Ki-67 over 100% is a typo, not a figure
        if case.mitoses is not None:
            candidates.append((self.grade_for("mitoses", case.mitoses, None), "mitoses"))
        if candidates:
            top = max(c[0] for c in candidates)
            case.grade = top  # type: ignore[assignment]
            case.grade_basis = " and ".join(basis for grade, basis in candidates if grade == top)

    def grade_for(self, attr: str, value: float, op: str | None) -> str:
        """The grade whose thresholds (knowledge/grading.yaml) contain the value."""
        x = Decimal(str(value))
        if op in ("<", "≤"):
            x -= Decimal("0.001")
        elif op in (">", "≥"):
            x += Decimal("0.001")
        for rule in self.k.grading.grades:
            if getattr(rule, attr).contains(x):
                return rule.grade
        raise ValueError(f"no grade contains {attr} {value}")  # unreachable: the loader checks the partition

    def _burden(self, text: str, case: Case) -> None:
        m = _BURDEN.search(text)
        if m:
            value = _number(m.group(2) or m.group(4) or m.group(6))
            if value is not None and value <= 100:
                case.hepatic_burden_pct = value

    # clause-level facts --------------------------------------------------------------------------

    def _clause(self, clause: str, case: Case) -> None:
        spans = self.lex.find(tokens(clause))
        self._entities(clause, spans, case)
        self._nodes(clause, case)
        self._sstr(clause, case)
        self._resectable(clause, case)
        self._splenic(clause, case)
        self._fitness(clause, case)
        self._progression(clause, spans, case)
        if "men1" in clause:
            case.men1 = not _MEN1_NEG.search(clause)
        if _LOCALISED.search(clause):
            case.metastatic = False
        elif (m := _METASTATIC.search(clause)) and case.metastatic is None and not _nodes_only(spans):
            case.metastatic = not _negated(clause, m.start(), m.end())

    def _entities(self, clause: str, spans: list[Span], case: Case) -> None:
        for span in spans:
            start, end = _locate(clause, span.tokens)
            negated = _negated(clause, start, end)
            if span.kind == "subtype" and not negated and case.subtype is None:
                case.subtype = span.id  # type: ignore[assignment]
            elif span.kind == "site" and span.id != "multiple":
                site = span.id if span.id in _CASE_SITES else "other"
                if negated:
                    case.metastases_ruled_out.append(site)
                elif _MET_CONTEXT.search(clause) and site not in case.metastases:
                    case.metastases.append(site)
            elif (
                span.kind == "therapy"
                and not negated
                and _PRIOR.search(clause[:start])
                and span.id not in case.prior_therapies
            ):
                case.prior_therapies.append(span.id)
        toks = tokens(clause)
        for i, t in enumerate(toks):
            if t in ("functional", "functioning", "secreting", "syndromic") and (i == 0 or toks[i - 1] != "non"):
                case.functional = True

    def _nodes(self, clause: str, case: Case) -> None:
        if _NODES_NEG.search(clause):
            case.metastases_ruled_out.append("lymph_nodes")
        elif _NODES_POS.search(clause) and "lymph_nodes" not in case.metastases:
            case.metastases.append("lymph_nodes")

    def _sstr(self, clause: str, case: Case) -> None:
        m = _SSTR_TERM.search(clause)
        if not m:
            return
        if _SSTR_NEG.search(clause) or _PRE_NEG.search(clause[: m.start()][-25:]):
            case.sstr = "negative"
        elif _SSTR_POS.search(clause):
            case.sstr = "positive"

    def _resectable(self, clause: str, case: Case) -> None:
        if _RESECT_NO.search(clause):
            case.resectable = False
        elif (m := _RESECT_YES.search(clause)) and case.resectable is None:
            case.resectable = not _negated(clause, m.start(), m.end())

    def _splenic(self, clause: str, case: Case) -> None:
        m = _SPLENIC.search(clause)
        if m and _SPLENIC_INV.search(clause):
            spared = _SPLENIC_SPARED.search(clause)
            case.splenic_vessel_involvement = not (spared or _negated(clause, m.start(), m.end()))

    def _fitness(self, clause: str, case: Case) -> None:
        if _UNFIT.search(clause):
            case.fit_for_surgery = False
        elif _FIT.search(clause) and case.fit_for_surgery is None and not re.search(r"\bnot\b|\bun", clause):
            case.fit_for_surgery = True

    def _progression(self, clause: str, spans: list[Span], case: Case) -> None:
        m = _PROGRESS.search(clause)
        if not m or _negated(clause, m.start(), m.end()) or re.search(r"\bstable\b|\bno\s+progress", clause):
            if m is None and re.search(r"\bstable\s+disease\b|\bno\s+progress", clause):
                case.progression = False
            return
        case.progression = True
        if _RAPID.search(clause):
            case.rapid_progression = True
        for span in spans:
            if span.kind == "therapy" and span.id not in case.progressing_on:
                case.progressing_on.append(span.id)
                if span.id not in case.prior_therapies:
                    case.prior_therapies.append(span.id)


def _nodes_only(spans: list[Span]) -> bool:
    """A clause whose only site is the lymph nodes speaks of regional, not distant, metastases."""
    sites = {s.id for s in spans if s.kind == "site"}
    return sites == {"lymph_nodes"}


def _locate(clause: str, toks: tuple[str, ...]) -> tuple[int, int]:
    """Character span of a token sequence inside the clause (first occurrence)."""
    pattern = r"\b" + r"[^a-z0-9]+".join(re.escape(t) for t in toks) + r"\b"
    m = re.search(pattern, clause)
    return (m.start(), m.end()) if m else (0, 0)
