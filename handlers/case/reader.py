"""Free text -> Case: the facts of a described patient, read as presented.

Works clause by clause (a clause ends at punctuation, a new line or "but"), with a small NegEx-style
detector: a trigger before a term ("no", "without", "negative for") or after it ("negative",
"ruled out", "excluded") negates it within its clause. Vocabulary that a clinician may want to extend
(presentations, primaries, procedures, treatment outcomes, fitness) is data in knowledge/data/case.yaml;
this module holds the mechanics (numbers, units, negation, clause scope). Age and sex are recognised
so their numbers are not misread, and are never stored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from handlers.case.model import (
    CASE_SITES,
    CURRENT,
    FAILED,
    PRIMARY_OPERATIONS,
    SITE_ORDER,
    Case,
    Finding,
    Toxicity,
    Treatment,
)
from handlers.lexicon import Lexicon, Span
from knowledge import Knowledge
from knowledge.schema import LabRange, terms_pattern
from knowledge.text import fold, tokens, unfold

# --- patterns ------------------------------------------------------------------------------------

_NUM = r"(\d+(?:\.\d+)?)"
_CLAUSE_SPLIT = re.compile(
    r"(?:[.;,\n()\[\]]|\?(?![a-z])|\s/\s)+(?!\d)|\bbut\b|\bhowever\b|\bwhereas\b|(?<!\btill\s)(?<!\buntil\s)(?<!\btil\s)(?<!\bby\s)(?<!\bsince\s)\bthen\b|\bnow\b(?=\s+(?:on|with|has)\b)"
)
# the words for a relative (one home: the relative writing, the relative presented, the family's history)
_RELATIVE = (
    r"(?:mum|mom|mother|dad|father|wife|husband|partner|son|daughter|brother|sister|gran|granny|grandma|grandmother"
    r"|grandad|grandfather|grandpa|nan|nana|aunt|auntie|uncle)"
)
# a relative presented in lay words: "my mum is 89", "my dad, 74,", "my dad (74)"
_RELATIVE_AGED = rf"\b(?:my|our)\s+{_RELATIVE}\s*(?:is|was|who\s+is|,|\()\s*\d{{1,3}}\b(?![.,]?\d|\s*(?:cm|mm|%))"
_AGE_SEX = re.compile(
    rf"{_RELATIVE_AGED}|"
    r"(?<!\bin\s)(?<!\bwithin\s)(?<!\bfor\s)(?<!\bafter\s)\b\d{1,3}\s*(?:-?\s*(?:y/?o|yo|yrs?|years?)\b(?!\s*(?:ago|later|since|after|before|prior|post|of|on|earlier|previously))(?:\s*-?\s*old)?|[mf]\b|male\b|female\b|man\b|woman\b)"
    r"|\b(?:male|female|man|woman|gentleman|lady)\b\s*(?:aged?\s*)?\d{0,3}"
)
_SIZE = re.compile(
    rf"(?<![\w.]){_NUM}\s*(?:(?:x|by)\s*{_NUM}\s*)?(?:(?:x|by)\s*{_NUM}\s*)?-?\s*(cm|mm|centimet(?:er|re)s?|millimet(?:er|re)s?)\b"
)
_OP = r"(<|>|≤|≥|<=|>=|less than|under|below|over|above|greater than|up to|approximately|approx|about|around|~)?"
# Words between "Ki-67" and a later percentage that make the percentage something else ("Ki-67 pending
# and liver burden 30%"); other words may sit between them ("Ki67 on the full resection is 1%").
_NOT_KI67 = r"(?:pending|awaited|awaiting|not|unknown|tbc|and|but|with|burden|replace\w*|involve\w*)\b"
_KI67 = re.compile(
    r"(?:ki67|\bk67|\bki(?!\s*-?\s*67)(?=\s*\d))(?:\s*\)|\s*[:=~(]|\s+(?:index|labell?ing|proliferat\w*|pi|li|of|is|was|at|approx\w*|about|around|measured|estimated|score|value|rate|staining|expression|positivity|count|on|re-?biopsy|biopsy|repeat|now|latest|came|back|returned|reported|actual\w*|revised|final|\(?%\)?))*\s*"
    rf"\??\s*{_OP}\s*{_NUM}\s*(?:-\s*{_NUM}\s*)?%?"  # "Ki67 ?10-15": a doubted count is still the count given
    rf"|{_NUM}\s*%\s*(?:on\s+)?ki67"
    rf"|ki67(?:\s+(?!{_NOT_KI67})[a-z]+){{1,5}}\s+{_OP}\s*{_NUM}\s*(?:-\s*{_NUM}\s*)?%"  # "Ki67 on the resection is 1%"
)
# what makes a value after a Ki-67 a second Ki-67 ("4% -> 22%", "11% (was 4%)", "8% on the primary, 30% on the
# core"); a bare comma does not
_KI67_JOINS = r"->|→|=>|\b(?:to|now|then|was|from|originally|previously|vs|primary|core|biopsy|bx|re-?biopsy|re-?bx|resection|specimen)\b"
_KI67_JOINER = re.compile(_KI67_JOINS)
# the words between the two values: the joiners, and spaces, commas, brackets, "on the", a year
_KI67_MORE = re.compile(
    rf"(?:\s|,|'|\"|~|{_KI67_JOINS}|\((?:[^()]{{0,40}})\)|\(|\)|\b(?:on|in|the|a|spec|approx\w*|about|around|\d{{4}})\b)*?"
    rf"(?<![\d.])(\d+(?:\.\d+)?)\s*%"  # "core bx Ki67 ?18% vs resection spec 'approx 28%'"
)
_NOT_KI67_AFTER = re.compile(
    r"\s*(?:of\s+(?:the\s+)?)?(?:liver|hepatic|burden|replac|involv|tumou?r\s+burden|disease|increase|growth|reduction|larger"
    r"|tumou?r\s+cellularity|cellularity|tumou?r\s+content|necrosis|viable)"
)
# "all <2 cm", "each under 1 cm": a bound said of every tumour
_BOUND_BEFORE = re.compile(
    r"\b(?:all|each|both|every|none)\s+(?:\w+\s+)?(?:<|≤|under|below|less\s+than|smaller\s+than)\s*$"
)
_SENTENCE_END = re.compile(r"[.;\n!?](?!\d)")  # a sentence's end, never a decimal point ("K 2.6")
TOXICITY_GRADE_REACH = 45  # characters before "now grade 3" searched for the toxicity it grades
WORSE_REACH = 120  # characters after a graded toxicity searched for words that it is worse now
NOT_TUMOUR_REACH = 3  # words before a size searched for what else it measures ("GB wall", "CBD dilated to")
_BARE_SIZES_BEFORE = re.compile(  # "(1.6, 1.2, " before "0.9 cm)": in brackets or after a colon, never "CgA 85, 12 mm"
    # or right after the lesions they measure ("3 panc lesions 0.6, 1.1 and 1.7cm")
    r"(?:[(:]|\b(?:lesions|tumou?rs|nodules|p?nets|masses|foci|measuring|sized)\b)\s*(?:(?<![\w.])\d{1,2}(?:\.\d+)?\s*(?:,|\band\b|&)\s*)+$"
)
_MITOSES = re.compile(
    rf"(?:mitos[ie]s|mitotic\s*(?:count|rate|index|figures|activity)?|\bmits?\b)\s*(?:of|is|was|=|:|~)?\s*(<|>)?\s*{_NUM}"
    rf"|(<|>)?\s*{_NUM}\s*(?:mitos[ie]s|mitotic figures|mf|mits?)?\s*(?:/|per)\s*10\s*(?:hpf|high[- ]power fields?)"
    r"|\bno\s+mitos[ie]s|\bmitos[ie]s\s+(?:absent|not\s+seen|nil)"
)
_GRADE = re.compile(r"\b(?:who\s*)?(?:grade\s*([123]|iii|ii|i)\b|g([123])\b)")
_TUMOUR_BEFORE = re.compile(r"\b(?:nf-?)?(?:p?nets?|pnens?|nens?|tumou?rs?)\s*$")  # a grade said of the tumour
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}  # a grade's ("grade ii") or a Krenning score's
_BURDEN_HALF = re.compile(
    r"\b(?:more\s+than|over|>)\s*half\s+(?:of\s+)?(?:the|his|her)\s+liver\b"
)  # "more than half the liver replaced"
_BURDEN = re.compile(
    rf"(?:hepatic|liver)\s*(?:tumou?r\s*)?(?:burden|involvement|replacement|replaced|volume)\s*"
    rf"(?:(?:of|is|was|now|currently|est\w*|at|=|:|~|approx\w*|about|around)\s*){{0,4}}"
    rf"(<|>)?\s*{_NUM}\s*%"
    rf"|(<|>)?\s*{_NUM}\s*%\s*(?:of\s*(?:the\s*)?)?(?:hepatic|liver)\s*(?:tumou?r\s*)?(?:burden|involvement|replacement|replaced|involved|volume)"
    rf"|(<|>)?\s*{_NUM}\s*%\s*(?:of\s*(?:the\s*)?)?liver\b(?=\s*(?:[),.;:\"']|$))"  # "(>50% liver)", not "82% liver figure"
    rf"|(<|>)?\s*{_NUM}\s*%\s*(?:tumou?r\s*)?burden"  # "liver mets, 30% burden": in a PNET case, burden is hepatic
    rf"|(<|>)?\s*{_NUM}\s*%\s*(?:replaced|replacement|involved|involvement|volume)\b"
    rf"|\b(?:low|small|high|large|bulky)\s+(?:tumou?r\s+)?(?:volume|burden)\s*\(?\s*(<|>)?\s*~?\s*{_NUM}\s*%"  # "low volume (<10%)"
    rf"|(?:liver|hepatic)(?:[\s-]+(?:mets?|metastases|disease|lesions|dominant|predominant))?\s*[(:]?\s*(?:~|approx\w*\.?\s*|about\s+|around\s+)?(<|>)?\s*{_NUM}\s*%"
    r"(?!\s*(?:bigger|larger|smaller|increase|growth|reduction|shrink|up\b|down\b|more|less))"  # "liver mets ~30%", "liver bilobar >50% replaced"; not "~15% bigger"
)
_LOCATION = re.compile(
    r"\b(uncinate|head|neck|body|bod|tail|duodenum|duodenal|periampullary)\b(?!\s*(?:ulcers?|bulb|pain|ache|weight|mass index|-?\s*ct|pet|imaging|scan))"
)
_NOT_LOCATION = re.compile(r"(?:whole|total)[- ]?$|\bneck\s*$")  # "whole-body PET", "head and neck"
_VERTEBRA = re.compile(r"\b(?:[ctls]\d{1,2}|vertebral|vertebra)\s*$")  # "lytic lesion T10 body": a vertebra's body
# the receptor scan's imaging names, all a booking is read from: never a stain ("SSTR2 immunostaining pending") or
# radiotherapy ("SRT to the T10 met booked")
_SSTR_SCAN = (
    r"\bga(?=[- ]?(?:pet|68|scan))|special\s+(?:scan|tracer|pet)|dotatate|dotatoc|dotanoc|\bdota\b|octreotide\s+scan"
    r"|octreoscan|ga68|(?:sstr\d?|somatostatin receptor)\s+(?:imaging|scan|pet)"
)
# the receptor's names, the scan's and the receptor's own: a test is read from them (a bare "PET" or "SST" too), a
# topic only from these (or a Krenning score)
_SSTR_NAMES = r"\bga(?=[- ]?(?:avid|positive))|sstr\d?|somatostatin receptor|\bsrs\b|\bsrt\b|\bsri\b|" + _SSTR_SCAN
_SSTR_TERM = re.compile(_SSTR_NAMES + r"|\bsst\b|\bpet\b|\bkrenning\b")
_SCAN_NAME = re.compile(_SSTR_SCAN)
_SSTR_NEG = re.compile(
    r"\bnegative\b|\bneg\b|\bnone\s+(?:\w+\s+)?(?:avid|positive)\b|didn'?t\s+light\s+up|did\s+not\s+light\s+up|non\s*-?\s*avid|\bnot\s+(?:\w+\s+)?avid|\bno\s+(?:significant\s+)?(?:uptake|avidity|expression)|\babsent\b|\blow\s+(?:uptake|expression)|\bsstr\d?\s*-(?!\w)|-\s*ve\b"
    r"|\b(?:faint|weak)(?:ly)?\b|\b(?:below|less\s+than|lower\s+than)\s+(?:the\s+)?(?:normal\s+)?(?:liver|background)|\bphotopenic\b|\bcold\b"
)
# "lesion on EUS, not seen on Ga-PET": the tumour not shown by the receptor scan itself; never a site not shown
# ("bone not seen on DOTATATE PET (liver avid)" is staging)
_NOT_SHOWN = re.compile(
    r"\bnot\s+(?:seen|visible|shown|detected|identified|demonstrated)\s+(?:on|at|by)\s+(?:the\s+)?"
    r"(?:ga|dotat|octreo|sstr|somatostatin|68ga)"
)
# said of what is not the tumour itself: deposits, an occult primary, a limit of resolution ("primary not seen on Ga-PET",
# "too small, not seen on Ga-PET"): staging, never a receptor status (a named site is found by the lexicon)
_NOT_THE_TUMOUR = re.compile(
    r"\b(?:mets?|metastas\w+|deposits?|disease|spread|primary|too\s+small|resolution|sub-?centimet\w*)\b"
)
_STAGED_ON = re.compile(
    r"\b(?:[cp]?n[0-3x]m[01]|m0|n0|nothing\s+else|otherwise\s+(?:nothing|clear|negative)|only\s+there|clear|negative\s+staging"
    r"|no\s+extra-?hepatic(?:\s+(?:disease|spread|uptake))?|no\s+ehd)\b"
)
_PART_OF = re.compile(
    r"\b(\d{1,2})\s*(?:of|/|out\s+of)\s*(\d{1,2})\s+(?:\w+\s+)?(?:lesions?|mets?|metastas[ie]s|deposits?)"
)
_SSTR_MIXED = re.compile(
    r"(?:liver|lesions?|mets?|metastas[ie]s|deposits?|nodes?)\s+(?:are\s+|were\s+|is\s+)?(?:not\s+(?:\w+\s+)?avid|non[- ]?avid|negative)"
    r"|\bheterogene\w+|\bhalf\s+(?:of\s+(?:the\s+)?\w+\s+)?(?:negative|not\s+avid)|\bsome\s+(?:lesions?\s+)?(?:negative|not\s+avid)|\bmixed\s+(?:uptake|avidity)"
    r"|\b(?:uptake|avid)\s+(?:only\s+)?in\s+(?:only\s+)?(?:half|some|a\s+few|part|one|two)\b|\bnot\s+all\s+(?:the\s+)?lesions"
)
_SSTR_UNEVEN = re.compile(r"heterogene\w+")  # uneven, no lesion said negative ("mixed uptake" says some are)
_SSTR_POS = re.compile(
    r"(?<!possible\s)(?<!possible\sbone\s)(?:mets?|metastas[ie]s|deposits?|lesions?)\s+(?:\w+\s+){0,2}(?:on|at)\s+(?:the\s+)?(?:\w+\s+)?(?:dotat|ga-?68|ga-?pet|octreoscan|sstr)|"
    r"\bshow(?:s|ed)?\s+(?:\w+\s+){0,3}(?:mets?|lesions?|deposits?|uptake|disease)|avid|positive|uptake|\blit\s+(?:\w+\s+){0,2}up|lights?\s+(?:\w+\s+){0,2}up|\bexpress|\b(?:strong|intense|marked|high)(?:ly)?\s+(?:sstr\d?|somatostatin|uptake|avid)|(?:dotat\w*|ga-?68|octreoscan|sstr\d?)\s+(?:still|remains?|is|was|now)\s+\+(?!\w)|\bsstr\d?\s*\+|\+\s*ve\b|\bsstr\d?\s*pos|(?:dotat\w*|ga-?68|octreoscan)\s+pos\b|(?:dotat\w*|ga-?68|octreoscan)\s*\+(?=\s*(?:[.,;:()\n]|$))"
    r"|\b(?:says|shows|showed|confirms|confirmed|c/w|consistent\s+with|in\s+keeping\s+with)\s+(?:an?\s+)?(?:p?net|neuroendocrine)\b"
    # "Ga68: 1.8cm lesion in pancreatic head": the scan shows the tumour
    r"|(?:dotat\w*|ga-?68|octreoscan)(?:\s+pet(?:/ct)?)?\s*:\s*(?:an?\s+)?(?:\d+(?:\.\d+)?\s*(?:cm|mm)\s+)?"
    r"(?:(?:avid|intense|hot|small|solitary|single|focal)\s+)?(?:lesion|mass|tumou?r|primary)"
)
# "Ga68 PET reported yesterday: 3 new liver lesions": the scan is done; its receptor status is not said
_SCAN_REPORTED = re.compile(
    r"(?:dotat\w*|ga-?68|octreoscan)(?:\s+pet(?:/ct)?)?\s+(?:was\s+|is\s+)?reported\b(?!\s+(?:awaited|pending))"
)
_SSTR_TOPIC = re.compile(_SSTR_NAMES + r"|krenning")
# between the scan's name and its booking word, another test's name says the booking is that test's
# ("DOTATATE avid but RBC scan pending"); a PET/CT is the scan itself
_OTHER_TEST = re.compile(r"\b(?:rbc|mri|(?<!/)ct|eus|bx|biopsy|fdg|us|bone\s+scan|ultrasound)\b")
_RESECT_NO = re.compile(
    r"\b(?:unresectable|irresectable|non\s*-?\s*resectable|not\s+resectable|inoperable|not\s+operable|not\s+amenable\s+to\s+(?:surgery|resection)|borderline\s+resectable|open[- ]and[- ]close|(?:procedure|resection|operation|hepatectomy)\s+(?:was\s+)?abandoned)\b"
    # the surgeons' no: "too extensive", "not feasible", "TACE rather than liver resection"
    r"|\btoo\s+extensive\b(?!\s+(?:for|to)\s+(?:rfa|ablat\w*|tace|tae|enucleat\w*|lap\w*|spleen))"
    r"|\b(?:resection|surgery|hepatectomy|operation|whipple|pancreatectomy)\s+(?:is\s+|was\s+|deemed\s+|felt\s+)?"
    r"(?:not\s+(?:technically\s+)?(?:feasible|possible)|too\s+risky)\b"
    r"|\b(?:rather\s+than|instead\s+of)\s+(?:a\s+)?(?:liver\s+resection|hepatectomy)\b"
    # a patient's words: "the doctors say it can't all be removed", "they can't operate"
    r"|\b(?:can'?t|cannot|can\s+not|could(?:n'?t|\s+not)|unable\s+to)\s+(?:all\s+)?(?:be\s+)?(?:removed|remove\s+it|taken\s+out|take\s+it\s+out|operated?(?:\s+on)?|resected)\b"
    # not a way, a time or a reason of the patient's ("laparoscopically", "until", "because of his heart")
    r"(?!\s+(?:\w+\s+){0,2}?(?:laparoscop|keyhole|robotic|without|until|yet\b|(?:because\s+of|due\s+to|given)\s+(?:his|her|their)\b|as\s+(?:he|she)\s+is))"
)
# Resectable only on a condition ("potentially resectable if it shrinks"): not settled, so left unknown
# and the plan asks the surgeon.
_RESECT_MAYBE = re.compile(
    r"\b(?:potentially|possibly|maybe|perhaps|might\s+be|may\s+be(?:come)?|could\s+be(?:come)?)\s+(?:\w+\s+)?resectable\b"
    r"|\bresectable\s+(?:if|after|once|following|with\s+(?:downstag|neoadjuvant))|\?\s*(?:\w+\s+)?resectable\b"
)
_RESECT_YES = re.compile(
    r"\b(?:resectable|operable|amenable\s+to\s+(?:surgery|resection))\b"
    r"|\b(?:future\s+liver\s+remnant|flr)\s+(?:is\s+)?(?:fine|adequate|ok|okay|sufficient|good)\b"
    # the surgeons' aim: "aim is to clear everything with curative intent", "plan is to resect it all"
    r"|\b(?:aim|plan|intention)\s+(?:is\s+)?to\s+(?:clear|resect|remove|excise)\s+(?:everything|it\s+all|all\s+(?:of\s+)?(?:the\s+)?(?:disease|it))\b"
    # the surgeons planning the liver's resection ("synchronous Whipple + left lateral sectionectomy, or staged?",
    # "planning staged resection"): resectable in their assessment
    r"|\b(?:synchronous|simultaneous|combined)\s+(?:whipple|pd|dp|pppd|distal\s+panc\w*|pancreatectomy|resection)\s*\+?\s*"
    r"(?:(?:left|right|extended|lateral|major|minor|and|with)\s+){0,3}(?:hepatectomy|sectionectomy|segmentectomy|metastasectomy|liver\s+resection)\b"
    r"|\b(?:planning|planned|proposed?|proposes|booked\s+for|listed\s+for)\s+(?:a\s+|the\s+)?(?:(?:staged|synchronous)\s+(?:resection|approach|procedure)"
    r"|(?:(?:left|right|extended|lateral|major|minor|liver)\s+){0,3}(?:hepatectomy|sectionectomy|segmentectomy|liver\s+resection|metastasectomy))\b"
)
_SPLENIC = re.compile(r"splenic\s*(?:vein|artery|vessels?|vasculature|hilum)|\bsplenic\s*v\b|\bsv\b|\bsma\b|\bsmv\b")
_SPLENIC_SPARED = re.compile(
    r"\b(?:not|no|without)\s+(?:\w+\s+)?(?:involv|encas|invad|invasion|abut|contact)|\bfree\b|\bspared\b|\bpatent\b|\bclear\b"
)
_SPLENIC_INV = re.compile(r"involv|encas|invad|invasion|abut|thromb|occlu|infiltrat|contact")
# why a line was started ("for progressive PNET", "for prog G2 pNET"), not its outcome
_FOR_PROGRESSIVE = (
    r"(?:for\s+(?:a\s+|her\s+|his\s+|their\s+)?(?:progressive|prog\.?)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:p?nets?|pannets?|disease|tumou?rs?|neuroendocrine)\b"
    # "on everolimus for PD": why it was started; "for PD on lanreotide" still says lanreotide's outcome
    r"|for\s+(?:pd|progression)\b(?!\s*(?:on|after|despite|following|post|with|while)\b))"
)
_STARTED_FOR = re.compile(  # a line given "for progressive PNET"; never "referred to MDT for progressive disease"
    r"(?:^\s*|\b(?:on|started|starting|commenced|given|receiving|having)\b[^;]{0,60}?\b)" + _FOR_PROGRESSIVE
)
# "(stopped after 9 mo for PD)": why a line ended, its outcome
_ENDED_FOR = re.compile(
    r"\b(?:stop(?:ped|ping)?|discontinu\w*|ceased|halted|came off|taken off|withdrawn)\b[^;]{0,30}"
    r"\bfor\s+(?:pd|progression)\b"
)
_PROGRESS = re.compile(  # "is this PD?" asks, and says no growth
    r"(?<!is this )(?<!is it )(?<!is that )(?<!call it )(?<!calling it )(?<!call this )progress(?!ive\s+(?:[a-z]+\s+){0,3}?(?:cough|dyspn|sob|breathless|pain|weakness|fatigue|jaundice|symptoms?|headache|diarr|numb|confusion|leg|legs|arm|arms))|(?<!is this )(?<!is it )(?<!is that )(?<!listed for )(?<!listed for a )(?<!consented for )(?<!booked for )(?<!planned for )(?<!scheduled for )(?<!waiting for )(?<!awaiting )(?<!candidate for )(?<!going for )\bpd\b|\bprog(?:d|'d|ressed)?\b(?!\s*(?:factor|score|sign|marker|nosis))|(?<!slow\s)(?<!slow-)\bgrowing\b|\bgrew\b|\b(?:has|have|had)\s+grown\b(?!-)|\benlarging\b|\benlarged\s+(?:since|from|compared|on\s+(?:repeat|interval))|\bincreas\w*\s+(?:in\s+size|from)\b|\b(?:recist\s+|clear\s+|definite\s+|interval\s+|documented\s+)?growth\b(?!\s+(?:hormone|factor|(?:in|on)\s+(?:the\s+|my\s+|his\s+|her\s+)?(?:tail|head|body|neck|uncinate|pancrea)))|\bdoubl(?:ed|ing)\b"
    # "liver burden up 40% (RECIST)", "sum of lesions increased by 25%"
    # (RECIST progression is a rise of 20% or more; "increased by 8%" is stable disease)
    r"|\b(?:burden|disease|mets|lesions|sum|size)\s+(?:has\s+|have\s+)?(?:gone\s+)?(?:up|increased|grown|grew|rose|risen)\s+(?:by\s+)?~?(?:[2-9]\d|\d{3})\s*%"
    # "liver mets +30% in 6m": a rise of 20% or more written with a plus
    r"|\b(?:burden|disease|mets|lesions|sum|size)\s+\+\s*~?(?:[2-9]\d|\d{3})\s*%"
    r"|\b(?:bigger|larger)\s+than\s+(?:last\s+time|before|previously|on\s+the\s+last|the\s+last)"
)
# Stable disease: "stable for 2 years", "no progression" say it of the disease; "unchanged over 6 months",
# "no interval growth" say it too, unless another site's progression was said first ("ribs unchanged").
# "stable until now" says it no longer is
_STABLE = re.compile(
    r"(?<!un)\bstable\b(?!\s+angina)(?!\s+(?:up\s+)?(?:until|till|to)\s+(?:now|recently|this|last|the))"
    r"|\bno\s+(?:further\s+)?progress|\bsd\b"
)
_UNCHANGED = re.compile(
    r"\bunchanged\b|\bno\s+(?:interval\s+|significant\s+)?(?:change|growth)\b"
    r"|\bnot\s+(?:grown|changed)\b|\bhas(?:n'?t|\s+not)\s+(?:grown|changed)\b"
)
# "s/p PD 2020", "PD for a head PNET", "post-PD": the operation; "PD on everolimus", "RECIST PD": progression.
_PD_OPERATION = re.compile(
    r"(?:\bs/?p|\bstatus\s+post|\bpost|\bafter|\bsince|\bprior|\bprevious|\bunderwent|\bhad\s+(?:a\s+)?|\bh/o|\(?(?:19|20)\d\d\)?)[\s-]*(?:lap(?:aroscopic)?\s+|open\s+|robotic\s+)?(?:pd|dp|tp)\b"
    r"|(?<!->\s)(?<!->)(?<!→\s)(?<!→)\b(?:pd|dp|tp)\b(?=\s*(?:\+|and|with|for|in\s+(?:19|20)\d\d|\(?(?:19|20)\d\d|\d{1,2}/(?:19|20)?\d\d|\+\s*s\b))"
    r"|\b(?:vs\.?|versus|or)\s+(?:pd|dp|tp)\b|\b(?:pd|dp|tp)\s+(?:vs\.?|versus|or)\b"  # "enucleation vs PD": an option
    r"|(?:(?<=\+)|(?<=\+\s))(?:pd|dp|tp)\b"  # "left hemihepatectomy + PD": an operation beside another
)
# what follows "PD 2024" when it is the disease's progression: "PD 2024: 3 liver mets", "PD 03/2025 - new bone lesions"
_DISEASE_AFTER = re.compile(
    r"\s*\(?(?:\d{1,2}/)?(?:19|20)?\d\d\)?\s*[:\-–]\s*(?:\w+\s+){0,2}?(?:new\s+|\d+\s+|multiple\s+|several\s+)?"
    r"(?:(?:liver|hepatic|bone|lung|peritoneal)\s+)?(?:mets?|metastas[ie]s|lesions?|deposits?|progression|recurrence)\b"
    # "PD 2024 with new liver lesions", never "PD 2019 with 3 nodal mets (pN1)" (the operation's pathology)
    r"|\s*\(?(?:\d{1,2}/)?(?:19|20)?\d\d\)?\s*(?:[:\-–]|with|showing)\s*new\s+(?:\w+\s+){0,2}?"
    r"(?:mets?|metastas[ie]s|lesions?|deposits?|nodes)\b"
)
_OPTIONS_ASKED = re.compile(r"\b(?:vs\.?|versus|or)\b")  # drugs set against each other in a question
_KEPT_BEFORE = re.compile(
    r"\b(?:continu\w*|stay\w*|keep\w*|remain\w*|carry\s+on)(?:\s+(?:with|on|the|her|him|his|them|taking|using|pt))*\s+$"
)
_TORN_BETWEEN = re.compile(r"\b(?:torn|choos\w*|decid\w*|choice|undecided|deciding)\s+between\b")  # ... or said to be
_TOXICITY = (
    re.compile(
        r"(?:ctcae\s*)?(?:grade|gr\.?|g)\s*([1-5])\s+([a-z][a-z/ -]{2,40}?)(?=\s*(?:[.;,):\n+&]|\s-\s|$|\bon\b|\bdespite\b|\bfrom\b|\bwith\b|\bafter\b|\bwhile\b|\bdue\b|\band\b))"
    ),
    re.compile(r"\b([a-z][a-z/-]{2,30})\s*(?:\(|,)?\s*(?:ctcae\s*)?(?:grade|gr\.?|g)\s*([1-5])\b"),
)
# A toxicity said of the past ("everolimus 2020-21 stopped (pneumonitis)") is history, not the phase.
_RESOLVED_WORDS = r"\b(?:now\s+|since\s+|has\s+|have\s+)?(?:resolved|settled|recovered)\b"
_CONNECTOR_ENDS = re.compile(r"^(?:and|with|plus|,)\s+|\s+(?:and|with|plus|,)$")  # left where a part was cut out
_STOPPED = re.compile(r"\b(?:stopped|discontinued|ceased|withdrawn)\b")
_PAST_TOXICITY = re.compile(
    r"\b(?:19|20)\d\d\b|\bprevious(?:ly)?\b|\bprior\b|\bhistory of\b|\bh/o\b|\bago\b"
    # "Had everolimus 1st line at another centre - stopped after G3 pneumonitis (needed steroids)": a past line
    r"|\bat\s+another\s+(?:centre|center|hospital|trust|unit)\b|\belsewhere\b"
    r"|\b(?:stopped|discontinued|ceased)\s+(?:after|at)\s+\d"  # "everolimus stopped after 3 mo for pneumonitis": a past line
    rf"|{_RESOLVED_WORDS}"  # "grade 3 pneumonitis, now resolved"
)
_RESOLVED = re.compile(rf"[^.;\n()]{{0,25}}?{_RESOLVED_WORDS}")  # said just after the toxicity
# "everolimus (9mo, stopped for gr3 pneumonitis)": how long the line ran, then its stop (a past line, unless "still on
# oxygen", "last week")
# said of the stop or the toxicity now: a weekday ("stopped Fri"), this week, or the breathing now ("short of breath")
_STOPPED_NOW = re.compile(
    r"(?<!\d)(?<!\d\s)\b(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\b|\bthis\s+week\b|\bbreathless|\bsob\b"
    r"|\bshort\s+of\s+breath|\bsats\b|\bspo2\b|\bon\s+oxygen\b"
)
_RAN_THEN_STOPPED = re.compile(
    r"\b\d+\s*(?:mo|mos|months?|wks?|weeks?|yrs?|years?)\s*[,;]?\s*(?:then\s+|and\s+)?(?:stopped|discontinued|ceased)\b"
)
# a lab value said as history: "had severe diarrhoea + K 2.1 back then", "Na 124 at diagnosis in 2018"
_LAB_HISTORY = re.compile(
    r"\bback\s+then\b|\bat\s+the\s+time\b|\bat\s+(?:diagnosis|presentation)\b|\bpre-?op(?:erative(?:ly)?)?\b"
    r"|\bpreviously\b|\bbefore\s+(?:the|her|his|their)\s+(?:op|operation|surgery|resection)\b|\bin\s+(?:19|20)\d\d\b"
)


# a progression still to come: "if PD then everolimus", "if it progresses we will switch", "once there is progression"
_IF_PD = re.compile(
    r"\b(?:if|in\s+case\s+of|should)\s+(?:(?:there\s+is|there's|she\s+has|he\s+has|it|the\s+disease|the\s+tumou?r)\s+)?"
    r"(?:were\s+to\s+)?(?:pd\b|progress(?:es)?\b|progression\b|progressive\s+disease|grows?\b|gets\s+worse)"
    r"|\b(?:when|once)\s+(?:it|the\s+disease|the\s+tumou?r)\s+(?:progresses|grows|gets\s+worse)\b"
    # "Once progression is confirmed we will switch", "When PD, plan PRRT" (not "When PD on lanreotide (2023) ...")
    r"|\b(?:when|once)\s+(?:there\s+is\s+|there's\s+)?(?:pd|progression)\b(?!\s+(?:on|was|occurred|in\s|confirmed\s+on))"
    r"|\bin\s+the\s+event\s+of\s+(?:pd|progression)\b|\bon\s+progression\b"
)  # never a past one: "when it progressed on lanreotide in 2023", "once progression confirmed", "When PD on X (2023)"
# a clause that opens as a question, with no mark: "And can he still drive to work, he's a lorry driver"
_OPENS_AS_QUESTION = re.compile(
    r"\s*(?:and\s+|also\s+|but\s+|so\s+)?(?:can|could|will|would|is|are|does|do|should|shall|may|might)\s+"
    r"(?:he|she|they|i|we|it|you|this|that|mum|mom|dad|my\s+\w+|the\s+patient|pt)\b"
)
# a clause that opens a question: "what does Ki-67 mean", "will he lose his hair"; never a statement ("when she had the
# biopsy", "was told her gastrin was 900")
_QUESTION_OPENER = re.compile(
    r"\s*(?:and\s+|so\s+|but\s+|also\s+|or\s+)?(?:what|which|how|why|who|is|are|will|would|can|could|does|do|did|should"
    r"|shall|may|might|(?:when|where)\s+(?:is|are|will|would|can|could|does|do|should))\b"
)
_TAG = re.compile(
    r"\s*(?:is|are|was|will|would|can|could|does|do|did|isn'?t|won'?t|wouldn'?t|can'?t|doesn'?t|don'?t|didn'?t)"
    r"\s+(?:it|she|he|they|you|we|i)\s*"
)


def _questions(folded: str, clauses: list[_Clause], asked: list[int]) -> list[str]:
    """The questions the clauses `asked` end, each from the clause of its sentence that opens it: "Will he lose his
    hair, like with chemo?" (a tail goes back to its opener), "She won't need chemo, will she?" (a tag takes the
    clause before it); "Can he still drive, and what does grade 2 mean?" is two questions, each opened by its own
    clause, and a statement before them is not part of either."""

    def opens(c: _Clause) -> bool:
        return bool(_QUESTION_OPENER.match(c.text)) and not _TAG.fullmatch(c.text)

    out = []
    for i in asked:
        first = i
        while first > 0 and not _SENTENCE_END.search(
            folded[clauses[first - 1].start + len(clauses[first - 1].text) : clauses[first].start]
        ):
            if opens(clauses[first]):
                break
            first -= 1
        if not opens(clauses[first]):
            first = i - 1 if _TAG.fullmatch(clauses[i].text) and first < i else i
        # an opener before it in its sentence, up to this question's start, is a question of its own ("Can he still
        # drive, and what does grade 2 mean?")
        end, k = first, first - 1
        while k >= 0 and not _SENTENCE_END.search(
            folded[clauses[k].start + len(clauses[k].text) : clauses[k + 1].start]
        ):
            if opens(clauses[k]):
                out.append(folded[clauses[k].start : clauses[end - 1].start + len(clauses[end - 1].text)])
                end = k
            k -= 1
        out.append(folded[clauses[first].start : clauses[i].start + len(clauses[i].text)])
    return out


# an earlier line's course just before its progression: its dates ("lanreotide 2021-24 → PD"), or the clause opened as
# history ("Prior: lanreotide → PD", "previously on octreotide, PD")
_LINE_BEFORE = re.compile(
    r"\b(?:19|20)\d\d\s*(?:-|–|to)\s*(?:(?:19|20)?\d\d)\b\W{0,4}(?:(?:then|with|and)\s+)?$"
    r"|^\W*(?:prior|previous(?:ly)?|past|earlier)\b(?:\s*(?:lines?|tx|treatment|rx))?\s*[:-]"
)


def _queried(clause: str, start: int) -> bool:
    """The word at `start` is asked, not said: "?early PD ?SD", "?PD"."""
    return bool(re.search(r"\?\s*(?:early\s+|possible\s+|likely\s+|borderline\s+|some\s+)?$", clause[:start]))


def _said_as_history(text: str, end: int) -> bool:
    """A lab value followed by words of the past before any other number ("K 2.1 back then"), not one that another,
    older value follows ("K 2.4 today (K 4.1 previously)")."""
    after = re.split(r"\d|[;\n]|\.(?!\d)", text[end : end + 30])[0]
    return bool(_LAB_HISTORY.search(after))


_NOT_NEEDED = re.compile(
    r"\b(?:doesn'?t|does\s+not|don'?t|do\s+not|no\s+need|not)\b[^.;,]{0,15}$"
)  # "doesn't need ..."
# a sign said of another person just before it: "her son's lips went blue", "her husband is on clarithromycin"
_SOMEONE_ELSES = re.compile(
    r"\b(?:her|his)\s+(?:sister|brother|mother|father|mum|mom|dad|aunt|uncle|cousin|grand\w+|son|daughter|husband"
    r"|wife|partner|friend)(?:'?s\s+(?:\w+\s+)?|\s+(?:is|was)\s+on\s+(?:\w+\s+)?|\s+takes\s+)$"
)
# what may follow a short clause's settled words: nothing, or how it settled ("resolved after 6mo apixaban")
_SETTLED_TAIL = re.compile(r"\s*(?:(?:after|on|with|since|in|by)\b.*)?", re.S)
SETTLED_REACH = 40  # characters either side of an urgent finding's words that its settled words must lie within
# a word of now right beside an urgent finding's words: "CTPA 3 Dec 2026 confirms PE", "new left leg DVT today"
NOW_REACH = 20
_SAID_NOW = re.compile(
    r"\b(?:new|today|tonight|this\s+(?:morning|afternoon|evening)|yesterday|confirm(?:s|ed)?|ongoing|shows?|acute|found)\b"
    r"|\b(?:an?|\d+)\s+(?:hours?|hrs?|mins?|minutes?)\s+ago\b|\bnow\b(?!\s+(?:resolved|settled|recovered|better|gone|fine|well))"
    r"|\bon\s+(?:staging\s+|restaging\s+)?(?:ct|ctpa|mri|scan)\s+(?:today|this|yesterday)\b"
)
_STOPPED_FOR = re.compile(r"\b(?:stopped|discontinued|ceased)\s+(?:after|for|due\s+to|because\s+of)\s+(?:a\s+)?$")
_STILL = re.compile(
    r"\b(?:still|icu|itu|yesterday|last\s+(?:night|week)|days?\s+ago|on\s+(?:steroids|pred\w*|oxygen))\b"
)
# a settled finding come back ("now recurrent nightly despite max dose"), not "still awaiting the operation"
_CAME_BACK = r"again|recurr\w*|back|returned|nightly|daily"  # a finding or syndrome come back
_RELAPSE = re.compile(
    rf"\b(?:{_CAME_BACK}|despite)\b|\bstill\s+(?:having|getting|low|hypo\w*|dropping)"
    r"|\bnow\s+(?:\w+\s+)?(?:every|most|frequent|several|worse|having|getting)\b"
)
# the syndrome come back after words that said it settled ("rash resolved after surgery, but now the rash is back")
_SYNDROME_BACK = re.compile(
    r"\b(?:hypos?|hypoglyc\w*|rash|nme|diarrh\w*|symptoms?|sugars?|glucose)\b[^.;]{0,25}?"
    rf"\b(?:{_CAME_BACK}|worse)\b|\bnow\s+(?:\w+\s+)?(?:nightly|daily|every)\b"
)
_LATER_PD = re.compile(
    r"^\s*(?:now\s+)?(?:pd|progress\w*|rp\b|recist\s+pd)"
)  # a later sentence opening with progression
_NOW = re.compile(
    r"\bnow\b(?!\s+(?:resolved|settled|recovered|better|gone))|\btoday\b|\bcurrent(?:ly)?\b|\bthis (?:week|morning|month)\b|\bheld\b|\bongoing\b|\bnew\b"
)
_RAPID = re.compile(
    r"\brapid(?:ly)?\b|\bfast\b|\bquickly\b|\baggressive(?:ly)?\s+progress|\bdoubl(?:ed|ing)\b"
    # "RECIST progression 3 months after diagnosis", "PD within 4 months" (progression over 6 months, one restaging
    # interval, is not called rapid)
    r"|\b(?:progress\w*|pd)\s+(?:\w+\s+){0,2}?(?:(?:within|after|at|in|by)\s+)?(?:[1-4]|two|three|four)\s*(?:months?|mo|m)\b"
    r"(?:\s+(?:after|from|of|post)\s+(?:the\s+)?(?:diagnosis|dx|starting|start))?"
    # "grew ~30% over 3 months", "enlarged in 8 weeks": growth seen within four months
    r"|\b(?:grew|grown|growing|growth|increased|enlarged|enlarging)\s+(?:[~\w%.]+\s+){0,3}?(?:over|in|within)\s+"
    r"(?:the\s+(?:last|past)\s+)?(?:(?:[1-4]|two|three|four)\s*(?:months?|mo|m)|(?:[1-9]|1[0-6])\s*(?:wks?|weeks?))\b"
)
_PRIOR = re.compile(
    r"\b(?:on|after|post|prior|previous(?:ly)?|prev|received|failed|s/?p|status post|treated with|started|since|completed|underwent|had|despite|refractory|through|thru|stopped|discontinued|intolerant|off|switched to|changed to|so far|to date)\b|->|→"
)
_MEN1_NEG = re.compile(
    # "MEN1-" is negative; "... for MEN1 - he's asking" is a dash between clauses
    r"\bno\s+(?:(?:known|personal|family|fhx|hx|history|clinical|features|or|and|/)\s+){0,4}(?:of\s+)?men1|\bdenies\s+(?:\w+\s+){0,2}?men1|\bmen1\b[^.;]{0,30}\bno\s+pathogenic|\bmen1\s*(?:negative|excluded|ruled out|testing negative|test negative|neg\b|-(?![\w-])(?!\s+[a-z]))|\bsporadic\b|\bnot\s+men1"
    r"|\bmen1\b[^.;,]{0,30}\b(?:negative|neg)\b"
)
_LOCALISED = re.compile(
    r"\bned\b|\bno\s+evidence\s+of\s+disease\b|\b(?:[cp]?t[0-4x][a-d]?)?[cp]?n[0-3x][a-c]?m0\b|\blocali[sz]ed\b|\bnon\s*-?\s*metastatic\b|\bm0\b|\bno\s+(?:evidence\s+of\s+)?(?:[\w-]+[\s/]+){0,4}?(?:metastas[ie]s|mets|metastatic|spread|disease|lesions?)\b(?!\s+progress)(?<!new lesion)(?<!new lesions)"
    r"|\bstaging\s+(?:(?:is|was|scan|ct|mri|pet)\s+)*(?:negative|neg\b|clear|clean|unremarkable)|\bnegative\s+staging|\bno\s+other\s+(?:avid\s+)?(?:lesions?|disease|uptake|foci|sites?)|\bno\s+uptake\s+elsewhere"
    # "all scans clear since", "CT now clear", "surveillance imaging remains clear", "disease-free"
    r"|\bscans?\s+(?:(?:now|since|have|has|been|are|is|was|were|remains?|remained|all|still)\s+){0,3}(?:clear|clean|unremarkable)\b"
    r"|\b(?:ct|mri|imaging)\s+(?:(?:have|has|been|are|is|was|were)\s+)?(?:now|since|remains?|remained|still)\s+(?:\w+\s+)?(?:clear|clean|unremarkable)\b"
    r"|\bdisease[- ]free\b"
    r"|\b(?:doesn'?t|does\s+not|didn'?t|did\s+not)\s+show\s+(?:any\s+)?(?:spread|metastas\w+|mets)\b"
    # a relative's words: "the scan didnt show it anywhere else", "nothing else on the scans"
    r"|\b(?:doesn'?t|does\s+not|didn'?t|did\s+not|dint)\s+show\s+(?:it|anything|any)\s+(?:\w+\s+)?(?:anywhere\s+else|elsewhere)\b"
    r"|\bnothing\s+(?:else|elsewhere)\s+(?:on|in)\s+(?:the\s+|her\s+|his\s+|my\s+)?(?:scans?|ct|mri|pet|imaging)\b"
    # a patient's words: "they said it was all removed", "the surgeon got it all"
    r"|(?<!if\s)(?<!whether\s)\b(?:it\s+was|it's|it\s+is)\s+all\s+(?:removed|taken\s+out|out|gone)\b"
    r"(?![^.;]{0,40}\b(?:except|apart\s+from|but|bar|other\s+than)\b)"
)
_METASTATIC = re.compile(
    r"\bmet\b(?=\s+(?:p?net|pnen|pannet|nf|pancrea|disease|g[123]\b))|\b(?:[cp]?t[0-4x][a-d]?)?[cp]?n[0-3x][a-c]?m1[a-c]?\b|\bmetastatic\b|\bmetastas[ie]s\b|\bmets\b|\bstage\s*iv\b|\bm1\b|\bdisseminated\b|\bwidespread\b"
)

# NegEx triggers: before the term (within the clause) and after it.
_PRE_NEG = re.compile(
    r"\b(?:no(?!,?\s+sorry)|not|without|negative\s+for|free\s+of|absence\s+of|absent|denies|ruled\s+out|excluded|neither|nor|n0"
    r"|none|nothing)\b"
)  # "no sorry, ~6 L/day" corrects a figure; it negates nothing
_NEW_SUBJECT = re.compile(
    r"\bbut\b|\band\s+(?:my|his|her|their|he|she|i|we)\b"
    r"|\band\s+(?:the|it)\s+(?:\w+\s+){0,2}?(?:shows?|showed|has|have|had|is|are|was|were)\b"
)  # "and the lungs" continues a list; "and the DOTATATE shows" says something new
_POST_NEG = re.compile(
    r"(?<!sstr[-\s])(?<!fdg[-\s])(?<!dotatate[-\s])(?<!receptor[-\s])(?<!octreoscan[-\s])\b(?:negative|neg)\b"  # not "lesions SSTR-negative"
    r"|\b(?:ruled\s+out|excluded|absent|clear|free(?!\s+(?:intra-?\w*\s+)?(?:gas|air|fluid))|not\s+(?:seen|present|identified|detected)|unremarkable|normal|none|nothing|nil(?!\s+(?:change|better|improvement|response|effect|difference)))\b"
    r"|\b(?:ok|okay)\b(?!\s+(?:to|for)\b)"  # "lungs - ok" negates; "cycle 2 next week - ok to proceed?" asks
    r"|\bnot\s+(?:yet\s+)?(?:been\s+)?(?:started|given|begun|commenced)\b"  # "diazoxide not started yet"
)
_MET_CONTEXT = re.compile(
    r"met(?:s|astas[ie]s|astatic)?\b|lesion|deposit|disease|involve|spread|nodule|mass|positive|avid|uptake|spots?\b|shadows?\b|"
    r"lymphadenopathy|enlarged|suspicious|implant|carcinomatosis|seeding|\bn1\b|(?<=\w)\+|progress|\bpd\b|\bnew\b|recurr|relaps"
    r"|\bburden\b"  # "liver burden up 40%": the tumour's burden in the liver
    # "pNET G2 liver + nodal": sites listed with a plus
    r"|\b(?:liver|hepatic|bone|lung|nodal|nodes?|peritoneal)\s*\+\s*(?:liver|hepatic|bone|lung|nodal|nodes?|peritoneal)\b"
    r"(?!\s*(?:scans?|mri|ct|biops\w*|booked|us\b|ultrasound|imaging|pet))"
    # "it's all through his liver": the tumour all through an organ (never "fatty infiltration all through the liver")
    r"|\b(?:it'?s|it\s+is|cancer|tumou?r|disease)\s+(?:\w+\s+)?all\s+(?:through|over)\b"
    # "pancreatic NET that went to her bones and liver": the tumour gone to a patient's organ
    # (the tumour itself its subject, an organ after it: never "it" of a hope or fear, "checked whether it has gone to
    # his liver", "worried that it has gone", nor "the referral which went to her liver surgeon")
    r"|\b(?:net|tumou?r|cancer)\s+(?:that|which)\s+(?:(?:has|had|now|already)\s+)*(?:went|gone|moved|travell?ed)\s+"
    r"(?:in)?to\s+(?:her|his|my|their|your)\s+(?:liver|bones?|lungs?|brain|spine|lymph|nodes?|peritoneum|ovar\w*)\b"
    r"(?![^.;]{0,60}(?:\b(?:hasn'?t|has\s+not|not\s+confirmed|they\s+think|cleared|all\s+clear|ned)\b"
    r"|(?<!be\s)\b(?:removed|resected|ablated)\b))"
    r"|(?:^|\s)[x×]\s*\d+\b(?!\s*(?:cm|mm))"  # "liver x3": three deposits
)
_NODES_POS = re.compile(
    r"\bn1\b|node[s]?\s*(?:-\s*)?positive|nodes?\s*(?:are\s+)?\+\s*(?:ve\b)?|\d+\s*/\s*\d+\s*(?:ln|nodes?|lymph nodes?)\s*(?:\+|positive|pos\b)|\bln\s*\+|lymphadenopathy|nodal\s+(?:disease|mets|metastas[ie]s|involvement)|\bln\s+mets"
    r"|\b[1-9]\d*\s*(?:/|of|out\s+of)\s*\d+\s*(?:ln|nodes?|lymph\s+nodes?)\b(?!\s*(?:neg|-ve|clear|free|benign|reactive))"
    r"|(?<![a-z-])(?<!if\s)(?<!whether\s)[pc]?n\s*(?:\+|positive\b)(?![\w+])"  # "3/18 N+", "pN+ (2/11)" (folded: "n positive")
    # "2 avid peripancreatic nodes": nodes counted and called diseased
    r"|\b[1-9]\d?\s+(?:(?:peri-?pancreatic|regional|local|mesenteric|para-?aortic|c[oe]eliac)\s+)?"
    r"(?:avid|enlarged|suspicious|pathological|malignant|involved)\s+(?:(?:peri-?pancreatic|regional|local|mesenteric|para-?aortic|c[oe]eliac)\s+)?(?:lymph\s+)?nodes\b"
)
_NODES_NEG = re.compile(
    r"\b(?:[cp]?t[0-4x][a-d]?)?[cp]?n0(?:m[01x])?\b|node[s]?\s*(?:-\s*)?negative|\bno\s+(?:lymphadenopathy|nodal|lymph\s+node)|\b0\s*(?:/|of|out\s+of)\s*\d+\s*(?:ln|nodes?|lymph\s+nodes?)\b"
    r"|\bno\s+glands?\s+(?:were\s+|was\s+)?(?:involved|affected)"  # a patient's words for the nodes
)
_OPS = {
    "less than": "<",
    "under": "<",
    "below": "<",
    "over": ">",
    "above": ">",
    "greater than": ">",
    "<=": "≤",
    ">=": "≥",
}
_FUNCTIONAL_WORDS = ("functional", "functioning", "secreting", "syndromic")
_ABBREVIATED_OPERATION = {"pd": "pancreatoduodenectomy", "dp": "distal_pancreatectomy", "tp": "total_pancreatectomy"}
_REGION = {
    "uncinate": "head",
    "duodenum": "head",
    "body": "body/tail",
    "tail": "body/tail",
}  # the duodenum beside the head is one region (the gastrinoma triangle)
# A negation left open by a comma: "no evidence of hepatic, osseous or pulmonary disease".
# "pd", "pd 2025", "pd 02/2025" (and a list's next number after it: "PD 03/2024\n3) everolimus")
_BARE_PD = re.compile(r"\s*pd\s*(?:\d{1,2}/)?(?:\d{2}|\d{4})?\s*(?:\n\s*\d{1,2}\s*)?")
_SYMPTOM_LIST_NEGATED = re.compile(
    r"\b(?:no|nil|denies|without)\s+[a-z-]+\s*$"
)  # "no flushing" before "diarrhoea or hypos"
_LIST_OF_WORDS = re.compile(r"\s*[a-z-]+(?:\s+[a-z-]+)?(?:\s+(?:or|and|nor)\s+[a-z-]+(?:\s+[a-z-]+)?)+\s*$")
_LIST_NEGATION = re.compile(
    r"\b(?:no|without|negative\s+for|free\s+of)\s+(?:evidence\s+of\s+)?(?!mets\b|metastas|disease|lesions?)[a-z-]+\s*$"
)
_LIST_TAIL = re.compile(r"\b(?:or|and)\b.*\b(?:disease|metastas[ie]s|mets|lesions?|deposits?|involvement)\s*$")

# A clause that wonders or asks for a pathway says nothing of what the tumour is ("look for a pancreatic
# primary", "run it through the PNET pathway", "treat it like a PNET").
_HYPOTHETICAL = re.compile(
    r"\bwhether\b|\bwonder|\blook\s+for\b|\bsearch\s+for\b|\brule\s+out\b|\bto\s+exclude\b|\bpathway\b|\balgorithm\b|\bprotocol\b|\blike\s+an?\s+p?net\b|\bas\s+an?\s+p?net\b|\btreat\s+as\b"
)
_QUERIED_NAME = re.compile(r"(?:\?|\bquery|\bpossible|\bsuspected?|\bprobable|\b(?:test|screen)(?:ing|ed)?\s+for)\s*$")
# "CNS:" / "CNS here" / "via the CNS line": the clinical nurse specialist writing, not the central nervous system
_ROLE = re.compile(
    r"\bcns(?=\s*(?::|-\s|here\b|nurse\b|line\b|team\b|clinic\b|phone\b|message\b|update\b|phoned\b|rang\b|called\b|spoke\b|saw\b|notes?\b|telephone\b|handover\b|email\b|calling\b|call\b|query\b|review\b))"
    r"|(?<=via the )cns\b|(?<=the )cns(?=\s+(?:says|said|called|asked|rang|reports?|reviewed)\b)"
    # the chemotherapy nurse or unit ("Chemo nurse: pt on everolimus", "chemo day unit"), never a line of chemotherapy
    r"|\bchemo(?:therapy)?(?=\s+(?:nurse|day\s+unit|unit|suite|ward)\b)"
)  # the clinical nurse specialist ("CNS calling - ..."), never the central nervous system
# a result not back yet: "MEN1 genetics pending", "insulin/C-pep pending", "VIP level awaited"
_PENDING_AFTER = re.compile(
    r"^[^.;,]{0,30}?\b(?:pending|awaited|outstanding|sent|requested|to\s+follow|in\s+progress|not\s+(?:yet\s+)?back|tbc"
    r"|not\s+(?:yet\s+)?(?:tested|checked|done|screened)|(?:untested|unknown|never\s+tested))\b"
)
# in a post about a patient in the third person ("MEN1 pt 28M ..."), a bare relative's history is the patient's family's
# ("mum had total pancreatectomy for MEN1"); in a relative's own post "mum had her op" is the patient
_RELATIVE_HISTORY = re.compile(
    rf"(?<!\bmy\s)(?<!\bour\s)\b{_RELATIVE}(?:'s)?\s+(?:also\s+)?(?:had|has|died|underwent|was\s+diagnosed)\b"
)
# a line not started yet ("octreotide was going to be started next wk", "was to be started", "not yet started"), unless
# the clause goes on to say it ran ("lanreotide was planned to start in Jan 2019 and ran until PD in 2022")
_NOT_STARTED = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:(?:was|is|were|are)\s+(?:going\s+|due\s+|planned\s+|about\s+|meant\s+)?to\s+(?:be\s+)?start"
    r"|(?:not\s+(?:yet\s+)?|hasn'?t\s+(?:yet\s+)?|has\s+not\s+(?:yet\s+)?)(?:been\s+)?start)"
)
_RAN = re.compile(r"\b(?:ran|given|since|until|till|stopped|progress\w*|pd)\b")
# a line said with when or how long it was given ("was lanreotide 2019-2023 an adequate trial?", "does PRRT x4 in 2022
# rule out more?"): given, even inside a question
_GIVEN_WHEN = re.compile(r"\b(?:19|20)\d\d\b|\bx\s*\d\b|\b\d+\s*(?:cycles?|doses?|mo|months?|yrs?|years?)\b")
_THIRD_PERSON = re.compile(rf"\b(?:pt|patient)\b(?!'s\s+{_RELATIVE})")
# a relative writing of the patient: "posting for my mum", "my dad has", "my mum (72F)", or a post that opens with
# the relative ("Dad has liver mets from his pancreas NET, 70M")
_RELATIVE_POSTING = re.compile(
    rf"(?:\b(?:my|our)\s+|^\W*(?:(?:hi|hello|hey|morning|evening)(?:\s+(?:all|everyone|there))?\W+)?){_RELATIVE}\b"
)
_NOT_CLEAN = re.compile(r"\bbut\b|\bexcept\b|metasta|\bmets?\b|\blesions?\b|\bdeposits?\b|\bnew\b")
_CLEAN_SCAN = re.compile(
    r"\b(?:ct|mri|scans?|imaging|pet)\b(?:\s+[\w/-]+){0,2}?\s+(?:clean|clear|nad|normal)\b(?!\s+of\b)"
)
# a recurrence or metastases treated and cleared, in one sentence: "2022 2 new liver lesions seg 6/7 -> resected, NED
# since" is history (the operation is read; the lesions are not disease now). Not: "NED until 2024, now new mets".
_EPISODE = re.compile(r"\bnew\b|recurr|relaps|\bmets?\b|metasta|lesions?\b|deposits?\b")
_CLEARED = re.compile(
    r"\b(?:resected|excised|ablated|removed|rfa'?d|rfa|treated|metastasectomy|\w*hepatectomy|sectionectomy)\b[^.;\n]{0,40}?"
    r"\b(?:ned|no\s+evidence\s+of\s+disease|disease[- ]free|(?:all\s+)?clear\s+(?:on\s+(?:imaging|scans?|ct|mri|pet)\s+)?(?:ever\s+)?since)\b"
    # nothing after it says disease again: "NED for 2 yrs but MRI last week shows 4 liver lesions"
    r"(?![^.;\n]*\b(?:until|till|new|recurr|progress|now|but|then|although|though|shows?|showed|showing|today|lesions?"
    r"|mets?|deposits?|foci|focus|avid|uptake|except|apart|other\s+than|save\s+for|mass|masses|nodes?|nodules?|enlarg\w*"
    r"|grow\w*|bigger|increas\w*|aside|bar|barring|besides|exception|soft\s+tissue|thickening|enhanc\w*)\b"
    r"|[^.;\n]*\b\d+(?:\.\d+)?\s*(?:cm|mm)\b)"
)
# the same said the other way round: "NED after PD + R hepatectomy 2018 for G1 panNET w/ liver mets" (the metastases are
# what the operations were for). Not: a finding of now after it ("NED after DP, but now 2 new liver lesions")
_NED_AFTER = re.compile(
    r"(?<!never\s)(?<!not\s)\b(?:ned|disease[- ]free)\s+(?:after|following|post|since)\s+[^.;\n]{0,40}?"
    r"\b(?:\w*ectomy|resection|whipple|pd|dp|pppd|metastasectomy)\b[^.;\n]{0,60}?\bfor\b[^,.;\n]*"
    # nothing after the operation's object says disease again ("..., 2 liver lesions on MRI 2025", "until 2024 when")
    r"(?![^.;\n]*\b(?:new|recurr\w*|progress\w*|now|but|today|shows?|showed|since\s+then|lesions?|mets?|metasta\w*"
    r"|deposits?|until|till|when|short[- ]lived|apart|except|avid)\b)"
)
# a sentence with a finding of now is not a cleared episode ("MRI today: 3 liver lesions, ... previous mets resected,
# NED since")
_EPISODE_NOW = re.compile(
    r"\b(?:today|now|shows?|showed|showing|currently|last\s+week|this\s+week|yesterday|restaging)\b"
)
# a clause about someone other than the patient: "my friend who has a carcinoid gets monthly injections"
_OTHER_PERSON = re.compile(
    r"\b(?:my|a|her|his|our)\s+(?:friend|friends|neighbou?r|colleague|workmate)\b|\banother\s+patient\b|\bsomeone\s+(?:else|i\s+know)\b"
    r"|\b(?:a|one|another)\s+(?:lady|man|woman|guy|person|patient)\s+(?:in|at|from|on)\s+(?:my|our|the)\b|\bsupport\s+group\b"
    # the patient's relative's history ("her sister had cancer all through her liver"); not "my dad had a Whipple"
    r"|(?<!like\s)(?<!as\s)\b(?:her|his|their)\s+(?:sister|brother|mother|father|mum|mom|dad|aunt|uncle|cousin|grand\w+)"
    r"(?:'s\s+cancer\s+was|\s+(?:had|died))\b"
)
_IMAGING_OF = re.compile(
    r"\b(?:mri|ct|us|ultrasound|imaging|scan|mrcp)\s+(?:of\s+(?:the\s+)?)?(?:whole\s+|[ctl]-?\s?)?$"
)
_QUALIFIER = re.compile(r"possibl[ey]|probable")  # hedges that doubt what follows them
_QUERIED = re.compile(r"\?\s*([a-z0-9][\w/-]*)")
_LESION_WORD = re.compile(
    r"met|lesion|deposit|recur|progress|mass|nodul|spread|disease|p?net\b|tumou?r|malig|haemang|hemang|cyst|mets|fnh|lymph|node|ln\b|focus|foc[ai]|spot|uptake|avid|seg"
)
_NET_NAMED = re.compile(
    r"\bmen1\b|\bnf\b|\bnets?\b|pnet|pannet|pnen|neuroendocrine|carcinoid|insulinoma|gastrinoma|glucagonoma|vipoma|acthoma|\bnec\b"
)


_OPENS_QUESTION = re.compile(
    r"\s*(?:is|are|was|were|should|shall|can|could|would|will|does|do|did|has|have)\s+(?:that|this|it|there|she|he|they|we|i)\b"
)
_OPENS_ASK = re.compile(r"\s*(?:any|is|are|can|could|should|would|does|do|what|which|how)\b")
_OR_GOES_ON = re.compile(r"\s*(?:or\b|and\b|&|\+)")
# where a question's statement ends and what it asks begins: "progressed on everolimus - PRRT or sunitinib?"
_ASK_SEPARATOR = re.compile(r"\s-\s|:")
# a NET already known of the patient: "known met pNET", "known gastrinoma" (not "known gastrinoma in her brother")
_KNOWN_NET = re.compile(
    r"\bknown\s+(?:met(?:astatic)?\s+)?(?:nf-?\s*)?(?:p?nets?|pnen|pannet|neuroendocrine|insulinoma|gastrinoma|glucagonoma|vipoma)\b"
    r"(?![^.;]{0,30}\b(?:family|brother|sister|mother|father|mum|dad|son|daughter|relative))"
)
# a drug named as never given, declined or ruled out ("never had everolimus", "sunitinib contraindicated"): no
# interaction of it to check
_NOT_GIVEN_DRUG = re.compile(
    r"\b(?:never\s+(?:had|been\s+on|received|given)|not\s+(?:a\s+)?candidate\s+for|declined|refused|avoid\w*"
    r"|not\s+(?:for|suitable\s+for))\s+(?:\w+\s+){0,2}$"
)
_NOT_GIVEN_AFTER = re.compile(r"\s*(?:is\s+|was\s+)?(?:contraindicated|declined|refused|not\s+tolerated|ruled\s+out)\b")


def _not_given(clause: str, start: int, end: int) -> bool:
    """The drug at clause[start:end] said as never given, declined or ruled out, by the words right before or after
    it ("never had everolimus", "sunitinib contraindicated"); not "starting everolimus as she declined PRRT"."""
    return bool(_NOT_GIVEN_DRUG.search(clause[max(0, start - 30) : start]) or _NOT_GIVEN_AFTER.match(clause[end:]))


# an outcome wanted, not had ("a cytotoxic regimen to get a response", "we need shrinkage not just stability")
_PURPOSE = re.compile(
    r"(?<!cycles\s)(?<!months\s)(?<!weeks\s)(?<!took\s)"  # "took 6 cycles to get a response": an outcome had
    r"\b(?:to\s+(?:get|achieve|obtain|aim\s+for)|aiming\s+for|hoping\s+for|need|needs|want|wants)\s+(?:a\s+|an\s+)?"
    r"(?:objective\s+)?(?:response|shrinkage|stability|stable\s+disease)(?:\s+not\s+just\s+stability)?\b"
)
_CHOICE_ASKED = re.compile(r"\b(?:vs|versus|or)\b|\?")
_LINE_NUMBERED = r"\b(?:line\s*[1-6]|[1-6]\s*(?:st|nd|rd|th)\s+line|[1-6]l)"  # "line 2", "2nd line", "2L"
_LINE_NUMBER = re.compile(rf"{_LINE_NUMBERED}\s*[:\-]?\s*$")  # just before the drug
_LINE_NUMBER_IN = re.compile(rf"{_LINE_NUMBERED}\b")  # anywhere in a clause
# "(3rd line after lanreotide + sunitinib)": each line named after "after" was given before the one now
_AFTER_LINES = re.compile(r"\bafter\s+(?:[\w-]+\s*(?:\+|&|/|,|\band\b|\bthen\b|->)\s*){0,3}$")
# "diarrhoea after lanreotide + everolimus started", "... + everolimus combination": the drug begun, not a line before
_STARTED_AFTER = re.compile(r"[^.;,]{0,25}?\b(?:started|began|begun|commenced|combination|combined|added)\b")
# "should we just wait", "do i go": asked with no mark, opening the clause or inside it (_clauses)
_WAIT_ASKED = r"\b(?:do|should|shall|can)\s+(?:i|we)\s+(?:just\s+)?(?:wait|go|call|ring)\b"
_WAIT_ASKED_WITHIN = re.compile(_WAIT_ASKED)
# the last words of a message asked without a "?": "... is that soon enough or not", "is that ok"
_ASKED_WITHOUT_MARK = re.compile(
    r"(?:\bor\s+not|\bor\s+what|\b(?:is|would)\s+(?:that|it|this)\s+(?:ok|okay|alright|soon\s+enough|too\s+late))\s*$"
    # "do i wait for the clinic tmrw": a question opened by its verb, with no mark
    rf"|^\s*{_WAIT_ASKED}"
)
# the post's last words open as a question, with no mark ("... how often?? And should I be on the injection to stop it
# coming back")
_ASKS_AT_END = re.compile(
    r"\s*(?:(?:and|also|so|plus|but)\s+)?(?:should|shall|can|could|do|does|will|would|must)\s+"
    r"(?:i|we|she|he|they|you|my|her|his|our|pt|the\s+patient)\b"
)
# "Is that a different drug ...?": a question whose subject is what the sentence before named
_REFERS_BACK = re.compile(
    r"\s*(?:is|are|was|would|will|could|can|does)\s+(?:that|this|it)\b"
    # "Vaccines haven't been given. Can we just give them the day before surgery?": what the sentence before named
    r"|\s*(?:can|could|should|shall)\s+(?:we|i|you|they)\s+(?:just\s+|still\s+)?(?:give|start|do|use|book|have)\s+"
    r"(?:them|it|that|these|this|those)\b"
    # "Family read online about liver transplant & want referral. Is he a candidate?": the option named before
    r"|\s*(?:is|are|would|will|could)\s+(?:he|she|they|the\s+patient|pt|(?:my|our|her|his)\s+\w+)\s+(?:a\s+)?"
    r"(?:candidate|eligible|suitable)\s*\??\s*$"
)


@dataclass
class _Clause:
    text: str
    start: int  # offset in the folded text
    question: bool = False  # ends with "?": "or treat it like a PNET?" does not say what the tumour is


def _clauses(text: str) -> list[_Clause]:
    out, pos = [], 0
    for m in _CLAUSE_SPLIT.finditer(text):
        out.append(_Clause(text[pos : m.start()], pos, "?" in m.group(0)))
        pos = m.end()
    out.append(_Clause(text[pos:], pos))
    out = [c for c in out if c.text.strip()]
    for c, nxt in zip(out, out[1:], strict=False):
        # "Is that a different drug that would work better, or should something else be tried?": the question
        # opened by its verb goes on to the "?" of its sentence
        # ("fed up with the injections - can we space them to every 8 weeks, or stop altogether?": after a dash)
        opens = _OPENS_QUESTION.match(c.text) or _OPENS_QUESTION.match(_ASK_SEPARATOR.split(c.text)[-1])
        # "any issue with TACE after a whipple / the hepaticojejunostomy?": a slash joins the question's alternatives
        slash = "/" in text[c.start + len(c.text) : nxt.start] and bool(_OPENS_ASK.match(c.text))
        # "Is he a candidate, should we refer?": two questions in one sentence, each opened by its verb
        goes_on = _OR_GOES_ON.match(nxt.text) or _OPENS_QUESTION.match(nxt.text)
        if not c.question and nxt.question and ((opens and goes_on) or slash):
            c.question = True
    within = _WAIT_ASKED_WITHIN.search(out[-1].text) if out and not any(c.question for c in out) else None
    if within is not None and within.start() > 0:
        # "... no wind for 2 days should we just wait for his clinic on friday" (no mark, no comma): the question
        # begins where it opens
        last = out.pop()
        at = within.start()
        out += [_Clause(last.text[:at], last.start), _Clause(last.text[at:], last.start + at)]
    if out and not any(c.question for c in out) and _ASKED_WITHOUT_MARK.search(out[-1].text):
        out[-1].question = True  # "her appointment is in 2 weeks is that soon enough or not": asked, with no "?"
    if out and _ASKS_AT_END.match(out[-1].text):
        out[-1].question = True
    return out


# A patient presented: "58F", "58 y/o", "a 67-year-old man", "woman aged 70" (not "stable for 2 years").
_PRESENTS = re.compile(
    r"\b\d{1,3}\s*(?:[mf]\b|y/?o\b|yrs?\s*old\b|-?\s*years?\s*-?\s*old\b)"
    r"|\b(?:male|female|man|woman|gentleman|lady)\s+(?:aged?\s*)?\d{1,3}\b|\baged\s+\d{1,3}\b"
    # a relative presented in lay words: "my mum is 89", "my dad, 74,"
    rf"|{_RELATIVE_AGED}"
    r"|\bi'?m\s+\d{1,3}\b|\bi\s+am\s+\d{1,3}\b"  # the patient writing: "I'm 31"
    # the patient writing of their own operation or diagnosis: "i had a whipple op in 2021", "i was diagnosed with"
    r"|\bi\s+(?:had|have\s+had|underwent)\s+(?:a|an|my)\s+(?:[\w-]+\s+){0,2}?(?:whipple|\w*ectomy|operation|op|surgery)\b"
    r"|\bi\s+(?:had|have\s+had)\s+(?:a|an|my|the)\s+(?:[\w-]+\s+){0,3}?(?:removed|taken\s+out|resected|excised)\b"
    r"|\bi\s+(?:was|have\s+been|got)\s+diagnosed\b"
    # "a 'shadow' on my pancreas", "I have a 2 cm tumour": the patient writing of their own tumour
    r"|\b(?:on|in|of)\s+my\s+pancreas\b|\bi\s+(?:have|'ve\s+got|have\s+got)\s+(?:a|an)\s+(?:[\w'-]+\s+){0,3}?(?:tumou?r|p?net|lesion|mass|growth)\b"
    # a patient by shorthand: "hx pNET", "pt w/ ?insulinoma", "known met PNET"
    r"|\b(?:pt|patient)\s+(?:s/?p|post|had|underwent)\b"  # "pt s/p Whipple 03/2023": a patient and their operation
    r"|\b(?:hx|h/o|pt|known)\s+(?:w/?\s*|with\s+|of\s+)?\??\s*(?:met(?:astatic)?\s+)?"
    r"(?:p?nets?\b|pannet|pnen|insulinoma|gastrinoma|glucagonoma|vipoma|men1|neuroendocrine)"
)


def introduces_patient(text: str) -> bool:
    """The text gives a patient's age or sex and age ("58F", "a 67-year-old man"): it presents someone."""
    return bool(_PRESENTS.search(fold(text)))


