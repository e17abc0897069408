"""The case: its model, the reader of free text, and the builder from the structured form.

One home for everything that turns what a clinician describes into a Case the planner reasons over.
The vocabulary these read with is data in knowledge/data/case.yaml.
"""

from handlers.case.echo import understood, with_evidence
from handlers.case.form import FORM_CHOICES, FORM_INPUTS, case_from_form, form_errors
from handlers.case.model import CURRENT, FAILED, PRIMARY_OPERATIONS, SITE_ORDER, Case, Treatment
from handlers.case.reader import CaseParser

__all__ = [
    "CURRENT",
    "FAILED",
    "PRIMARY_OPERATIONS",
    "FORM_CHOICES",
    "FORM_INPUTS",
    "SITE_ORDER",
    "Case",
    "CaseParser",
    "Treatment",
    "case_from_form",
    "form_errors",
    "understood",
    "with_evidence",
]
