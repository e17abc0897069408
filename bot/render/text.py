"""Answer -> plain text, for the terminal and `python -m bot ask`. Citations are numbered [1], [2]."""

from __future__ import annotations

from handlers.answer import Answer

SEVERITY_LABEL = {"critical": "CRITICAL", "warning": "WARNING", "info": "NOTE"}


def cite_map(answer: Answer) -> dict[str, int]:
    """Source id -> citation number, in the order the sources list shows them."""
    return {s.id: n for n, s in enumerate(answer.sources, 1)}


def cites(ids: list[str], numbers: dict[str, int]) -> str:
    nums = sorted({numbers[i] for i in ids if i in numbers})
    return f" [{','.join(map(str, nums))}]" if nums else ""


def source_line(n: int, label: str, year: int | None) -> str:
    return f"[{n}] {label}" + (f" ({year})" if year and str(year) not in label else "")


def to_text(answer: Answer) -> str:
    n = cite_map(answer)
    out = [answer.title, answer.summary + cites(answer.summary_sources, n)]
    for w in answer.sorted_warnings():
        out.append(f"{SEVERITY_LABEL[w.severity]}: {w.text}{cites(w.sources, n)}")
    shown_details = False
    for section in answer.sections:
        if section.detail and not shown_details:
            shown_details = True
            out += ["", "─── Details ───"]
        out.append("")
        out.append(section.title)
        for i, item in enumerate(section.items, 1):
            bullet = f"{i}." if section.numbered else "-"
            out.append(f"  {bullet} {item.text}{cites(item.sources, n)}")
            if item.detail:
                out.append(f"     {item.detail}")
    if answer.rules_fired:
        out += ["", "Rules applied: " + ", ".join(answer.rules_fired)]
    if answer.sources:
        out += ["", "Sources"]
        out += ["  " + source_line(i, s.label, s.year) for i, s in enumerate(answer.sources, 1)]
    out += ["", f"Knowledge version {answer.knowledge_version}. {answer.disclaimer}"]
    return "\n".join(out)


def to_markdown(answer: Answer) -> str:
    """Answer -> a Markdown document, for the tumour board's minutes (the card's export)."""
    n = cite_map(answer)
    out = [f"# {answer.title}", "", answer.summary + cites(answer.summary_sources, n)]
    if answer.warnings:
        out += [""] + [
            f"> **{SEVERITY_LABEL[w.severity]}**: {w.text}{cites(w.sources, n)}" for w in answer.sorted_warnings()
        ]
    for section in answer.sections:
        out += ["", f"## {section.title}", ""]
        for i, item in enumerate(section.items, 1):
            bullet = f"{i}." if section.numbered else "-"
            out.append(f"{bullet} {item.text}{cites(item.sources, n)}")
            if item.detail:
                out.append(f"   *{item.detail}*")
    if answer.sources:
        out += ["", "## Sources", ""] + [
            f"{source_line(i, s.label, s.year)}  " for i, s in enumerate(answer.sources, 1)
        ]
    out += ["", "---", f"Knowledge version {answer.knowledge_version}. {answer.disclaimer}", ""]
    return "\n".join(out)
