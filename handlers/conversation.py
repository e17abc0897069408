"""A message after a case in the same conversation (the assistant view, a direct-message thread): is it a
change to that case, a new patient, or something else (a question, answered alone)?

The cues are data (knowledge/data/vocabulary.yaml follow_up); the reading here is only their order:
  1. a new patient: said so ("different pt: ..."), or presented with age or sex;
  2. a change: it gives a fact of a case and puts a hypothesis ("and if Ki-67 were 25%?");
  3. a new patient again: described in full without either;
  4. a change: it asks for a plan ("progressed on lanreotide, next?"), or reports a finding without
     asking anything ("Ki67 came back 18", "liver lesions were haemangiomas on MRI");
  5. anything else, a question above all ("how often do insulinomas metastasise?"), is answered alone.
"""

from __future__ import annotations

import re
from typing import Literal

from handlers.case.reader import introduces_patient
from handlers.router import Query
from knowledge import Knowledge
from knowledge.schema import terms_pattern
from knowledge.text import fold

Kind = Literal["change", "new_case", "other"]
HISTORY = 50  # earlier messages a follow-up is read against (a Slack thread, a console session)
FULL_CASE = 4  # facts that describe a patient on their own, without an age or a "new patient"
PRESENTED = 2  # facts enough for a case once a patient is presented ("58M, 2.5cm NF-PNET")


class FollowUps:
    def __init__(self, knowledge: Knowledge):
        cues = knowledge.vocabulary.follow_up
        fillers = "|".join(cues.fillers)
        self.new_patient = terms_pattern(cues.new_patient)
        self.change_lead = re.compile(rf"^\W*(?:(?:{fillers})\W+)*" + terms_pattern(cues.change_lead).pattern)
        self.question_lead = re.compile(rf"^\W*(?:(?:{fillers})\W+)*" + terms_pattern(cues.question_lead).pattern)
        self.finding = terms_pattern(cues.finding)

    def kind(self, q: Query, text: str) -> Kind:
        """What the message `text` (read as `q`) is to a case discussed before it."""
        facts = q.case.details()
        folded = fold(text)
        if facts >= PRESENTED and (self.new_patient.search(folded) or introduces_patient(text)):
            return "new_case"
        if facts == 0 and q.case.metastatic is None:
            return "other"
        if self.change_lead.match(folded):
            return "change"
        if facts >= FULL_CASE:
            return "new_case"
        if q.intent == "treatment_plan":
            return "change"
        asks = "?" in folded or self.question_lead.match(folded)
        return "change" if not asks and self.finding.search(folded) else "other"
