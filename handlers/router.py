"""Text -> Query(intent, entities, confidence). Declines when unsure.

Scoring, all from knowledge/data/intents.yaml:
  cue groups found in the question            + their weights
  entities named (subtype, site, therapy, ...) + the intent's entity weights
  the nearest example phrasing (rapidfuzz)     + up to EXAMPLE_BONUS for that example's intent
The winner must reach min_score; an intent whose needs_any is not met cannot win; any out-of-scope
term (another cancer, a look-alike lesion, another drug) declines the question outright.

Beyond the winning intent, a question is read as topic x aspect (knowledge/data/vocabulary.yaml):
  aspects   what is asked of the topic (dose, schedule, evidence, side effects...), for the answer to lead with
  silent    aspects the sources do not cover (causes, incidence, inheritance...): said so, then what they do say
  parts     a compound question ("dose of X and survival with Y"): every clause's own intent, answered in turn
  closest   no intent confident, no out-of-scope term, but the sources speak to the question's words:
            the closest cited facts (BM25 over the knowledge) instead of a decline
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from handlers.case import Case, CaseParser
from handlers.lexicon import Lexicon, Span
from handlers.retrieval import Hit, Retriever
from knowledge import Knowledge
from knowledge.schema import terms_pattern
from knowledge.text import alias_key, fold, tokens

EXAMPLE_BONUS = 4.0
EXAMPLE_FLOOR = 70.0  # token_sort_ratio below this adds nothing
MAX_NGRAM = 8
CLOSEST_MIN_INFO = 5.0  # summed IDF of the question's terms the knowledge holds, for a closest-matches answer
CLOSEST_MIN_SCORE = 4.0  # BM25 score of the best fact
PART_MIN_CUES = 3.0  # a clause of a compound question must carry this much cue weight of its own
ASPECT_SHOW_WEIGHT = 3.0  # an aspect asked whose facts one answer holds (vocabulary.yaml aspects show) cues it
HEAD_BONUS = 1.5  # each cue group in the head of the question (what is asked) counts this much more
HEAD_ENTITY_BONUS = 0.5  # an entity named in the sentence that asks: breaks a tie between what it and the context cue
MAX_HEAD_SENTENCES = 4  # a longer post is a case description, not a question with a head
# "Radiologist: new G1 PNET on biopsy - is CT enough?": the question after a dash between words (never "G1 - G2",
# nor an afterthought "- roughly?")
_SENTENCES = re.compile(r"(?<=[?.!])\s+|\n+|(?i:(?<=[a-z]{2})\s+-\s+(?=[a-z]{2,}\s))")
_SUBORDINATORS = {
    "when",
    "with",
    "in",
    "for",
    "after",
    "if",
    "because",
    "since",
    "whose",
    "among",
    "of",
    "that",
    "from",
    "on",
}
_REFERENTS = {"that", "it", "this", "they", "these", "those", "one"}  # "what is that?" after a tumour was named
_ASKS = {"what", "whats", "tell", "explain", "define", "describe", "mean", "means"}  # words that ask for an overview
# "is the monthly injection chemo?", "is everolimus a type of chemotherapy?": the class of a drug asked
_IS_IT_CHEMO = re.compile(
    r"\b(?:is|are)\s+(?:the\s+)?(?:\w+\s+){0,2}(?:a\s+)?(?:(?:form|type|kind|sort)\s+of\s+)?(?:chemo|chemotherapy)\s*(?:[?.!]|$)"
)
_CLASS_WORDS = {"chemo", "chemotherapy", "cytotoxic", "cytotoxic chemotherapy"}  # a class, when its class is asked
_ASKED_AFTER = {"go", "going", "start", "starting", "put", "switch", "switching", "try", "trying", "use", "using"}
_CLAUSES = re.compile(r"\band\b|\balso\b|\bplus\b|\bas well as\b|[;?&\n]|(?<=[a-z])\.\s|\bthen\b")

OVERVIEW_CONFIDENCE = 90  # the question is a tumour's name and overview words only: the match is near certain
NEXT_LINE_MAX_DETAILS = 2  # a next-line question with more case facts than this is a described case, for the planner
NOT_AFTER_WINDOW = 8  # words before an out-of-scope term searched for another organ ("liver focus ... ?cyst")
HELP_MAX_UNKNOWN = 2  # a help request with this many words the bot does not know asks help with something else
INCIDENTAL_GROUPS = (
    "other drugs",
    "other treatments",
    "other conditions",
    "general care",
    "other lesions",
)  # in passing in a NET case
INCIDENTAL_MIN_UNNAMED = 3  # case facts that make a post a case even when it names no NET
# what a scan was done for ("a scan for my kidney stones found a lesion in my pancreas"; vocabulary `scan_reason`): the
# reason the tumour was found, not what is asked
_REASON_WINDOW = 3  # words between a scan and the "for" that gives its reason, and between "for" and the condition
_FOLLOW_UP = r"\b(?:scans?|imaging|follow[- ]?up|surveillance|monitor\w*|check[- ]?ups?)\b"
_FOLLOW_UP_LENGTH = re.compile(rf"{_FOLLOW_UP}[^.?]*\bhow long\b|\bhow long\b[^.?]*{_FOLLOW_UP}")
_COMPARED = re.compile(  # the NET asked about is set against another tumour: "is this the same as pancreatic cancer?"
    r"\b(?:is|isn'?t|was|are)\s+(?:this|it|that|they|hers?|his)\s+(?:(?:the\s+)?same\s+(?:thing\s+)?as|different\s+(?:from|to|than)"
    r"|a\s+(?:type|kind|form)\s+of|like)\b|\bsame\s+(?:thing\s+)?as\b|\bor\s+is\s+(?:that|it|this)\b"
    r"|\bis\s+(?:this|it|that)\s+(?:the\s+same\s+thing|(?:an?\s+|the\s+)?(?:\w+\s+){0,4}?cancer)\b"  # "the bad kind of pancreas cancer"
)
# "lung NETs vs lung adenocarcinoma", "50 mg 4/2 like in RCC, or 37.5 mg daily?": another cancer set beside the NET
# a lesion's nature proven ("EUS-FNA has now confirmed adenoCa", "bx: adenoCa", "adenoCa confirmed on EUS-FNA")
_PROVEN = r"\b(?:confirm\w*|biopsy|bx|histo\w*|path\w*|fna|eus|cytology|proven|came\s+back(?:\s+as)?|c/w)"
LOOK_ALIKES = "pancreatic look-alikes"  # vocabulary.yaml out_of_scope group of the pancreas's other lesions
NET_NAMED_WINDOW = 7  # words after "pancreas cancer" searched for the NET's own name in apposition
NET_WORDS = {"neuroendocrine", "net", "nets", "pnet", "pnets", "pannet", "islet", "carcinoid"}
APPOSITION = {"the", "a", "an", "called", "but", "which", "its", "it", "they", "known", "of"}
NEGATORS = {"no", "not", "non", "negative", "rather", "instead", "ruled", "unlike", "nothing", "than", "excluded"}
_VERSUS = re.compile(
    r"\b(?:vs|versus|compared?\s+(?:to|with)|as\s+opposed\s+to|(?:like|as)\s+(?:in|for|with))\b"
    r"|\bdifferen\w*\s+(?:\w+\s+){0,5}between\b"  # "the difference in liver met rate between lung NETs and ..."
)
_SLACK_LINK = re.compile(r"<(https?://|mailto:)[^|>]*\|([^>]*)>")
_SLACK_BARE_LINK = re.compile(r"<(?:https?://|mailto:)[^>]*>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SLACK_MENTION = re.compile(r"<[@!][^>]*>")
_SLACK_FORMAT = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")


def clean_slack(text: str) -> str:
    """Slack markup out: mentions, <!channel>, links to their label, &amp;/&lt;/&gt; back to characters."""
    text = _SLACK_LINK.sub(r"\2", text)
    text = _SLACK_BARE_LINK.sub(" ", text)
    text = _SLACK_CHANNEL.sub(lambda m: m.group(1) or " ", text)
    text = _SLACK_MENTION.sub(" ", text)
    text = _SLACK_FORMAT.sub(" ", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


@dataclass
class Query:
    text: str  # the question with Slack markup removed; never logged
    intent: str
    confidence: int
    entities: dict[str, list[str]]
    words: list[str]
    case: Case
    scores: dict[str, float] = field(default_factory=dict)
    oos_terms: list[str] = field(default_factory=list)
    oos_groups: list[str] = field(default_factory=list)  # their groups in vocabulary.yaml, in the same order
    aspects: list[str] = field(default_factory=list)  # what is asked of the topic (vocabulary.yaml aspects)
    silent: list[str] = field(default_factory=list)  # asked aspects the sources do not cover
    parts: list[str] = field(default_factory=list)  # intents of a compound question, the main one first
    matches: list[Hit] = field(default_factory=list)  # closest facts, for the closest_matches answer
    spans: list[Span] = field(default_factory=list)  # entity spans found, for retrieval
    oos_asked: list[str] = field(default_factory=list)  # out-of-scope drugs or conditions the question asks about

    def first(self, kind: str) -> str | None:
        ids = self.entities.get(kind)
        return ids[0] if ids else None


class Router:
    def __init__(self, knowledge: Knowledge, lexicon: Lexicon, case_parser: CaseParser, retriever: Retriever):
        self.k = knowledge
        self.plans_patient = {f.id for f in knowledge.urgent.findings if f.severity == "critical" or f.plans_patient}
        self.lex = lexicon
        self.cases = case_parser
        self.retriever = retriever
        v = knowledge.vocabulary

        def phrases(terms: list[str]) -> set[tuple[str, ...]]:
            return {tuple(lexicon.text_words(t)) for t in terms} - {()}

        # phrase -> what it marks: ("aspect", name), ("silent", name) or ("unless", silent name)
        self.marks: dict[tuple[str, ...], set[tuple[str, str]]] = {}
        for name, a in v.aspects.items():
            for p in phrases(a.terms):
                self.marks.setdefault(p, set()).add(("aspect", name))
        for name, sa in v.silent.items():
            for p in phrases(sa.terms):
                self.marks.setdefault(p, set()).add(("silent", name))
            for p in phrases(sa.unless):
                self.marks.setdefault(p, set()).add(("unless", name))
        self.aspect_show = {name: a.show for name, a in v.aspects.items() if a.show}
        self.imaging_asks = terms_pattern(
            [t for sec in knowledge.topics.topics["imaging"].sections for t in sec.asked_by] or ["(?!)"]
        )
        self.differential = {
            name: terms_pattern(g.differential_before) for name, g in v.out_of_scope.items() if g.differential_before
        }
        self.aspect_order = {name: n for n, name in enumerate([*v.aspects, *v.silent])}
        self.scans = {w for t in v.scan_reason.scans for w in tokens(fold(t))}
        self.scan_conditions = {" ".join(alias_key(t)) for t in v.scan_reason.conditions}
        self.scan_reason_unless = terms_pattern(v.scan_reason.unless)
        # an overview question is its subject's name and nothing but these words ("what is a", "tell me about")
        self.overview_words = {w for t in v.overview.asks for w in lexicon.text_words(t)}
        self.overview_words |= {w for t in v.stopwords for w in lexicon.text_words(t)}
        self.overview_words |= {w for t in v.aspects["symptoms"].terms for w in lexicon.text_words(t)}  # their symptoms
        self.overview_words |= {
            w for t in v.overview.functioning for w in lexicon.text_words(t)
        }  # the functioning ones
        # what a subtype's own page answers: its presentation, and the aspects its notes are tagged with (preop)
        self.subtype_aspects = {"symptoms"} | {
            a for st in knowledge.subtypes.subtypes for n in st.notes for a in n.aspects
        }
        self.overview_names = {" ".join(lexicon.text_words(t)) for t in [*v.overview.pnet, *v.overview.net]}
        self.pnet_names = {" ".join(lexicon.text_words(t)) for t in v.overview.pnet}
        self.stop = {w for t in v.stopwords for w in lexicon.text_words(t)}
        cfg = knowledge.intents
        self.intents = cfg.intents
        self.min_score = cfg.min_score
        self.min_margin = cfg.min_margin
        # cue phrases normalised exactly like questions are, indexed by phrase: phrase -> cue groups it belongs to
        self.cue_groups: dict[tuple[str, ...], set[tuple[str, int]]] = {}
        self.cue_weights: dict[tuple[str, int], float] = {}
        for i in self.intents:
            for n, cue in enumerate(i.cues):
                self.cue_weights[(i.name, n)] = cue.weight
                for t in cue.terms:
                    phrase = tuple(w for w, _ in lexicon.words(list(alias_key(t))))
                    self.cue_groups.setdefault(phrase, set()).add((i.name, n))
        self.examples: list[str] = []
        self.example_intent: list[str] = []
        for intent in self.intents:
            for ex in intent.examples:
                self.examples.append(" ".join(lexicon.text_words(clean_slack(ex))))
                self.example_intent.append(intent.name)

    def _other_organs(self, raw: list[str], span: Span) -> bool:
        """An out-of-scope term said of another organ ("seg VI focus, ?cyst ?met"): not the look-alike lesion,
        unless the pancreas is named nearer to it ("liver clear; also 3cm cyst in pancreatic head")."""
        after = set(self.k.vocabulary.out_of_scope[span.id].not_after)
        window = raw[max(0, span.start - NOT_AFTER_WINDOW) : span.start]
        near = [i for i, w in enumerate(window) if w in after]
        pancreas = [i for i, w in enumerate(window) if w.startswith("pancrea")]
        said_after = raw[span.end : span.end + 3]  # "cyst in (the) pancreatic head"
        if any(w.startswith("pancrea") for w in said_after):
            return False
        return bool(near) and (not pancreas or max(near) > max(pancreas))

    def _named_as_net(self, raw: list[str], span: Span, compared: bool) -> bool:
        """A look-alike's cancer name said of the NET itself, in apposition just after it ("pancreas cancer, the
        neuroendocrine type", "a rare pancreas cancer called a NET", "cancer of the pancreas but they say it's a
        neuroendocrine tumour"): the lay name of a PNET, not another lesion. Not: one set against the NET ("is it the bad
        kind of pancreas cancer?"), negated ("negative for neuroendocrine markers", "rather than a NET"), or a NET said
        of someone else or before it ("his brother had a NET", "thought it was a NET but it is pancreatic cancer")."""
        if (
            compared
            or span.kind != "oos"
            or span.id != LOOK_ALIKES
            or not any(w.startswith(("cancer", "carcinoma")) for w in span.phrase.split())
        ):
            return False
        after = raw[span.end : span.end + NET_NAMED_WINDOW]
        named = next((i for i, w in enumerate(after) if w in NET_WORDS), None)
        # denied before the NET word, or just after it ("the neuroendocrine markers were negative", "a NET was
        # excluded"); never by words of another fact after it ("a NET, no mets")
        denied_after = (
            {"negative", "excluded", "ruled"} & set(after[named + 1 : named + 5]) if named is not None else set()
        )
        return (
            named is not None and after[0] in APPOSITION and not NEGATORS & set(after[: named + 1]) and not denied_after
        )

    def route(self, text: str, about_net: bool = False) -> Query:
        """The question in `text`, routed. `about_net`: it is asked inside a case of a NET ("... is she safe around
        her grandkids afterwards?"), so its subject is a NET whatever its own words name."""
        cleaned = clean_slack(text)
        raw = tokens(fold(cleaned))
        words = [w for w, _ in self.lex.words(raw)]
        case = self.cases.parse(cleaned)
        if not words:
            return Query(cleaned, "help", 100, {}, words, case)
        spans = self.lex.find(raw)
        # "pancreas cancer, the neuroendocrine type": the NET's lay name, never another lesion's
        compared_to = bool(_COMPARED.search(fold(cleaned)))
        spans = [s for s in spans if not self._named_as_net(raw, s, compared_to)]
        entities = _entities(spans, self.lex.trial_therapy)
        oos_spans = [s for s in spans if s.kind == "oos" and not self._other_organs(raw, s)]
        spans = [s for s in spans if s.kind != "oos" or s in oos_spans]
        oos = [s.phrase for s in oos_spans]
        groups = [s.id for s in oos_spans]
        # A drug the question asks about ("is it safe to go on mounjaro?", "CAPTEM vs STZ?") is named first; one a
        # case mentions in passing ("AF on apixaban", "on metformin") is still a case: planned, the drug noted.
        asked_oos = [s.phrase for s in oos_spans if s.id in INCIDENTAL_GROUPS and _asked(cleaned, raw, s)]
        # A post that names no NET and asks about the drug ("IM glucagon for a type 1 diabetic") is no case.
        named_net = bool(set(entities) - {"oos"}) or (case.details() >= INCIDENTAL_MIN_UNNAMED and not asked_oos)
        # ... or set beside a treatment the sources give ("Y90 SIRT vs TACE?"): that treatment is answered, the other
        # said to be outside the sources
        beside = "other treatments" in groups and bool(entities.get("therapy"))
        # ... or the reason a scan was done ("a scan for my kidney stones found a 1.8cm lesion in my pancreas")
        reason = (
            bool(oos_spans)
            and all(self._scan_reason(raw, s) for s in oos_spans)
            and not self.scan_reason_unless.search(fold(cleaned))
        )
        # ... or beside an interaction of a NET drug ("starting everolimus, on clarithromycin (H pylori triple therapy)")
        drug_note = any(f.drug_note for f in case.urgent)
        incidental = (
            bool(oos)
            and (case.details() >= 2 or beside or reason or drug_note)
            and named_net
            and all(g in INCIDENTAL_GROUPS for g in groups)
        )
        # "Is this the same as pancreatic cancer?" of a NET the question names: asked about the NET, not declined.
        compared = bool(oos and set(entities) - {"oos"} and compared_to)
        # "lung NETs vs lung adenocarcinoma: liver mets?": another cancer set against a NET, the NET's side is answered
        # and the other cancer said to be a gap (a look-alike set against a PNET is a differential, declined as one)
        compared = compared or bool(
            oos
            and set(groups) == {"other cancers"}
            and self._names_net(spans)
            # "like RCC": "like" just before the other cancer's name
            and (_VERSUS.search(fold(cleaned)) or any(s.start and raw[s.start - 1] == "like" for s in oos_spans))
        )
        # "2.8cm head mass, ?NET vs adenoCa, what workup?": a look-alike in a case's differential; the suspected NET is
        # planned and the look-alike said to be outside the sources
        differential = (
            bool(oos)
            and named_net
            and case.details() >= 2
            and any(s.id in self.differential for s in oos_spans)
            and all(s.id in INCIDENTAL_GROUPS or self._in_differential(fold(cleaned), s) for s in oos_spans)
        )
        incidental = incidental or compared or differential
        if differential and not case.prior_surgery and case.ki67 is None:
            case.diagnosis_pending = True  # a differential still open: the NET is suspected, not diagnosed
        present = set(entities) - ({"oos"} if incidental else set()) | ({"case"} if case.details() >= 2 else set())
        if entities.get("primary") == ["pancreas"] and (
            entities.get("subtype") or self.pnet_names & set(entities.get("domain", []))
        ):
            present.discard(
                "primary"
            )  # "a glucagonoma in her pancreas", "a PNET on his pancreas": its home, not a primary site asked
        if case.ki67 is not None or case.mitoses is not None:
            present.add("grade")
        has_domain = bool(present - {"oos"}) or case.details() >= 1 or about_net

        grams = ngrams(words)
        scores = {i.name: sum(w for kind, w in i.entity_weights.items() if kind in present) for i in self.intents}
        for name, n in {g for gram in grams for g in self.cue_groups.get(gram, ())}:  # each cue group counts once
            scores[name] += self.cue_weights[(name, n)]
        for name, _ in {g for gram in ngrams(self._head(cleaned, words)) for g in self.cue_groups.get(gram, ())}:
            scores[name] += HEAD_BONUS  # what the question asks, not the nouns around it
        asked = self._head_kinds(cleaned)
        for i in self.intents:  # "..., no SSTR imaging yet. Can I start octreotide?": the drug is what is asked
            if asked & set(i.entity_weights):
                scores[i.name] += HEAD_ENTITY_BONUS
        best = process.extractOne(" ".join(words), self.examples, scorer=fuzz.token_sort_ratio)
        if best and best[1] > EXAMPLE_FLOOR:
            scores[self.example_intent[best[2]]] += EXAMPLE_BONUS * (best[1] - EXAMPLE_FLOOR) / (100 - EXAMPLE_FLOOR)
        marks = {m for gram in grams for m in self.marks.get(gram, ())}
        head = {m for gram in ngrams(self._head(cleaned, words)) for m in self.marks.get(gram, ())}
        for kind, name in marks:
            if kind == "aspect" and name in self.aspect_show:  # "always grows fast?": the page that answers it
                scores[self.aspect_show[name]] += ASPECT_SHOW_WEIGHT + (HEAD_BONUS if (kind, name) in head else 0.0)
        for declared in self.intents:
            needs = set(declared.needs_any)
            if needs and not (needs & present or ("domain" in needs and has_domain)):
                scores[declared.name] = 0.0

        described = bool(case.prior_surgery) and (case.details() >= 2 or case.subtype is not None)
        # a tie goes to the plan for a patient after an operation ("DP 2021, G1, R0, N0, NED: how often imaging?"):
        # the plan answers the follow-up for this patient, the topic page only in general
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], not (described and kv[0] == "treatment_plan"), kv[0]))
        (top, top_score), (_, runner) = ranked[0], ranked[1]
        margin = top_score - runner
        if (entities.get("therapy") or entities.get("therapy_class")) and (
            self._defines(cleaned, spans, {"therapy", "therapy_class"}) or _IS_IT_CHEMO.search(fold(cleaned))
        ):
            marks.add(("aspect", "drug_class"))  # "what is streptozocin??": what kind of drug it is
        aspects = sorted((n for kind, n in marks if kind == "aspect"), key=self.aspect_order.__getitem__)
        if "drug_class" in aspects:  # "is everolimus chemo?": the word asks the class, it names no second drug
            generic = {s.id for s in spans if s.kind == "therapy" and s.phrase in _CLASS_WORDS}
            named = {s.id for s in spans if s.kind == "therapy" and s.phrase not in _CLASS_WORDS}
            if named or entities.get("therapy_class"):
                entities["therapy"] = [t for t in entities.get("therapy", []) if t in named or t not in generic]
        matches: list[Hit] = []
        context = False  # an overview asked after a sentence of context: that sentence asks nothing of its own
        if oos and not incidental:
            intent, conf = "out_of_scope", 95
        elif self._overview(raw, spans) or (context := self._overview_after_context(cleaned, spans, compared)):
            intent, conf = "overview", OVERVIEW_CONFIDENCE
        elif next_line_question(case, aspects) and has_domain:
            intent, conf = (
                "treatment_plan",
                OVERVIEW_CONFIDENCE,
            )  # "progressed on SSA, next line?": a question, not a case
        elif (
            len(entities.get("subtype", [])) == 1
            and self.subtype_aspects & set(aspects)
            and case.details() <= NEXT_LINE_MAX_DETAILS
            and not (entities.get("therapy") and {"dose", "schedule"} & set(aspects))  # "diazoxide dose pre-op"
            and not case.prior_surgery  # "Glucagonoma s/p DP + splenectomy 2/52 ago ... What now + f/u?": planned
        ):
            # "gastrinoma pt pre-op, what do we give?", "vipoma symptoms": the subtype's page, led by the aspect
            intent, conf = "overview", OVERVIEW_CONFIDENCE
        elif top_score < self.min_score or (margin < self.min_margin and not has_domain):
            # how sure the decline is: sure when an out-of-scope cue matched ("tell me a joke"), not at all when
            # nothing in the question was recognised (the decline is then only the default)
            intent, conf = "out_of_scope", int(round(100 * min(1.0, scores["out_of_scope"] / self.min_score)))
            matches = self._closest(words, spans, has_domain)
            if matches:
                intent, conf = "closest_matches", int(min(60, 10 * matches[0].score))
        elif top == "help" and not has_domain and self._unknown(words) >= HELP_MAX_UNKNOWN:
            # "can you help me write a letter to my boss": help with something else, not with this bot
            intent, conf = "out_of_scope", int(round(100 * min(1.0, scores["out_of_scope"] / self.min_score)))
        else:
            intent = top
            conf = int(round(100 * min(1.0, top_score / 6) * (0.5 + 0.5 * min(1.0, margin / 3))))
        if compared and intent in ("out_of_scope", "closest_matches"):
            intent, conf, matches = "overview", OVERVIEW_CONFIDENCE, []  # nothing else asked: what the NET is
        if intent != "out_of_scope" and has_domain and any(f.id in self.plans_patient for f in case.urgent):
            # a patient with an urgent finding ("spinal mets, new leg weakness and retention") is planned, so the
            # act-first line leads, whatever else the post asks
            intent, conf, matches = "treatment_plan", max(conf, OVERVIEW_CONFIDENCE), []
        unless = {name for kind, name in marks if kind == "unless"}
        silent = sorted(
            (n for kind, n in marks if kind == "silent" and n not in unless and has_domain),
            key=self.aspect_order.__getitem__,
        )  # an aspect the sources do not cover, of a topic they do: a question with no NET topic is declined
        if scores["treatment_plan"] >= self.min_score and _plans_the_patient(
            intent, case, entities, described, matches
        ):
            intent = "treatment_plan"
        if intent == "treatment_plan" and case.details() >= 2 or context:
            silent = []  # a described case is planned; "stage IV" in a post is not a question about TNM
        if (
            (
                intent in ("therapy", "imaging", "metastasis_rate", "metastatic_sites", "primary_site_pattern")
                or (intent == "treatment_plan" and case.details() == 0)  # "after his operation, how often scans?"
            )
            and "interval" in aspects
            and max(scores["surveillance"], scores["imaging"]) >= self.min_score
            and not (intent == "therapy" and "dose" in aspects)  # "lanreotide's dose and interval": its schedule
            # "when should we think about bone imaging?": a section of the imaging page asked for, not follow-up
            and not (intent == "imaging" and self.imaging_asks.search(fold(cleaned)))
        ):
            # "scan schedule after a Whipple", "how often should metastatic PNETs be imaged": when to follow up,
            # not the operation, the scan or how often the tumour spreads
            intent = "surveillance"
        if intent in ("survival", "metastatic_sites") and "evidence" in aspects and entities.get("therapy"):
            # "they're starting everolimus: how long does that tablet keep it under control?": the drug's
            # progression-free survival, not survival by metastatic pattern
            intent = "therapy"
        parts = (
            [intent] if intent in ("out_of_scope", "closest_matches") else self._parts(cleaned, intent, present, case)
        )
        return Query(
            cleaned,
            intent,
            max(0, min(100, conf)),
            entities,
            words,
            case,
            scores,
            oos,
            groups,
            aspects,
            silent,
            parts,
            matches,
            spans,
            asked_oos,
        )

    def _overview(self, raw: list[str], spans: list[Span]) -> bool:
        """True when the question names a tumour (PNETs, NETs, a subtype, a primary site) and asks nothing
        of it beyond an overview: "what is a PNET?", "tell me about insulinomas", a bare "pancreatic NET"."""
        named = [
            s
            for s in spans
            if s.kind in ("subtype", "primary") or (s.kind == "domain" and s.phrase in self.overview_names)
        ]
        if not named or len(named) != len([s for s in spans if s.kind != "topic"]):
            return False
        covered = {i for s in named for i in range(s.start, s.end)}
        rest = [w for w, i in self.lex.words(raw) if i not in covered]
        return all(w in self.overview_words for w in rest)

    def _overview_after_context(self, text: str, spans: list[Span], compared: bool = False) -> bool:
        """ "My mum has just been diagnosed with a PNET. What actually is that?", "what is a PNET? the doctor used
        that word": one sentence asks for an overview of the one tumour the message names; the others are context
        (no other question with an intent's cues of its own). Set against another tumour ("is this pancreatic
        cancer?"), the other tumour is not a second subject."""
        sentences = [s for s in _SENTENCES.split(text) if s.strip()]
        if not 1 < len(sentences) <= MAX_HEAD_SENTENCES:
            return False
        skip = {"topic", "oos"} if compared else {"topic"}
        named = [s for s in spans if s.kind not in skip]
        if not named or not all(self._overview([], [s]) or self._pancreas(s, named) for s in named):
            return False
        if len({s.id for s in named if s.kind == "subtype"}) > 1:
            return False
        asking = [s for s in sentences if "?" in s] or sentences[-1:]
        if sentences[-1] not in asking:
            asking.append(sentences[-1])
        names = {w for s in named for w in s.phrase.split()}
        allowed = self.overview_words | _REFERENTS | names
        overview = [s for s in asking if (ws := self.lex.text_words(s)) and _ASKS & set(ws) and set(ws) <= allowed]
        if not overview:
            return False
        others = [s for s in sentences if "?" in s and s not in overview]
        return all(max(self._cue_scores(self.lex.text_words(s)).values(), default=0) < PART_MIN_CUES for s in others)

    def _scan_reason(self, raw: list[str], span: Span) -> bool:
        """The condition is what a scan was done for (vocabulary `scan_reason`): "a scan for my kidney stones"."""
        if span.phrase not in self.scan_conditions:
            return False
        before = raw[max(0, span.start - _REASON_WINDOW) : span.start]
        if "for" not in before:
            return False
        at = span.start - 1 - before[::-1].index("for")
        return bool(self.scans & set(raw[max(0, at - _REASON_WINDOW) : at]))

    def _in_differential(self, folded: str, span: Span) -> bool:
        """The look-alike is named as a differential of the case ("?NET vs adenoCa"), by its group's words."""
        words = self.differential.get(span.id)
        phrase = re.escape(span.phrase)
        return (
            words is not None
            and re.search(rf"(?:{words.pattern})\s*{phrase}", folded) is not None
            # not once the look-alike is proven ("EUS-FNA has now confirmed adenoCa", "biopsy: pancreatic adenocarcinoma")
            and re.search(rf"{_PROVEN}\W+(?:[\w-]+\W+){{0,5}}?{phrase}", folded) is None
            and re.search(rf"{phrase}\W+(?:[\w-]+\W+){{0,2}}?(?:confirmed|proven|on\s+{_PROVEN})", folded) is None
        )

    def _names_net(self, spans: list[Span]) -> bool:
        """The question names a NET itself (a subtype, a primary site's NET, PNETs or NETs), not only a site or a drug."""
        return any(
            s.kind in ("subtype", "primary") or (s.kind == "domain" and s.phrase in self.overview_names) for s in spans
        )

    def _pancreas(self, span: Span, named: list[Span]) -> bool:
        """The pancreas named beside a PNET or a subtype ("a PNET on his pancreas"): its home, not a second subject."""
        return span.kind == "primary" and span.id == "pancreas" and any(s is not span for s in named)

    def _defines(self, text: str, spans: list[Span], kinds: set[str]) -> bool:
        """A sentence of the question asks only what a named thing of these kinds is ("what is streptozocin??")."""
        names = {w for s in spans if s.kind in kinds for w in s.phrase.split()}
        for sentence in _SENTENCES.split(text):
            words = set(self.lex.text_words(sentence))
            if names & words and _ASKS & words and words <= self.overview_words | _REFERENTS | names:
                return True
        return False

    def _head_kinds(self, text: str) -> set[str]:
        """The kinds of entity named in the sentence that asks, in a message of a few sentences."""
        sentences = [s for s in _SENTENCES.split(text) if s.strip()]
        if not 1 < len(sentences) <= MAX_HEAD_SENTENCES:
            return set()
        return {s.kind for s in self.lex.find(tokens(fold(_asking(sentences))))} - {"oos", "domain"}

    def _unknown(self, words: list[str]) -> int:
        """How many words of the question the bot's vocabulary does not know (stopwords aside)."""
        return sum(1 for w in words if w not in self.lex.vocab and w not in self.stop)

    def _head(self, text: str, words: list[str]) -> list[str]:
        """The words that say what is asked: the last question of the message, up to its first
        subordinate phrase ("life expectancy | when it has spread to the liver")."""
        sentences = [s for s in _SENTENCES.split(text) if s.strip()]
        if len(sentences) > MAX_HEAD_SENTENCES:
            return []
        if len(sentences) > 1:
            words = self.lex.text_words(_asking(sentences))
        for i, w in enumerate(words):
            # "what does that mean for how much time he has?": neither "that mean" nor "mean for how" starts a
            # subordinate phrase ("what does it mean for the plan that ...?" still ends at "for")
            asks_on = w == "that" and words[i + 1 : i + 2] in (["mean"], ["means"])
            asks_on |= w == "for" and words[i - 1 : i] in (["mean"], ["means"]) and words[i + 1 : i + 2] == ["how"]
            if i and w in _SUBORDINATORS and not asks_on:
                return words[:i]
        return words if len(sentences) > 1 else []  # the whole question is no narrower than itself

    def _closest(self, words: list[str], spans: list[Span], has_domain: bool) -> list[Hit]:
        """The closest cited facts, when the question is about NETs and the sources speak to enough of it.
        A question naming nothing of the domain is declined instead: closest matches are for in-scope ones."""
        if not has_domain or self.retriever.informative(words, spans) < CLOSEST_MIN_INFO:
            return []
        hits = self.retriever.search(words, spans)
        return (
            [h for h in hits if h.score >= CLOSEST_MIN_SCORE / 2] if hits and hits[0].score >= CLOSEST_MIN_SCORE else []
        )

    def _cue_scores(self, words: list[str]) -> dict[str, float]:
        scores: dict[str, float] = {}
        for name, n in {g for gram in ngrams(words) for g in self.cue_groups.get(gram, ())}:
            scores[name] = scores.get(name, 0.0) + self.cue_weights[(name, n)]
        return scores

    def _parts(self, text: str, main: str, present: set[str], case: Case) -> list[str]:
        """The intents of a compound question: the main one, then each clause's own, in the order asked."""
        clauses = [c for c in _CLAUSES.split(text) if c.strip()]
        if len(clauses) < 2:
            return [main]
        parts = [main]
        by_name = {i.name: i for i in self.intents}
        if main == "treatment_plan" and case.details() >= 2:
            # a described case: only what it asks adds a part ("all my scans are clear" describes; it asks nothing)
            asked = " ".join(tokens(case.question or ""))
            clauses = [c for c in clauses if " ".join(tokens(c)) and " ".join(tokens(c)) in asked]
        for clause in clauses:
            words = self.lex.text_words(clause)
            cues = self._cue_scores(words)
            if not cues:
                continue
            name, weight = max(cues.items(), key=lambda kv: (kv[1], kv[0]))
            if name == "survival" and "how long" in fold(clause) and _FOLLOW_UP_LENGTH.search(fold(text)):
                continue  # "how often scans and for how long?": how long follow-up lasts, not how long one lives
            if name == "imaging" and ("aspect", "interval") in {
                m for g in ngrams(words) for m in self.marks.get(g, ())
            }:
                name = "surveillance"  # "how often imaging and for how long?": when to follow up, not which scan
            needs = set(by_name[name].needs_any)
            if (
                weight >= PART_MIN_CUES
                and name not in parts
                and name not in ("out_of_scope", "help", "closest_matches")
                and (not needs or needs & present or "domain" in needs)
            ):
                parts.append(name)
        return parts


