"""treatment_plan: a cited plan for a described case, or the algorithm when no case is given."""

from __future__ import annotations

from handlers.answer import Answer, Item
from handlers.case.reader import introduces_patient
from handlers.intents.common import section
from handlers.intents.spread import primary_gap
from handlers.intents.therapy import therapy
from handlers.intents.topics import topic_answer
from handlers.planner import plan, planner_for
from handlers.router import Query, next_line_question
from knowledge import Knowledge

QUESTION_MAX_DETAILS = 3  # "1.5 cm non-functional PNET in the tail: surgical approach?" is still a question
DRUG_ASPECTS = {"dose", "evidence", "indications", "drug_class"}  # what is asked of a therapy itself


def treatment_plan(q: Query, k: Knowledge) -> Answer:
    c = q.case
    # a patient presented (an age, a line given, something urgent) is planned, never answered as a topic
    patient = introduces_patient(q.text) or bool(c.treatments or c.patient_findings() or c.toxicities)
    if c.primary not in (None, "pancreas") and c.details() == 0 and c.metastatic is None:
        return not_pancreatic(q, k)
    if next_line_question(c, q.aspects) and not (
        c.prior_surgery or c.uncertain_sites or any(t.current for t in c.toxicities)
    ):
        # "progressed on SSA, next line?": a question about the next line, answered from the algorithm; not "Whipple
        # 4 yrs ago ... new equivocal liver lesion, what next?", a patient's own course, nor "on everolimus, grade 2
        # mouth ulcers: dose reduce or switch?", a toxicity to act on first
        a = topic_answer("treatment_plan", "treatment_algorithm", k, ["next_line"])
        a.case = c.model_dump()
        return a
    if "operation" in q.aspects and c.details() <= QUESTION_MAX_DETAILS and not c.metastatic and not patient:
        # "4 cm in the head: what operation?": the algorithm's operations by place and size, on the first line
        a = topic_answer("treatment_plan", "treatment_algorithm", k, ["operation"])
        a.case = c.model_dump()
        return a
    if (
        q.entities.get("therapy")
        and DRUG_ASPECTS & set(q.aspects)
        and not patient
        and c.details() <= 2
        and c.differentiation != "poor"  # "small cell NEC, Ki67 80%, liver mets. lanreotide first line?": a patient
    ):
        # "PNET with liver mets: what burden justifies cytoreduction?": the therapy asked, not a patient on it
        return therapy(q, k)
    if (
        c.details() == 0
        and c.metastatic is None
        and not c.diagnosis_pending
        and c.primary in (None, "pancreas")
        and not (patient and c.uncertain_sites)  # "mum had it removed 3 years ago; a spot on her hip 'might be' it"
    ):
        a = topic_answer("treatment_plan", "treatment_algorithm", k, q.aspects)  # "vaccines before the op?" leads
        a.sections += section(
            "For a plan tailored to a patient",
            [Item(text="Describe the case, e.g. “58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid”")],
        )
        a.case = c.model_dump()
        return a
    return plan(c, k, planner_for(k))


def not_pancreatic(q: Query, k: Knowledge) -> Answer:
    """Treating a NET of another primary: the sources' algorithm is for pancreatic NETs, said first."""
    return primary_gap(q, k, "treatment_plan", "treatment") or topic_answer("treatment_plan", "treatment_algorithm", k)
