"""The blind question set: `python benchmarks/blind.py [--misses] [--code DIR]`. Exits 1 below the floors.

Development and held-out parts are reported apart (benchmarks/blind_set.py says how each answer is judged).
--misses lists the development misses only: held-out failures are never looked at to tune anything.
--code DIR scores another checkout's engine (e.g. the baseline commit) with this scorer and set.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    code = Path(argv[argv.index("--code") + 1]).resolve() if "--code" in argv else ROOT
    sys.path.insert(0, str(ROOT))
    from benchmarks import blind_set as blind  # this checkout's scorer and question set

    sys.path.insert(0, str(code))  # the engine under test: this checkout, or the one given
    for name in [m for m in sys.modules if m.split(".")[0] in ("handlers", "knowledge", "bot")]:
        del sys.modules[name]
    from bot.render import to_text
    from handlers.engine import Engine

    engine = Engine()
    questions = blind.load()
    reports = {name: blind.score(engine, to_text, qs) for name, qs in blind.parts(questions).items()}
    print(f"engine: {code}")
    print(blind.table(reports))
    if "--misses" in argv:
        misses = [v for v in reports["development"].verdicts if not v.passed]
        print(f"\ndevelopment misses ({len(misses)}):")
        for v in misses:
            print(f"  {v.question.id} [{v.question.scope}] {v.question.text!r}: {v.why}")
    if code != ROOT:
        return 0
    failed = blind.below_floors(reports["held-out"])
    if failed:
        print("\nBELOW FLOOR (held-out): " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
