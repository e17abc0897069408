"""The command line is a contract other tools script against."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin, capture_output=True, text=True)


def test_ask_prints_plain_text():
    r = run("ask", "How often do glucagonomas metastasise?")
    assert r.returncode == 0
    assert r.stdout.startswith("Glucagonoma: metastatic rate\nGlucagonoma: 50-80% metastatic rate.")


def test_ask_json_has_exact_keys():
    r = run("ask", "--json", "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid")
    assert r.returncode == 0 and r.stdout.count("\n") == 1
    d = json.loads(r.stdout)
    assert list(d) == ["query", "intent", "confidence", "entities", "text", "blocks", "case", "knowledge_version"]
    assert d["intent"] == "treatment_plan" and 0 <= d["confidence"] <= 100
    assert d["case"]["size_cm"] == 4.2 and d["case"]["ki67"] == 8 and d["case"]["location"] == "tail"
    assert d["knowledge_version"] in d["text"]
    assert d["blocks"][0]["type"] == "header"


def test_case_is_null_for_other_intents():
    d = json.loads(run("ask", "--json", "everolimus dose").stdout)
    assert d["intent"] == "therapy" and d["case"] is None and d["entities"] == {"therapy": ["everolimus"]}


def test_stdin_one_answer_per_line_in_order():
    lines = ["insulinoma metastatic rate", "", "tell me a joke", "evrolimus dose"]
    r = run("ask", "--json", stdin="\n".join(lines) + "\n")
    assert r.returncode == 0  # declined queries exit 0 too
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["query"] for o in out] == lines
    assert [o["intent"] for o in out] == ["metastasis_rate", "help", "out_of_scope", "therapy"]


def test_stdin_plain_text():
    r = run("ask", stdin="sources\nMEN1\n")
    assert r.returncode == 0
    assert r.stdout.startswith("Sources\n") and "\nMEN1 (multiple endocrine neoplasia type 1)\n" in r.stdout


def test_console_without_tokens(monkeypatch):
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("SLACK_")}
    r = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        input="VIPoma metastatic rate\nquit\n",
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0
    assert "local console" in r.stdout and "VIPoma: 40-70% metastatic rate." in r.stdout


def test_the_console_re_plans_a_case_changed_on_the_next_line():
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("SLACK_")}
    lines = "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid\nand if Ki-67 were 25%?\nquit\n"
    r = subprocess.run([sys.executable, "-m", "bot"], cwd=ROOT, input=lines, capture_output=True, text=True, env=env)
    assert r.returncode == 0
    first, second = r.stdout.split("Plan: ")[1:3]
    assert first.startswith("4.2 cm tail PNET, G2") and second.startswith("4.2 cm tail PNET, G3")
    assert "Re-planned: the case from earlier" in second


def test_hostile_input_never_traces():
    texts = ["\x00\x01\x02", "🙂" * 50, "<" * 3000, "Ki-67 999999999999999999999%", "x" * 10000, "\u202ereversed\u202c"]
    r = run("ask", "--json", stdin="\n".join(texts) + "\n")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == len(texts)
    assert "first 6000 characters" in out[4]["text"]


def test_board_prints_the_case_card_as_markdown_or_says_there_is_no_case():
    r = run("board", "58F, 4.2 cm tail PNET, Ki-67 8%, 4 liver mets, DOTATATE-avid")
    assert r.returncode == 0
    assert r.stdout.startswith("# Tumour board: 4.2 cm tail PNET, G2, liver metastases")
    assert "## For the board to decide" in r.stdout and "## Sources" in r.stdout
    r = run("board", "hello there")
    assert r.returncode == 1 and "No case found" in r.stdout
