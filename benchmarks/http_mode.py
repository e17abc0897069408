"""HTTP mode under the Procfile's web line: `python benchmarks/http_mode.py [REQUESTS] [CONCURRENCY]`.

Starts gunicorn exactly as the Procfile says, twice: once with the bot, once with a bare Bolt app that
only echoes (benchmarks/echo_app.py), both talking to a local Slack stand-in. Sends REQUESTS signed
slash commands (default 400) at CONCURRENCY-way concurrency (default 10), with questions from the
routing phrasings, and reports per app the time from sending a request to Slack's HTTP response (the
ack, which Slack wants within 3 s; the bot's ack carries its whole answer, the echo's the text), and
the ratio of the bot's p50 / p95 to the echo's, measured in the same run on the same machine.
Also the peak resident memory of each gunicorn worker (VmHWM).
"""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.engine import pct  # noqa: E402
from tests.accuracy import SUITE  # noqa: E402
from tests.procfile import free_port, procfile, start, stop  # noqa: E402
from tests.slack_stub import SECRET, SlackStub, command_body, signed_headers  # noqa: E402

APP_SPEC = "'bot.wsgi:web()'"
ECHO_SPEC = "'benchmarks.echo_app:web()'"


def start_web(spec: str, port: int, stub: SlackStub) -> subprocess.Popen:
    env = {
        "PORT": str(port),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": stub.api_url,
        "LOG_LEVEL": "WARNING",
    }
    proc = start(procfile()["web"].replace(APP_SPEC, spec), env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{spec} did not start:\n{stop(proc)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{spec} did not open port {port}")


def worker_hwm_mb(master: subprocess.Popen) -> float:
    """Peak RSS of gunicorn's worker (the child of the master), from /proc."""
    try:
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        status = Path(f"/proc/{children[0]}/status").read_text()
    except (OSError, IndexError):
        return float("nan")
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return kb / 1024


def send(port: int, stub: SlackStub, text: str) -> tuple[float, dict]:
    """One signed slash command; (milliseconds to the ack, the ack's JSON body)."""
    body = command_body(text, stub)
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers=signed_headers(body)
    )
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=10) as r:
        raw = r.read()
    ms = (time.perf_counter() - t) * 1000
    return ms, json.loads(raw) if raw.startswith(b"{") else {"text": raw.decode()}  # Bolt sends a text-only ack as text


def measure(spec: str, requests: int, concurrency: int, stub: SlackStub) -> dict[str, float]:
    port = free_port()
    proc = start_web(spec, port, stub)
    try:
        texts = [item.text for item in SUITE]
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(lambda i: send(port, stub, texts[i % len(texts)]), range(30)))  # warm-up
            results = list(pool.map(lambda i: send(port, stub, texts[i % len(texts)]), range(requests)))
        acks = [ms for ms, _ in results]
        answered = sum(1 for _, body in results if body.get("blocks") or body.get("text"))
        return {"p50": pct(acks, 50), "p95": pct(acks, 95), "answered": answered, "rss_mb": worker_hwm_mb(proc)}
    finally:
        stop(proc)


def main(requests: int = 400, concurrency: int = 10) -> None:
    stub = SlackStub()
    try:
        echo = measure(ECHO_SPEC, requests, concurrency, stub)
        bot = measure(APP_SPEC, requests, concurrency, stub)
    finally:
        stub.close()
    print(f"HTTP under the Procfile web line: {requests} signed slash commands, {concurrency}-way concurrency")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'':18}{'ack p50':>10}{'ack p95':>10}{'worker peak RSS':>17}")
    for name, r in (("bare Bolt echo", echo), ("PNET bot", bot)):
        print(f"{name:18}{r['p50']:>8.2f}ms{r['p95']:>8.2f}ms{r['rss_mb']:>15.1f}MB")
    print(f"ratio bot/echo: p50 {bot['p50'] / echo['p50']:.2f}x, p95 {bot['p95'] / echo['p95']:.2f}x")
    if bot["answered"] != requests:
        raise SystemExit(f"only {bot['answered']} of {requests} acks carried an answer")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
