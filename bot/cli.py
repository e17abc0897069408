"""Command line: `python -m bot [run [--mode M] | ask [--json] [TEXT] | board CASE | validate [DIR] | console | health]`.

With no command it runs: Socket Mode, HTTP or the local console, depending on which tokens are set.

Other tools script against `ask`, so its output is a contract:
  ask TEXT         the plain-text answer
  ask --json TEXT  one line of JSON: query, intent, confidence, entities, text, blocks, case, knowledge_version
  ask              (no TEXT) one query per line of standard input, one answer per line of output
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot import heartbeat
from bot.render import to_blocks, to_markdown, to_text
from bot.startup import KNOWLEDGE_ENV, StartupError, load_engine, settings_for
from handlers.conversation import HISTORY
from handlers.engine import Engine, Result
from knowledge import KnowledgeError, load

if TYPE_CHECKING:
    from bot.settings import Mode


def as_json(text: str, result: Result) -> dict[str, Any]:
    q, a = result.query, result.answer
    return {
        "query": text,
        "intent": q.intent,
        "confidence": q.confidence,
        "entities": q.entities,
        "text": to_text(a),
        "blocks": to_blocks(a),
        "case": q.case.model_dump() if q.intent == "treatment_plan" else None,
        "knowledge_version": a.knowledge_version,
    }


def cmd_ask(engine: Engine, texts: list[str], as_json_: bool, out: TextIO, stdin: TextIO) -> int:
    def emit(text: str) -> None:
        result = engine.ask(text)
        if as_json_:
            out.write(json.dumps(as_json(text, result), ensure_ascii=False) + "\n")
        else:
            out.write(to_text(result.answer) + "\n")

    if texts:
        emit(" ".join(texts))
        return 0
    for i, line in enumerate(stdin):
        if i and not as_json_:
            out.write("\n")  # plain answers span lines; a blank line separates them
        emit(line.rstrip("\r\n"))
        out.flush()
    return 0


def cmd_validate(directory: str | None, out: TextIO, err: TextIO) -> int:
    try:
        k = load(directory)
    except KnowledgeError as exc:
        err.write(f"Knowledge is invalid ({len(exc.problems)} problem(s)):\n")
        for p in exc.problems:
            err.write(f"  {p}\n")
        return 1
    counts = (
        f"{len(k.source_index)} sources, {len(k.subtypes.subtypes)} subtypes, {len(k.sites.sites)} sites, "
        f"{len(k.primaries.primaries)} primary sites, {len(k.therapies.therapies)} therapies, {len(k.intents.intents)} intents"
    )
    from handlers.plan_check import sweep
    from handlers.planner import Planner

    sweep_size = 3000
    problems = sweep(Planner(k), sweep_size)
    if problems:
        err.write(f"Plans are inconsistent for {len(problems)} of {sweep_size} generated cases, e.g.:\n")
        for case, problem in problems[:10]:
            given = {
                f: v
                for f, v in case.model_dump(exclude_defaults=True).items()
                if f not in ("prior_therapies", "progressing_on")
            }
            err.write(f"  {problem.invariant}: {problem.text} (rules {', '.join(problem.rules)}) for {given}\n")
        return 1
    out.write(f"Knowledge OK: version {k.version} ({counts}); {sweep_size} generated cases planned consistently\n")
    return 0


def cmd_manifest(http_url: str | None, out: TextIO, err: TextIO) -> int:
    from bot.manifest import manifest, to_yaml

    try:
        command = settings_for(os.environ, "console")[0].slash_command
    except StartupError as exc:
        err.write(exc.report("Cannot print the manifest"))
        return 1
    if http_url and not http_url.startswith("https://"):
        err.write("Slack sends requests only to https:// URLs; give the public https address of the web process.\n")
        return 1
    out.write(to_yaml(manifest(command, http_url)))
    return 0


def cmd_health(max_age: float, out: TextIO, err: TextIO) -> int:
    try:
        path = Path(settings_for(os.environ, "console")[0].heartbeat_file)
    except StartupError as exc:
        err.write(exc.report("Cannot check health"))
        return 1
    problem = heartbeat.check(path, max_age)
    if problem:
        err.write(f"Socket Mode worker not alive: {problem}\n")
        return 1
    out.write("Socket Mode worker alive: connected to Slack\n")
    return 0


def console(engine: Engine, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """A local chat with the engine, for newcomers and curators: no Slack needed. Like an assistant
    thread, a line after a case can change it ("and if Ki-67 were 25%?"); the session's lines are held
    in memory only, and gone when it ends."""
    interactive = stdin.isatty()
    out.write(
        f"PNET assistant, local console (knowledge {engine.version}). No Slack tokens are set, so answers stay here.\n"
        'Ask a question or paste a case on one line, then change it ("and if Ki-67 were 25%?"); '
        "'help' for examples, 'quit' to leave.\n"
    )
    earlier: list[str] = []
    while True:
        if interactive:
            out.write("\npnet> ")
            out.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in ("quit", "exit", ":q"):
            return 0
        if not line.strip() and interactive:
            continue
        out.write(to_text(engine.follow_up(line.strip(), earlier[-HISTORY:])) + "\n")
        earlier.append(line.strip())
        out.flush()


MODES: dict[str, Mode | None] = {"auto": None, "socket": "socket", "http": "http", "console": "console"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="PNET tumour-board assistant")
    parser.add_argument(
        "--knowledge", metavar="DIR", help=f"knowledge directory (default: packaged; env {KNOWLEDGE_ENV})"
    )
    sub = parser.add_subparsers(dest="command")
    ask = sub.add_parser("ask", help="answer a question (or one per line of standard input)")
    ask.add_argument("--json", action="store_true", help="one line of JSON per answer")
    ask.add_argument("text", nargs="*", help="the question; omit to read standard input")
    board = sub.add_parser("board", help="the tumour board's case card for a described case, as Markdown")
    board.add_argument("text", nargs="+", help="the case")
    val = sub.add_parser("validate", help="check knowledge files")
    val.add_argument("directory", nargs="?", help="knowledge directory (default: packaged)")
    sub.add_parser("console", help="local console on the engine")
    run_ = sub.add_parser("run", help="the default: run the Slack app if tokens are set, else the local console")
    run_.add_argument(
        "--mode",
        choices=list(MODES),
        default="auto",
        help="auto: Socket Mode if SLACK_APP_TOKEN is set, HTTP if SLACK_SIGNING_SECRET is, else the console",
    )
    man = sub.add_parser("manifest", help="print the Slack app manifest (Socket Mode, or HTTP with --http)")
    man.add_argument("--http", metavar="URL", help="public base URL of the web process, e.g. https://pnet.example.org")
    health = sub.add_parser(
        "health", help="liveness of the Socket Mode worker: exit 0 if it heard from Slack recently, else 1"
    )
    health.add_argument(
        "--max-age", type=float, default=heartbeat.MAX_AGE_S, metavar="S", help="seconds (default %(default)s)"
    )
    args = parser.parse_args(argv)

    if args.command == "health":
        return cmd_health(args.max_age, sys.stdout, sys.stderr)
    if args.command == "manifest":
        return cmd_manifest(args.http, sys.stdout, sys.stderr)
    if args.command == "validate":
        return cmd_validate(args.directory or args.knowledge or os.environ.get(KNOWLEDGE_ENV), sys.stdout, sys.stderr)
    knowledge_dir = args.knowledge or os.environ.get(KNOWLEDGE_ENV)
    try:
        engine = load_engine(knowledge_dir)
        if args.command in (None, "run"):
            settings, mode = settings_for(os.environ, MODES[getattr(args, "mode", "auto")])
    except StartupError as exc:
        sys.stderr.write(exc.report())
        return 1
    if args.command == "ask":
        return cmd_ask(engine, args.text, args.json, sys.stdout, sys.stdin)
    if args.command == "board":
        card = engine.board(" ".join(args.text))
        sys.stdout.write(to_markdown(card) if card else "No case found: describe one, e.g. “58F, 4.2 cm tail PNET”.\n")
        return 0 if card else 1
    if args.command in (None, "run") and mode != "console":
        from bot.runner import serve  # Slack libraries load only when the Slack app runs

        return serve(settings, mode, engine, knowledge_dir)
    return console(engine)