# A clause that asks about an option without a question mark ("referred for transplant assessment").
# A bare "agree?", "OK to go ahead?", "reasonable?" asks about the sentence before it.
_CONFIRM = re.compile(
    r"^\s*(?:do\s+you\s+|would\s+you\s+|does\s+the\s+(?:board|mdt)\s+)?(?:agree|ok(?:ay)?(?:\s+to\s+(?:go\s+ahead|proceed))?"
    r"|reasonable|thoughts|views|is\s+(?:that|this)\s+(?:ok|okay|reasonable|right|safe|sensible)|sounds?\s+(?:ok|right|reasonable)"
    r"|any\s+objections?|happy\s+with\s+(?:that|this)|go\s+ahead|fine|correct|right|suitable|appropriate|safe"
    r"|any\s+(?:issues|concerns|problems)|(?:is\s+(?:that|this|it)\s+)?(?:suitable|appropriate|feasible))\s*[?!.]*\s*$"
)
_SWITCHED = re.compile(
    r"\b(?:switched|changed|moved)\s+(?:her|him|them|me|over|the\s+patient)?\s*(?:over\s+)?(?:to|on(?:to)?)\s+$"
)
_WISH = re.compile(
    r"\b(?:keen|interested|set)\s+(?:on|in)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?$"
    r"|\b(?:should|shall|can|could|would)\s+(?:we|i|you|they)\s+(?:add|start|try|use|give|switch\s+to)\s+(?:\w+\s+)?$"
    r"|\b(?:wants?|wanting|going|plans?|planning|intends?|hoping|hope|inclined|minded|tempted)\s+to\s+(?:start|begin|give|try|put|switch)"
    r"\s+(?:(?:him|her|them|me|my\s+\w+|the\s+patient|pt)\s+)?(?:on(?:to)?\s+|with\s+|to\s+)?(?:\w+\s+)?$"
    # "... will she need chemo after will she lose her hair" (no question mark): asked, not given
    r"|\b(?:will|would|does|do|should|might|may|could|can)\s+(?:she|he|they|i|we|mum|mom|dad|my\s+\w+)\s+"
    r"(?:need|have\s+to\s+have|get|be\s+given|require)\s+(?:any\s+|more\s+|the\s+|some\s+)?$"
    # "Son insists on chemo 'whatever it takes'", "family pushing for PRRT": someone's wish, not a line given
    r"|\b(?:insist(?:s|ing|ed)?\s+on|push(?:es|ing|ed)?\s+for|demand(?:s|ing|ed)?|asking\s+for|begging\s+for)\s+"
    r"(?:an?\s+|the\s+|more\s+|some\s+)?['\"‘“]?$"
    # "if it progresses further on everolimus": a line after a progression still to come
    r"|\b(?:if|should|once|when)\s+[^.;,]{0,30}\b(?:progresses|grows|gets\s+worse)\b[^.;,]{0,15}\bon\s+$"
    # "if PD would everolimus be next?": the line after a progression still to come
    r"|\bif\s+(?:(?:there\s+is|she\s+has|he\s+has|it\s+shows)\s+)?(?:pd|progression|progressive\s+disease|progresses|it\s+progresses)"
    r"\s*,?\s*(?:then\s+)?(?:would|will|is|should|could|can|do\s+we\s+(?:use|start|give|go\s+to))?\s*$"
)  # "should we add everolimus to keep it stable?" asks; it does not say she is on it
_REFERS = re.compile(r"\b(?:that|this|them|these)\b\s*\??\s*$")  # "is it worth putting her through that?"
# a plan put to the reader ("planning TACE ...", "I was going to give doxycycline and review in 48h", "GP wants to add
# ramipril", "they'd rather wait for his appt in 6 wks", "Plan: continue everolimus ... ok?", a last "what do we do"):
# asked, so that an answer can say "do not wait"; never a question clause (its stated facts are not hedged)
_PROPOSES = re.compile(
    r"\s*(?:we\s+are\s+|we're\s+)?(?:planning|proposing|proposal:?|plan\s+is|referred\s+for|listed\s+for|booked\s+for)\b"
    r"|\s*(?:so\s+|and\s+)?(?:i|we)\s+(?:was|were|am|are)\s+(?:going|planning|about)\s+to\b"
    r"|\s*(?:the\s+)?(?:gp|team|ward|surgeons?|reg(?:istrar)?)\s+(?:wants?|is\s+going|plans?|is\s+planning)\s+to\b"
    r"|\s*(?:my\s+|our\s+|the\s+)?plan\s*(?::|is\s+to\b|to\s+(?:start|give|begin|switch|add|stop|book|continue)\b)"
    r"|.*\b(?:'d|would)\s+rather\s+wait\b|.*\b(?:wants?|prefers?|keen)\s+to\s+wait\b"
    r"|\s*(?:so\s+|and\s+)?what\s+(?:do|should|shall|can)\s+(?:i|we)\s+do\b"
)
_GOES_ON = re.compile(
    r"\s*(?:and|or)\s+(?:if\s+so|if\s+not|when|how\s+long|for\s+how\s+long)\b"
)  # "..., and if so for how long?"
_ASK_GOES_ON = re.compile(r"\s*(?:and|or)\s+(?:whether|if|how|what|when|which|why)\b")
# "Boss wants to give a fluid bolus, keep on ward obs and get CT in the morning", "Proposal: continue lanreotide, rescan
# 3/12": the plan put goes on, verb by verb
_PLAN_GOES_ON = re.compile(
    r"\s*(?:and\s+|then\s+)?(?:keep|get|give|start|book|repeat|recheck|review|see|wait|send|discharge|arrange|rescan"
    r"|restage|continue)\b"
)
_PLAN_PUT = re.compile(r"\b(?:wants?|going|planning|plans?)\s+to\b")
# "Family read about liver transplant, asking if she can be listed": the asking clause is about the one before
_ASKING_ON = re.compile(r"\s*(?:and\s+|now\s+)?(?:asking|wondering)\s+(?:if|whether|about)\b")
_ASKING = re.compile(
    r"\b(?:referr?(?:ed|al)?\s+for|considered?\s+for|considering|candidate\s+for|assessment\s+for|\w+\s+assessment"
    r"|asking\s+(?:about|whether|if|for|re|regarding)|wonder\w*|thoughts\s+on|offered|offering|keen\s+on|wants?\s+(?:to|a|an))\b"
    r"|\b(?:asks?|asked)\s+(?:about|whether|if|how|what|when|which|why|for|re|regarding)\b|\bwants?\s+to\s+know\b"
    r"|\bpropos(?:es|ed|al)\b|\brequest(?:s|ed|ing)?\b|\bsuggest(?:s|ed|ing)\b|\bothers?\s+want\b"
    # "Pt read about transplant online, asking for referral": an option the patient or family brings is asked about
    r"|\b(?:read|heard|seen|saw|looked\s+up)\s+(?:online\s+)?(?:about|of)\b"
    # "Onc wants adjuvant lanreotide 'to be safe'": after an operation, any line is a proposal the plan answers
    r"|\badjuvant\b"
)
# "everolimus (PD)", "PRRT x4 (PR)": the outcome in brackets belongs to the drug before it.
# "lanreotide (PD at 11 mo)", "(PD 14 mo later)", "(SD 2023)": the outcome joins the drug's clause
_RADIOLIGAND_IN_BRACKETS = re.compile(
    r"\(\s*((?:lu[- ]?177|177[- ]?lu|lutetium(?:[- ]?177)?)(?:[- ]?(?:dotatate|dotatoc|dota))?|lutathera)\s*\)"
)
_OUTCOME_IN_BRACKETS = re.compile(
    r"\(\s*(?:(?:19|20)?\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\s*,\s*|\d+\s*(?:mo|mos|months?|cycles?|yrs?|years?)\s*,\s*)?"
    r"(pd|pr|sd|cr|progress\w*|stable|respon\w*)"
    r"(?:\s+(?:at|after|in|within|by)?\s*\d+(?:\.\d+)?\s*(?:mo|mos|months?|m|wks?|weeks?|yrs?|years?)\b(?:\s+later)?"
    r"|\s+(?:in\s+)?(?:\d{1,2}/)?(?:19|20)?\d\d)?\s*\)"
)
_DURATION = re.compile(
    r"\s*(?:pfs|os|ttp|for|x)?\s*~?\d+(?:\.\d+)?\s*(?:y|yr|yrs|years?|m|mo|mos|months?|wks?|weeks?)\b"
)
# the operation that would remove a share of the disease, said before the share
_SHARE_VERB = (
    r"\b(?:debulk\w*|cytoreduc\w*|resect(?:ing|ion\s+of)?|remov(?:e|es|ing|al\s+of)|clear(?:ing)?|excis(?:e|ing|ion\s+of)"
    r"|take\s+out|get)"
)
_REMOVED_SHARE = re.compile(_SHARE_VERB + r"\s*~?\s*$")  # just before a percentage ("debulking ~50% of liver burden")
# the primary named just after a size: "1.6 cm NF pNET", "2 cm pancreatic lesion", "1.4cm insulinoma"
_PRIMARY_NAMED = re.compile(
    r"\s*(?:(?:nf|non-?functioning|non-?functional|pancreatic|well[- ]diff\w*|incidental)[\s-]+)*"
    r"(?:p?nets?\b|pnen|pannet|pancrea\w*|insulinoma|gastrinoma|glucagonoma|vipoma)"
)
# the share of the tumour burden an operation would remove: "debulking ~50%", "can get about 55% of the liver disease",
# "get ~50-60% of the tumour out" (the upper figure), "get maybe half of the liver disease out". Only a debulking's
# figure, or a share said of the disease (_SHARE_OF_DISEASE): never "remove 60% of the liver", "half-dose", "half of
# the pancreas"
_SHARE_REMOVED = re.compile(
    _SHARE_VERB + r"\s*(?:about|around|approx\w*\.?|~|maybe|perhaps|roughly|only)?\s*"
    r"(?:(?:\d{1,3}\s*%?\s*(?:-|–|to)\s*)?(\d{1,3}(?:\.\d+)?)\s*%|(?P<half>half)\b)"
)
_REST_TREATED = re.compile(
    r"\b(?:two[- ]stage|staged (?:hepatectomy|resection|liver resection|approach)|first stage|second stage"
    r"|ablat\w* the rest|the rest (?:with|by) (?:rfa|ablation|tace|tae))\b"
)
_SHARE_OF_DISEASE = re.compile(
    r"\s*of\s+(?:the\s+|his\s+|her\s+)?(?:total\s+)?(?:tumou?r\s+|liver\s+|hepatic\s+)?"
    r"(?:burden|disease|mets|metastases|deposits|lesions|tumou?r)\b"
)
# "HPB estimate only ~50% of total tumour burden resectable", "max ~50% of liver tumour resectable"
_SHARE_RESECTABLE = re.compile(
    r"(?:about|around|approx\w*\.?|~)?\s*(\d{1,3}(?:\.\d+)?)\s*%\s*(?:of\s+(?:the\s+)?(?:total\s+)?(?:(?:tumou?r|liver|hepatic)\s+){0,2}"
    r"(?:burden|disease|volume|tumou?r|mets|metastases)\s+)?(?:is\s+|would\s+be\s+)?resectable\b"
)
# spread named as what an operation would prevent ("keen to enucleate now 'to prevent mets'"): no metastasis said
_PREVENTS_SPREAD = re.compile(
    r"\bto\s+(?:prevent|stop|avoid)\s+(?:any\s+|future\s+|it\s+)?(?:from\s+)?(?:mets|metastas[ie]s|spread\w*)\b"
)
# a question about the drug just after it, in a clause that asks: "Switch to everolimus?", "- is PRRT next?"
_ASKED_BEFORE = re.compile(
    r"(?<!after\s)(?<!since\s)(?<!before\s)\b(?:switch|change|move|go)\s+(?:over\s+)?to\s+$"
    r"|(?:^|\s[-–]\s|:)\s*(?:is|are|should|would|could|can|do|does)\s+(?:we\s+|she\s+|he\s+|they\s+)?$"
)
# a line proposed, just before the drug: "letter says 'PD - consider switch to everolimus'", "then IR to RFA the rest"
_PROPOSED_JUST_BEFORE = re.compile(
    r"\b(?:consider(?:s|ing)?|propos(?:e|es|ing)|keen\s+(?:on|to)|wants?\s+to|plan(?:s|ning)?\s+to|would\s+like\s+to)\b"
    r"(?:\s+(?!stop|hold|halt|ceas|discontinu|withdraw|reduc|off\b|come\b|coming\b)[\w-]+){0,3}\s*$"
    # "wants to call it progression and switch to sunitinib": the drug the switch proposed
    r"|\b(?:wants?\s+to|would\s+like\s+to|keen\s+to|plans?\s+to)\b[^.;?]{0,60}\b(?:switch|change|move|go)\s+(?:him\s+|her\s+)?(?:over\s+)?to\s+$|\b(?:ir|surgeons?)\s+to\s+$|\breferr(?:ed|al)\s+(?:\w+\s+){0,2}(?:for|to)\s+(?:\w+\s+)?$"
)
_YES_NO_QUESTION = re.compile(r"\s*(?:does|do|did|is|are|was|could|can|would|might|will)\b")
_IMAGED_GROWTH = re.compile(
    r"\bnew\s+(?:\w+\s+){0,2}(?:lesions?|mets?|metastas[ie]s|deposits?)\b|\bgrew\b|\bpd\b|recist|\benlarg|\bincreas\w*\s+(?:in\s+)?size"
)
_JOINED_EVENT = re.compile(
    r"\s*(?:and|&|\+)\s+[^.;,\n()?]+"
)  # what "and" joins to a graded toxicity, to its clause end
_AGO = re.compile(
    r"\b\d+\s*(?:days?|d|wks?|weeks?|months?|mo|mos|yrs?|years?)\s+ago\b|\blast\s+(?:week|month|year)\b|\byesterday\b"
)
_TALKED_ABOUT = re.compile(
    r"\b(?:mention\w*|discuss\w*|suggest\w*|offer\w*|brought\s+up|rais\w*|propos\w*|consider\w*)\b"
)
_ARROW = re.compile(r"->|→|=>|>>")
_SHARED_VERB = re.compile(r"\s*on\b")
_COURSE = re.compile(
    r"\bcycles?\s+\d+\s+(?:of|/)\s*\d+|\bbetween\s+cycles|\bmid[- ]?(?:cycle|course)|\bday\s+\d+\s+of\s+cycle"
    # "booked for the 4th cycle", "his 3rd Lu-177 cycle": an earlier cycle was given, so the course is under way
    r"|\b(?:[2-9]|2nd|3rd|[4-9]th|second|third|fourth|fifth|sixth)\s+(?:[\w-]+\s+){0,2}?(?:cycle|dose|infusion)\b"
    # "had her lutathera (2nd one) 2 weeks ago": the second of the course
    r"|(?:^|\()\s*(?:2nd|3rd|[4-9]th|second|third|fourth)\s+(?:one|lot|session|treatment)\s*(?:\)|$)"
    # "everolimus 10mg for met PNET, ~6 wks in: dry cough": weeks into the line, so it is given now
    r"|\b\d+\s*(?:wks?|weeks?|months?|mos?)\s+in\b(?=\s*(?:[:,;.)-]|$|now\b|and\b|with\b))"
    r"|\b(?:cycle|dose|infusion)\s*#?\s*[2-9]\b(?![.\d])(?!\s*(?:cm|mm|%|mg|g\b))"  # "booked for PRRT cycle 2"
    # "C2 due": a cycle; never a cervical vertebra ("C5 and T9 deposits", "C5 lesion", "C3/4")
    r"|\bc\s*[2-9]\b(?![-/\s]*(?:c?\d|[tl]\d|and\s+[ctl]\d|vertebr|spin|lesion|deposit|met|disc|cord|level|body))"
    r"|\b(?:prrt|lutathera|lu177|dotatate|stz|5fu|captem|capox|chemo)\W+(?:\w+\W+){0,2}?c\s*[2-9]\b"  # "Lu-DOTATATE C3/4"
)
# A clause that is only an item of a list of drugs ("everolimus", "and sunitinib"): it shares the outcome
# said of the list before it.
_LIST_ITEM = re.compile(
    r"\s*(?:and\s+|or\s+|then\s+|&\s*)?[a-z0-9+/ -]{3,30}\s*$"
)  # a clause that is only "on <drug>", its verb said before it
_TRAILING_AND = re.compile(r"\band\s*$")
_LAB_LINK = re.compile(r"\b(?:came|come|has come|have come)\s+back\s+(?:at|as)\b|\b(?:returned|reported)\s+(?:at|as)\b")
_NOTHING_ELSE = re.compile(r"\s*nothing\s+else\s+(?:seen|found|identified|shown)\b")
_MARKER_RISE = re.compile(
    r"\b(?:cga|chromogranin(?:\s+a)?|markers?|gastrin|5-?hiaa|nse)\b\s*(?:\w+\s+){0,2}?(?:doubl(?:ed|ing)|rising|risen|rose|increas\w*|up)\b"
    r"|\b(?:doubl(?:ed|ing)|rising|increasing)\s+(?:cga|chromogranin|markers?|gastrin)\b"
)
_TEST_CONTEXT = 60  # characters before a lab value searched for the test it came from (urgent.yaml unless_before)
# "everolimus on progression", "PRRT if it progresses": a line proposed for later, and no growth now (never with a
# date after it: "then everolimus on progression in 2022" was given)
_IF_PROGRESSES = re.compile(
    r"\s*\b(?:on|at|upon|if|when)\s+(?:further\s+|it\s+|there\s+is\s+)?(?:progression|progresses|pd)\b"
    r"(?!\s*(?:in\s+)?(?:\d{1,2}/)?(?:19|20)\d\d)"
)
_PROPOSAL = re.compile(r"\b(?:suggest\w*|propos\w*|plan\w*|consider\w*|would|recommend\w*|thinking)\b")
_SUPPOSED = re.compile(r"\b(?:and\s+if|what\s+if|if\s+(?:it|she|he|they)\s+(?:were|was|is)|suppose|assuming)\b")
# "the side effects of everolimus", "the dose of lanreotide": a question about the drug, no line given
_ABOUT_DRUG = re.compile(
    r"\b(?:what|which|how|any|common|usual|typical|main)\b[^.;]{0,30}?"
    r"\b(?:side[- ]?effects?|toxicit(?:y|ies)|adverse\s+effects?|dose|dosing|evidence|data)\s+(?:of|for)\s+$"
)
_SIDE_EFFECT_OF = re.compile(
    r"\b(?:side[- ]?effects?|adverse\s+effects?|toxicit(?:y|ies))\s+(?:of|from|with)\s+(?:the\s+)?$"
)
_WAS_ON = re.compile(r"\b(?:was|were|had\s+been|used\s+to\s+be|previously)\s+on\s+(?:\w+\s+)?$")
_STOP = re.compile(r"\b(?:stop|discontinu|ceas|held\b|withh[oe]ld|withdr[ae]w|intoleran|came\s+off|taken\s+off|switch)")
_CANNOT = re.compile(
    r"\b(?:can'?t|cannot|can\s+not|could(?:n'?t|\s+not)|won'?t|unable\s+to|not\s+able\s+to|impossible\s+to)\b[^.;,]*$"
)
_HAD = re.compile(r"\b(?:had|received|underwent|s/?p)\s+$")
_THEN = re.compile(r"\bthen\b|" + _ARROW.pattern)  # between two clauses: the next line of a sequence, not a list item
_METASTASIS_WORD = re.compile(r"\bmet(?:s|astas[ie]s|astatic)?\b|\bdeposits?\b")


