"""Load and validate the knowledge files once, failing fast with file, key path and problem."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from knowledge import schema
from knowledge.text import alias_key

DATA_DIR = Path(__file__).parent / "data"

# file name -> (model, attribute on Knowledge)
FILES: dict[str, tuple[type[BaseModel], str]] = {
    "meta.yaml": (schema.Meta, "meta"),
    "sources.yaml": (schema.SourcesFile, "sources"),
    "subtypes.yaml": (schema.SubtypesFile, "subtypes"),
    "sites.yaml": (schema.SitesFile, "sites"),
    "primaries.yaml": (schema.PrimariesFile, "primaries"),
    "survival.yaml": (schema.SurvivalFile, "survival"),
    "grading.yaml": (schema.GradingFile, "grading"),
    "risk_factors.yaml": (schema.RiskFile, "risk"),
    "therapies.yaml": (schema.TherapiesFile, "therapies"),
    "topics.yaml": (schema.TopicsFile, "topics"),
    "intents.yaml": (schema.IntentsFile, "intents"),
    "vocabulary.yaml": (schema.VocabularyFile, "vocabulary"),
    "planner.yaml": (schema.PlannerFile, "planner"),
    "case.yaml": (schema.CaseVocabulary, "case"),
    "urgent.yaml": (schema.UrgentFile, "urgent"),
}

_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


class KnowledgeError(Exception):
    """A knowledge file is missing, unreadable or invalid. Each problem names file, key path and what is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class SourceInfo:
    id: str
    article: schema.Article
    reference: schema.Reference | None

    @property
    def year(self) -> int | None:
        if self.reference is not None:
            return self.reference.year
        return self.article.updated.year

    @property
    def label(self) -> str:
        """How an answer names this source: the article, then the reference inside it."""
        a = self.article
        article = f"{a.title} (article {a.file[:3]}, updated {a.updated.isoformat()})"
        r = self.reference
        if r is None:
            return article
        if not r.listed:
            return f"{article}, its reference {r.number} (not listed in the article)"
        ref = r.title or ""
        if r.publication:
            ref += f" {r.publication}"
        if r.year:
            ref += f", {r.year}"
        kind = {"guideline": "guideline", "research": "research", "drug_label": "drug label"}.get(r.kind or "", "")
        return f"{article}, citing: {ref.strip()}" + (f" [{kind}]" if kind else "")


@dataclass(frozen=True)
class Knowledge:
    meta: schema.Meta
    sources: schema.SourcesFile
    subtypes: schema.SubtypesFile
    sites: schema.SitesFile
    primaries: schema.PrimariesFile
    survival: schema.SurvivalFile
    grading: schema.GradingFile
    risk: schema.RiskFile
    therapies: schema.TherapiesFile
    topics: schema.TopicsFile
    intents: schema.IntentsFile
    vocabulary: schema.VocabularyFile
    planner: schema.PlannerFile
    case: schema.CaseVocabulary
    urgent: schema.UrgentFile
    version: str
    source_index: dict[str, SourceInfo] = field(repr=False)

    def source(self, source_id: str) -> SourceInfo:
        return self.source_index[source_id]

    def entity_groups(self) -> list[tuple[str, list[Any]]]:
        """Every named entity by kind (each item has id, name and aliases): the one list the lexicon
        matches, retrieval names and the vocabulary tests walk."""
        return [
            ("subtype", list(self.subtypes.subtypes)),
            ("site", list(self.sites.sites)),
            ("primary", list(self.primaries.primaries)),
            ("therapy", list(self.therapies.therapies)),
            ("therapy_class", list(self.therapies.classes)),
        ]


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _walk(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield loc, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, (*loc, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*loc, i))


