"""Score the blind questions3 sets, judging the first line too:
`python benchmarks/questions3.py CODE_DIR tests/blind/questions3_a.yaml tests/blind/questions3_b.yaml`."""

# ruff: noqa: E402, SIM115  (the engine under test is imported after its checkout is put first on sys.path)
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import blind_set as blind  # this checkout's scorer, whichever engine it scores

code = Path(sys.argv[1]).resolve()
sys.path.insert(0, str(code))
from bot.render import to_text
from handlers.engine import Engine

e = Engine()
tot = {}
rows = []
for f in [a for a in sys.argv[2:] if not a.startswith("-")]:
    data = yaml.safe_load(open(f))
    for d in data:
        q = blind.Question(
            id=str(d["id"]),
            text=str(d["text"]),
            scope=str(d["scope"]),
            must_include=tuple(map(str, d.get("must_include") or [])),
            must_not_include=tuple(map(str, d.get("must_not_include") or [])),
        )
        a = e.ask(q.text).answer
        v = blind.judge(q, a, to_text)
        ok, why = v.passed, v.why
        first = blind.normalise(a.summary if a.summary else "")
        fl = d.get("first_line_any") or []
        if (
            ok
            and q.scope == "in"
            and fl
            and not any(blind.contains(blind.normalise(a.title + " " + a.summary), s) for s in fl)
        ):
            ok, why = False, f"first line lacks {fl}"
        if (
            ok
            and q.scope == "silent"
            and not re.search(
                r"not (?:cover|give|in my sources|say)|no .{0,40}(?:figure|data)|silent",
                blind.normalise(a.title + " " + a.summary),
            )
        ):
            ok, why = False, "not-covered not on the first line"
        part = "held-out" if q.held_out else "dev"
        tot.setdefault((q.scope, part), [0, 0])
        tot[(q.scope, part)][0] += ok
        tot[(q.scope, part)][1] += 1
        rows.append((q.id, q.scope, part, ok, why, q.text[:70]))
for k in sorted(tot):
    print(k, tot[k], f"{100 * tot[k][0] / tot[k][1]:.1f}%")
allp = sum(v[0] for v in tot.values())
alln = sum(v[1] for v in tot.values())
print("all", allp, alln, f"{100 * allp / alln:.1f}%")
for r in rows:
    if "--outcomes" in sys.argv:  # every id's pass or fail, no reason: held-out regressions are diffed blind
        print("OUTCOME", r[0], r[2], "pass" if r[3] else "fail")
    elif not r[3] and r[2] == "dev":
        print("MISS", r)