def _affirms_metastasis(clause: str) -> bool:
    m = _METASTASIS_WORD.search(clause)
    return m is not None and not _negated(clause, m.start(), m.end())


# "cannot exclude a node", "a node can't be ruled out": a hedge (case.yaml `hedges`), never a negation
_NOT_EXCLUDED = re.compile(
    r"\b(?:can\s*not|can'?t|could\s*not|couldn'?t|unable\s+to|not\s+able\s+to|impossible\s+to|not)\s+"
    r"(?:be\s+)?(?:exclude[ds]?|rul(?:e|ed)\s+out|confidently\s+exclude[ds]?)\b"
)


def _negated(clause: str, start: int, end: int) -> bool:
    clause = _NOT_EXCLUDED.sub(lambda m: " " * len(m.group()), clause)
    before, after = clause[:start], clause[end:]
    # a negation does not reach past "but", "and" with a new person ("breathless without walking far and my temp
    # was 38.6") or a new statement ("no nodes and the DOTATATE shows ..."); it does along a list ("no mets in the
    # liver and the lungs")
    if _PRE_NEG.search(_NEW_SUBJECT.split(before[-40:])[-1]):
        return True
    post = _POST_NEG.search(after[:60])  # the window is 30 characters; the words after it only decide its lookaheads
    return post is not None and post.end() <= 30


