"""The structured case form -> Case, directly: the chosen values set the fields, no English in between.

Free-text notes are read by the case reader; a field chosen in the form wins over what the notes say.
The inputs and their choices are declared with the case fields (knowledge/data/case_fields.yaml `form`):
the Slack modal draws its options from FORM_CHOICES, and a submitted value outside them is refused.
"""

from __future__ import annotations

from typing import Any

from handlers.case.model import SITE_ORDER, Case
from handlers.case.reader import CaseParser
from knowledge.schema import CASE

_INPUTS = [(f.form, f.name) for f in CASE.fields if f.form]  # (the form's input, the Case field) in form order
FORM_INPUTS = [i for i, _ in _INPUTS]
# input id -> [(value, label)] in display order
FORM_CHOICES: dict[str, list[tuple[str, str]]] = {i.id: i.choices for i, _ in _INPUTS if i.choices}
NUMBERS = {i.id: name for i, name in _INPUTS if i.widget == "number"}
_YES_NO = {i.id: name for i, name in _INPUTS if i.widget == "yes_no"}
_SELECT = {i.id: name for i, name in _INPUTS if i.widget == "select"}


def form_errors(values: dict[str, Any]) -> dict[str, str]:
    """Field -> problem; empty when the form describes a case that can be planned."""
    if not values:
        return {"size": "Fill in at least one field, for example the size or the Ki-67 index."}
    sites = values.get("sites", [])
    if "none" in sites and len(sites) > 1:
        return {"sites": "Choose either “None (localised)” or the sites with metastases, not both."}
    for name, choices in FORM_CHOICES.items():
        chosen = values.get(name)
        allowed = {v for v, _ in choices}
        if chosen is not None and not set(chosen if isinstance(chosen, list) else [chosen]) <= allowed:
            return {name: "That option is not one I know; please choose again."}
    for name in NUMBERS:
        if name in values and _float(values[name]) is None:
            return {name: "Please enter a number."}
    return {}


def case_from_form(values: dict[str, Any], reader: CaseParser) -> Case:
    """A Case from validated form values (see form_errors); notes are read as free text underneath."""
    case = reader.parse(values.get("notes", "")) if values.get("notes") else Case()
    for name, attr in NUMBERS.items():
        if name in values:
            setattr(case, attr, _float(values[name]))
            case.evidence[attr] = "form"
    if "ki67" in values or "mitoses" in values:
        reader.grade(case)  # the form's numbers decide the grade, not a grade stated in the notes
    for name, attr in _SELECT.items():
        if name in values:
            setattr(case, attr, values[name])
    if "location" in values:
        case.primary = "duodenum" if values["location"] == "duodenum" else "pancreas"
    elif case.primary is None:
        case.primary = "pancreas"  # the form is "Plan a PNET case"
    if "subtype" in values:
        case.functional = values["subtype"] != "nonfunctioning"
        case.evidence["subtype"] = "form"
    sites = values.get("sites", [])
    if sites == ["none"]:
        case.metastatic = False
        case.metastases = []
    elif sites:
        case.metastases = [s for s in SITE_ORDER if s in sites or s in case.metastases]
        case.metastases_ruled_out = [s for s in case.metastases_ruled_out if s not in sites]
        if any(s != "lymph_nodes" for s in sites):
            case.metastatic = True
    for name, attr in _YES_NO.items():
        if name in values:
            setattr(case, attr, values[name] == "yes")
    return case


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") and number >= 0 else None
