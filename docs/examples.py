"""The worked examples in README.md and docs/*.md, regenerated from the bot's real output.

An example is a fenced block between two markers; the first names the command's arguments and how many
lines of its output to keep:

    <!-- example 12: ask "How often do glucagonomas metastasise?" -->
    ```text
    $ python -m bot ask "How often do glucagonomas metastasise?"
    (the first 12 lines of the output, then "..." if there were more)
    ```
    <!-- /example -->

`python docs/examples.py` rewrites every example from the output; `python docs/examples.py --check` only
names the stale ones (exit 1). tests/test_examples.py runs the check, so an example cannot go stale.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = re.compile(r"(<!-- example (\d+): (.+?) -->\n)(.*?)(<!-- /example -->)", re.DOTALL)
# The packaged knowledge and no Slack: the output a newcomer gets from a fresh clone.
UNSET = ("PNET_KNOWLEDGE_DIR", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def output(args: str, keep: int) -> str:
    """The fenced block for `python -m bot ARGS`: the command, then the first `keep` lines it prints."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    run = subprocess.run(
        [sys.executable, "-m", "bot", *shlex.split(args)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if run.returncode != 0:
        raise SystemExit(f"python -m bot {args} exited {run.returncode}:\n{run.stderr}")
    lines = [line.rstrip() for line in run.stdout.rstrip("\n").split("\n")]
    shown = lines[:keep] + (["..."] if len(lines) > keep else [])
    return "```text\n" + "\n".join([f"$ python -m bot {args}", *shown]) + "\n```\n"


def regenerate(text: str) -> str:
    return EXAMPLE.sub(lambda m: m[1] + output(m[3], int(m[2])) + m[5], text)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        new = regenerate(text)
        if new != text:
            stale.append(path.relative_to(ROOT))
            if check:
                name = str(path.relative_to(ROOT))
                diff = difflib.unified_diff(text.splitlines(), new.splitlines(), name, "the output now", lineterm="")
                print("\n".join(diff), file=sys.stderr)
            else:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        print(f"Stale examples in {', '.join(map(str, stale))}: run `python docs/examples.py`", file=sys.stderr)
        return 1
    print(f"Rewrote the examples in {', '.join(map(str, stale))}" if stale else "Every example is current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
