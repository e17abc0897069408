"""The accuracy table: `python benchmarks/accuracy.py [--misses]`. Exits 1 below the floors.

Scores the labelled suite in tests/accuracy.py (development and held-out parts, and both together)
for intent, entities, case fields, figures and out-of-scope recall and precision.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.engine import Engine  # noqa: E402
from tests.accuracy import HELD_OUT, SUITE, below_floors, development, score, table  # noqa: E402


def main(argv: list[str]) -> int:
    engine = Engine()
    reports = {
        "development": score(engine, development()),
        "held-out": score(engine, HELD_OUT),
        "all": score(engine, SUITE),
    }
    print(table(reports))
    if "--misses" in argv:
        for part, r in reports.items():
            if part != "all":
                print(
                    f"\n{part} misses:" + "".join(f"\n  {m}" for m in r.misses) if r.misses else f"\n{part}: no misses"
                )
    failed = [f"{part}: {f}" for part in ("held-out", "all") for f in below_floors(reports[part])]
    if failed:
        print("\nBELOW FLOOR: " + "; ".join(failed))
        return 1
    print("\nAll floors met.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
