"""The Case: the facts of one described patient that the planner reasons over.

The fields are declared once, in knowledge/data/case_fields.yaml: this module builds the model from that
declaration and keeps the mechanism (the types, amending a case, counting its details). Field names are a
public contract (the "case" object of `python -m bot ask --json`). Unknown stays None: the planner branches
on a missing decisive fact instead of assuming it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, computed_field, create_model

from knowledge.schema import CASE, CaseField

Outcome = Literal[
    "progressed", "intolerant", "stopped_toxicity", "earlier_line", "ongoing", "stable", "responded", "unknown"
]
# outcomes that make a drug "not the next step"; "earlier_line": given before a later line ("had lanreotide,
# PRRT x4, then everolimus"), so it was stopped for progression or intolerance even when the post does not say which
FAILED = ("progressed", "intolerant", "stopped_toxicity", "earlier_line")
CURRENT = ("ongoing", "stable", "responded")  # outcomes of a drug the patient is on now
# Operations on the pancreatic primary (knowledge/data/case.yaml procedures); "resection" is one not named.
PRIMARY_OPERATIONS = frozenset(
    {"pancreatoduodenectomy", "distal_pancreatectomy", "enucleation", "total_pancreatectomy", "resection"}
)

FIELDS = {f.name: f for f in CASE.fields}
SITE_ORDER = FIELDS["metastases"].values
CASE_SITES = set(SITE_ORDER) - {"other"}  # others count as "other"


class Treatment(BaseModel):
    """A drug or procedure the patient has had or is on, with what happened."""

    drug: str  # a therapy or therapy-class id from knowledge/data/therapies.yaml, or the name of another drug
    outcome: Outcome = "unknown"


class Toxicity(BaseModel):
    """A treatment toxicity as reported ("grade 3 pneumonitis on everolimus"): its CTCAE grade, never the
    tumour's grade."""

    event: str  # the words naming it, as written
    grade: int | None = None  # CTCAE grade, when said
    drug: str | None = None  # the drug it is on, when named or when only one is current
    current: bool = True  # reported now; a past toxicity ("stopped 2021 for pneumonitis") is history
    organs: list[str] = []  # the organs it touches (case.yaml toxicity_events), when its words name one


class Finding(BaseModel):
    """An urgent finding (knowledge/data/urgent.yaml) and the words it was read from."""

    id: str
    words: str
    # of a drug given with another (an interaction, urgent.yaml `beside_current`): said, but no fact of the patient
    drug_note: bool = False


