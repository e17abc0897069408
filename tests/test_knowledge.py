"""Broken knowledge files are rejected with file, key path and problem; the real files load."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from knowledge import KnowledgeError, load
from knowledge.loader import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def kdir(tmp_path):
    d = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, d)
    return d


def edit(path: Path, fn):
    data = yaml.safe_load(path.read_text())
    fn(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def problems(kdir) -> str:
    with pytest.raises(KnowledgeError) as exc:
        load(kdir)
    return "\n".join(exc.value.problems)


def test_shipped_knowledge_is_valid(knowledge):
    assert knowledge.version.startswith(knowledge.meta.edition_date.isoformat() + ".")
    assert len(knowledge.sources.articles) == 5


def test_version_changes_with_content(kdir, knowledge):
    edit(kdir / "subtypes.yaml", lambda d: d["subtypes"][0]["notes"].append({"text": "x", "sources": ["A000"]}))
    assert load(kdir).version != knowledge.version


def test_unknown_source_id(kdir):
    edit(kdir / "subtypes.yaml", lambda d: d["subtypes"][3]["metastatic_rate"].update(sources=["A009.R1"]))
    assert "subtypes.yaml: subtypes[3].metastatic_rate.sources[0]: unknown source id 'A009.R1'" in problems(kdir)


def test_range_low_above_high(kdir):
    edit(kdir / "subtypes.yaml", lambda d: d["subtypes"][3]["metastatic_rate"].update(low=80, high=50))
    assert "subtypes.yaml: subtypes.3.metastatic_rate" in problems(kdir).replace("[3]", ".3")
    assert "range low 80 is greater than high 50" in problems(kdir)


def test_percentage_out_of_range(kdir):
    edit(kdir / "survival.yaml", lambda d: d["patterns"][0]["os5"].update(value=177.1))
    assert "percentage 177.1 is outside 0-100" in problems(kdir)


def test_percentage_in_prose_out_of_range(kdir):
    edit(
        kdir / "topics.yaml", lambda d: d["topics"]["men1"]["sections"][0]["facts"][0].update(text="Resect 120% of it")
    )
    assert "topics.yaml: topics.men1.sections[0].facts[0].text: percentage 120% is outside 0-100" in problems(kdir)


def test_duplicate_id(kdir):
    edit(kdir / "therapies.yaml", lambda d: d["therapies"][1].update(id="octreotide"))
    assert "therapies.yaml: therapies[1].id: duplicate id 'octreotide'" in problems(kdir)


def test_duplicate_alias_across_files(kdir):
    edit(kdir / "sites.yaml", lambda d: d["sites"][0]["aliases"].append("Insulinoma"))
    assert "duplicate alias 'Insulinoma'" in problems(kdir)


def test_missing_field_and_unknown_field(kdir):
    def change(d):
        del d["therapies"][0]["dose"]
        d["therapies"][1]["dosage"] = "x"

    edit(kdir / "therapies.yaml", change)
    out = problems(kdir)
    assert "therapies.yaml: therapies[0].dose: Field required" in out
    assert "therapies.yaml: therapies[1].dosage: Extra inputs are not permitted" in out


def test_grades_must_partition(kdir):
    edit(kdir / "grading.yaml", lambda d: d["grades"][2]["ki67"].update(gt=25))
    assert "ki67 20.5 falls in 0 grades" in problems(kdir)


def test_yaml_syntax_error_names_line(kdir):
    (kdir / "sites.yaml").write_text("sites:\n  - id: liver\n    name: [unclosed\n")
    assert problems(kdir).startswith("sites.yaml: line ")


def test_missing_file(kdir):
    (kdir / "therapies.yaml").unlink()
    assert "therapies.yaml: (file): missing" in problems(kdir)


def test_not_a_directory(tmp_path):
    with pytest.raises(KnowledgeError, match="not found"):
        load(tmp_path / "nope")


def test_validate_command(kdir):
    ok = subprocess.run([sys.executable, "-m", "bot", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("Knowledge OK: version ")
    edit(kdir / "subtypes.yaml", lambda d: d["subtypes"][3]["metastatic_rate"].update(low=80, high=50))
    bad = subprocess.run([sys.executable, "-m", "bot", "validate", str(kdir)], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "subtypes.yaml: subtypes[3].metastatic_rate: Value error, range low 80 is greater than high 50" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_ask_with_broken_knowledge_exits_cleanly(kdir):
    (kdir / "intents.yaml").write_text(": : :\n")
    r = subprocess.run(
        [sys.executable, "-m", "bot", "--knowledge", str(kdir), "ask", "help"], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 1
    assert (
        "Cannot start:\n  the knowledge files are invalid:\n    intents.yaml" in r.stderr and "intents.yaml" in r.stderr
    )
    assert "Traceback" not in r.stderr


def test_planner_rule_with_unknown_fact_or_operator(kdir):
    def change(d):
        d["rules"][0]["applies"] = {"tumour_colour": "blue"}
        d["rules"][1]["applies"] = {"size_cm": {"bigger": 2}}

    edit(kdir / "planner.yaml", change)
    out = problems(kdir)
    assert "planner.yaml: rules[0]: Value error, applies: unknown case fact 'tumour_colour'" in out
    assert "planner.yaml: rules[1]: Value error, applies.size_cm: unknown operator(s) ['bigger']" in out