def _cm(m: re.Match[str]) -> float:
    """The largest dimension of a size match, in cm."""
    largest = max(Decimal(g) for g in m.groups()[:3] if g)
    return float(largest / 10 if m.group(4).startswith(("mm", "milli")) else largest)


def _number(s: str | None) -> float | None:
    return float(Decimal(s)) if s else None


def _ki67_value(m: re.Match[str]) -> float | None:
    """A Ki-67 match's figure: the top of a range, else the value (groups as _KI67 writes them)."""
    high, low, alt = m.group(3) or m.group(7), m.group(2) or m.group(6), m.group(4)
    return _number(high or low or alt)


class CaseParser:
    def __init__(self, knowledge: Knowledge, lexicon: Lexicon):
        self.k = knowledge
        self.lex = lexicon
        self.functional = {s.id: s.functional for s in knowledge.subtypes.subtypes}
        v = knowledge.case
        self.presentations = [
            (
                p.subtype,
                p.evidence,
                [[terms_pattern(group) for group in entry] for entry in p.all_of],
                terms_pattern(p.unless) if p.unless else None,
                p.suspected,
            )
            for p in v.presentations
        ]
        self.primaries = {name: terms_pattern(terms) for name, terms in v.primaries.items()}
        self.pending = terms_pattern(v.diagnosis_pending)
        self.pending_anywhere = terms_pattern(v.diagnosis_pending_anywhere)
        self.weak_pending = terms_pattern(v.weak_pending)
        self.differentiation = {name: terms_pattern(terms) for name, terms in v.differentiation.items()}
        self.procedures = {name: terms_pattern(terms) for name, terms in v.procedures.items()}
        # "DP+S 06/23": a month/year before the knowledge edition's year is past (the edition, not the clock: a reading
        # that changes on 1 January is no reading); that year's or a later one may be a booking ("DP/S on 4/26"), so
        # it says nothing. Never UK shorthand ("in 2/12" months, "3/52" weeks) or a count ("mitoses 3/10 HPF")
        year = knowledge.meta.edition_date.year % 100
        before = "|".join(f"{y:02d}" for y in range(max(0, year - 20), year) if y not in (7, 12))
        self.past = terms_pattern(
            [
                *v.procedure_past,
                rf"(?<!in )(?<!for )(?<!within )(?<!mitoses )(?<!mitotic )(?<!mitotic count )(?:0?[1-9]|1[0-2])/"
                rf"(?:{before})(?![/\d])(?!\s*(?:hpf|hpfs|high|ln|nodes?|lymph|mm|cm))",
            ]
        )
        self.future = terms_pattern(v.procedure_future)
        self.done = terms_pattern(v.procedure_done)
        self.recurrence = terms_pattern(v.recurrence)
        self.recurrence_word = re.compile(r"\brecurr|\brelaps")
        self.outcomes = [(name, terms_pattern(terms)) for name, terms in v.outcomes.model_dump().items()]
        self.outcome_rank = {name: i for i, (name, _) in enumerate(self.outcomes)}
        self.toxicity = terms_pattern(v.toxicity_grade_context)
        self.unfit = terms_pattern(v.unfit)
        self.declines_surgery = terms_pattern(v.declines_surgery)
        self.declined_by_team = terms_pattern(v.declined_by_team)
        self.frail = terms_pattern(v.frail)
        self.inpatient = terms_pattern(v.inpatient)
        self.inpatient_home = terms_pattern(v.inpatient_home)
        self.lay_poster = terms_pattern(v.lay_poster)
        self.lay_poster_not = terms_pattern(v.lay_poster_not)
        self.toxicity_worse = terms_pattern(knowledge.urgent.toxicity.worse)
        self.doses_missed = terms_pattern(v.doses_missed)
        self.stable_elsewhere = terms_pattern(v.stable_elsewhere)
        # growth said of the tumour: _PROGRESS, or a new lesion of it (case.yaml new_lesions)
        self.progress = re.compile(f"{_PROGRESS.pattern}|{terms_pattern(v.new_lesions).pattern}")
        self.syndrome_settled = terms_pattern(v.syndrome_settled)
        self.shrinkage_needed = terms_pattern(v.shrinkage_needed)
        self.other_test_negative = terms_pattern(v.other_test_negative)
        self.not_tumour_size = terms_pattern(v.not_tumour_size)
        self.tumour_size_kept = terms_pattern(v.tumour_size_kept)
        self.side_effects_asked = terms_pattern(v.side_effects_asked)
        self.side_effect_now = terms_pattern(v.side_effect_now)
        self.treatment_naive = terms_pattern(v.treatment_naive)
        self.fit = terms_pattern(v.fit)
        self.fit_uncertain = terms_pattern(v.fitness_uncertain)
        self.comorbidity = terms_pattern(v.comorbidity)
        self.hedge = terms_pattern(v.hedges)
        self.benign = terms_pattern(v.benign)
        self.benign_lesion = terms_pattern(v.benign_lesions)
        self.widespread = terms_pattern(v.liver_widespread)
        self.bilobar = terms_pattern(v.liver_bilobar)
        self.few_liver = terms_pattern(v.liver_few)
        self.in_situ = terms_pattern(v.primary_in_situ)
        self.vascular = terms_pattern(v.vascular)
        self.biliary = terms_pattern(v.biliary_obstruction)
        self.peripheral = terms_pattern(v.peripheral)
        self.central = terms_pattern(v.central)
        self.malignant = terms_pattern(v.malignant_features)
        self.clinical = terms_pattern(v.clinical_words)
        self.fdg_pos = terms_pattern(v.fdg_positive)
        self.fdg_neg = terms_pattern(v.fdg_negative)
        self.several = terms_pattern(v.several_lesions)
        self.no_syndrome = terms_pattern(v.no_syndrome)
        self.hormone_clues = terms_pattern(v.hormone_clues)
        self.scan_booked = terms_pattern(v.scan_booked)
        self.scan_not_booked = terms_pattern(v.scan_not_booked)
        self.scan_repeat = terms_pattern(v.scan_repeat)
        self.prrt_course = terms_pattern(v.prrt_course)
        self.tox_kinds = {kind: terms_pattern(terms) for kind, terms in v.toxicity_events.items()}
        self.antitumour = antitumour(knowledge)
        ssa = next(c for c in knowledge.therapies.classes if c.id == "ssa")
        self.ssa_drugs = {"ssa", *ssa.members}
        u = knowledge.urgent
        self.history_header = re.compile(u.history_section.header)
        self.history_ends = terms_pattern(u.history_section.ends)
        h = u.history_section
        # every cut of a section, named by kind: an item's end, a join to the part after, an aside on the part before
        self.history_cuts = re.compile(
            "|".join(
                f"(?P<{kind}{i}>{x})"
                for kind, terms in (("split", h.splits), ("join", h.joins), ("aside", h.asides))
                for i, x in enumerate(terms)
            )
        )
        self.history_past = terms_pattern(u.history_section.past)
        self.history_ongoing = terms_pattern(u.history_section.ongoing) if u.history_section.ongoing else None
        self.labs = [
            (lab.id, re.compile(lab.pattern), lab.ranges, terms_pattern(lab.unless) if lab.unless else None)
            for lab in u.labs
        ]
        self.settling_labs = {
            lab.id: (lab.settles, terms_pattern(lab.settles.unless) if lab.settles.unless else None)
            for lab in u.labs
            if lab.settles
        }
        self.findings = [
            (
                f.id,
                {(lab, side) for lab in f.labs for side in ([f.side] if f.side else ["low", "high"])},
                [[terms_pattern(group) for group in entry] for entry in f.all_of],
                terms_pattern(f.unless_before) if f.unless_before else None,
                {(lab, side) for lab in f.quotes for side in ("low", "high")},  # quoted whichever side is abnormal
                terms_pattern(f.settled) if f.settled else None,
                set(f.beside_current),
                terms_pattern(f.read_with) if f.read_with else None,
                f.hormonal,
            )
            for f in u.findings
        ]

    def parse(self, text: str) -> Case:
        plain = fold(text)
        folded = _OUTCOME_IN_BRACKETS.sub(r" \1 ", _AGE_SEX.sub(" ", _ROLE.sub(" nurse ", plain)))
        folded = _RADIOLIGAND_IN_BRACKETS.sub(r" \1 ", folded)  # "PRRT (Lu-177 DOTATATE) vs everolimus?": one clause
        case = Case()
        used: list[tuple[int, int]] = []  # spans of the folded text that gave a fact, for "ignored"
        self._size(folded, case, used)
        ki_span = self._ki67_mitoses_grade(folded, case, used)
        self._burden(folded, case, used, ki_span)
        self._location(folded, case, used)
        clauses = _clauses(folded)
        # a post about a patient in the third person, not a relative writing of the patient ("my mum (72F)")
        third_person = bool(
            (_AGE_SEX.search(re.sub(_RELATIVE_AGED, " ", plain)) or _THIRD_PERSON.search(folded))
            and not _RELATIVE_POSTING.search(folded)
        )
        cleared = [
            (m.start(), m.end())
            for m in re.finditer(r"[^.;\n]+", folded)
            if (_CLEARED.search(m.group(0)) or _NED_AFTER.search(m.group(0)))
            and _EPISODE.search(m.group(0))
            and not _EPISODE_NOW.search(m.group(0))
        ]
        listing = False  # the clause before was a site of a list after "metastatic PNET (": "liver, bone, lung"
        for i, clause in enumerate(clauses):
            before = _snapshot(case)
            prev = clauses[i - 1].text if i else ""
            nxt = clauses[i + 1].text if i + 1 < len(clauses) else ""
            met = _METASTATIC.search(prev)
            after_mets = (
                bool(met and not _negated(prev, met.start(), met.end())) or (listing and len(tokens(clause.text)) <= 2)
            ) and not re.search(r"\b(?:mri|ct|pet|dotatate|scan)\b", clause.text)
            listing = after_mets and len(tokens(clause.text)) <= 2
            following = [c.text for c in clauses[i + 1 : i + 3] if len(tokens(c.text)) <= 5]
            hedged = self._hedged(clause.text) or (
                not _affirms_metastasis(clause.text) and any(self._hedged(t) for t in following)
            )  # "liver lesion, ?haemangioma" is unconfirmed; "liver mets, plus a small haemangioma" is not
            text_, question = clause.text, clause.question
            # "Progressed on everolimus - PRRT or sunitinib?": the options asked give no line; what is said before
            # them is read as said (not asked)
            asked = _ASK_SEPARATOR.split(text_)[-1]
            if question and _only_drugs(asked, self._drugs(self.lex.find(tokens(asked))), _CHOICE_WORDS):
                if asked == text_:
                    continue  # "Next line? PRRT?": a drug asked about, not a line given
                text_, question = text_[: len(text_) - len(asked)], False
            if third_person and _RELATIVE_HISTORY.search(text_) and not _THIRD_PERSON.search(text_):
                continue  # "28M ... mum had total pancreatectomy for MEN1": the family's history, not the patient's
            if any(a <= clause.start < b for a, b in cleared):
                # "2022 new liver lesions -> resected, NED since": the operation done, no disease now
                recurrence = case.recurrence
                self._history(text_, case, prev)
                case.recurrence = recurrence
                if _LOCALISED.search(text_):
                    case.metastatic = False
                used.append((clause.start, clause.start + len(clause.text)))
                continue
            if question:  # "aren't these 90% metastatic?" asks; it does not say the case is
                after_mets, hedged = False, True
            if _LIST_NEGATION.search(prev) and _LIST_TAIL.search(text_) and len(tokens(text_)) <= 6:
                text_ = (
                    "no " + text_
                )  # "no evidence of hepatic, osseous or pulmonary disease": the list shares the "no"
            gap = folded[clauses[i - 1].start + len(prev) : clause.start] if i else ""
            # the sentence's words before this clause ("2 new liver lesions (1.5 and 2cm) seg 6/7, everything else stable")
            joined = _SENTENCE_END.split(folded[: clause.start])[-1]
            self._clause(text_, case, after_mets, prev, hedged, nxt, bool(_THEN.search(gap)), question, joined)
            # read, though it changed nothing: "nursing home ..., advanced dementia, ECOG 4" all say frail
            if (
                _snapshot(case) != before
                or self.frail.search(text_)
                or self.unfit.search(text_)
                or self.declines_surgery.search(text_)
            ):
                used.append((clause.start, clause.start + len(clause.text)))
        self._presentation(folded, clauses, case, used)
        self._primary(folded, clauses, case, used)
        if case.subtype and case.functional is None:
            case.functional = self.functional[case.subtype]
        elif case.functional is None and not case.subtype and not self.hormone_clues.search(folded):
            said = [c for c in clauses if not c.question and not re.match(r"\s*(?:if|unless|when)\b", c.text)]
            if (no_syndrome := _first_affirmed(self.no_syndrome, said)) is not None:
                case.functional = False  # "no symptoms at all", "asymptomatic": no hormone syndrome, no subtype named
                used.append(no_syndrome)
        if case.hepatic_burden_pct and "liver" not in case.metastases:
            case.metastases.append("liver")  # "30% liver replacement" is liver disease
            case.metastatic = True
        case.metastases = [s for s in SITE_ORDER if s in case.metastases]
        case.metastases_ruled_out = [
            s for s in SITE_ORDER if s in case.metastases_ruled_out and s not in case.metastases
        ]
        named = [x for x in case.metastases if x != "lymph_nodes"]
        if not named and (
            case.metastatic or (case.metastatic is None and any(t.outcome in FAILED for t in case.treatments))
        ):
            # "Met pNET ... Liver + nodes", "... PD on everolimus, liver + peritoneal": bare sites are metastases
            for c in clauses:
                sites = [sp.id for sp in self.lex.find(tokens(c.text)) if sp.kind == "site" and sp.id in CASE_SITES]
                if sites and len(tokens(c.text)) <= 2 * len(sites) + 1 and not _negated(c.text, 0, 0):
                    case.metastases += [x for x in sites if x not in case.metastases + case.metastases_ruled_out]
        if "liver" not in case.metastases + case.metastases_ruled_out + case.uncertain_sites and any(
            t.drug in self.k.case.liver_treatments for t in case.treatments
        ):
            case.metastases.append("liver")  # "TACE right lobe 8 days ago": given to liver metastases
        if any(s != "lymph_nodes" for s in case.metastases):
            case.metastatic = True  # a named distant site outweighs a negated phrase elsewhere
        span = _first_affirmed(self.fit_uncertain, clauses)
        said = [c for c in clauses if span is not None and c.start <= span[0] < c.start + len(c.text)]
        if span is None and case.fit_for_surgery is None:
            # "78yo, ECOG 2, COPD and CKD3": each clause naming one is weighed by the board, so each is quoted
            said = [c for c in clauses if _first_affirmed(self.comorbidity, [c]) is not None]
        if said:
            # "surgeons unsure if she's fit": asked, whatever else is said ("no comorbidities" is not)
            case.fit_for_surgery = None
            case.evidence["fit_for_surgery"] = "uncertain: " + "; ".join(unfold(text, c.text.strip()) for c in said)
            used += [(c.start, c.start + len(c.text)) for c in said]  # read: the board's question quotes them
        if _first_affirmed(self.in_situ, clauses) is not None:
            case.prior_surgery = [p for p in case.prior_surgery if p not in PRIMARY_OPERATIONS]
        if (span := _first_affirmed(self.widespread, clauses)) is not None and re.search(r"liver|hepatic|lobe", folded):
            case.liver_widespread = True
            used.append(span)  # "14 lesions both lobes" was read
        if (span := _first_affirmed(self.bilobar, clauses)) is not None:
            # "4 liver mets 1.5-3 cm, both lobes": a few lesions counted in its sentence are not widespread disease
            start = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, span[0])), default=0)
            end = next((m.start() for m in _SENTENCE_END.finditer(folded, span[1])), len(folded))
            case.liver_widespread = case.liver_widespread or not self.few_liver.search(folded[start:end])
            used.append(span)
        if case.hepatic_burden_pct is not None and case.hepatic_burden_pct >= self.k.case.diffuse_liver_burden_pct:
            case.liver_widespread = True  # half the liver or more replaced is diffuse disease, whatever the count
        if case.sstr is None:  # "the scan with the special tracer (DOTATATE) didn't light up"
            for sentence in re.split(r"[.;\n]+", folded):
                if (m := _SSTR_TOPIC.search(sentence)) and "fdg" not in sentence:
                    self._sstr(sentence[m.start() : m.end() + 80], case)
        self._scan_booked(folded, case, used)
        if case.sstr == "positive":  # "primary avid, liver lesions NOT avid": mixed uptake is not SSTR-positive
            for sentence in re.split(r"[.;\n]+", folded):
                if not _SSTR_TOPIC.search(sentence):
                    continue
                part = [p for p in _PART_OF.finditer(sentence) if int(p.group(1)) < int(p.group(2))]
                # of the receptor scan's words only: "DOTATATE heterogeneous, FDG avid in the liver" is mixed uptake
                own = next((x for x in sentence.split("fdg") if _SSTR_TOPIC.search(x)), None)
                if (m := _SSTR_MIXED.search(own) if own else None) or part:
                    if (
                        m is not None
                        and _SSTR_UNEVEN.fullmatch(m.group(0))
                        and not part
                        and not _SSTR_NEG.search(own or "")
                    ):
                        # "DOTATATE uptake heterogeneous", "SSTR+ but heterogeneous, FDG+ in 3 lesions": receptor-
                        # positive, unevenly (no lesion is said negative); the board weighs PRRT and the analogue
                        case.sstr_heterogeneous = True
                        case.evidence["sstr"] = "heterogeneous uptake: " + m.group(0)
                        continue
                    case.sstr = "negative"
                    case.evidence["sstr"] = "mixed uptake: " + (m or part[0]).group(0)
        if case.biliary_obstruction and case.peripheral is None:
            case.peripheral = False  # a tumour obstructing the bile duct is not a peripheral lesion
        if (m := self.treatment_naive.search(folded)) and not _negated(folded, m.start(), m.end()):
            # "Treatment naive. We need a response - SSA first or chemo first?": no line was given; a line said with
            # its outcome ("PD on lanreotide. Treatment-naive otherwise") stands
            case.treatments = [t for t in case.treatments if not self.antitumour(t.drug) or t.outcome != "unknown"]
            case.evidence["treatments"] = m.group(0)
        lines = [t for t in case.treatments if self.antitumour(t.drug)]
        # "PD on lanreotide -> everolimus since Feb": the progression was the earlier line's, not the current one's
        if case.progression is None and any(t.outcome == "progressed" for t in lines[-1:]):
            case.progression = True
        elif case.progression is None and any(t.outcome in ("stable", "responded") for t in case.treatments):
            case.progression = False  # "on lanreotide, last CT SD": controlled
        on = [t for t in lines if t.outcome in CURRENT]
        if (
            case.progression
            and len(on) == 1
            and on[0].drug in self.ssa_drugs
            and not [t for t in lines if t.outcome == "progressed"]
        ):
            # "on lanreotide ... new liver lesions": the analogue, the only line, is failing
            on[0].outcome = "progressed"
        if case.recurrence and case.prior_surgery and not lines and not case.rapid_progression:
            case.progression = None  # "new liver lesions" after the resection is the recurrence, not a line failing
        for i, t in enumerate(lines):
            if t.outcome == "unknown" and any(u.drug != t.drug for u in lines[i + 1 :]):
                t.outcome = "earlier_line"
        if case.progression and len(lines) > 1 and lines[-1].outcome == "unknown" and lines[-2].outcome in FAILED:
            # "PD after lanreotide, everolimus, sunitinib, CAPTEM, 177Lu x4": the last line named was given and is not
            # offered again ("was on lanreo before that" names an earlier one: either way a line behind the patient)
            lines[-1].outcome = "earlier_line"
        live = folded
        for a, b in cleared:
            live = live[:a] + " " * (b - a) + live[b:]
        if case.recurrence and not case.prior_surgery and not self.recurrence_word.search(live):
            # "new lesions" without a resection is progression, not recurrence (nor is a recurrence cleared before)
            case.recurrence = None
        if self.pending_anywhere.search(folded):
            case.diagnosis_pending = True
            used.extend(m.span() for m in self.pending_anywhere.finditer(folded))  # read: "72h fast booked"
        # a line given: a diagnosis was made
        if not case.diagnosis_pending and not _NET_NAMED.search(folded) and not lines:
            case.diagnosis_pending = _first_affirmed(self.weak_pending, clauses) is not None
        if case.diagnosis_pending and (case.ki67 is not None or _KNOWN_NET.search(folded)):
            # "?pNET ... G1 on EUS-FNA (Ki67 <2%)": a Ki-67 is tissue, so diagnosed; "known met pNET (?functional),
            # VIP sent": the tumour is known, only its hormone is pending
            case.diagnosis_pending = False
        own = None if self.lay_poster_not.search(folded) else self.lay_poster.search(folded)
        if m := _RELATIVE_POSTING.search(plain) or own:
            case.lay_poster = True  # "my dad takes sunitinib": what to do now is said to a family, not a team
            case.evidence["lay_poster"] = m.group(0)
        if (m := self.inpatient.search(folded)) and not self.inpatient_home.search(folded, m.end()):
            case.inpatient = True
            case.evidence["inpatient"] = m.group(0)
        if m := self.doses_missed.search(folded):
            case.doses_missed = True
            case.evidence["doses_missed"] = m.group(0)
            used.append(m.span())
        past = self._history_sections(folded)  # "PMH: DVT 2017": events of the past history, none of them now
        self._urgent(folded, clauses, case, used, past)
        self._fdg(folded, clauses, case, used)
        self._toxicities(folded, clauses, case, used, text, past)
        if (span := self._several_pancreatic(clauses)) is not None:
            case.multiple_lesions = True
            self._dominant(folded, case)
            if case.subtype is None and re.search(r"\bnf|non[- ]?functioning", folded[span[0] : span[1]]):
                case.subtype = "nonfunctioning"  # "3 NF-PNETs": the plural names the subtype of each
                case.evidence["subtype"] = folded[span[0] : span[1]]
        elif len({_REGION.get(loc, loc) for loc in case.locations}) > 1 and self._dominant(folded, case):
            case.multiple_lesions = True  # "head 9 mm, body 14 mm, tail 23 mm": several tumours, sized
        case.uncertain_sites = [
            s for s in SITE_ORDER if s in case.uncertain_sites and s not in case.metastases + case.metastases_ruled_out
        ]
        # "wants to give a bolus, keep on ward obs, get CT in the morning": the plan put goes on, clause by clause
        goes_on: set[int] = set()
        for i, c in enumerate(clauses[1:], 1):
            put = _PLAN_PUT.search(clauses[i - 1].text) or _PROPOSES.match(clauses[i - 1].text)
            if (i - 1 in goes_on or put) and _PLAN_GOES_ON.match(c.text):
                goes_on.add(i)
        asks = [
            re.split(r"[!?\n]|\.(?!\d)", folded[: c.start].rstrip(" .!?\n"))[-1] + " " + c.text
            if _CONFIRM.match(c.text)
            or (
                _ASKING_ON.match(c.text)
                and not any(x.kind == "therapy" for x in self.lex.find(tokens(c.text)))
                # not after a line's history ("progressed on lanreotide and everolimus, asking if ..."): lines
                # given, not options asked about
                and not (i > 0 and [o for o, _ in self._outcomes(clauses[i - 1].text) if o != "ongoing"])
            )
            or (len(tokens(c.text)) <= 10 and (_REFERS.search(c.text) or _GOES_ON.match(c.text)))
            or (len(tokens(c.text)) <= 16 and _REFERS_BACK.match(c.text))
            else c.text
            for i, c in enumerate(clauses)
            if c.question
            or _ASKING.search(c.text)
            or _PROPOSES.match(c.text)  # "Planning TACE for liver mets - ... any issue?": the option proposed is asked
            # "He asks how often scans, and whether he needs tablets": the question goes on
            or (i > 0 and _ASKING.search(clauses[i - 1].text) and _ASK_GOES_ON.match(c.text))
            or i in goes_on
        ] + re.findall(r"(?:^|\n)\s*(?:q|question(?:\s+for\s+(?:the\s+)?(?:board|mdt))?|qs)\s*[:-]\s*([^\n]*)", folded)
        case.question = " ".join(" ".join(asks).split())
        asked = [
            unfold(text, " ".join(q.split()))
            for q in _questions(
                folded, clauses, [i for i, c in enumerate(clauses) if c.question or _OPENS_AS_QUESTION.match(c.text)]
            )
        ]
        # "Will he lose his hair" opens "Will he lose his hair, like with chemo?": the whole question, once
        case.questions = [q for q in dict.fromkeys(asked) if not any(o != q and o.startswith(q) for o in asked)]
        if (m := self.syndrome_settled.search(folded)) and not _SYNDROME_BACK.search(folded[m.end() :]):
            # "rash resolved after surgery ... now rash back": settled only where nothing after says it came back
            case.syndrome_settled = True
            case.evidence["syndrome_settled"] = m.group(0)
        for c in clauses:  # "needs shrinkage" (not "no need for shrinkage")
            # a question says no need ("does she need shrinkage?"), but what it states before its options does ("we
            # need a response - SSA first or chemo first?")
            if c.question and not _ASK_SEPARATOR.search(c.text):
                continue
            stated = _ASK_SEPARATOR.split(c.text)[0] if c.question else c.text
            if (
                not _OPENS_QUESTION.match(stated)  # "does she need shrinkage - SSA or chemo?" asks
                and (m := self.shrinkage_needed.search(stated))
                and not _negated(stated, m.start(), m.end())
                and not _NOT_NEEDED.search(stated[: m.start()])
                and not re.search(r"\bnot\b", m.group(0))
            ):
                case.shrinkage_needed = True
                case.evidence["shrinkage_needed"] = m.group(0)
                used.append((c.start + m.start(), c.start + m.end()))
        case.ignored = _ignored(clauses, used)
        case.unread = [unfold(text, x) for x in case.ignored if re.search(r"\d", x) or self.clinical.search(x)]
        for f in case.urgent:  # act-first lines quote the post as written
            f.words = "; ".join(unfold(text, w) for w in f.words.split("; "))
        return case

    def _hedged(self, clause: str) -> bool:
        """A hedge in the clause ("possible", "indeterminate", "?met"). A "?" hedges the word after it only:
        "liver x3 ?resectable" doubts the operation, not the deposits."""
        for m in self.hedge.finditer(clause):
            q = _QUERIED.match(clause, m.start())
            if q is not None:
                said_of = q.group(1)
            elif _QUALIFIER.fullmatch(m.group(0)):
                said_of = clause[m.end() : m.end() + 30]  # "possible bone lesion" doubts it; "R0 possible" does not
            else:
                return True
            if _LESION_WORD.search(said_of) or any(sp.kind == "site" for sp in self.lex.find(tokens(said_of))):
                return True
        return False

    # urgent findings, FDG, toxicities -----------------------------------------------------------

    def _urgent(
        self, text: str, clauses: list[_Clause], case: Case, used: list[tuple[int, int]], past: list[tuple[int, int]]
    ) -> None:
        """Labs outside their flagging range and the findings of knowledge/data/urgent.yaml, none said in `past`."""
        # (lab, "low" or "high") -> the clauses it was read from, each with the words said just before it and
        # the value's span (read only where a finding shows it: a value no finding takes stays "not read")
        abnormal: dict[tuple[str, str], list[tuple[str, str, tuple[int, int]]]] = {}
        # "calcium came back at 3.3": the words between a lab and its value, blanked to keep offsets
        text = _LAB_LINK.sub(lambda x: " " * len(x.group(0)), text)
        in_range: set[str] = set()  # labs with a value in range said somewhere in the post
        settling: list[tuple[str, str, bool]] = []  # readings of labs that settle a syndrome: lab, words, and low
        for lab, pattern, ranges, other_test in self.labs:
            for m in pattern.finditer(text):
                # the words said with the reading ("checked ketones with her meter: 2.6", "2.4 mmol/L lactate"), never
                # another clause's ("my meter read 1.8 and my BP was low")
                if other_test is not None and other_test.search(
                    re.split(r"[,;.(\n]", text[max(0, m.start() - 25) : m.start()])[-1]
                    + m.group(0)
                    + re.split(r"[,;.(\n]|\band\b", text[m.end() : m.end() + 20])[0]
                ):
                    continue
                if any(a <= m.start() < b for a, b in past):
                    continue  # "PMH: hypo 2022 (glucose 1.8)": history, and its value stays "not read"
                value = float(m.group(1).replace(",", ""))  # "drain amylase 4,000"
                r = _range_for(ranges, value, text[m.end() : m.end() + 8].lstrip())
                side = "low" if value < r.low else "high"
                if lab in self.settling_labs:
                    settling.append((lab, m.group(0), value < self.settling_labs[lab][0].below))
                if not r.low <= value <= r.high:
                    before = text[max(0, m.start() - _TEST_CONTEXT) : m.start()]
                    abnormal.setdefault((lab, side), []).append((_clause_at(clauses, *m.span()), before, m.span()))
                else:
                    in_range.add(lab)
        if settling and not any(low for _, _, low in settling):
            settles, unless = self.settling_labs[settling[-1][0]]
            if case.subtype in settles.subtypes and not (unless and unless.search(text)):
                case.syndrome_settled = True  # "BMs 8-10 overnight, now 14.5": no hypoglycaemia now
                case.evidence["syndrome_settled"] = settling[-1][1]
        # "had K 2.1 back then, ICU stay. Now ... K 4.2 last wk": a value said as history, beside one of the same lab
        # in range, is not a finding now
        for (lab, side), readings in abnormal.items():
            if lab in in_range:
                abnormal[(lab, side)] = [x for x in readings if not _said_as_history(text, x[2][1])]

        def lab_words(pairs: set[tuple[str, str]], unless: re.Pattern[str] | None) -> list[str]:
            shown = [
                (w, span)
                for x in sorted(pairs)
                for w, before, span in abnormal.get(x, [])
                if unless is None or not unless.search(before)
            ]
            used.extend(span for _, span in shown)
            return [w for w, _ in shown]

        current = {t.drug for t in case.treatments if t.outcome in CURRENT}
        # a drug named and not a past line ("starting everolimus; on itraconazole"): an interaction is checked before
        # the first dose as much as on it
        ended = {t.drug for t in case.treatments if t.outcome in FAILED}

        @functools.cache
        def named() -> frozenset[str]:  # looked up only for a finding of a drug beside another
            return (
                frozenset(
                    d.id
                    for c in clauses
                    for d in self._drugs(self.lex.find(tokens(c.text)))
                    if not _not_given(c.text, *_locate(c.text, d.tokens))
                )
                - ended
            )

        for fid, labs, entries, unless, quotes, settled, beside, read_with, hormonal in self.findings:
            if (
                beside
                and not beside & current
                and (not any(all(g.search(text) for g in entry) for entry in entries) or not beside & named())
            ):
                continue  # "everolimus 2019-21 (PD); clarithromycin now": no interaction of a past line
            if read_with is not None and not read_with.search(text):
                continue  # "POPF risk with a Whipple?": no recent operation, so no complication of one now
            words = list(dict.fromkeys(lab_words(labs, unless)))[:4]  # a value in range stays "not read"

            def kept(
                i: int, m: re.Match[str], settled: re.Pattern[str] | None = settled, hormonal: bool = hormonal
            ) -> bool:
                """ "hypos controlled" raises nothing; "hypos settled initially but now recurrent" still does; "her
                sister's lips went blue" is another person's. Settled words count where they are said of the
                finding: near its words in its clause ("DVT last yr on apixaban"), or a short clause right after it
                in the same sentence that is only that ("POPF then, resolved"), never beside a word of now."""
                c = clauses[i]
                if _SOMEONE_ELSES.search(c.text[max(0, m.start() - 40) : m.start()]):
                    return False  # "her son's lips went blue", "her husband is on clarithromycin"
                if any(a <= c.start + m.start() < b for a, b in past):
                    return False  # "PMH: seizure in 2022 from hypoglycaemia": the patient's past history
                if settled is None:
                    return True
                near = c.text[max(0, m.start() - SETTLED_REACH) : m.end() + SETTLED_REACH]
                nxt = clauses[i + 1] if i + 1 < len(clauses) else None
                if (
                    hormonal
                    and nxt is not None
                    and "(" in text[c.start + len(c.text) : nxt.start]
                    and i + 2 < len(clauses)
                ):
                    nxt = clauses[i + 2]  # a syndrome's "carcinoid syndrome (flushing) controlled": past the brackets
                short = (
                    nxt is not None
                    and len(tokens(nxt.text)) <= 6
                    and not re.search(r"[.;\n]", text[c.start + len(c.text) : nxt.start])
                    and (said := settled.match(nxt.text.strip())) is not None
                    # only the settled words, or them with how ("resolved after 6mo apixaban"); not "well controlled BP"
                    and _SETTLED_TAIL.fullmatch(nxt.text.strip()[said.end() :]) is not None
                )
                beside = c.text[max(0, m.start() - NOW_REACH) : m.end() + NOW_REACH]
                if (not settled.search(near) and not short) or _SAID_NOW.search(beside):
                    return True
                end = c.start + len(c.text)
                # the rest of its sentence and the next ("settled on diazoxide at first. Now recurrent nightly")
                return bool(_RELAPSE.search(" ".join(re.split(r"[.;\n?!]", text[end:], maxsplit=2)[:2])))

            for groups in entries:  # its words are read even where a lab value already raised it
                if not all(p.search(text) for p in groups):
                    continue
                hits = [_first_affirmed(p, clauses, kept) for p in groups]
                if all(hits):
                    said = [
                        (c, m)
                        for p in groups
                        for i, c in enumerate(clauses)
                        for m in p.finditer(c.text)
                        if not _negated(c.text, m.start(), m.end()) and kept(i, m)
                    ]  # every term of the finding was read, not only the first
                    used.extend(h for h in hits if h)
                    used.extend((c.start + m.start(), c.start + m.end()) for c, m in said)
                    words = words or list(dict.fromkeys(_around(c.text, m.start(), m.end()) for c, m in said))[:4]
            if words:  # a lab it quotes (never raised by alone) is shown beside the words that raised it
                words = list(dict.fromkeys(words + lab_words(quotes, unless)))[:5]
                case.urgent.append(Finding(id=fid, words="; ".join(words), drug_note=bool(beside)))

    def _history_sections(self, text: str) -> list[tuple[int, int]]:
        """Spans of the past events of the patient's past history (urgent.yaml's `history_section`): its section runs
        from its header to the end of its line or sentence, or to the last cut before a word of now ("PMH: AF, now
        confused"); a part said to be over (a past date, "resolved"), or joined to one that is, is a past event."""
        spans = []
        for m in self.history_header.finditer(text):
            rest = text[m.end() :]
            # a line's or sentence's end, not a hedge ("PMHx ?carcinoid crisis 2012") nor a decimal point
            end = re.search(r"\n|\.(?!\d)|[?!](?!\w)", rest)
            limit = end.start() if end else len(rest)
            if now := self.history_ends.search(rest, 0, limit):
                # "CABG 2015 with K 2.3 on bloods": the part with the word of now is not history
                cuts = [c.start() for c in self.history_cuts.finditer(rest, 0, now.start())]
                limit = cuts[-1] if cuts else now.start()
            section = rest[:limit]
            # the section's parts, each with the kind of cut before it
            parts: list[tuple[str, int, int]] = []
            start, kind = 0, "split"
            for cut in self.history_cuts.finditer(section):
                parts.append((kind, start, cut.start()))
                start, kind = cut.end(), (cut.lastgroup or "split").rstrip("0123456789")
            parts.append((kind, start, len(section)))
            past = [self._past_part(section[a:b]) for _, a, b in parts]
            for i in reversed(range(len(parts) - 1)):
                # "seizure with glucose 1.8 in 2022": joined to a dated part; "neutropenic sepsis c1 (resolved": an aside
                # that says it is over
                if past[i] is None and parts[i + 1][0] in ("join", "aside") and past[i + 1]:
                    past[i] = True
            for i in range(1, len(parts)):  # "seizure in 2022 (glucose 1.8)": an aside on a dated part
                if past[i] is None and parts[i][0] == "aside" and past[i - 1]:
                    past[i] = True
            spans += [(m.end() + a, m.end() + b) for (_, a, b), p in zip(parts, past, strict=True) if p]
        return spans

    def _past_part(self, part: str) -> bool | None:
        """A part of a past-history section: over (a past date or settled words), going on, or neither said."""
        if self.history_ongoing and self.history_ongoing.search(part):
            return False
        return True if self.history_past.search(part) else None

    def _several_pancreatic(self, clauses: list[_Clause]) -> tuple[int, int] | None:
        """Several pancreatic tumours named: not lesions said of the liver just before ("PD on everolimus (liver
        only, 5-6 lesions)")."""

        def pancreatic(i: int, m: re.Match[str]) -> bool:
            own = clauses[i].text[: m.start()]
            before = (own if re.search(r"[a-z]", own) else (clauses[i - 1].text if i else ""))[-25:]
            liver = re.search(r"\b(?:liver|hepatic)\b|\bseg", before)
            return (
                liver is None
                or _negated(before, liver.start(), liver.end())
                or bool(re.search(r"pnet|pancrea", m.group(0)))
            )

        return _first_affirmed(self.several, clauses, pancreatic)

    def _dominant(self, text: str, case: Case) -> bool:
        """Several pancreatic tumours: the largest (the dominant one, which decides the operation) and the
        location named just before its size ("head 0.8cm, body 1.4cm, tail 2.6cm")."""
        sized = []
        for m in _SIZE.finditer(text):
            before = text[max(0, m.start() - 25) : m.start()]
            if re.search(r"liver|hepatic|\bseg|node|\bln\b|met", before + text[m.end() : m.end() + 15]):
                continue
            if _BOUND_BEFORE.search(before):
                continue  # "3 NF pNETs all <2 cm": a bound on every size, not one tumour's size
            after = text[m.end() : m.end() + 35]
            item = re.split(r"[,;+]", before)[-1]  # "0.8 cm tail, 2.4 cm head", "1.5 cm body/tail + 2.8 cm in head"
            where = [w for w in _LOCATION.findall(item) if w != "duodenal"][-1:] or _LOCATION.findall(after)[:1]
            sized.append((_cm(m), {"bod": "body"}.get(where[0], where[0]) if where else None, m.group(0)))
            if listed := _BARE_SIZES_BEFORE.search(text[: m.start()]):
                # "(1.6, 1.2, 0.9 cm)": the numbers before the unit share it
                unit = m.group(m.lastindex or 0).lower()
                for n in re.findall(r"\d{1,2}(?:\.\d+)?", listed.group(0)):
                    sized.append((float(n) / 10 if unit.startswith("m") else float(n), None, f"{n} {unit}"))
        if len(sized) > 1:
            size, region, words = max(sized, key=lambda x: x[0])
            case.size_cm = size
            case.evidence["size_cm"] = f"{words.strip()} (the largest of several)"
            if region:
                case.location = region
            return True
        return False

    def _fdg(self, text: str, clauses: list[_Clause], case: Case, used: list[tuple[int, int]]) -> None:
        if "fdg" not in text:
            return
        for name, pattern in (("negative", self.fdg_neg), ("positive", self.fdg_pos)):
            if (span := _first_affirmed(pattern, clauses)) is not None:
                case.fdg = name
                case.evidence["fdg"] = text[span[0] : span[1]]
                used.append(span)
                return

    def _asked_in_general(self, text: str, at: int) -> bool:
        """The sentence at `at` asks about side effects in general ("what side effects should i warn pts about when
        starting everolimus - mouth ulcers? pneumonitis?"): case.yaml `side_effects_asked`, with none of the words of
        an event now or of a patient (`side_effect_now`)."""
        sentence = _sentence_around(text, at, at)
        return bool(self.side_effects_asked.search(sentence)) and not self.side_effect_now.search(sentence)

    def _toxicities(
        self,
        text: str,
        clauses: list[_Clause],
        case: Case,
        used: list[tuple[int, int]],
        original: str,
        history: list[tuple[int, int]],
    ) -> None:
        """ "Grade 3 pneumonitis on everolimus": a toxicity of a named drug (the one named beside it, or the
        only drug of the case), with its CTCAE grade; never the tumour's grade. An event with no grade is
        quoted from the `original` post; one said in the past `history` ("hx neutropenic sepsis c1 (resolved") is
        not now."""

        def own(m: re.Match[str]) -> bool:  # "Her sister had G3 pneumonitis on everolimus": another person's
            return not _OTHER_PERSON.search(re.split(r"[.;\n]", text[: m.start()])[-1]) and not self._asked_in_general(
                text, m.start()
            )

        matches = [m for m in _TOXICITY[0].finditer(text) if self.toxicity.search(m.group(2)) and own(m)]
        matches += [
            m
            for m in _TOXICITY[1].finditer(text)
            if self.toxicity.search(m.group(1))
            and own(m)
            and not any(o.start() < m.end() and m.start() < o.end() for o in matches)
        ]
        # Only an antitumour drug can carry a toxicity here (never "AF on apixaban"), and a somatostatin
        # analogue, usually the background line, only when no other antitumour drug is given.
        treated = sorted(
            (t for t in case.treatments if self.antitumour(t.drug)), key=lambda t: t.drug in self.ssa_drugs
        )
        treated_drugs = {t.drug for t in treated if t.drug not in self.ssa_drugs} or {t.drug for t in treated}
        # an antitumour drug before a background analogue; of those, the one given now before one stopped for a
        # toxicity (the event may be that toxicity)
        current = [
            t.drug
            for t in sorted(treated, key=lambda t: (t.drug in self.ssa_drugs, t.outcome not in CURRENT))
            if t.outcome in CURRENT or t.outcome == "stopped_toxicity"
        ]

        def drug_of(m: re.Match[str]) -> str | None:
            said_before = re.split(r"[.;\n]", text[: m.start()])[-1]
            sentence = said_before + re.split(r"[.;\n]", text[m.end() :])[0]
            drugs = [t.drug for t in treated if t.drug.replace("_", " ") in sentence]
            # "everolimus 2021-23 (PD), sunitinib 2023-24 (stopped for G3 hypertension)": the drug named last
            # before the toxicity is its drug
            drugs.sort(key=lambda d: -said_before.rfind(d.replace("_", " ")))
            if not drugs:  # the drug the patient is on or stopped for a toxicity, else the latest line named
                drugs = current[:1] or [t.drug for t in case.treatments if t.drug in treated_drugs][-1:]
            return drugs[0] if drugs else None

        now_on = {t.drug for t in treated if t.outcome in CURRENT and t.drug not in self.ssa_drugs}

        def superseded(drug: str | None) -> bool:
            """A drug stopped while another line is given now ("sunitinib (stopped for G3 hypertension), now
            streptozocin/5-FU"), or with a line given after it ("everolimus stopped for G3 pneumonitis, PRRT x4
            2023, now PD"): its toxicity is the earlier line's, not the event now."""
            at = [i for i, t in enumerate(case.treatments) if t.drug == drug and t.outcome in FAILED]
            later = bool(at) and any(t.drug not in self.ssa_drugs for t in case.treatments[at[-1] + 1 :])
            return (bool(at) and bool(now_on - {drug})) or later

        def stopped_then_progressed(m: re.Match[str]) -> bool:
            """ "line 2 everolimus stopped after G3 pneumonitis. Now PD in liver": the line ended, and the disease
            progressed after it (said in a later sentence); not "stopped last week, still on oxygen"."""
            before = re.split(r"[.;\n]", text[: m.start()])[-1]
            after = re.split(r"[.;\n]", text[m.end() :], maxsplit=1)
            sentence = before + m.group(0) + after[0]
            return (
                bool(_STOPPED_FOR.search(before))
                and not _NOW.search(sentence)
                and not _STILL.search(sentence)
                and len(after) > 1
                and bool(_LATER_PD.search(after[1]))
            )

        def past(m: re.Match[str], drug: str | None) -> bool:
            return (
                self._past_toxicity(text, m)
                or superseded(drug)
                or stopped_then_progressed(m)
                or any(a <= m.start() < b for a, b in history)
            )

        attributed = [(m, drug, past(m, drug)) for m in matches for drug in [drug_of(m)]]
        if current and current[0] not in self.ssa_drugs:
            # no grade said: an event reported while on a drug is a possible toxicity, beside any graded one ("grade 3
            # stomatitis ... also new dry cough"); not of an SSA given alone, the background line, where the event is
            # the disease's or a comorbidity's (its urgent line still shows)
            graded = [m.span() for m, _, was in attributed if not was]
            # a past graded toxicity's clause, or the clause of a line stopped for one ("everolimus stopped after
            # grade 3 stomatitis and hyperglycaemia"), is history: the stop's reasons, not an event now
            over = history + [
                m.span() for m, _, was in attributed if was or _STOPPED.search(text[: m.start()].split(",")[-1])
            ]

            def rest(c: _Clause) -> str:
                """The clause without its graded toxicities ("glucose now 16 and grade 2 stomatitis"); what is
                joined after one by "and" shares its grade ("grade 1 stomatitis and hyperglycaemia")."""
                out = c.text
                for s, e in graded:
                    a, b = max(s - c.start, 0), min(e - c.start, len(out))
                    if a < b:
                        if joined := _JOINED_EVENT.match(out, b):
                            b = joined.end()
                        out = out[:a] + " " * (b - a) + out[b:]
                return out

            # the organs of the graded toxicities now (their own words', else their clause's): their signs are
            # theirs, not a second event
            taken = {
                kind
                for c in clauses
                for m, _, was in attributed
                if not was and c.start <= m.start() < c.start + len(c.text)
                for kind in (self._organs(m.group(0)) or self._organs(c.text))
            }
            events = [
                (c, said)
                for c in clauses
                if (organs := self._organs(said := rest(c)))
                and not organs <= taken
                and not _OTHER_PERSON.search(c.text)
                and not self._asked_in_general(text, c.start)
                and not (_PAST_TOXICITY.search(c.text) and not _NOW.search(c.text))
                and not any(s < c.start + len(c.text) and c.start < e for s, e in over)
            ]
            if events:
                quoted = [_CONNECTOR_ENDS.sub("", " ".join(said.split())) for _, said in events[:4]]
                words = "; ".join(unfold(original, q) for q in quoted)
                event = f"possible toxicity ({words})"
                touched = sorted(set().union(*(self._organs(said) for _, said in events)))
                case.toxicities.append(
                    Toxicity(event=event, drug=current[0], current=not superseded(current[0]), organs=touched)
                )
                used.extend((c.start, c.start + len(c.text)) for c, _ in events)
        for m, drug, was in attributed:
            grade = next(g for g in m.groups() if g.isdigit())
            event = " ".join(m.group(0).split())
            if joined := _JOINED_EVENT.match(text, m.end()):
                event += " " + " ".join(joined.group(0).split())  # "grade 1 stomatitis and hyperglycaemia": one event
            touched = sorted(self._organs(m.group(0)))
            # "stomatitis grade 1 last month, now grade 3, can't eat": the grade said is not the grade now
            level: int | None = int(grade)
            if int(grade) < self.k.urgent.toxicity.hold_from_grade:
                # its sentence and the next ("G1 pneumonitis last month. Now breathless, sats 89%"), up to WORSE_REACH
                ends = [e.end() for e in _SENTENCE_END.finditer(text[m.end() : m.end() + WORSE_REACH])][:2]
                if self.toxicity_worse.search(text, m.start(), m.end() + (ends[1] if len(ends) > 1 else WORSE_REACH)):
                    level = None
            case.toxicities.append(Toxicity(event=event, grade=level, drug=drug, current=not was, organs=touched))
            used.append(m.span())

    def _organs(self, clause: str) -> set[str]:
        """The organs a clause reports a possible toxicity of ("new dry cough": lungs), negated ones left out."""
        return {
            kind
            for kind, pattern in self.tox_kinds.items()
            if any(not _negated(clause, m.start(), m.end()) for m in pattern.finditer(clause))
        }

    @staticmethod
    def _past_toxicity(text: str, m: re.Match[str]) -> bool:
        """A graded toxicity said as history ("stopped 2021 for pneumonitis", "now resolved"), not one now."""
        sentence = _sentence_around(text, m.start(), m.end())
        return (
            (bool(_PAST_TOXICITY.search(sentence)) and not _NOW.search(sentence))
            or bool(_RESOLVED.match(text[m.end() :]))  # "grade 3 pneumonitis, now resolved) -> now progressing"
            or bool(
                _RAN_THEN_STOPPED.search(sentence)
                and not _NOW.search(sentence)
                and not _STILL.search(sentence)
                and not _STOPPED_NOW.search(sentence)
            )
        )

    # numbers -------------------------------------------------------------------------------------

    def _size(self, text: str, case: Case, used: list[tuple[int, int]]) -> None:
        """The primary's largest dimension; a size said of a liver metastasis is kept apart (RFA is for <5 cm)."""
        for m in _SIZE.finditer(text):
            if _cm(m) <= 0:
                continue  # "0 mm" measures nothing
            if re.search(r"\bnew\s+$", text[max(0, m.start() - 6) : m.start()]) and not _PRIMARY_NAMED.match(
                text[m.end() :]
            ):
                continue  # "new 1 cm nodule": a new lesion, not the primary (not "new 1.6 cm NF pNET body")
            if re.search(
                r"(?:\+|\bby|\bgrew|\bgrown|\bgrowth\s+of|\bincrease\s+of)\s*~?$",
                text[max(0, m.start() - 14) : m.start()],
            ):
                continue  # "slow growth (+4mm over 12 mo)": how much it grew, not its size
            after = re.split(r"[;,.\n]", text[m.end() : m.end() + 25])[0]  # what the size is said of: its clause
            window = text[max(0, m.start() - 45) : m.start()]
            if m.start() > 45 and text[m.start() - 46].isalnum():
                window = window.split(" ", 1)[-1]  # not half a word ("pnet" cut to "net")
            parts = re.split(r"[;,.\n]", window)
            counted = not after.strip() and not _NOT_AN_ITEM.search(parts[-2] if len(parts) > 1 else "")
            item_words = _OF_THE_ITEM_BEFORE + (_COUNT_OF_THE_ITEM_BEFORE if counted else "")
            while len(parts) > 1 and not re.search(r"[a-z]{3,}", re.sub(item_words, "", parts[-1])):
                # "liver mets seg 6 + 7, 1.2 and 1.8cm", "liver lesions, largest 3 cm, smallest 6 mm": a list's item
                parts[-2:] = [parts[-2] + " " + parts[-1]]
            before = parts[-1]
            words = before.split()
            if self.not_tumour_size.search(" ".join(words[-NOT_TUMOUR_REACH:])) and not self.tumour_size_kept.search(
                " ".join(words[-2 * NOT_TUMOUR_REACH :])
            ):
                continue  # "CBD dilated to 14 mm", "thick GB wall 6mm": a duct or another organ, not the tumour
            if re.search(r"\bsum\b|recist|target\s+lesions?|->|→", before):
                continue  # "RECIST sum 78 -> 101 mm": the measured disease, not the primary
            met_words_after = r"liver|hepatic|met|node|bone|lung|periton|omentum|omental|segment|\bseg\b"
            # "lesions" of the liver list, never "two NF pancreatic lesions 1.2 and 1.6 cm" (the primaries)
            met_words = r"(?:liver|hepatic|met\w*|nodes?|bone|lung|periton\w*|omental|omentum|bilobar|lobes?|(?<!pancreatic )lesions)\b|\bseg(?:ment)?\s*\d"
            # "single 6 cm PNET liver met": the noun the size measures is the metastasis, whatever names it first
            met_after = re.search(met_words_after, after)
            if re.match(
                r"\s*(?:(?:pnet|net|nf|pancreatic|neuroendocrine|g[123])\s+){1,2}(?:liver|hepatic)\s+(?:met|lesion|deposit)",
                after,
            ):
                before, after = before + " liver", ""
            met_before = re.search(met_words, before)
            primary_words = r"pnet|\bnet\b|pancrea|primary|head|body|tail|uncinate|neck"
            # the words nearest the size say what it measures ("PNET liver mets: 14 lesions, biggest 6.2 cm")
            primary_nearer = _distance(primary_words, before, after) <= _distance(
                met_words + "|" + met_words_after, before, after
            )
            if (met_after or met_before) and not primary_nearer:
                if re.search(r"liver|hepatic|\bseg|\blobes?\b|bilobar", before + after):
                    case.liver_lesion_cm = max(_cm(m), case.liver_lesion_cm or 0)
                    used.append(m.span())
                continue
            # the first size, unless a later one is said to be the size now ("2024: 3.8 cm ... primary now 5.1 cm")
            if (
                case.size_cm is None
                or re.search(r"\bnow\s+(?:measures\s+|measuring\s+|is\s+)?$|\b(?:grown|increased)\s+to\s+$", before)
                # "two NF pancreatic lesions, 0.8 cm and 2.6 cm": of several tumours, the largest
                or (
                    _cm(m) > case.size_cm
                    and re.search(r"\b(?:lesions|tumou?rs|masses|nodules|p?nets)\b", before)
                    and re.search(r"pancrea|p?nets?\b|men1", before)
                )
            ):
                case.size_cm = _cm(m)
                case.evidence["size_cm"] = m.group(0).strip()
                used.append(m.span())

    def _ki67_mitoses_grade(self, text: str, case: Case, used: list[tuple[int, int]]) -> tuple[int, int] | None:
        ki_op, ki_span = None, None
        # several Ki-67s ("was 4% ... liver biopsy now 22%"): the grade follows the highest, as WHO grading does
        m = max(_KI67.finditer(text), key=lambda x: _ki67_value(x) or 0.0, default=None)
        if m:
            op = m.group(1) or m.group(5)
            case.ki67 = _ki67_value(m)
            pos = m.end()
            # "Ki67 4% (primary bx 2018) -> 22% (liver core 2025)", "11% (was 4% originally)": the values said after
            # it, joined by an arrow, "to", "was" or a specimen, are Ki-67s too
            while (
                (more := _KI67_MORE.match(text, pos))
                and _KI67_JOINER.search(text, pos, more.start(1))
                and not _NOT_KI67_AFTER.match(text, more.end())
            ):
                value = _number(more.group(1))
                if case.ki67 is not None and value is not None and value > case.ki67:
                    case.ki67, op = value, None
                used.append(more.span())
                pos = more.end()
            if pos > m.end() and (said := re.match(r"\s*\([^()]{0,40}\)", text[pos:])):
                used.append((pos, pos + said.end()))  # "-> 22% (liver core 2025)": where the last one was taken
            ki_op = _OPS.get(op or "", op)
            if ki_op not in ("<", ">", "≤", "≥"):
                ki_op = None
            ki_span = m.span()
            used.append(ki_span)
            case.evidence["ki67"] = m.group(0).strip()
        mm = _MITOSES.search(text)
        mit_op = None
        if mm:
            case.mitoses = _number(mm.group(2) or mm.group(4)) if (mm.group(2) or mm.group(4)) else 0.0  # "no mitoses"
            mit_op = mm.group(1) or mm.group(3)
            used.append(mm.span())
        stated = None
        for g in _GRADE.finditer(text):
            # "G3 diarrhoea", not "G2, SSTR+, only fatigue", nor "NF-pNET G2. Now dry cough" (another sentence)
            window = (
                _SENTENCE_END.split(text[max(0, g.start() - 15) : g.start()])[-1]
                + g.group(0)
                + _SENTENCE_END.split(text[g.end() : g.end() + 20])[0]
            )
            # "pNET G2, now new dry cough" is the tumour's grade; "NET grade 3 diarrhoea" still the diarrhoea's
            named = _TUMOUR_BEFORE.search(text, max(0, g.start() - 15), g.start())
            graded = self.toxicity.match(text[g.end() : g.end() + 25].lstrip(" (-"))
            if self.toxicity.search(window) and (graded or not named):
                continue  # "grade 3 pneumonitis" is a drug toxicity, not the tumour's grade
            near = _SENTENCE_END.split(text[: g.start()])[-1][-TOXICITY_GRADE_REACH:]
            if (
                re.search(r"(?:\bnow|->|→|\bto)\s*$", near)
                and self.toxicity.search(near)
                and not re.search(r"biops|\bbx\b|path|ki-?67|histolog|tumou?r|\bp?net\b|liver|grade\s+of", near)
            ):
                continue  # "stomatitis grade 1 last month, now grade 3": the toxicity's grade now, not the tumour's
            stated = "G" + _ROMAN.get(g.group(1) or "", g.group(1) or g.group(2))
            used.append(g.span())
            break
        if case.ki67 is not None and case.ki67 > 100:
            case.ki67 = None  # a Ki-67 over 100% is a typo, not a figure
        self.grade(case, stated, ki_op, mit_op)
        return ki_span

    def grade(self, case: Case, stated: str | None = None, ki_op: str | None = None, mit_op: str | None = None) -> None:
        """The case's grade: the highest of the stated grade and the grades its Ki-67 and mitoses fall in,
        with what it rests on (the typed case and the case form both grade here)."""
        candidates: list[tuple[str, str]] = [(stated, "stated")] if stated else []
        if case.ki67 is not None:
            candidates.append((self.grade_for("ki67", case.ki67, ki_op), "Ki-67"))
        if case.mitoses is not None:
            candidates.append((self.grade_for("mitoses", case.mitoses, mit_op), "mitoses"))
        case.grade, case.grade_basis = None, None
        if candidates:
            top = max(c[0] for c in candidates)
            case.grade = top
            case.grade_basis = " and ".join(basis for grade, basis in candidates if grade == top)
            # "Ki-67 4% G1", "G3, Ki-67 15%": the stated grade and the sources' thresholds disagree; the clash is said
            measured = {grade for grade, basis in candidates if basis != "stated"}
            if stated and measured and stated not in measured:
                case.grade_basis += f"; stated {stated}, which the sources' thresholds do not give for it: check"

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

    def _burden(self, text: str, case: Case, used: list[tuple[int, int]], ki_span: tuple[int, int] | None) -> None:
        removed = (
            m
            for m in _SHARE_REMOVED.finditer(text)
            if re.match(r"debulk|cytoreduc", m.group(0)) or _SHARE_OF_DISEASE.match(text, m.end())
        )
        share = next(removed, None) or _SHARE_RESECTABLE.search(text)
        value = 50.0 if share and share.groupdict().get("half") else _number(share.group(1)) if share else None
        if share and value is not None and value <= 100:
            case.removable_share_pct = value  # "surgeon thinks he can get about 55% of the liver disease"
            case.evidence["removable_share_pct"] = share.group(0).strip()
            used.append(share.span())
        # the rest taken otherwise ("two-stage: first stage will clear half", "resect 60% and ablate the rest"), or all
        # said resectable apart from the share ("all resectable per HPB"): the share is not all that can be removed
        rest = share is not None and (
            _REST_TREATED.search(text)
            or _RESECT_YES.search(text[: share.start()] + " " * len(share.group(0)) + text[share.end() :])
        )
        if (
            case.removable_share_pct is not None
            and case.removable_share_pct <= self.k.case.unresectable_share_pct
            and not rest
        ):
            case.resectable = False  # "~50% of tumour burden resectable": too little of it; never "resectable: yes"
            case.evidence["resectable"] = case.evidence["removable_share_pct"]
        for m in _BURDEN.finditer(text):
            if ki_span and m.start() < ki_span[1] and ki_span[0] < m.end():
                continue  # "Ki-67 5%, liver mets ruled out": 5% is the Ki-67, not the hepatic burden
            if _REMOVED_SHARE.search(text[max(0, m.start() - 30) : m.start()]):
                continue  # "proposes debulking ~50% of liver burden": the share to be removed (below), not the burden
            value = _number(next((g for g in m.groups()[1::2] if g), None))
            if value is not None and value <= 100:
                case.hepatic_burden_pct = value
                qualifier = next((g for g in m.groups()[0::2] if g), None)
                case.hepatic_burden_qualifier = "<" if qualifier == "<" else ">" if qualifier == ">" else None
                case.evidence["hepatic_burden_pct"] = m.group(0).strip()
                used.append(m.span())
                return
        if half := _BURDEN_HALF.search(text):
            case.hepatic_burden_pct, case.hepatic_burden_qualifier = 50.0, ">"  # more than half: >50%
            case.evidence["hepatic_burden_pct"] = half.group(0).strip()
            used.append(half.span())

    def _location(self, text: str, case: Case, used: list[tuple[int, int]]) -> None:
        """Where the tumour is. Every location named for a tumour is kept; when they lie in more than one
        region of the gland (head, neck, body/tail) the case is multifocal or spans them, and the location
        is left for the plan to branch on. A location said of a past operation ("Whipple for a head PNET")
        is history, not the tumour now."""
        found: list[str] = []
        for m in _LOCATION.finditer(text):
            before = text[max(0, m.start() - 11) : m.start()]
            if (
                _NOT_LOCATION.search(before)
                or (
                    m.group(1) in ("body", "bod")
                    and _VERTEBRA.search(before)
                    and not re.match(
                        r"\s*(?:p?nets?|pannet|pnen|tumou?r|mass|lesion|nodule|pancrea|of\s+(?:the\s+)?pancreas)",
                        text[m.end() :],
                    )
                )
                or re.match(r"\s*(?:and|&)\s*neck\b", text[m.end() :])
                # "mum had a 'neck gland op'", "neck lump": the neck of the body, not of the pancreas
                or (
                    m.group(1) == "neck"
                    and re.match(
                        r"\W*\s*(?:glands?|lumps?|swelling|op\b|operation|surgery|pain|nodes?|stiff)", text[m.end() :]
                    )
                )
            ):
                continue  # "whole-body PET", "head and neck"
            word = {"bod": "body"}.get(m.group(1), m.group(1))
            if word == "duodenal" and not re.match(
                r"\s*(?:net|nen|primary|tumou?r|gastrinoma|carcinoid|lesion|mass|wall|submucos)", text[m.end() :]
            ):
                continue
            sentence = _sentence_around(text, m.start(), m.end())
            whipple = self.procedures["pancreatoduodenectomy"].search(sentence) or any(
                "pd" in o.group(0) for o in _PD_OPERATION.finditer(sentence)
            )
            if whipple and (found or _PD_OPERATION.search(sentence)) and self.past.search(sentence):
                continue
            if (
                self.procedures["pancreatoduodenectomy"].search(sentence)
                and self.past.search(sentence)
                and re.search(
                    r"\bnew\s+(?:\d+(?:\.\d+)?\s*(?:cm|mm)\s+)?(?:lesion|mass|nodule|tumou?r)|remnant|stump",
                    text[m.end() :],
                )
            ):
                continue  # "prior Whipple for head PNET. Now new lesion in tail of remnant"
            location = "duodenum" if word in ("duodenal", "periampullary") else word
            if location not in found:
                found.append(location)
            used.append(m.span())
        case.locations = found
        regions = {_REGION.get(loc, loc) for loc in found}
        case.location = found[0] if len(regions) == 1 else None

    # clause-level facts --------------------------------------------------------------------------

    def _clause(
        self,
        clause: str,
        case: Case,
        after_mets: bool = False,
        prev: str = "",
        hedged: bool = False,
        nxt: str = "",
        after_then: bool = False,
        asks: bool = False,
        joined: str = "",
    ) -> None:
        if _OTHER_PERSON.search(clause):
            return  # another person's tumour and treatment are not this patient's
        spans = self.lex.find(tokens(clause))
        self._entities(clause, spans, case, after_mets, hedged, nxt if len(tokens(nxt)) <= 4 else "")
        self._nodes(clause, case)
        self._sstr(clause, case, prev)
        if not hedged or _SUPPOSED.search(clause):  # "... resectable?" asks; "and if unresectable?" supposes it
            self._resectable(clause, case)
        self._splenic(clause, case)
        self._fitness(clause, case)
        if not hedged:  # "2 new liver lesions, ?mets vs FNH" is neither progression nor recurrence yet
            self._progression(clause, case, prev if after_then else "", joined)
        self._treatments(clause, spans, case, prev, nxt, after_then, asks)
        self._history(clause, case, prev, hedged, asks)
        self._anatomy(clause, case)
        if (
            "men1" in clause
            and not _QUERIED_NAME.search(clause.split("men1")[0])
            and not _PENDING_AFTER.search(clause.split("men1", 1)[1])
        ):
            case.men1 = not _MEN1_NEG.search(clause)  # "?MEN1 (mum had a parathyroidectomy)" leaves it open
        if self.pending.search(clause) and not case.diagnosis_pending:
            case.diagnosis_pending = True
        for name, pattern in self.differentiation.items():
            if (m := pattern.search(clause)) and not _negated(clause, m.start(), m.end()):
                case.differentiation = name
        if hedged or re.search(r"\bobvious|\bdefinite|so\s+far|\byet\b", clause):
            pass  # "no obvious mets" on a first CT does not settle the staging
        elif (
            _LOCALISED.search(clause)
            or (_NOTHING_ELSE.match(clause) and _SSTR_TOPIC.search(prev))
            # after the operation, "surveillance CT today clean": no evidence of disease
            or (
                case.prior_surgery
                and case.metastatic is None
                and not case.metastases
                and _CLEAN_SCAN.search(clause)
                and not _NOT_CLEAN.search(clause)
            )
        ):
            # "dotatate PET says NET, nothing else seen": whole-body receptor imaging clear (a CT alone is not staging)
            case.metastatic = False
        elif (
            (m := _METASTATIC.search(_PREVENTS_SPREAD.sub(lambda o: " " * len(o.group(0)), clause)))
            and case.metastatic is None
            and not _nodes_only(spans)
        ):
            case.metastatic = not _negated(clause, m.start(), m.end())

    def _entities(
        self,
        clause: str,
        spans: list[Span],
        case: Case,
        after_mets: bool = False,
        hedged: bool = False,
        nxt_short: str = "",
    ) -> None:
        """Subtype named, metastatic sites present or ruled out. after_mets: the clause lists sites after
        "metastatic PNET (" or "mets:" in the clause before. hedged: "possible lesion, ?haemangioma" does
        not make a metastasis."""
        for span in spans:
            start, end = _locate(clause, span.tokens)
            negated = _negated(clause, start, end)
            if (
                span.kind == "subtype"
                and not negated
                and case.subtype is None
                and not _HYPOTHETICAL.search(clause)
                and not re.search(r"(?:\?|\bquery)\s*$", clause[:start])
            ):  # "?ZES" asks whether it is a gastrinoma; it does not say so
                case.subtype = span.id
                case.evidence["subtype"] = "named"
            elif (
                span.kind == "site"
                and _IMAGING_OF.search(clause[:start])
                # a lesion said of the pancreas is the primary's ("MRI L-spine for back pain picked up 0.9cm lesion
                # panc tail"), no deposit in the scanned organ
                and not re.search(
                    r"(?:\bmets?\b|metasta|lesion|deposit|nodule|mass|avid)(?![^,;.]{0,12}\bpanc)", clause
                )
            ):
                continue  # "MRI liver and Ga-68 PET show no distant disease": the scan, not a deposit
            elif span.kind == "site" and span.id != "multiple":
                site = span.id if span.id in CASE_SITES else "other"
                context = (
                    # "liver foci not avid": a context word negated says no deposit
                    any(not _negated(clause, c.start(), c.end()) for c in _MET_CONTEXT.finditer(clause))
                    or (after_mets and len(tokens(clause)) <= 4)
                    or (nxt_short and _MET_CONTEXT.search(nxt_short))
                    # "hypodense focus seg VI, too small to characterise, ?cyst ?met": a focus is a lesion only when hedged
                    or (hedged and re.search(r"\bfoc(?:us|i)\b", clause))
                )
                if (
                    negated
                    or (self.benign.search(clause) and not _affirms_metastasis(clause))
                    or (site == "lymph_nodes" and _NODES_NEG.search(clause))  # "R0, 0/12 LN": node-negative
                ):
                    case.metastases_ruled_out.append(site)
                elif context and not hedged and site not in case.metastases:
                    case.metastases.append(site)
                elif context and hedged and site not in case.uncertain_sites:
                    case.uncertain_sites.append(site)
        toks = tokens(clause)
        for i, t in enumerate(toks):
            if t in _FUNCTIONAL_WORDS and (i == 0 or toks[i - 1] != "non"):
                # "no functional syndrome", "not functional": said not to be
                case.functional = not (i > 0 and toks[i - 1] in ("no", "not", "nor", "without"))

    def _nodes(self, clause: str, case: Case) -> None:
        if _NODES_NEG.search(clause):
            case.metastases_ruled_out.append("lymph_nodes")
        elif _NODES_POS.search(clause) and "lymph_nodes" not in case.metastases:
            case.metastases.append("lymph_nodes")

    def _sstr(self, clause: str, case: Case, prev: str = "") -> None:
        clause = self.other_test_negative.sub(lambda o: " " * len(o.group(0)), clause)  # "no MEN1 (genetics neg)"
        m = _SSTR_TERM.search(clause)
        if not m:
            return
        if (not _SSTR_TOPIC.search(clause) and not re.search(r"avid|uptake", clause)) or (
            "fdg" in clause and not _SSTR_TOPIC.search(clause)
        ):
            return  # a plain "PET" without avidity words, or an FDG-PET, says nothing about receptors
        if (
            re.search(r"\bno\s+(?:\w+\s+){0,3}(?:mets|metastas[ie]s|lesions?|disease|deposits?|spread)\b", clause)
            # "CT + Ga68 both neg", "scans negative": the scans show no disease, a staging result; never "Octreoscan
            # AND Ga68 DOTATATE both negative", two receptor scans that show no receptors
            or (
                re.search(r"\b(?:both|all|scans?)\s+(?:neg|negative|clear|clean)\b(?!\s+for\b)", clause)
                and not re.search(
                    rf"(?:{_SSTR_NAMES})\w*\b[^.;]{{0,40}}\b(?:and|\+|&)\s+(?:\w+\s+)?(?:{_SSTR_NAMES})", clause
                )
            )
        ) and not re.search(
            r"\b(?:primary|tumou?r|mass|lesion)\s+(?:is\s+|was\s+)?(?:avid|positive)|avid\s+primary", clause
        ):
            if not re.search(r"pending|awaited|planned|requested|not\s+(?:yet\s+)?(?:done|performed)", clause):
                case.sstr_test = _scan_of(clause)
            return  # "no mets on DOTATATE PET" is a staging result (the test is done), not the receptor status
        pending = re.search(
            r"not\s+(?:yet\s+)?(?:done|performed|available)|pending|awaited|planned|requested|\byet\b"
            # booked, unless its result follows before another test is named ("booked last month, came back positive")
            r"|booked(?!(?:(?!\b(?:ct|mri|eus|us|fdg)\b)[^.;])*\b(?:showed|shows|came\s+back|reported))"
            r"|\bto\s+(?:see|check|assess|look|confirm|find\s+out)\b|\bwhether\b|\bif\s+(?:it\s+is\s+|it'?s\s+)?(?:positive|avid)",
            clause,
        )
        no_uptake = re.search(r"\bno\s+(?:uptake|avidity)\s+(?:on|at)\s+(?:the\s+)?$", clause[: m.start()])
        if pending or (not no_uptake and re.search(r"\bno\s+(?:\w+\s+){0,2}$", clause[: m.start()])):
            return  # "no DOTATATE yet", "SSTR imaging not done": unknown, not negative ("no uptake on Ga68" is read)
        if scores := [_krenning(k) for k in _KRENNING.finditer(clause)]:
            # the score decides, never the bare "uptake" beside it (case.yaml krenning: above the liver positive, below
            # it negative, as the liver for the board); a range ("1/2", "3-4") by its top
            k = self.k.case.krenning
            reading = (
                "positive" if scores[-1] >= k.positive_from else "negative" if scores[-1] <= k.negative_to else None
            )
            if reading:  # the last score said wins: a later scan's, or the metastases' after the primary's
                case.sstr = reading
                case.evidence["sstr"] = clause.strip()[:80]
            case.sstr_test = _scan_of(clause)
            return
        # "faint focal uptake right iliac bone": a lesion's low uptake, neither receptor status (the rest is read)
        clause = re.sub(r"\b(?:faint|weak)(?:ly)?\s+focal\s+(?:\w+\s+){0,1}(?:uptake|avidity)", " ", clause)
        if (_STAGED_ON.search(clause) or _SCAN_REPORTED.search(clause)) and not (
            _SSTR_POS.search(clause) or _SSTR_NEG.search(clause)
        ):
            case.sstr_test = _scan_of(clause)
            return  # "cN0M0 on CT and DOTATATE", "nothing else on DOTATATE": the test is done, its receptor status not said
        shown = _NOT_SHOWN.search(clause)
        if (
            shown
            and (
                case.sstr == "positive"  # an avid site said before wins over "X not seen"
                or _NOT_THE_TUMOUR.search(f"{prev} {clause}")
                or any(sp.kind == "site" for sp in self.lex.find(tokens(clause[: shown.start()])))
            )
        ):
            shown = None
        if _SSTR_NEG.search(re.sub(r"negative\s+for\s+(?:a\s+|the\s+)?primary", " ", clause)) or shown:
            if self.benign_lesion.search(f"{prev} {clause}"):
                # "this is a typical haemangioma, not avid on DOTATATE": the benign lesion's uptake, not the tumour's
                case.sstr_test = _scan_of(clause)
                return
            case.sstr = "negative"
        elif _SSTR_POS.search(clause):
            case.sstr = "positive"
        else:
            return
        case.sstr_test = (
            "octreoscan"
            if re.search(r"octreoscan|octreotide\s+scan|\bsrs\b|scintigra", clause)
            else "pet"
            if re.search(r"dotat|ga68|\bga\b|\bpet\b", clause)
            else case.sstr_test
        )
        case.evidence["sstr"] = clause.strip()[:80]

    def _scan_booked(self, text: str, case: Case, used: list[tuple[int, int]]) -> None:
        """A receptor scan booked and not yet reported ("DOTATATE PET pending (booked 14th)"), read per sentence
        after the results: a booking negated, asked about or cancelled is none, nor is a PRRT course; a result in
        the post is the scan reported, unless a repeat scan is named."""
        for s in re.finditer(r"[^.;\n?!]+[?!]?", text):
            sentence = s.group(0)
            name = _SCAN_NAME.search(sentence)
            if name is None or sentence.endswith("?") or self.scan_not_booked.search(sentence):
                continue
            if self.prrt_course.search(sentence):
                continue  # "Lu-177 DOTATATE cycle 4 booked": the treatment, not the scan
            # said of the scan: just after its name with no other test between ("DOTATATE avid but RBC scan pending"
            # is not), or just before it ("awaiting a repeat Ga68 PET"); never "EUS FNA pending, ..., Ga PET"
            booked = [
                b
                for b in self.scan_booked.finditer(sentence)
                if (0 <= b.start() - name.end() <= 40 and not _OTHER_TEST.search(sentence, name.end(), b.start()))
                or 0 <= name.start() - b.end() <= 15
            ]
            if not booked or (case.sstr is not None and not self.scan_repeat.search(sentence)):
                continue
            case.sstr_booked = True
            used.append(s.span())  # "(booked 14th)" with it
            return

    def _resectable(self, clause: str, case: Case) -> None:
        if _RESECT_MAYBE.search(clause):
            return
        if _RESECT_NO.search(clause):
            case.resectable = False
        elif (m := _RESECT_YES.search(clause)) and case.resectable is None:
            case.resectable = not _negated(clause, m.start(), m.end())

    def _splenic(self, clause: str, case: Case) -> None:
        m = _SPLENIC.search(clause)
        if m and (m.group(0).startswith("splenic") or "splen" in clause) and _SPLENIC_INV.search(clause):
            spared = _SPLENIC_SPARED.search(clause)
            case.splenic_vessel_involvement = not (spared or _negated(clause, m.start(), m.end()))

    def _fitness(self, clause: str, case: Case) -> None:
        if (m := self.frail.search(clause)) and not _negated(clause, m.start(), m.end()):
            case.frail = True
            case.evidence["frail"] = m.group(0)
        # "pt declines resection": no operation planned, as for unfit, said as the patient's choice (never the team's)
        declines = self.declines_surgery.search(clause)
        if declines and not self.declined_by_team.search(clause, 0, declines.start()):
            case.declines_surgery = True
        if self.unfit.search(clause) or declines:
            case.fit_for_surgery = False
            case.evidence["fit_for_surgery"] = clause.strip()[:80]
        elif (m := self.fit.search(clause)) and case.fit_for_surgery is None and not re.search(r"\bnot\b|\bun", clause):
            case.fit_for_surgery = True
            case.evidence["fit_for_surgery"] = m.group(0)

    def _progression(self, clause: str, case: Case, before: str = "", joined: str = "") -> None:
        """Growth said of the tumour now. `before`: the clause a "then" continues ("suggests X first, then Y
        on progression" proposes; it reports no growth); `joined`: its sentence's words before it."""
        clause = _PD_OPERATION.sub(lambda o: " " * len(o.group(0)), clause)
        # "CgA doubled since last visit": a marker's rise, not the tumour's growth on imaging
        clause = _MARKER_RISE.sub(lambda o: " " * len(o.group(0)), clause)
        # "on streptozocin/5-FU ... for progressive PNET G2": why the line was started, not growth on it now
        clause = _STARTED_FOR.sub(lambda o: " " * len(o.group(0)), clause)
        clause = _IF_PD.sub(lambda o: " " * len(o.group(0)), clause)  # "if PD then everolimus": still to come
        if _PROPOSAL.search(before + " " + clause):  # "then everolimus on progression": for later, no growth now
            clause = _IF_PROGRESSES.sub(lambda o: " " * len(o.group(0)), clause)
        m = self.progress.search(clause)
        # a growth said in this clause or before it in its sentence, never an earlier line's ("PD on lanreotide in
        # 2023 ... CT this month: everything else stable" is stable now)
        grew = bool(
            (g := self.progress.search(joined))
            and not _negated(joined, g.start(), g.end())
            and not re.search(
                r"\b(?:19|20)\d\d\b", joined[g.end() : g.end() + 30]
            )  # "PD on lanreotide in 2023": a line before
        )
        if self.stable_elsewhere.search(clause) and (grew or (m and not _negated(clause, m.start(), m.end()))):
            if m and not _negated(clause, m.start(), m.end()):
                case.progression = True  # "new liver met seg 4, other lesions stable": a growth, the rest stable
            return
        if m and _queried(clause, m.start()):
            return  # "radiol says ?early PD ?SD": a question for the board, not a growth said
        if m and _LINE_BEFORE.search(clause[: m.start()]):
            return  # "Prior: lanreotide 2021-24 → PD": how an earlier line ended, not a growth now
        if not m or _negated(clause, m.start(), m.end()) or _STABLE.search(clause):
            if (m is None or _negated(clause, m.start(), m.end())) and (
                _STABLE.search(clause) or (_UNCHANGED.search(clause) and case.progression is None)
            ):
                case.progression = False
            return
        case.progression = True
        if _RAPID.search(clause):
            case.rapid_progression = True

    @staticmethod
    def _drugs(spans: list[Span]) -> list[Span]:
        return [
            s for s in spans if s.kind in ("therapy", "therapy_class") or (s.kind == "oos" and s.id == "other drugs")
        ]

    def _given_list(self, prev: str, case: Case) -> bool:
        """The clause before names a line given ("had lanreotide", or a list's item already read as given, "PRRT
        x4"): a clause of drugs only after it is the list's next item, a line given too."""
        named = {d.id for d in self._drugs(self.lex.find(tokens(prev)))}
        if not named or self.future.search(prev):
            return False
        return bool(_PRIOR.search(prev)) or (bool(case.treatments) and case.treatments[-1].drug in named)

    def _outcomes(self, clause: str) -> list[tuple[str, int]]:
        return [(name, m.start()) for name, pattern in self.outcomes for m in pattern.finditer(clause)]

    def _treatments(
        self,
        clause: str,
        spans: list[Span],
        case: Case,
        prev: str = "",
        nxt: str = "",
        after_then: bool = False,
        asks: bool = False,
    ) -> None:
        """Drugs and treatments the patient has had, each with the outcome said nearest to it. An outcome
        said in a clause of its own ("..., stopped after 3 months for pneumonitis") belongs to the last
        treatment named before it; a drug added with "and then on" shares the failure said before it
        ("progressed on octreotide and then on CAPTEM"). A drug after "then" is the next line: it does not
        share the outcome said of the one before ("lanreotide (PD 2y), then everolimus (stopped ...)")."""
        # "RCC 2016 treated with sunitinib": a line after another cancer's name is that cancer's, not the NET's ("PD on
        # lanreotide then everolimus despite her breast cancer being in remission" keeps both)
        other = min((sp.start for sp in spans if sp.kind == "oos" and sp.id == "other cancers"), default=None)
        if (
            other is None
            and re.search(r"\bfor\s+(?:it|that|this)\b", clause)
            and any(sp.kind == "oos" and sp.id == "other cancers" for sp in self.lex.find(tokens(prev)))
        ):
            other = 0  # "renal ca 2016, had sunitinib for it": the clause goes on about the cancer before it
        drugs = [d for d in self._drugs(spans) if other is None or d.start < other]
        # "on everolimus 10mg od for prog G2 pNET": why the line was started, not its outcome ("on" still says it is given)
        told = clause
        if (
            (given := _STARTED_FOR.search(clause))
            and (why := re.search(_FOR_PROGRESSIVE, given.group(0)))
            and not _ENDED_FOR.search(clause)
        ):
            a, b = given.start() + why.start(), given.start() + why.end()
            told = clause[:a] + " " * (b - a) + clause[b:]
        told = _IF_PD.sub(lambda o: " " * len(o.group(0)), told)  # "if it progresses, everolimus": no outcome yet
        if "respon" in told or "shrink" in told or "stabil" in told:  # "a cytotoxic regimen to get a response": an aim
            told = _PURPOSE.sub(lambda o: " " * len(o.group(0)), told)
        outcomes = self._outcomes(told)
        if _SHARED_VERB.match(clause) and _TRAILING_AND.search(prev) and all(o == "ongoing" for o, _ in outcomes):
            outcomes = [
                (name, 0) for name, pattern in self.outcomes if name in FAILED and pattern.search(prev)
            ] or outcomes
        if not drugs:
            if asks and _YES_NO_QUESTION.match(clause) and not _IMAGED_GROWTH.search(clause):
                # "does the rising blood test mean it's growing?" asks; it says nothing of the line given ("does the
                # new liver lesion on CT mean it has failed?" says a new lesion, and that counts)
                return
            strong = [
                o
                for o, _ in outcomes
                if o in ("stopped_toxicity", "intolerant") or (o == "progressed" and self.progress.search(clause))
            ]  # "BMs 1.8 despite eating" fails no line: only the tumour's own progression does
            weak = [o for o, _ in outcomes if o in ("stable", "responded")]
            if _COURSE.search(clause) and not strong and case.treatments and case.treatments[-1].outcome == "unknown":
                case.treatments[-1].outcome = "ongoing"  # "-> Lu-177 DOTATATE, had cycle 2 of 4": under way
                return
            # the last treatment named takes it; one named before that had its own ("lanreotide -> everolimus
            # (stopped, grade 3 pneumonitis)": the pneumonitis is everolimus's, not lanreotide's)
            open_ = [t for t in case.treatments[-1:] if t.outcome in ("unknown", "ongoing", "stable", "responded")]
            if weak and not strong and case.treatments and case.treatments[-1].outcome in ("unknown", "ongoing"):
                case.treatments[-1].outcome = weak[0]
            elif (
                strong == ["stopped_toxicity"]
                and open_
                and open_[-1].outcome == "ongoing"
                and not _STOP.search(clause + " " + nxt)
            ):
                pass  # "everolimus since Jan ... calling it grade 3 pneumonitis": a toxicity now, on the drug still given
            elif strong and open_:
                m = next(p.search(clause) for n, p in self.outcomes if n == strong[0])
                if m is not None and not _negated(clause, m.start(), m.end()) and not _queried(clause, m.start()):
                    # "(PD at 9 mo + pneumonitis)": the tumour progressed on it; the toxicity is its history
                    open_[-1].outcome = (
                        "progressed" if "progressed" in strong else min(strong, key=self.outcome_rank.__getitem__)
                    )
            return
        starts = [_locate(clause, d.tokens)[0] for d in drugs]
        prev_said = [o for o in self._outcomes(prev) if o[0] != "ongoing"]  # what the clause before says happened
        # after "then", an outcome said in its own brackets ("lanreotide (PD 2y), then everolimus") was the drug's
        # before it; one said before the list ("progressed on X (14 mo) then Y") is shared
        own_before = (
            after_then
            and bool(prev_said)
            and not any(sp.kind in ("therapy", "therapy_class") for sp in self.lex.find(tokens(prev)))
        )
        # "lanreotide 2019-22, then RECIST PD -> sunitinib": an outcome before the arrow that leads to this
        # clause's first drug is the line named before it
        lead = [o for o in outcomes if o[1] < min(starts) and _ARROW.search(clause[o[1] : min(starts)])]
        if lead and case.treatments:
            outcomes = [o for o in outcomes if o not in lead]
            if case.treatments[-1].outcome in ("unknown", "ongoing", "earlier_line"):
                case.treatments[-1].outcome = min((o for o, _ in lead), key=self.outcome_rank.__getitem__)
        # "sunitinib 2023-24 (stopped for G3 hypertension)": the outcome of the list's last drug follows in the next clause
        own_after = not self._drugs(self.lex.find(tokens(nxt))) and any(o != "ongoing" for o, _ in self._outcomes(nxt))
        for span in drugs:
            start, end = _locate(clause, span.tokens)
            # an outcome said next to another drug is that drug's ("sunitinib since 10/24 after PD on octreotide")
            own = [o for o in outcomes if _owner(clause, starts, o[1]) == start]
            if _negated(clause, start, end) and not re.search(r"\bnot\s+tolerat", clause):
                continue
            # "had" just before the drug makes it a line given, whatever was said before ("question: had X")
            if (
                (
                    self.future.search(clause[:start])
                    and not _HAD.search(clause[:start])
                    and all(o == "ongoing" for o, _ in outcomes)
                    and not _COURSE.search(clause)
                )
                or _WISH.search(clause[:start])
                or _ABOUT_DRUG.search(clause[:start])
            ):
                continue  # "consider everolimus?", "keen on a liver transplant" is a question or a wish, not a history
            if re.search(
                r"\b(?:never|not\s+yet|not)\s+(?:(?:had|received|been\s+given|given|tried|started)\s+)+(?:any\s+)?$",
                clause[:start],
            ):
                continue  # "Never had PRRT": a line not given
            if asks and _ASKED_BEFORE.search(clause[:start]):
                continue  # "switch to everolimus?", "... after switching to everolimus - is PRRT next?": asked, not given
            if _PROPOSED_JUST_BEFORE.search(clause[:start]) and not (
                _GIVEN_WHEN.search(clause[end:]) or _RAN.search(clause[end:])
            ):
                continue  # "PD - consider switch to everolimus": proposed, whatever the clause says happened
            if (
                asks
                and _YES_NO_QUESTION.match(clause)
                and not _HAD.search(clause[:start])
                and not _GIVEN_WHEN.search(clause)
                and not [o for o, _ in outcomes if o != "ongoing"]
            ):
                continue  # "is lanreotide 120 a reasonable 1st line?" asks about the drug; it gives none
            if asks and _YES_NO_QUESTION.match(clause) and _SIDE_EFFECT_OF.search(clause[:start]):
                continue  # "Is tiredness a normal side effect of sunitinib?" asks; no outcome of the line
            torn = _TORN_BETWEEN.search(clause)
            if (
                (asks and _OPTIONS_ASKED.search(clause) or (torn is not None and start > torn.start()))
                and len(drugs) > 1  # "continue lanreotide or stop it?" keeps the line given
                and not _KEPT_BEFORE.search(clause[:start])  # "continue lanreotide or switch to everolimus?": on it
                and not _HAD.search(clause[:start])
                and not [o for o, _ in own if o != "ongoing"]
            ):
                continue  # "Sunitinib 37.5 vs STZ/5-FU next?": options weighed, neither given
            if (
                re.match(r"\s*(?:work[- ]?up|assessment|referral)\b", clause[end:])
                and re.search(r"\b(?:due|awaiting|pending|booked|planned|for)\b", clause[:start])
                and not re.search(r"\b(?:had|received|cycles?|completed|done|given)\b", clause)
            ):
                continue  # "was due PRRT work-up next month": a work-up for the line, not the line given
            if (
                _NOT_STARTED.match(clause[end:])
                and not _GIVEN_WHEN.search(clause[end:])
                and not _RAN.search(clause[end:])
            ):
                continue  # "octreotide was going to be started in clinic next wk": not given yet (not "... and ran until PD")
            if _IF_PROGRESSES.match(clause[end:]) and _PROPOSAL.search(prev + " " + clause[:start]):
                continue  # "suggests lanreotide first then everolimus on progression": a line proposed for later
            drug = span.id if span.kind != "oos" else span.phrase.replace(" ", "_")
            said = (
                [o for o in own if o[0] != "ongoing"]
                or own
                or [o for o in outcomes if o[0] != "ongoing"]
                or outcomes  # "on X" only when nothing stronger is said
            )
            in_list = (
                not own_before
                and _only_drugs(clause, drugs)
                and not self.future.search(clause)
                and not _ARROW.match(clause.strip())  # "(2021 -> PD 2022) -> everolimus": the next line, not a list
                and (
                    prev_said
                    or [(t.outcome, 0) for t in case.treatments[-1:] if _LIST_ITEM.match(prev) and t.outcome in FAILED]
                )
            )
            listed = in_list if not own_after else []  # its own outcome follows: not the one said before
            if (
                _AFTER_LINES.search(clause[:start])
                and not _STARTED_AFTER.match(clause[end:])
                and any(s < start for s in starts)
                and not [o for o in own if o[0] != "ongoing"]
            ):
                outcome = "earlier_line"  # "on everolimus since 01/25 (2nd line after lanreotide)": the line before it
            elif _SWITCHED.search(clause[:start]):
                # "it grew so they switched her to sunitinib": a failure said before the switch is the last line's;
                # the new line is current unless its own outcome follows it ("switched to X, PD at 6 months")
                after = [o for o in own if o[1] > start and o[0] != "ongoing"]
                outcome = min(after, key=lambda o: o[1])[0] if after else "ongoing"
                before = [t for t in case.treatments if t.drug != drug and t.outcome in ("unknown", "ongoing")]
                if before and [o for o in outcomes if o[0] == "progressed" and o[1] < start]:
                    before[-1].outcome = "progressed"
            elif not said and listed:
                outcome = listed[0][0]  # "PD after lanreotide, everolimus, and sunitinib": the list shares it
            elif (
                said
                and _WAS_ON.search(clause[:start])
                and not [o for o in said if o[0] != "ongoing"]
                and not self.progress.search(clause + " " + nxt)
            ):
                outcome = "unknown"  # "was on lanreo before that": a line given before, not the one now
            elif said:
                outcome = min(said, key=lambda o: (abs(o[1] - start), self.outcome_rank[o[0]]))[0]
            elif re.search(r"\b(?:start|begin|commence|initiate|trial\s+of)\s+(?:on\s+|with\s+)?$", clause[:start]):
                continue  # "start lanreotide 120 mg q4w ... agree?": a proposal, not a line given
            elif re.search(r"\bnow\s+(?:on\s+)?$", clause[:start]) or _COURSE.search(clause):
                outcome = "ongoing"  # "octreotide -> sunitinib -> now Lu-177 DOTATATE", "booked for the 4th cycle of"
            elif not _PRIOR.search(clause[:start]) and re.match(
                r"\s*(?:lar\s+)?(?:injections?\s+)?(?:every\s+(?:month|4\s+weeks|28\s+days)|monthly|q\s*4\s*w)",
                clause[end:],
            ):
                outcome = "ongoing"  # "he has the octreotide injection every month": the line now
            elif (
                _PRIOR.search(clause[:start])
                # "line 2 everolimus (stopped ...)": a numbered line with its outcome said after it (never "MDT outcome:
                # 2nd line everolimus", "3rd line: PRRT vs sunitinib?", a line proposed)
                or (
                    _LINE_NUMBER.search(clause[:start])
                    and not _CHOICE_ASKED.search(clause)
                    # its outcome after it, or a list of numbered lines ("1L lanreotide, 2L everolimus, 3L CAPTEM")
                    and bool(self._outcomes(nxt) or _LINE_NUMBER_IN.search(prev) or _LINE_NUMBER_IN.search(nxt))
                )
                or re.search(
                    # "given the pace" weighs a reason; it gives no drug ("given the last 3 years" does)
                    r"\bgiven\b(?=\s+(?:the\s+|these\s+|those\s+|over\s+the\s+)?(?:last|past)\b)"
                    r"|\bgiven\b(?!\s+(?:the|that|this|these|his|her|its|their|how|what|a|an)\b)"
                    r"|\b(?:received|completed|done)\b|^\s*(?:lar\s*)?\(?\s*(?:\d|since|from|for\s+\d|x\s*\d|q\s*\d|every|monthly|started|before\s+(?:that|this|it)\b|previously|earlier|->|→)",
                    clause[end:],
                )
                # "TACE right lobe 8 days ago", "TACE to the right lobe last week": done, said with when (never
                # "TACE was mentioned by IR last week": talked about)
                or (_AGO.search(clause[end:]) and not _TALKED_ABOUT.search(clause))
                # "lanreotide (PFS 3y) -> everolimus": a duration in the brackets after it makes it a line given
                or (not clause[end:].strip() and _DURATION.match(nxt))
                # "lanreotide 2 years then progression": a bare drug whose next clause says the tumour grew on it
                or (
                    not clause[:start].strip()
                    and not clause[end:].strip()
                    and self.progress.search(nxt)
                    and any(o == "progressed" for o, _ in self._outcomes(nxt))
                )
                or after_then  # "..., then everolimus (stopped ...)": the next line given
                # "Had lanreotide, CAPTEM, PRRT x4, everolimus (stopped ...)": a list's item after a line given
                or (_only_drugs(clause, drugs) and self._given_list(prev, case))
            ):
                outcome = "unknown"
            elif in_list and own_after:
                outcome = "unknown"  # a list's item whose outcome follows ("sunitinib 2023-24 (stopped for ...)")
            else:
                continue
            if span.kind == "therapy" and span.id in (
                "hepatectomy",
                "distal_pancreatectomy",
                "pancreatoduodenectomy",
                "enucleation",
            ):
                continue  # operations are read as prior surgery, not as drugs
            if span.kind == "oos" and not self.antitumour(drug) and outcome in ("progressed", "stable", "responded"):
                outcome = "ongoing"  # "new DVT despite apixaban": another drug has no tumour response; she is on it
            existing = next((t for t in case.treatments if t.drug == drug), None)
            if existing is None:
                case.treatments.append(Treatment(drug=drug, outcome=outcome))  # type: ignore[arg-type]
            elif existing.outcome in ("unknown", "ongoing") and outcome != "unknown":
                existing.outcome = outcome  # "i take everolimus (afinitor)": the brand named again says nothing new

    def _history(self, clause: str, case: Case, prev: str = "", hedged: bool = False, asks: bool = False) -> None:
        """Operations already done (not planned), and recurrence (not when hedged). A short clause
        ("(distal pancreatectomy)") continues the clause before it; a short question does not ("#radius 2010.
        Curative-intent surgery?" asks for an operation)."""
        if (m := self.recurrence.search(clause)) and not _negated(clause, m.start(), m.end()):
            if not hedged:
                case.recurrence = True
            elif not case.uncertain_sites:
                case.uncertain_sites.append("other")  # "?recurrence": a finding to characterise, wherever it is
        elif m:
            case.recurrence = False
        context = f"{prev} {clause}" if len(tokens(clause)) <= 4 and not asks else clause
        # what a heading says ("Pt asking at clinic: 5 yrs since DP") does not make the operation a plan
        # ("Planning TACE for liver mets - pt had a Whipple in 2018": the plan is the TACE's, after the dash the history)
        if self.future.search(re.split(r":|\s[-–]\s", context)[-1]) or re.search(
            r"\b(?:s/?p|had|underwent|status\s+post)\s+nothing\b", clause
        ):
            return
        for m in _PD_OPERATION.finditer(clause):
            if re.match(r"(?:pd|dp|tp|vs|versus|or)\b", m.group(0)) and not self.past.search(clause):
                continue  # "DP + liver resection?" proposes; "DP+S 2019" was done
            if m.group(0).startswith("pd") and _DISEASE_AFTER.match(clause, m.end()):
                continue  # "PD 2024: 3 liver mets": the disease progressed in 2024
            # a bare "PD" clause ("(PD)", "then PD 02/2025") is said of the clause before it
            before = prev if _BARE_PD.fullmatch(clause) else clause[: m.start()]
            if any(sp.kind in ("therapy", "therapy_class") for sp in self.lex.find(tokens(before))) or (
                before is prev and any(o != "ongoing" for o, _ in self._outcomes(prev))
            ):
                # "lanreotide PD 2022", "everolimus 2021-23 (PD, G3 stomatitis)", "CAPTEM (PR, then PD 2025)": the
                # disease's progression on a line, not an operation
                continue
            name = _ABBREVIATED_OPERATION[re.search(r"\b(?:pd|dp|tp)\b", m.group(0)).group(0)]  # type: ignore[union-attr]
            if name not in case.prior_surgery:
                case.prior_surgery.append(name)
        specific = False
        where = context
        for name, pattern in self.procedures.items():
            m = pattern.search(where)
            if not m or _negated(where, m.start(), m.end()) or (name == "other" and specific):
                continue
            if _CANNOT.search(where[max(0, m.start() - 30) : m.start()]):
                continue  # "the doctors say it can't all be removed": an operation ruled out, not one done
            own = re.split(r":|\s[-–]\s", where[: m.start()])[-1]
            if self.future.search(own) and not self.past.search(own):
                continue  # "colleague says all pNETs should be resected per guideline - Whipple?": advised, not done
            if name == "resection" and not (self.past.search(context) or self.done.match(m.group(0))):
                continue
            if (
                name == "resection"
                and m.start()
                >= len(where) - len(clause)  # "primary already resected. bilobar liver mets": the primary's
                and re.search(r"liver|hepatic|\bmets?\b|metastas", clause)
                and not re.search(r"pnet|\bnet\b|pancrea|primary|head|body|tail|whipple", clause)
            ):
                name = "hepatectomy"  # "liver mets resected 2021": the metastases, not the primary
            if name != "resection" and not self.past.search(context) and not self.recurrence.search(clause):
                continue
            specific = specific or name not in ("other", "resection")
            if name not in case.prior_surgery:
                case.prior_surgery.append(name)

    def _anatomy(self, clause: str, case: Case) -> None:
        for attr, pattern, value in (
            ("biliary_obstruction", self.biliary, True),
            ("peripheral", self.peripheral, True),
            ("peripheral", self.central, False),
            ("malignant_features", self.malignant, True),
            ("vascular_involvement", self.vascular, True),
        ):
            m = pattern.search(clause)
            if m and not _negated(clause, m.start(), m.end()):
                setattr(case, attr, value)

    # whole-text facts ----------------------------------------------------------------------------

    def _presentation(self, text: str, clauses: list[_Clause], case: Case, used: list[tuple[int, int]]) -> None:
        """A syndrome or lab pattern implies the subtype when none is named ("Whipple's triad" -> insulinoma).
        Where the subtype is named, its syndrome's words ("gastrin 1400, multiple ulcers") are read too."""
        # "No flushing, diarrhoea or hypos": the list after a negated first symptom is negated too
        said = [
            replace(c, text="no " + c.text)
            if i and _SYMPTOM_LIST_NEGATED.search(clauses[i - 1].text) and _LIST_OF_WORDS.match(c.text)
            else c
            for i, c in enumerate(clauses)
        ]
        for subtype, evidence, entries, unless, suspected in self.presentations:
            if (unless is not None and unless.search(text)) or case.subtype not in (None, subtype):
                continue
            read = []  # the words of every entry that holds ("ZES", and "gastrin 1400 ... ulcers")
            for groups in entries:
                if not all(p.search(text) for p in groups):
                    continue  # the cheap test first: every group must at least occur
                hits = [_first_affirmed(p, said) for p in groups]
                if all(hits):
                    read += [h for h in hits if h]
            if read:
                if case.subtype is None:
                    case.subtype = subtype
                    case.evidence["subtype"] = evidence
                    # "recurrent fasting hypos, glucose 43, better after food": suggested, not yet diagnosed
                    # (not beside a diagnosed NET: spread, a grade or a Ki-67 said)
                    diagnosed = case.metastatic or case.grade or case.ki67 is not None
                    case.diagnosis_pending = case.diagnosis_pending or (suspected and not diagnosed)
                used.extend(read)
                return

    def _primary(self, text: str, clauses: list[_Clause], case: Case, used: list[tuple[int, int]]) -> None:
        """Where the tumour arose. The pancreas wins when it is named; a pancreatic location implies it."""
        said = [c for c in clauses if not c.question and not _HYPOTHETICAL.search(c.text)] or clauses
        found = {name: _first_affirmed(p, said) if p.search(text) else None for name, p in self.primaries.items()}
        if not any(found.values()):  # "Liver transplant for PNET mets? ... primary resected": the question says it
            found = {
                name: _first_affirmed(p, clauses) if p.search(text) else None for name, p in self.primaries.items()
            }
        others = sorted((span[0], name) for name, span in found.items() if span and name != "pancreas")
        pancreas_clear = any(
            _negated(c.text, m.start(), m.end()) or self.hedge.search(c.text)
            for c in said
            for m in self.primaries["pancreas"].finditer(c.text)
        )
        if found.get("duodenum") and case.location == "duodenum":
            case.primary = "duodenum"
        elif others and pancreas_clear:
            case.primary = others[0][1]  # "ileal mass ... pancreas normal"
        elif found.get("pancreas") or (set(case.locations) - {"duodenum"} and not others):
            case.primary = "pancreas"
        elif others:
            case.primary = others[0][1]
        if case.primary and (span := found.get(case.primary)):
            used.append(span)


