"""Score the blind plans3 vignettes (act-first, first step, order, phase, uncertain sites, toxicities):
`python benchmarks/plans3.py CODE_DIR tests/vignettes/plans3_a.yaml tests/vignettes/plans3_b.yaml [--outcomes]`.
CODE_DIR: the engine checkout to score (this one, or a baseline worktree). Misses are printed with their
reasons for the development ids only; --outcomes prints every id's pass or fail without a reason, so a
regression on the held-out third can be found by diffing two runs without reading why it failed."""

# ruff: noqa: E402, SIM115  (the engine under test is imported after its checkout is put first on sys.path)
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import vignette_score as S  # this checkout's scorer, whichever engine it scores

code = Path(sys.argv[1]).resolve()
sys.path.insert(0, str(code))
from bot.render import to_text
from handlers import planner as P
from handlers.engine import Engine

e = Engine()
pl = P.planner_for(e.knowledge)


def norm(t):
    return re.sub(r"\s+", " ", t.lower())


def ordered_steps(case):
    lay = P.layout(case, pl)
    steps = list(lay.main)
    for _label, ss in lay.branches.items():
        steps += ss
    return [s.acts | s.options for s in steps]


res = {}
rows = []
for f in [a for a in sys.argv[2:] if not a.startswith("-")]:
    for it in yaml.safe_load(open(f)):
        r = e.ask(it["text"], intent="treatment_plan")
        a, q = r.answer, r.query
        found = S.plan_acts(a)
        base = S.judge_plan(it, found)
        why = base.missing + ["FORBIDDEN " + x for x in base.forbidden]
        steps = ordered_steps(q.case)
        first = steps[0] if steps else set()
        for x in it.get("first_not") or []:
            if S.has(first, x):
                why.append(f"first step is {x}")
        for a1, b1 in it.get("order") or []:
            ia = next((i for i, s in enumerate(steps) if S.has(s, a1)), None)
            ib = next((i for i, s in enumerate(steps) if S.has(s, b1)), None)
            if ib is not None and (ia is None or ia > ib):
                why.append(f"order {a1}<{b1}")
        warns = norm(" ".join(w.text for w in a.warnings))
        for w in it.get("act_first") or []:
            if norm(w) not in warns:
                why.append(f"act_first {w!r}")
        case = a.case or {}
        for site in it.get("uncertain") or []:
            if site in (case.get("metastases") or []):
                why.append(f"uncertain {site} read as confirmed")
        tox = it.get("toxicity")
        if tox and not any((t.get("drug") == tox.get("drug")) for t in case.get("toxicities") or []):
            why.append("toxicity not read")
        phase = getattr(a.plan, "phase", None) if a.plan else None
        phase_ok = phase == it.get("phase")
        part = "held-out" if S.held_out(it) else "dev"
        res.setdefault(part, [0, 0, 0, 0])
        res[part][0] += not why
        res[part][1] += 1
        res[part][2] += phase_ok
        res[part][3] += bool(base.forbidden)
        chars = len(to_text(a))
        rows.append((it["id"], part, not why, why, it.get("danger")))
for part, (ok, n, ph, forb) in res.items():
    print(f"{part}: plans OK {ok}/{n} {100 * ok / n:.1f}%  phase right {ph}/{n}  with a forbidden act {forb}")
tot = [sum(v[i] for v in res.values()) for i in range(4)]
print(f"all: OK {tot[0]}/{tot[1]} {100 * tot[0] / tot[1]:.1f}%  phase {tot[2]}  forbidden {tot[3]}")
for r in rows:
    if "--outcomes" in sys.argv:
        print("OUTCOME", r[0], r[1], "pass" if r[2] else "fail")
    elif not r[2] and r[1] == "dev":
        print("MISS", r[0], r[4], r[3])
