"""Cold start to first answer, and peak memory: `python benchmarks/cold_start.py [RUNS]`.

Each run starts a fresh Python process and times it to exit, taking the median of RUNS (default 5):
  baseline      python -c "import slack_bolt"                 (the floor for any Bolt app)
  CLI answer    python -m bot ask "<question>"                 (load the engine, answer, print)
  Slack answer  build the Bolt app from settings and knowledge, dispatch one signed slash command
                through it, print the answer's size   (what a restarted worker does before answering)
Each is reported as wall time (what a user waits) and CPU time (user + system: steadier when other
work shares the machine), both as a ratio to the baseline's, and as peak memory: the process's maximum
resident set size (wait4's ru_maxrss). Aims: the CLI's first answer within 2x the baseline, and every
process under 100 MB.

Measured as a restart of an installed bot: one untimed round first, which writes the knowledge
snapshot (bot/snapshot.py) as any first start does, and the project's modules are byte-compiled
(compileall) as pip compiles an installed package such as slack_bolt; otherwise, with
PYTHONDONTWRITEBYTECODE set, only the baseline would start from bytecode.
"""

from __future__ import annotations

import compileall
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How often do insulinomas metastasise?"
SLACK_ANSWER = """
import json, tempfile
from slack_bolt import BoltRequest
from bot.app import build_app
from bot.settings import Settings
from bot.startup import load_engine
from bot.store import SqliteStore
from benchmarks.slack_stub import SECRET, SlackStub, command_body, signed_headers
stub = SlackStub()
app = build_app(Settings(bot_token="xoxb-cold", signing_secret=SECRET, api_url=stub.api_url), load_engine(None),
                store=SqliteStore(tempfile.mkdtemp() + "/seen.sqlite3"))
body = command_body("How often do insulinomas metastasise?", stub)
response = app.dispatch(BoltRequest(body=body, headers=signed_headers(body)))
assert response.status == 200 and "Insulinoma" in json.loads(response.body)["text"]
print(len(response.body))
"""

COMMANDS = {
    "baseline: import slack_bolt": [sys.executable, "-c", "import slack_bolt"],
    "CLI: first answer": [sys.executable, "-m", "bot", "ask", QUESTION],
    "Slack: first answer": [sys.executable, "-c", SLACK_ANSWER],
}


def run_once(cmd: list[str]) -> tuple[float, float, float]:
    """(seconds to exit, CPU seconds, peak RSS in MB) of one fresh process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:3]} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux reports kilobytes


def main(runs: int = 5) -> None:
    for package in ("bot", "handlers", "knowledge"):
        compileall.compile_dir(ROOT / package, quiet=1)
    for cmd in COMMANDS.values():
        run_once(cmd)
    results = {}
    for _ in range(runs):  # interleaved, so a busy moment hits every command alike
        for name, cmd in COMMANDS.items():
            results.setdefault(name, []).append(run_once(cmd))
    print(
        f"Cold start, median of {runs} fresh processes; {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    base = results["baseline: import slack_bolt"]
    base_wall, base_cpu = (statistics.median(r[i] for r in base) for i in (0, 1))
    for name, rows in results.items():
        wall, cpu = (statistics.median(r[i] for r in rows) for i in (0, 1))
        peak = max(r[2] for r in rows)
        print(
            f"  {name:30} {wall * 1000:6.0f} ms wall {wall / base_wall:5.2f}x  {cpu * 1000:6.0f} ms CPU "
            f"{cpu / base_cpu:5.2f}x  peak RSS {peak:6.1f} MB"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