def _snapshot(case: Case) -> tuple:
    """Cheap enough to take per clause: did reading this clause change anything?"""
    return tuple(
        tuple((t.drug, t.outcome) for t in v) if k == "treatments" else len(v) if isinstance(v, (list, dict)) else v
        for k, v in case.__dict__.items()
    )


@dataclass(frozen=True)
class Antitumour:
    """Whether a treatment's drug is antitumour therapy: one of the sources' systemic acts, a class of them,
    or a drug they do not discuss that case.yaml names (antitumour_other). Not symptom control (PPI,
    diazoxide), not liver-directed therapy or surgery, not a comorbidity's drug (apixaban). The one home of
    this test: the reader attaches toxicities with it, the planner's phases count treatment lines with it.
    A class, not a closure, so the engine snapshot can pickle it."""

    ids: frozenset[str]
    other: re.Pattern[str]

    def __call__(self, drug: str) -> bool:
        return drug in self.ids or self.other.search(drug.replace("_", " ")) is not None


def antitumour(k: Knowledge) -> Antitumour:
    acts = k.planner.acts
    ids = {acts[n].drug or n for n, act in acts.items() if act.kind == "systemic"}
    ids |= {c.id for c in k.therapies.classes if set(c.members) <= ids}
    return Antitumour(frozenset(ids), terms_pattern(k.case.antitumour_other))