class CaseBase(BaseModel):
    """The mechanism of a Case; its fields come from the declaration (Case, below)."""

    if TYPE_CHECKING:  # the fields are declared in YAML and made at run time: to the type checker, Any

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...

    @computed_field  # type: ignore[prop-decorator]
    @property
    def prior_therapies(self) -> list[str]:
        return list(dict.fromkeys(t.drug for t in self.treatments))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def progressing_on(self) -> list[str]:
        return [t.drug for t in self.treatments if t.outcome == "progressed"]

    def failed(self) -> list[str]:
        """Drugs the patient progressed on, could not tolerate or stopped for toxicity."""
        return [t.drug for t in self.treatments if t.outcome in FAILED]

    def amended(self, change: CaseBase) -> CaseBase:
        """This case with the facts `change` gives ("and if Ki-67 were 25%?", "what if bone mets too?").

        A fact the change gives replaces this case's; sites, treatments and operations add up, and a site
        the change rules out (or names) leaves the other list, and a case whose only distant sites are ruled
        out is no longer called metastatic. A grade given without Ki-67 or mitoses drops the old counts it
        would contradict. The caller re-grades when the change gives Ki-67 or mitoses.
        """
        data = self.model_dump(exclude={"prior_therapies", "progressing_on"})
        blank = type(self)()
        for name in type(self).model_fields:
            new = getattr(change, name)
            if new == getattr(blank, name):
                continue
            if name == "treatments":  # a drug named again has a new outcome ("now progressing on it")
                drugs = {t.drug for t in new}
                data[name] = [t for t in data[name] if t["drug"] not in drugs] + [t.model_dump() for t in new]
            elif name in _ADDED:
                data[name] = [*data[name], *(v for v in new if v not in data[name])]
            elif name == "evidence":
                data[name] = {**data[name], **new}
            else:
                data[name] = new
        removed = [s for s in data["metastases"] if s in change.metastases_ruled_out]
        data["metastases"] = [s for s in data["metastases"] if s not in change.metastases_ruled_out]
        data["metastases_ruled_out"] = [s for s in data["metastases_ruled_out"] if s not in change.metastases]
        if "liver" in removed:  # "the liver lesions were haemangiomas": what was said of them goes too
            data.update(_LIVER_DETAIL)
        distant = [s for s in data["metastases"] if s != "lymph_nodes"]
        if change.metastatic is None and not distant and any(s != "lymph_nodes" for s in removed):
            data["metastatic"] = None  # the sites that made it metastatic are gone: staging is open again
        elif distant:
            data["metastatic"] = True  # "no bone mets" rules out bone, not the liver metastases already known
        if (change.sstr or change.sstr_test) and not change.sstr_booked:
            data["sstr_booked"] = False  # "DOTATATE shows a T10 met": the scan booked before has reported
        if change.grade and change.ki67 is None and change.mitoses is None:
            data["ki67"] = data["mitoses"] = None
        return type(self).model_validate(data)

    def patient_findings(self) -> list[Finding]:
        """The urgent findings of the patient: not a drug note (an interaction of a drug named), which says something
        of the drugs and makes no question a patient's case."""
        return [f for f in self.urgent if not f.drug_note]

    def details(self) -> int:
        """How many case facts were found: the router treats two or more as a described case."""
        data = self.model_dump(include=_DETAIL_FIELDS)
        if self.primary is None and self.subtype is None and not self.prior_surgery and not self.treatments:
            data.pop("urgent"), data.pop("toxicities")  # urgent words make a case only of a NET patient's post
        if "urgent" in data:
            data["urgent"] = self.patient_findings()
        given = sum(1 for v in data.values() if v is not None and v != [])  # "unfit" and "unresectable" are facts too
        return given - (1 if self.grade and self.ki67 else 0)


_ADDED = {"metastases", "metastases_ruled_out", "prior_surgery", "uncertain_sites"}  # amended() adds these up
_LIVER_DETAIL = {
    "hepatic_burden_pct": None,
    "hepatic_burden_qualifier": None,
    "liver_lesion_cm": None,
    "liver_widespread": None,
}

# The facts that make a text a described case rather than a question (history alone does not:
# "survival after resection" is a question).
_DETAIL_FIELDS = {f.name for f in CASE.fields if f.detail}

# A declared type -> (Python type, default)
_TYPES: dict[str, tuple[Any, Any]] = {
    "number": (float | None, None),
    "yes_no": (bool | None, None),
    "flag": (bool, False),
    "name": (str | None, None),
    "names": (list[str], []),
    "treatments": (list[Treatment], []),
    "toxicities": (list[Toxicity], []),
    "findings": (list[Finding], []),
    "words": (dict[str, str], {}),
    "text": (str, ""),
}


def _field(f: CaseField) -> tuple[Any, Any]:
    if f.type == "choice":
        return Literal[tuple(f.values)] | None, None
    return _TYPES[f.type]


if TYPE_CHECKING:  # the type checker sees the mechanism; the fields are Any to it (CaseBase)
    Case = CaseBase
else:
    Case = create_model(
        "Case",
        __base__=CaseBase,
        __module__=__name__,
        __doc__="The facts of one described patient, as declared in knowledge/data/case_fields.yaml.",
        **{f.name: _field(f) for f in CASE.fields},
    )
