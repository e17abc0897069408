"""The worked examples in README.md and docs/ are the bot's real output: regenerating them changes nothing."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_holds_generated_examples():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("<!-- example ") >= 2 and readme.count("<!-- /example -->") == readme.count("<!-- example ")


def test_every_example_matches_what_the_command_prints_now():
    run = subprocess.run(
        [sys.executable, "docs/examples.py", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
