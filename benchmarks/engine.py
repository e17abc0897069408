"""Engine time per query, in process: `python benchmarks/engine.py [ROUNDS]`.

Runs every query of the accuracy suite (tests/accuracy.py: routing phrasings, figure questions,
planner vignettes and the held-out queries) through
Engine.ask (route + answer + plain-text and Block Kit rendering), ROUNDS times after one warm-up
round, and prints p50 / p99 / max per query, overall and for described cases and questions apart. Baseline in the same run: a bare rapidfuzz
extractOne over the example phrasings, the cheapest thing a fuzzy router could do.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process  # noqa: E402

from bot.render import to_blocks, to_text  # noqa: E402
from handlers.engine import Engine  # noqa: E402
from tests.accuracy import SUITE  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(rounds: int = 5) -> None:
    t0 = time.perf_counter()
    engine = Engine()
    build = time.perf_counter() - t0
    queries = [item.text for item in SUITE]
    examples = engine.router.examples
    for q in queries:  # warm-up (lexicon caches)
        engine.ask(q)
    full, bare = [], []
    cases, questions = "described cases (treatment_plan)", "questions (every other intent)"
    by_kind: dict[str, list[float]] = {cases: [], questions: []}
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            a = engine.ask(q).answer
            to_text(a)
            to_blocks(a)
            full.append((time.perf_counter() - t) * 1e3)
            by_kind[cases if a.intent == "treatment_plan" else questions].append(full[-1])
            t = time.perf_counter()
            process.extractOne(q.lower(), examples, scorer=fuzz.token_sort_ratio)
            bare.append((time.perf_counter() - t) * 1e3)
    print(f"engine build (load + validate knowledge, lexicon, router): {build * 1e3:.1f} ms")
    print(f"{len(queries)} queries x {rounds} rounds")
    for name, xs in (("engine.ask + render", full), *by_kind.items(), ("baseline: bare extractOne", bare)):
        print(
            f"{name:34s} p50 {pct(xs, 50):.3f} ms  p99 {pct(xs, 99):.3f} ms  max {max(xs):.3f} ms  mean {statistics.mean(xs):.3f} ms"
        )
    print(f"ratio p50 engine/baseline: {pct(full, 50) / pct(bare, 50):.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
