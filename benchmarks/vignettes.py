"""The blind vignette table: `python benchmarks/vignettes.py [--misses]`.

Scores tests/vignettes/plans.yaml (what a safe plan holds), cases.yaml (what the reader reads) and
followups.yaml (a message after a case: a change re-plans it, a question or a new case does not),
development and held-out apart. With --misses, lists the development misses only: the held-out third
is never looked at case by case, so nothing is tuned to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.vignette_score import score, table  # noqa: E402
from handlers.engine import Engine  # noqa: E402


def main(argv: list[str]) -> int:
    report = score(Engine())
    print(table(report))
    if "--misses" in argv:
        dev = report["development"]
        for r in dev["plan_misses"]:
            print(f"  plan {r.id}: missing {r.missing} forbidden {r.forbidden}")
        for cid, misses in dev["case_misses"]:
            print(f"  case {cid}: " + "; ".join(misses))
        for fid, misses in report["followups"]["development"]["misses"]:
            print(f"  follow-up {fid}: " + "; ".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
