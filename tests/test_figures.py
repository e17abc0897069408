"""Every figure in the five source articles is reachable by a question, printed exactly as the
article writes it, on a line that cites the article it comes from.

This table is written from the articles (../shared/seeds/), not from knowledge/: it checks the YAML.
"""

import re

import pytest

from bot.render import to_text

# (question, figure exactly as written, article file number that states it)
FIGURES = [
    # 000: common sites of metastasis for PNETs
    ("liver mets percentage at diagnosis in PNET", "25%", "000"),
    ("how often are lymph nodes involved in PNET", "45%", "000"),
    ("median survival multiple organ metastases", "7 months", "000"),
    ("median survival multiple organ metastases", "12.0%", "000"),
    ("metastatic rate of non-functioning PNET", "60%", "000"),
    ("gastrinoma metastatic rate", "60%", "000"),
    ("glucagonoma metastatic rate", "50-80%", "000"),
    ("VIPoma metastatic rate", "40-70%", "000"),
    ("insulinoma metastatic rate", "10%", "000"),
    ("ectopic ACTHoma metastatic rate", "90%", "000"),
    ("survival with no organ metastasis", "77.1%", "000"),
    ("survival isolated liver metastasis", "24 months", "000"),
    ("survival isolated liver metastasis", "25.5%", "000"),
    ("survival with bone metastases", "56 months", "000"),
    ("survival with bone metastases", "42.7%", "000"),
    ("survival with lung metastases", "14 months", "000"),
    ("survival with lung metastases", "33.7%", "000"),
    ("risk factors for metastasis in PNET", "85%", "000"),
    ("pitfalls in PNET management", "85%", "000"),
    # 001: classic metastatic sites for NETs
    ("liver metastases in NETs", "82%", "001"),
    ("liver metastases in NETs", "66%", "001"),
    ("liver metastases in NETs", "20%", "001"),
    ("midgut NET metastatic pattern", "60%", "001"),
    ("ileal NET metastatic pattern", "30%", "001"),
    ("pancreatic NET pattern by primary site", "45%", "001"),
    ("pancreatic NET pattern by primary site", "25%", "001"),
    ("gastrinoma metastatic rate", "approximately 50%", "001"),
    ("bronchial carcinoid metastases", "15%", "001"),
    ("bronchial carcinoid metastases", "5%", "001"),
    ("right colon NET spread", "70%", "001"),
    ("right colon NET spread", "40%", "001"),
    ("rectal NET metastases", "15%", "001"),
    ("rectal NET metastases", "5%", "001"),
    ("rectal NET metastases", "1 cm", "001"),
    ("appendiceal NET metastases", "5%", "001"),
    ("appendiceal NET metastases", "2%", "001"),
    ("unknown primary NET survival", "11 months", "001"),
    ("unknown primary NET survival", "19 months", "001"),
    # 002: treatment by resectability, function, grade, metastases
    ("survival after resection of localized PNET", "60-100%", "002"),
    ("treatment algorithm for pancreatic NETs", "60-100%", "002"),
    ("treatment algorithm for pancreatic NETs", "<2 cm", "002"),
    ("treatment algorithm for pancreatic NETs", ">2 cm", "002"),
    ("enucleation indication", "7-26%", "002"),
    ("lymph node metastases in PNET", "7-26%", "002"),
    ("hepatectomy for liver metastases", "50.4%", "002"),
    ("hepatectomy for liver metastases", "41-100%", "002"),
    ("cytoreductive surgery indication", ">70%", "002"),
    ("everolimus dose", "10 mg", "002"),
    ("everolimus PFS", "11.0 months", "002"),
    ("sunitinib dose", "37.5 mg", "002"),
    ("sunitinib PFS", "11.4 months", "002"),
    ("RFA response rate", "70-80%", "002"),
    ("RFA response rate", "<5 cm", "002"),
    ("RFA response rate", "up to 1 year", "002"),
    ("TACE response rate", "70-100%", "002"),
    ("liver transplant for NET", "69-97.2%", "002"),
    ("WHO grade thresholds", "<3%", "002"),
    ("WHO grade thresholds", "<2/10 HPF", "002"),
    ("WHO grade thresholds", ">20%", "002"),
    ("WHO grade thresholds", ">20/10 HPF", "002"),
    ("favourable prognostic factors in pancreatic NETs", "<25%", "002"),
    ("favourable prognostic factors in pancreatic NETs", ">25%", "002"),
    ("MEN1 PNET management", ">2-2.5 cm", "002"),
    ("surveillance after PNET resection", "21-42%", "002"),
    ("surveillance after PNET resection", "within 5 years", "002"),
    ("surveillance after PNET resection", "within 10 years", "002"),
    ("surveillance after PNET resection", "3-12 months", "002"),
    ("surveillance after PNET resection", "6-12 months", "002"),
    ("surveillance after PNET resection", "up to 10 years", "002"),
    ("pitfalls in PNET management", "1-2 cm", "002"),
    # 003: metastatic tail PNET with liver metastases
    ("octreotide LAR dose", "30 mg every 4 weeks", "003"),
    ("octreotide LAR dose", "intramuscular", "003"),
    ("lanreotide dose", "120 mg every 4 weeks", "003"),
    ("lanreotide dose", "deep subcutaneous injection", "003"),
    ("everolimus dose", "10 mg once daily", "003"),
    ("sunitinib dose", "37.5 mg once daily", "003"),
    ("monitoring on lanreotide", "3-6 months", "003"),
    ("RFA response rate", "71-95%", "003"),
    ("RFA response rate", "8-10 months", "003"),
    ("TACE response rate", "60-95%", "003"),
    ("TACE response rate", "50-65%", "003"),
    ("PRRT indications", "ESMO 2020", "003"),
    ("TACE response rate", "ACR Appropriateness Criteria 2022", "003"),
]