def _read(path: Path) -> tuple[Any, bytes]:
    import yaml  # here, not at the top: a start from a snapshot (bot/snapshot.py) parses no YAML

    # libyaml's loader (in PyYAML's wheels) parses the knowledge about 10x faster than the pure-Python one:
    # most of the start-up time. Same safe subset of YAML; the pure-Python loader is the fallback.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = path.read_bytes()
    try:
        return yaml.load(raw.decode("utf-8"), Loader=loader), raw
    except UnicodeDecodeError as exc:
        raise KnowledgeError([f"{path.name}: (file): not UTF-8 text ({exc.reason})"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError([f"{path.name}: {where}: YAML syntax error: {problem}"]) from None


def load(directory: Path | str | None = None) -> Knowledge:
    """Load every knowledge file from directory (default: the packaged data) and validate it."""
    directory = Path(directory) if directory is not None else DATA_DIR
    if not directory.is_dir():
        raise KnowledgeError([f"{directory}: (directory): not found"])
    problems: list[str] = []
    parsed: dict[str, Any] = {}
    raws: dict[str, Any] = {}
    digest = hashlib.sha256()
    for name, (model, attr) in FILES.items():
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: (file): missing")
            continue
        try:
            data, raw = _read(path)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        digest.update(name.encode() + b"\0" + raw + b"\0")
        raws[name] = data
        try:
            parsed[attr] = model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(f"{name}: {_path(err['loc'])}: {err['msg']}")
    if problems:
        raise KnowledgeError(problems)

    source_index = _index_sources(parsed["sources"], problems)
    for name, data in raws.items():
        _check_tree(name, data, source_index, problems)
    _check_unique(parsed, problems)
    _check_links(parsed, problems)
    if problems:
        raise KnowledgeError(problems)
    version = f"{parsed['meta'].edition_date.isoformat()}.{digest.hexdigest()[:10]}"
    return Knowledge(**parsed, version=version, source_index=source_index)


def _index_sources(sources: schema.SourcesFile, problems: list[str]) -> dict[str, SourceInfo]:
    index: dict[str, SourceInfo] = {}
    for i, article in enumerate(sources.articles):
        entries: list[tuple[str, schema.Reference | None, str]] = [(article.id, None, f"articles[{i}].id")]
        entries += [(r.id, r, f"articles[{i}].references[{j}].id") for j, r in enumerate(article.references)]
        for sid, ref, where in entries:
            if sid in index:
                problems.append(f"sources.yaml: {where}: duplicate source id {sid!r}")
            elif ref is not None and not sid.startswith(article.id + "."):
                problems.append(f"sources.yaml: {where}: reference id {sid!r} must start with {article.id + '.'!r}")
            index[sid] = SourceInfo(sid, article, ref)
    return index


def _check_tree(name: str, data: Any, index: dict[str, SourceInfo], problems: list[str]) -> None:
    """Every cited source id exists; no percentage written in prose lies outside 0-100."""
    for loc, node in _walk(data):
        if loc and loc[-1] == "sources" and isinstance(node, list):
            for j, sid in enumerate(node):
                if sid not in index:
                    problems.append(f"{name}: {_path((*loc, j))}: unknown source id {sid!r}")
        elif isinstance(node, str):
            for m in _PERCENT.finditer(node):
                if float(m.group(1)) > 100:
                    problems.append(f"{name}: {_path(loc)}: percentage {m.group(0)} is outside 0-100")


def _check_unique(parsed: dict[str, Any], problems: list[str]) -> None:
    """Ids are unique within a file; an alias names one thing only, across all entity kinds."""
    groups = [
        ("subtypes.yaml", "subtypes", parsed["subtypes"].subtypes),
        ("sites.yaml", "sites", parsed["sites"].sites),
        ("primaries.yaml", "primaries", parsed["primaries"].primaries),
        ("therapies.yaml", "therapies", parsed["therapies"].therapies),
        ("therapies.yaml", "classes", parsed["therapies"].classes),
        ("survival.yaml", "patterns", parsed["survival"].patterns),
    ]
    owner: dict[str, str] = {}
    for fname, key, items in groups:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(f"{fname}: {key}[{i}].id: duplicate id {item.id!r}")
            seen.add(item.id)
            if fname == "survival.yaml":
                continue  # survival aliases only filter survival rows; they may repeat site names
            for j, alias in enumerate(item.aliases):
                a = " ".join(alias_key(alias))
                here = f"{fname} {key}[{i}] ({item.id})"
                if a in owner and owner[a] != here:
                    problems.append(f"{fname}: {key}[{i}].aliases[{j}]: duplicate alias {alias!r} (also {owner[a]})")
                owner.setdefault(a, here)
    vocab = parsed["vocabulary"]
    plain = [("domain_terms", vocab.domain_terms), ("carcinoma_terms", vocab.carcinoma_terms)]
    plain += [(f"trials[{i}].aliases", t.aliases) for i, t in enumerate(vocab.trials)]
    plain += [(f"out_of_scope.{g}.terms", group.terms) for g, group in vocab.out_of_scope.items()]
    for where, terms in plain:
        home = f"vocabulary.yaml {where.split('.')[0].split('[')[0]}"
        for j, term in enumerate(terms):
            a = " ".join(alias_key(term))
            if a in owner and owner[a] != home:
                problems.append(f"vocabulary.yaml: {where}[{j}]: duplicate alias {term!r} (also {owner[a]})")
            owner.setdefault(a, home)
    intents = parsed["intents"]
    names = [i.name for i in intents.intents]
    for i, n in enumerate(names):
        if names.index(n) != i:
            problems.append(f"intents.yaml: intents[{i}].name: duplicate intent {n!r}")


def _unknown_refs(problems: list[str], where: str, items: list[Any], field: str, valid: set[str], kind: str) -> None:
    """Each item's list-valued `field` names only ids in `valid`; report the rest by file, index and position."""
    for i, item in enumerate(items):
        for j, ref in enumerate(getattr(item, field)):
            if ref not in valid:
                problems.append(f"{where}[{i}].{field}[{j}]: unknown {kind} {ref!r}")


def _check_links(parsed: dict[str, Any], problems: list[str]) -> None:
    """Cross-file references (survival rows to sites, planner to survival patterns) point at real ids."""
    survival = parsed["survival"]
    site_ids = {s.id for s in parsed["sites"].sites}
    _unknown_refs(problems, "survival.yaml: patterns", survival.patterns, "site_ids", site_ids, "site")
    therapy_ids = {t.id for t in parsed["therapies"].therapies}
    subtype_ids = {t.id for t in parsed["subtypes"].subtypes}
    for t in parsed["therapies"].therapies:
        for j, c in enumerate(t.cautions):
            if c.subtype is not None and c.subtype not in subtype_ids:
                problems.append(f"therapies.yaml: {t.id}: cautions[{j}].subtype: unknown subtype {c.subtype!r}")
    _unknown_refs(problems, "therapies.yaml: classes", parsed["therapies"].classes, "members", therapy_ids, "therapy")
    vocab = parsed["vocabulary"]
    for i, t in enumerate(vocab.trials):
        if t.therapy not in therapy_ids:
            problems.append(f"vocabulary.yaml: trials[{i}].therapy: unknown therapy {t.therapy!r}")
    intent_names = {i.name for i in parsed["intents"].intents}
    for g, group in vocab.out_of_scope.items():
        for j, name in enumerate(group.close):
            if name not in intent_names:
                problems.append(f"vocabulary.yaml: out_of_scope.{g}.close[{j}]: unknown intent {name!r}")
    domain = {alias_key(t) for t in vocab.domain_terms}
    for kind in ("pnet", "net"):
        for j, term in enumerate(getattr(vocab.overview, kind)):
            if alias_key(term) not in domain:
                problems.append(f"vocabulary.yaml: overview.{kind}[{j}]: {term!r} is not a domain term")
    for name, topic in parsed["topics"].topics.items():
        for sec in topic.sections:
            for f in sec.facts:
                for a in f.aspects:
                    if a not in vocab.aspects:
                        problems.append(f"topics.yaml: {name}: {sec.title}: unknown aspect {a!r}")
    for file, kind in (("subtypes.yaml", "subtypes"), ("sites.yaml", "sites"), ("primaries.yaml", "primaries")):
        for s in getattr(parsed[kind], kind):
            for n in s.notes:
                for a in n.aspects:
                    if a not in vocab.aspects:
                        problems.append(f"{file}: {s.id}: unknown aspect {a!r}")
    for a, aspect in vocab.aspects.items():
        if aspect.show is not None and aspect.show not in intent_names:
            problems.append(f"vocabulary.yaml: aspects.{a}.show: unknown intent {aspect.show!r}")
    for a, silent in vocab.silent.items():
        if silent.show is not None and silent.show not in intent_names:
            problems.append(f"vocabulary.yaml: silent.{a}.show: unknown intent {silent.show!r}")
    for q in parsed["planner"].asked:
        if q.silent is not None and q.silent not in vocab.silent:
            problems.append(f"planner.yaml: asked: unknown silent aspect {q.silent!r}")
    other_ids = {f.id for f in survival.other}
    survival_ids = {p.id for p in survival.patterns} | other_ids
    _unknown_refs(
        problems, "planner.yaml: prognosis", parsed["planner"].prognosis, "figures", survival_ids, "survival figure"
    )
    for i, r in enumerate(parsed["planner"].rules):
        for j, step in enumerate(r.steps):
            if step.therapy is not None and step.therapy not in therapy_ids:
                problems.append(f"planner.yaml: rules[{i}].steps[{j}].therapy: unknown therapy {step.therapy!r}")
    subtype_ids = {s.id for s in parsed["subtypes"].subtypes}
    for i, p in enumerate(parsed["case"].presentations):
        if p.subtype not in subtype_ids:
            problems.append(f"case.yaml: presentations[{i}].subtype: unknown subtype {p.subtype!r}")
    _unknown_refs(problems, "survival.yaml: patterns", survival.patterns, "compare_with", other_ids, "survival figure")
    for k in survival.silent_sites:
        if k not in site_ids:
            problems.append(f"survival.yaml: silent_sites.{k}: unknown site {k!r}")
