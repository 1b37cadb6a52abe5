"""The 8D report of a complaint: D0–D8 in the customer's language, filled from the complaint's
records, as PDF (embedded font only) and as a workbook; blank; through ``render_form``."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cqms_desktop.domain.errors import NotFoundError
from cqms_desktop.exports import eight_d
from cqms_desktop.exports.document import Grid, fmt_number
from cqms_desktop.exports.forms import ALL_KINDS, build_document, export_form, render_form
from cqms_desktop.exports.vocabulary import LANGUAGES, TERMS, term
from tests.form_records import CUSTOMER_NAME, make_records

#: What the sample complaint holds, one item per discipline, as printed in any language.
CONTENTS = {
    "8d.d0": "现场挑选，更换 120 件。",  # on-site dispatch
    "8d.d1": "王质保",  # team leader (the QA owner)
    "8d.d2": "更换不良品，并提供 8D 报告。",  # customer's request
    "8d.d3": "NCR-2026-031",  # nonconforming product report
    "8d.d4": "包装隔板磨损，运输中相互摩擦。",  # cause
    "8d.d5": "改用带缓冲的新型包装隔板",  # the long-term countermeasure
    "8d.d6": "连续 3 批无划伤，有效",  # verification result
    "8d.d8": "Herr Müller",  # oral notice to
}


def squeeze(text: str) -> str:
    """Text without white space: pdftotext may break or space out wrapped lines."""
    return "".join(text.split())


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "8d.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def numbers(database):
    return make_records()


def test_8d_is_a_form_kind():
    assert "8d" in ALL_KINDS
    assert all(f"8d.d{i}" in TERMS for i in range(9))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_has_every_discipline_and_the_complaints_contents(numbers, tmp_path, lang):
    pdf = render_form(kind="8d", number=numbers.complaint, fmt="pdf", lang=lang)
    text = squeeze(pdf_text(pdf, tmp_path))
    assert squeeze(term("form.8d", lang)) in text
    assert numbers.complaint in text
    assert CUSTOMER_NAME in text
    positions = []
    for key in eight_d.DISCIPLINES:
        heading = squeeze(term(key, lang))
        assert heading in text, heading
        positions.append(text.index(heading))
    assert positions == sorted(positions), "D0…D8 in order"
    for content in CONTENTS.values():
        assert squeeze(content) in text, content
    # The printed words of the customer's language: ticked kind of improvement, responsibility.
    assert squeeze(term("8d.improvements", lang)) in text


def test_pdf_embeds_its_only_font(numbers, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(render_form(kind="8d", number=numbers.complaint, fmt="pdf", lang="de"))
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert lines
    assert all(line.split()[-5] == "yes" for line in lines), lines
    assert not any("Helvetica" in line for line in lines)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_xlsx_reopens_with_the_disciplines(numbers, lang):
    data = render_form(kind="8d", number=numbers.complaint, fmt="xlsx", lang=lang)
    ws = load_workbook(io.BytesIO(data)).active
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value not in (None, "")]
    joined = "\n".join(values)
    for key in eight_d.DISCIPLINES:
        assert term(key, lang) in values, key
    assert CUSTOMER_NAME in values
    assert CONTENTS["8d.d4"] in joined
    assert term("form.8d", lang) in values


def test_customer_language_is_the_default_and_form_code_is_8ds(database):
    german = make_records(suffix="5", language="de")
    doc = build_document(kind="8d", number=german.complaint, lang=None)
    assert (doc.lang, doc.title, doc.form_code) == ("de", "8D-Bericht", "QR-0701-06")
    assert doc.number == german.complaint


def test_blank_report_and_file_export(database, tmp_path):
    doc = build_document(kind="8d", number=None, lang=None, blank=True)
    assert doc.lang == "zh" and doc.number == ""
    assert [s.title for s in doc.sections[1:]] == [term(k, "zh") for k in eight_d.DISCIPLINES]
    out = export_form(
        kind="8d", number=None, fmt="pdf", lang="en", output=tmp_path / "blank.pdf", blank=True
    )
    text = squeeze(pdf_text(out.read_bytes(), tmp_path))
    assert squeeze(term("8d.d5", "en")) in text


def test_unknown_complaint(database):
    with pytest.raises(NotFoundError, match="CC-2026-9999"):
        render_form(kind="8d", number="CC-2026-9999", fmt="pdf", lang="en")


def _containment_grid(doc, lang: str) -> Grid:
    """The one grid of *doc* headed by the stock / checked / held / nonconforming columns."""
    grids = [
        block
        for section in doc.sections
        for block in section.blocks
        if isinstance(block, Grid) and block.headers[:1] == [term("stock", lang)]
    ]
    assert len(grids) == 1
    return grids[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_containment_counts_print_alike_on_the_complaint_form_and_in_d3(numbers, lang):
    form = build_document(kind="complaint", number=numbers.complaint, lang=lang)
    report = build_document(kind="8d", number=numbers.complaint, lang=lang)
    expected = Grid(
        [term(k, lang) for k in ("stock", "checked", "held", "nonconforming")],
        [
            [term("finished_goods", lang), *(fmt_number(n, lang) for n in (800, 800, 15))],
            [term("wip", lang), *(fmt_number(n, lang) for n in (300, 0, 2))],
        ],
        [1.6, 1, 1, 1],
    )
    assert _containment_grid(form, lang) == expected
    assert _containment_grid(report, lang) == expected
    emergency = next(s for s in form.sections if s.title == term("sec.emergency", lang))
    assert expected in emergency.blocks
    d3 = next(s for s in report.sections if s.title == term("8d.d3", lang))
    assert expected in d3.blocks
