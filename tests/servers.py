"""Real servers started by tests: the Procfile's web line (ready to take requests) and redis-server.

Redis tests skip only where redis-server is not installed and CI is not set; in CI (.ci/run installs
it from Debian's packages) a missing redis-server fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.procfile import free_port, procfile, start, stop
from benchmarks.slack_stub import SECRET, SlackStub


class WebProcess:
    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc, self.port, self.log = proc, port, ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("process exited: " + proc.communicate()[1][-2000:])
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read()
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {timeout}s")


@contextmanager
def web_line(stub: SlackStub, data_dir: Path, **env: str) -> Iterator[WebProcess]:
    """The Procfile's web line on a free port, answering /healthz; its log is in .log after the block."""
    port = free_port()
    full = {
        "PORT": str(port),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": stub.api_url,
        "PNET_DATA_DIR": str(data_dir),
        **env,
    }
    web = WebProcess(start(procfile()["web"], full), port)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", web.proc)
        yield web
    finally:
        web.log = stop(web.proc)


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A throw-away redis-server on a free port; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (CI installs it: see .ci/run)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
