"""The Procfile's lines, started the way a platform starts them; shared by the tests (tests/servers.py,
tests/test_deploy.py) and benchmarks/http_mode.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def procfile() -> dict[str, str]:
    """Process name -> command line."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(line: str, env: dict[str, str]) -> subprocess.Popen:
    """A Procfile line through a shell, with the venv's tools on PATH and no Slack settings but `env`."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PNET_"))}
    return subprocess.Popen(
        ["bash", "-c", f"exec {line}"],
        cwd=ROOT,
        env={**clean, "PATH": path, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> str:
    """Stop the line's whole process group; its standard error."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
    return err