def _around(clause: str, start: int, end: int, width: int = 80) -> str:
    """The clause as written, or where it is long, the words around clause[start:end] ("... and hasn't passed
    urine since last night"), so that the act-first line quotes what it acts on."""
    text = " ".join(clause.split())
    if len(text) <= width:
        return text
    first = clause.rfind(" ", 0, max(0, min(start, end + 30 - width))) + 1  # `width` characters holding it
    last = clause.find(" ", min(len(clause), max(end, first + width)))
    return " ".join(clause[first : last if last != -1 else len(clause)].split())


def _clause_at(clauses: list[_Clause], start: int, end: int) -> str:
    """The words around this span of the folded text, in its clause: what an act-first line quotes ("the GP
    rang to say her potassium was 2.4"), never a word cut in half."""
    c = next((c for c in clauses if c.start <= start < c.start + len(c.text)), None)
    return _around(c.text, start - c.start, end - c.start) if c else ""


def _owner(clause: str, starts: list[int], at: int) -> int:
    """The drug an outcome said at `at` belongs to: the nearest one on its side of an arrow ("lanreotide
    then PD -> sunitinib, SD": the PD is lanreotide's), else the nearest."""
    near = sorted(starts, key=lambda x: abs(x - at))
    before = [x for x in starts if x < at]
    # between two arrows ("lanreotide 2021 -> PD 2023 -> everolimus"): the line that ended with it
    fallback = max(before) if before else near[0]
    return next((x for x in near if not _ARROW.search(clause[min(x, at) : max(x, at)])), fallback)