_CITES = re.compile(r" \[([\d,]+)\]$")


def _articles_citing(text: str, answer, figure: str) -> set[str]:
    """Article file numbers cited on the lines of the plain text that carry the figure."""
    by_number = {n: s.id for n, s in enumerate(answer.sources, 1)}
    found = set()
    for line in text.splitlines():
        if figure in line and (m := _CITES.search(line)):
            for n in m.group(1).split(","):
                found.add(by_number[int(n)][1:4])
    return found


@pytest.mark.parametrize(("question", "figure", "article"), FIGURES, ids=[f"{q}-{f}" for q, f, _ in FIGURES])
def test_figure_is_printed_exactly_with_its_source(engine, question, figure, article):
    result = engine.ask(question)
    assert result.query.intent != "out_of_scope", question
    text = to_text(result.answer)
    assert figure in text, f"{figure!r} missing from the answer to {question!r}"
    assert article in _articles_citing(text, result.answer, figure), f"{figure!r} is not cited to article {article}"


def test_disagreeing_sources_are_both_shown(engine):
    text = to_text(engine.ask("RFA response rate").answer)
    assert "70-80%" in text and "71-95%" in text
    assert "different RFA response rates" in text


def test_figure_asked_comes_with_its_context(engine):
    """Where the subtype ranks, by name: a neighbour's figure beside it is read as its own (VIPoma 40-70% is
    not glucagonoma's 50-80%), so the figures of the others come only when they are compared."""
    a = engine.ask("How often do glucagonomas metastasise?").answer
    assert a.summary.startswith("Glucagonoma: 50-80%")
    text = to_text(a)
    assert "Higher: Ectopic ACTHoma" in text and "Lower: Insulinoma" in text
    assert "90%" not in text and "40-70%" not in text
    for asked in ("VIPoma met rate", "ectopic ACTHoma met rate?", "what symptoms does a vipoma cause"):
        assert "50-80%" not in to_text(engine.ask(asked).answer), asked
    compared = to_text(
        engine.ask("how do the metastatic rates of functioning PNETs compare with non-functioning").answer
    )
    assert "10%" in compared and "90%" in compared


def test_silence_is_said_not_filled(engine):
    text = to_text(engine.ask("PRRT dose").answer)
    assert "dose not given in the sources" in text
    assert "no survival figure for brain metastases" in to_text(engine.ask("survival with brain metastases").answer)
    assert "no survival figures by PNET subtype" in to_text(engine.ask("survival of insulinoma").answer)
