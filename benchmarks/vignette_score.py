"""Score the blind vignette sets: cases.yaml (what the reader reads) and plans.yaml (what a safe plan holds).

Both sets were written by a helper with no knowledge of the engine, from the five articles only
(tests/vignettes/README.md). Held out: every vignette whose number is divisible by 3; they are never
used to tune the reader, the rules or the vocabulary.

A plan is judged by what a clinician needs: every must_have action is in the plan (an "If ..." branch
counts), one of each must_have_any group is, no must_not_have action is anywhere in it (a branch
counts: a dangerous option is dangerous under any heading), and every asked-for fact is asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = (
    Path(__file__).resolve().parents[1] / "tests" / "vignettes"
)  # the sets; tests/test_vignettes.py holds their floors

# The vocabulary the blind sets use, in terms of the plan's acts (knowledge/data/planner.yaml).
IMPLIED = {
    "any_resection": {
        "resection_primary",
        "pancreatoduodenectomy",
        "distal_pancreatectomy",
        "enucleation",
        "duodenotomy",
        "hepatectomy",
        "cytoreduction",
        "liver_transplant",
        "resect_recurrence",
    },
    "resection_primary": {
        "resection_primary",
        "pancreatoduodenectomy",
        "distal_pancreatectomy",
        "enucleation",
        "duodenotomy",
    },
    "ssa": {"ssa", "octreotide", "lanreotide", "ssa_continue"},
    "octreotide": {"octreotide", "octreotide_preop"},
    "distal_pancreatectomy_splenectomy": set(),  # both distal_pancreatectomy and splenectomy: see has()
    "adjuvant_chemo": {"adjuvant_chemo"},
    "staging": {"staging", "sstr_imaging"},  # the vocabulary's staging is cross-sectional and SSTR imaging
    # the octreotide-in-insulinoma caution: the ban, or the caution that stands where receptor imaging lifts it
    "warn_octreotide_insulinoma": {
        "warn_octreotide_insulinoma",
        "warn_insulinoma_on_ssa",
        "warn_octreoscan_test",
        "warn_octreoscan_positive",
    },
}


def held_out(item: dict[str, Any]) -> bool:
    return int(re.sub(r"\D", "", str(item["id"]))) % 3 == 0


def load(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


# --- plans ---------------------------------------------------------------------------------------


def has(acts: set[str], name: str) -> bool:
    if name == "distal_pancreatectomy_splenectomy":
        return "distal_pancreatectomy" in acts and "splenectomy" in acts
    if name == "adjuvant_chemo":
        return "adjuvant_chemo" in acts
    return bool(IMPLIED.get(name, {name}) & acts)


@dataclass
class PlanResult:
    id: str
    ok: bool
    missing: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    danger: str = "low"


def judge_plan(item: dict[str, Any], found: set[str]) -> PlanResult:
    missing = [a for a in item.get("must_have", []) + item.get("asks", []) if not has(found, a)]
    missing += ["any of " + "/".join(g) for g in item.get("must_have_any", []) if not any(has(found, a) for a in g)]
    forbidden = [a for a in item.get("must_not_have", []) if has(found, a)]
    return PlanResult(item["id"], not missing and not forbidden, missing, forbidden, item.get("danger", "low"))


def plan_acts(answer: Any) -> set[str]:
    """Everything the plan recommends, warns of and asks for, as vocabulary ids."""
    plan = getattr(answer, "plan", None)
    if plan is not None:
        found = set(plan.acts) | set(plan.warnings) | set(plan.asks)
        if "streptozocin_5fu" in found and plan.adjuvant:
            found.add("adjuvant_chemo")
        return found
    return _legacy_acts(answer)


# The planner before the whole-case rules (commit a2e29d2) had no acts: its rules are mapped here,
# only so that the baseline could be measured with the same judge.
_LEGACY = {
    "staging_incomplete": {"staging"},
    "sstr_imaging_for_metastatic": {"sstr_imaging"},
    "localized_resection": {"resection_primary"},
    "small_nonfunctional": {
        "enucleation",
        "spleen_preserving",
        "distal_pancreatectomy",
        "lymph_node_resection",
        "warn_small_nf_not_benign",
    },
    "large_or_malignant": {"resection_primary", "lymph_node_resection"},
    "head_pancreatoduodenectomy": {"pancreatoduodenectomy"},
    "bodytail_distal_pancreatectomy": {"distal_pancreatectomy", "splenectomy", "spleen_preserving"},
    "splenectomy_vaccination": {"vaccination", "warn_vaccination"},
    "splenic_vessel_involvement": {"warn_no_spleen_preservation"},
    "insulinoma": {"diazoxide", "resection_primary", "enucleation", "warn_octreotide_insulinoma"},
    "gastrinoma": {"ppi", "duodenotomy", "lymph_node_resection", "enucleation", "pancreatoduodenectomy"},
    "glucagonoma_vipoma_symptoms": {"octreotide_preop"},
    "glucagonoma_vipoma": {"distal_pancreatectomy", "splenectomy", "lymph_node_resection"},
    "glucagonoma_nutrition": {"tpn"},
    "men1": {"resection_primary", "distal_pancreatectomy", "enucleation", "duodenotomy", "lymph_node_resection"},
    "resectable_liver_metastases": {"resection_primary", "hepatectomy", "cytoreduction"},
    "ssa_first_line": {"ssa", "octreotide", "lanreotide"},
    "ssa_insulinoma_caution": {"warn_octreotide_insulinoma"},
    "progression_targeted": {"everolimus", "sunitinib"},
    "prrt_sstr_positive": {"prrt"},
    "chemo_high_grade": {"streptozocin_5fu"},
    "liver_directed": {"rfa", "tace", "tae"},
    "liver_transplant": {"liver_transplant"},
    "cytoreduction_widespread": {"cytoreduction"},
    "surveillance_after_resection": {"surveillance"},
}
_LEGACY_ASKS = {
    "Ki-67 and mitoses not given": "ask_grade",
    "Location not given": "ask_location",
    "Metastatic status not given": "ask_metastatic_status",
    "SSTR status not given": "ask_sstr",
    "Resectability not given": "ask_resectability",
}


def _legacy_acts(answer: Any) -> set[str]:
    found: set[str] = set()
    for rule in answer.rules_fired:
        found |= _LEGACY.get(rule, set())
    case = answer.case or {}
    if "chemo_high_grade" in answer.rules_fired and case.get("metastatic") is not True:
        found.add("adjuvant_chemo")
    for section in answer.sections:
        for item in section.items:
            for start, ask in _LEGACY_ASKS.items():
                if item.text.startswith(start):
                    found.add(ask)
    return found


# --- cases ---------------------------------------------------------------------------------------

_SCALARS = (
    "primary",
    "subtype",
    "location",
    "size_cm",
    "ki67",
    "mitoses",
    "grade",
    "metastatic",
    "hepatic_burden_pct",
    "resectable",
    "sstr",
    "men1",
    "fit_for_surgery",
    "splenic_vessel_involvement",
)
_NOT_FAILED = {"ongoing", "stable", "responded"}
_KNOWN_DRUGS = {"octreotide", "lanreotide", "everolimus", "sunitinib", "prrt", "streptozocin_5fu", "tace", "rfa"}


def _drug(name: str) -> str:
    if name in _KNOWN_DRUGS:
        return name
    if re.search(r"capecit|temozol|captem", name):
        return "capecitabine_temozolomide"
    if re.search(r"lutetium|lutathera|177", name):
        return "prrt"
    return "other"


def _outcome(name: str) -> str:
    return "ongoing" if name in _NOT_FAILED else name


def case_fields(case: dict[str, Any]) -> dict[str, Any]:
    """The reader's case in the blind set's terms (works for the old reader's case too)."""
    out = {k: case.get(k) for k in _SCALARS}
    if out["location"] == "duodenum":
        out["location"] = None
    out["sites_present"] = set(case.get("metastases", []))
    out["sites_absent"] = set(case.get("metastases_ruled_out", []))
    surgery = set(case.get("prior_surgery", []))
    out["prior_surgery"] = {
        s if s in ("pancreatoduodenectomy", "distal_pancreatectomy", "enucleation", "hepatectomy") else "other"
        for s in surgery
    }
    if "treatments" in case:
        out["prior_treatments"] = {(_drug(t["drug"]), _outcome(t["outcome"])) for t in case["treatments"]}
    else:  # the old reader: prior therapies, and the ones it saw progression on
        prog = set(case.get("progressing_on", []))
        out["prior_treatments"] = {
            (_drug(d), "progressed" if d in prog else "unknown") for d in case.get("prior_therapies", [])
        }
    return out


def judge_case(item: dict[str, Any], case: dict[str, Any]) -> tuple[int, int, list[str]]:
    """(fields right, fields expected, misses) for one vignette."""
    got = case_fields(case)
    right, total, misses = 0, 0, []
    for key, want in (item.get("expect") or {}).items():
        total += 1
        if key in ("sites_present", "sites_absent"):
            ok = set(want) <= got[key]
        elif key == "prior_surgery":
            ok = {
                s if s in ("pancreatoduodenectomy", "distal_pancreatectomy", "enucleation", "hepatectomy") else "other"
                for s in want
            } <= got[key] | ({"other"} if got[key] else set())
        elif key == "prior_treatments":
            ok = {(_drug(t["drug"]), _outcome(t["outcome"])) for t in want} <= got[key]
        elif key in ("size_cm", "ki67", "mitoses", "hepatic_burden_pct"):
            ok = got.get(key) is not None and abs(float(got[key]) - float(want)) < 1e-6
        else:
            ok = got.get(key) == want
        right += ok
        if not ok:
            misses.append(f"{key}: want {want!r}, got {got.get(key)!r}")
    return right, total, misses


# --- follow-ups ----------------------------------------------------------------------------------

_NUMBERS = ("size_cm", "ki67")


def judge_followup(item: dict[str, Any], engine: Any) -> list[str]:
    """What the engine got wrong about one follow-up ([] when right). A change must re-plan the earlier case
    with the facts expected; a question must be answered alone, not declined; a new case must be read as
    itself, not as a change to the one before."""
    changed = engine.changed_case(item["followup"], [item["case"]])
    if item["kind"] == "question":
        if changed is not None:
            return ["a question read as a change to the case"]
        intent = engine.ask(item["followup"]).answer.intent
        return ["declined"] if intent == "out_of_scope" else []
    if item["kind"] == "new_case":
        if changed is not None:
            return ["a new case read as a change to the earlier one"]
        case = engine.ask(item["followup"], intent="treatment_plan").query.case
    elif changed is None:
        return ["not read as a change to the case"]
    else:
        case = changed
    misses = []
    for key, want in item["expect"].items():
        if key in _NUMBERS:
            ok = getattr(case, key) is not None and abs(getattr(case, key) - float(want)) < 1e-6
        elif key == "metastases_add":
            ok = set(want) <= set(case.metastases)
        elif key == "metastases_remove":
            ok = not set(want) & set(case.metastases)
        elif key == "progressed_on":
            ok = {_drug(d) for d in want} <= {_drug(d) for d in case.failed()}
        else:
            ok = getattr(case, key) == want
        if not ok:
            got = (
                case.failed()
                if key == "progressed_on"
                else case.metastases
                if key.startswith("metastases")
                else getattr(case, key)
            )
            misses.append(f"{key}: want {want!r}, got {got!r}")
    return misses


FOLLOWUP_ROWS = (
    ("all", "follow-ups handled right"),
    ("change", "changes re-planned with the new facts"),
    ("question", "questions answered alone"),
    ("new_case", "new cases read as new"),
)


def score_followups(engine: Any, name: str = "followups.yaml") -> dict[str, dict[str, Any]]:
    """Per split: follow-ups handled wholly right, by kind, and the development misses."""
    report: dict[str, dict[str, Any]] = {}
    for split in ("development", "held-out"):
        items = [i for i in load(name) if held_out(i) == (split == "held-out")]
        results = [(i, judge_followup(i, engine)) for i in items]
        report[split] = {"all": (sum(not m for _, m in results), len(results)), "misses": []}
        for kind in ("change", "question", "new_case"):
            mine = [m for i, m in results if i["kind"] == kind]
            report[split][kind] = (sum(not m for m in mine), len(mine))
        report[split]["misses"] = [(i["id"], m) for i, m in results if m]
    return report


# --- report --------------------------------------------------------------------------------------


PLAN_SETS = ("plans.yaml", "plans2.yaml")
CASE_SETS = ("cases.yaml", "cases2.yaml")


def score(
    engine: Any, plan_sets: tuple[str, ...] = PLAN_SETS, case_sets: tuple[str, ...] = CASE_SETS
) -> dict[str, dict[str, Any]]:
    """Per split (development, held-out): plans passed, dangerous misses, case fields and cases right."""
    report: dict[str, dict[str, Any]] = {}
    for split in ("development", "held-out"):
        want_held = split == "held-out"
        cases = [c for name in case_sets for c in load(name) if held_out(c) == want_held]
        case_results = [
            (c, judge_case(c, engine.ask(c["text"], intent="treatment_plan").query.case.model_dump())) for c in cases
        ]
        report[split] = {
            "case_fields": (sum(r[0] for _, r in case_results), sum(r[1] for _, r in case_results)),
            "cases": (sum(r[0] == r[1] for _, r in case_results), len(case_results)),
            "case_misses": [(c["id"], r[2]) for c, r in case_results if r[2]],
            "plan_misses": [],
        }
        for name in plan_sets:
            plans = [p for p in load(name) if held_out(p) == want_held]
            results = [judge_plan(p, plan_acts(engine.ask(p["text"], intent="treatment_plan").answer)) for p in plans]
            report[split][name] = {
                "plans": (sum(r.ok for r in results), len(results)),
                "forbidden_any": sum(bool(r.forbidden) for r in results),
                "dangerous": sum(bool(r.forbidden) for r in results if r.danger == "high"),
            }
            report[split]["plan_misses"] += [r for r in results if not r.ok]
    report["followups"] = score_followups(engine)
    return report


def table(report: dict[str, dict[str, Any]]) -> str:
    def pct(pair: tuple[int, int]) -> str:
        return f"{pair[0]}/{pair[1]} {100 * pair[0] / pair[1]:.1f}%" if pair[1] else "-"

    dev, held = report["development"], report["held-out"]
    rows = ["| | development | held-out |", "|---|---|---|"]
    for name in [k for k in dev if k.endswith(".yaml")]:
        rows.append(f"| {name}: plans safe and complete | {pct(dev[name]['plans'])} | {pct(held[name]['plans'])} |")
        rows.append(
            f"| {name}: plans with a forbidden step (high-danger) | {dev[name]['forbidden_any']} ({dev[name]['dangerous']}) | {held[name]['forbidden_any']} ({held[name]['dangerous']}) |"
        )
    rows.append(
        f"| cases.yaml + cases2.yaml: case fields read right | {pct(dev['case_fields'])} | {pct(held['case_fields'])} |"
    )
    rows.append(f"| cases.yaml + cases2.yaml: cases read wholly right | {pct(dev['cases'])} | {pct(held['cases'])} |")
    follow = report.get("followups")
    for kind, label in FOLLOWUP_ROWS if follow else ():
        rows.append(
            f"| followups.yaml: {label} | {pct(follow['development'][kind])} | {pct(follow['held-out'][kind])} |"
        )
    return "\n".join(rows)