def _range_for(ranges: list[LabRange], value: float, written: str) -> LabRange:
    """The flagging range a lab value is read in: the unit written after it ("glucose 31 mmol/L" is high, not
    31 mg/dL; "Hb 130 g/L" is not g/dL), a unit's first part only where one range has it ("31 mmol"), else
    the value's size."""
    whole = [r for r in ranges if written.startswith(r.unit.lower())]
    part = [r for r in ranges if written.startswith(r.unit.split("/")[0].lower())]
    chosen = whole or (part if len(part) == 1 else [])
    return chosen[0] if chosen else next(r for r in ranges if r.below is None or value < r.below)


_KRENNING = re.compile(
    r"\bkrenning\s*(?:score|grade)?\s*(?:of\s*)?([0-4]|iv|i{1,3})(?:\s*(?:/|-|to)\s*([0-4]|iv|i{1,3}))?\b"
)


def _krenning(m: re.Match[str]) -> int:
    """A Krenning score as written ("4", "IV", "1/2": the top of a range)."""
    return max(int(_ROMAN.get(g, g)) for g in m.groups() if g)


def _sentence_around(text: str, start: int, end: int) -> str:
    """The words of the sentence around text[start:end], without that span."""
    return re.split(r"[.;\n]", text[:start])[-1] + re.split(r"[.;\n]", text[end:])[0]