def _plans_the_patient(
    intent: str, case: Case, entities: dict[str, list[str]], described: bool, matches: list[Hit]
) -> bool:
    """A topic or drug answer that a described patient's plan answers better."""
    drugs = set(entities.get("therapy", [])) | set(entities.get("therapy_class", []))
    return (
        # "Poorly diff pancreatic NEC, Ki67 80%, liver mets + nodes. Colleague suggests lanreotide first. Agree?": the
        # plan refers for NEC care and says why not the drug (not "what is the survival?", the NEC page's)
        (intent == "nec" and case.details() >= 2 and bool(drugs))
        # "WD G3, Ki67 35%, FDG avid, liver + bone mets. Which line first - SSA, PRRT, or chemo?": the plan's order
        or (intent == "therapy" and case.details() >= 3 and len(drugs) >= 2)
        # "2y post DP, 2/14 LN+, NED. Adjuvant SSA or capecitabine? And how often scans?": its adjuvant line and
        # surveillance, for this patient after the operation
        or (intent == "therapy" and described and not matches)
    )


def _asking(sentences: list[str]) -> str:
    """The sentence of a message that asks: its last question, else its last sentence."""
    return ([s for s in sentences if "?" in s] or sentences[-1:])[-1]


def _entities(spans: list[Span], trial_therapy: dict[str, str]) -> dict[str, list[str]]:
    """Entity ids by kind; a trial also names its therapy, so the therapy's answer carries its result."""
    out: dict[str, list[str]] = {}

    def add(kind: str, value: str) -> None:
        if value not in out.setdefault(kind, []):
            out[kind].append(value)

    for s in spans:
        add(s.kind, s.phrase if s.kind in ("domain", "oos") else s.id)
        if s.kind == "trial":
            add("therapy", trial_therapy[s.id])
    return out


def next_line_question(case: Case, aspects: list[str]) -> bool:
    """ "Progressed on SSA, next line?": a question about the next line, answered from the algorithm; not a case
    with more facts, and not "?insulinoma ... CT nothing seen ... what now", which has no line given to follow."""
    return (
        "next_line" in aspects
        and case.details() <= NEXT_LINE_MAX_DETAILS
        and bool(case.treatments or case.progression or not case.details())
    )


def ngrams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for n in range(1, MAX_NGRAM + 1) for i in range(len(words) - n + 1)}


def _asked(text: str, raw: list[str], span: Span) -> bool:
    """An out-of-scope drug or condition the question asks about, not one the case mentions in passing: it opens the
    message or stands in a sentence that asks (with "?"), and is not what the patient is on ("AF on apixaban"),
    unless they are to go on it ("is it safe to go on mounjaro?")."""
    before = raw[max(0, span.start - 2) : span.start]
    if before[-1:] in (["on"], ["taking"], ["takes"], ["with"]) and not set(before[:-1]) & _ASKED_AFTER:
        return False
    if span.start == 0:
        return True
    n = 0
    for sentence in _SENTENCES.split(text):
        n += len(tokens(fold(sentence)))
        if span.start < n:
            return "?" in sentence
    return False
