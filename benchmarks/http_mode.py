"""HTTP mode: `python benchmarks/http_mode.py [REQUESTS] [CONCURRENCY] [WORKERS]`.

Starts, in the same run, on the same machine, with the same number of worker processes (default: the
Procfile's default, one per core and at least 2) and threads (8):
- the baseline: a bare Bolt app that only echoes (benchmarks/echo_app.py, Bolt's defaults), served the
  usual way for a Bolt WSGI app: gunicorn's gthread worker, Bolt's WSGI adapter;
- the bot: the Procfile's web line as it is (uvicorn, verification, replay and event store in SQLite).
Both talk to a local Slack stand-in. Sends REQUESTS signed slash commands (default 400) at
CONCURRENCY-way concurrency (default 10), questions from the routing phrasings, and reports the time
from sending a request to Slack's HTTP response (the ack, which Slack wants within 3 s; the bot's ack
carries its whole answer, the echo's the text), p50 and p95, the ratio bot / echo, and the peak
resident memory of the largest worker (VmHWM).
"""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.engine import pct  # noqa: E402
from benchmarks.procfile import free_port, procfile, start, stop  # noqa: E402
from benchmarks.slack_stub import SECRET, SlackStub, command_body, signed_headers  # noqa: E402
from bot.settings import default_workers  # noqa: E402
from tests.accuracy import SUITE  # noqa: E402

THREADS = 8
BOT = "PNET bot, Procfile web line"
ECHO = "bare Bolt echo, gunicorn"


def line(name: str, workers: int) -> str:
    if name == BOT:
        return procfile()["web"]
    return (  # how a Bolt WSGI app is usually served; no control socket, which nobody asked for
        f"gunicorn --worker-class gthread --workers {workers} --threads {THREADS} --bind 127.0.0.1:$PORT "
        "--no-control-socket 'benchmarks.echo_app:web()'"
    )


def start_web(name: str, port: int, stub: SlackStub, workers: int, data_dir: str) -> subprocess.Popen:
    env = {
        "PORT": str(port),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": stub.api_url,
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(workers),
        "WEB_THREADS": str(THREADS),
        "PNET_DATA_DIR": data_dir,
    }
    proc = start(line(name, workers), env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{name} did not start:\n{stop(proc)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{name} did not open port {port}")


def worker_hwm_mb(master: subprocess.Popen) -> float:
    """Peak RSS of the largest worker (a child of the server's parent process), from /proc."""
    peaks = []
    try:
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        for child in children:
            status = Path(f"/proc/{child}/status").read_text()
            peaks += [int(row.split()[1]) / 1024 for row in status.splitlines() if row.startswith("VmHWM:")]
    except OSError:
        pass
    return max(peaks, default=float("nan"))


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


def measure(name: str, requests: int, concurrency: int, workers: int, stub: SlackStub) -> dict[str, float]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        proc = start_web(name, port, stub, workers, data_dir)
        try:
            return load(port, requests, concurrency, stub, proc)
        finally:
            stop(proc)


def load(port: int, requests: int, concurrency: int, stub: SlackStub, proc: subprocess.Popen) -> dict[str, float]:
    texts = [item.text for item in SUITE]
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda i: send(port, stub, texts[i % len(texts)]), range(30)))  # warm-up
        results = list(pool.map(lambda i: send(port, stub, texts[i % len(texts)]), range(requests)))
    acks = [ms for ms, _ in results]
    answered = sum(1 for _, body in results if body.get("blocks") or body.get("text"))
    return {"p50": pct(acks, 50), "p95": pct(acks, 95), "answered": answered, "rss_mb": worker_hwm_mb(proc)}


def main(requests: int = 400, concurrency: int = 10, workers: int = 0) -> None:
    workers = workers or default_workers()
    stub = SlackStub()
    try:
        echo = measure(ECHO, requests, concurrency, workers, stub)
        bot = measure(BOT, requests, concurrency, workers, stub)
    finally:
        stub.close()
    print(f"HTTP: {requests} signed slash commands, {concurrency}-way, {workers} workers x {THREADS} threads each")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'':30}{'ack p50':>10}{'ack p95':>10}{'worker peak RSS':>17}")
    for name, r in ((ECHO, echo), (BOT, bot)):
        print(f"{name:30}{r['p50']:>8.2f}ms{r['p95']:>8.2f}ms{r['rss_mb']:>15.1f}MB")
    print(f"ratio bot/echo: p50 {bot['p50'] / echo['p50']:.2f}x, p95 {bot['p95'] / echo['p95']:.2f}x")
    if bot["answered"] != requests:
        raise SystemExit(f"only {bot['answered']} of {requests} acks carried an answer")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