def _scan_of(clause: str) -> str:
    """Which receptor scan a clause names: an Octreoscan (scintigraphy), else a PET."""
    return "octreoscan" if re.search(r"octreoscan|octreotide\s+scan|\bsrs\b", clause) else "pet"


def _first_affirmed(
    pattern: re.Pattern[str],
    clauses: list[_Clause],
    keep: Callable[[int, re.Match[str]], bool] | None = None,
) -> tuple[int, int] | None:
    """The first match of pattern in a clause that does not negate it (and that `keep`, given the clause's
    index and the match, keeps), as a span of the folded text."""
    for i, c in enumerate(clauses):
        for m in pattern.finditer(c.text):
            if not _negated(c.text, m.start(), m.end()) and (keep is None or keep(i, m)):
                return (c.start + m.start(), c.start + m.end())
    return None


def _ignored(clauses: list[_Clause], used: list[tuple[int, int]]) -> list[str]:
    """Clauses with words but no fact read from them, so a clinician sees what the bot passed over."""
    out = []
    for c in clauses:
        end = c.start + len(c.text)
        words = tokens(c.text)
        if len(words) < 2 or any(s < end and c.start < e for s, e in used):
            continue
        out.append(" ".join(c.text.split())[:80])
    return out


# words that only qualify a size of the item said before it ("liver mets, largest 3 cm, smallest 6 mm")
# ... and a count, where the size ends its clause after an affirmed item ("liver mets, largest 6.5 cm, several 3-4 cm";
# not "few 3 cm masses in the tail", nor after "no liver lesions")
_COUNT_OF_THE_ITEM_BEFORE = r"|\b(?:several|multiple|many|numerous|few|some)\b"
_NOT_AN_ITEM = re.compile(r"\b(?:no|clear|normal|negative|nil)\b")
_OF_THE_ITEM_BEFORE = (
    r"\b(?:and|or|to|the|largest|biggest|smallest|up\s+to|measuring|max\w*|min\w*|rest|others?|remainder)\b"
    r"|\d+(?:\.\d+)?\s*(?:-\s*\d+(?:\.\d+)?\s*)?(?:cm|mm)\b"
)


def _distance(pattern: str, before: str, after: str) -> int:
    """How far the nearest match of `pattern` is from a value said between `before` and `after`."""
    back = [len(before) - m.end() for m in re.finditer(pattern, before)]
    ahead = [m.start() for m in re.finditer(pattern, after)]
    return min(back + ahead, default=10**6)


def _only_drugs(clause: str, drugs: list[Span], also: frozenset[str] = frozenset()) -> bool:
    """The clause is only an item of a list of drugs ("everolimus", "and sunitinib", "then everolimus 10mg"); `also`:
    other words it may hold."""
    allowed = {t for d in drugs for t in d.tokens} | _LIST_WORDS | also
    rest = [t for t in tokens(clause) if t not in allowed and not re.match(r"\d|x\d", t)]
    return bool(drugs) and not rest


# a question weighing options: "lan then PRRT vs CAPTEM upfront?" asks which, it gives no line
_CHOICE_WORDS = frozenset(
    {"vs", "versus", "v", "upfront", "first", "instead", "or", "which", "better", "before", "after"}
)


# words a list item may carry beside its drug: "then everolimus 10mg", "4 cycles Lu-PRRT", "everolimus (10 mo)"
_LIST_WORDS = {
    *("and", "or", "then", "mg", "lar", "daily", "od", "q4w", "x", "cycles", "cycle", "of"),
    *("mo", "mos", "month", "months", "wk", "wks", "week", "weeks", "yr", "yrs", "year", "years"),
}


def _nodes_only(spans: list[Span]) -> bool:
    """A clause whose only site is the lymph nodes speaks of regional, not distant, metastases."""
    sites = {s.id for s in spans if s.kind == "site"}
    return sites == {"lymph_nodes"}


def _locate(clause: str, toks: tuple[str, ...]) -> tuple[int, int]:
    """Character span of a token sequence inside the clause (first occurrence)."""
    pattern = r"\b" + r"[^a-z0-9]+".join(re.escape(t) for t in toks) + r"\b"
    m = re.search(pattern, clause)
    return (m.start(), m.end()) if m else (0, 0)
