"""How long a plan's main Slack message is: `python benchmarks/plan_length.py [--check]`.

Visible characters of the `blocks` that `ask --json` returns for a case (header, sections, context; mrkdwn
markers and escapes removed), over every blind case vignette. Issue 18's target: median at most 1,200 and
90% under 2,500. --check exits 1 when a target is missed.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SETS = ["plans.yaml", "plans2.yaml", "plans3_a.yaml", "plans3_b.yaml"]
MEDIAN_MAX, P90_MAX = 1200, 2500


def lengths() -> list[int]:
    sys.path.insert(0, str(ROOT))
    from bot.render import to_blocks
    from bot.render.blocks import visible_chars
    from handlers.engine import Engine

    engine = Engine()
    out = []
    for name in SETS:
        for item in yaml.safe_load((ROOT / "tests" / "vignettes" / name).read_text(encoding="utf-8")):
            out.append(visible_chars(to_blocks(engine.ask(item["text"], intent="treatment_plan").answer)))
    return out


def main(argv: list[str]) -> int:
    n = sorted(lengths())
    median, p90 = statistics.median(n), n[int(0.9 * (len(n) - 1))]
    print(f"main plan message, visible characters over {len(n)} vignettes: median {median:.0f}, p90 {p90}, max {n[-1]}")
    print(f"targets: median <= {MEDIAN_MAX}, p90 < {P90_MAX}")
    return 1 if "--check" in argv and (median > MEDIAN_MAX or p90 >= P90_MAX) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
