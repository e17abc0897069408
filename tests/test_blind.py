"""The blind question set in CI: the held-out third must meet the floors (benchmarks/blind_set.py)."""

from benchmarks import blind_set as blind
from bot.render import to_text


def test_set_is_whole_and_split_by_id():
    qs = blind.load()
    assert len(qs) >= 150 and len({q.id for q in qs}) == len(qs)
    assert {q.scope for q in qs} == {"in", "silent", "out"}
    held = blind.parts(qs)["held-out"]
    assert held and all(int(q.id[1:]) % 3 == 0 for q in held)


def test_held_out_meets_the_floors(engine):
    report = blind.score(engine, to_text, blind.parts(blind.load())["held-out"])
    assert blind.below_floors(report) == []


def test_judge_is_a_careful_reader():
    assert blind.contains(blind.normalise("Lanreotide: 120 mg every 4 weeks"), "120mg")
    assert blind.contains(blind.normalise("High‑grade tumours"), "high-grade")
    assert not blind.contains(blind.normalise("rate 110%"), "10%")
    assert not blind.contains(blind.normalise("OS 12.05%"), "12.0")
