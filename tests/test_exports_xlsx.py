"""The printed forms as Excel: reopened with openpyxl, values, form code, print setup, and
user text that looks like a formula staying text."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from cqms_desktop.exports.forms import KINDS, render_form
from cqms_desktop.exports.vocabulary import LANGUAGES, term
from cqms_desktop.exports.xlsx_layout import GRID, safe_text, spans
from cqms_desktop.store import settings as store_settings
from cqms_desktop.store.db import write_transaction
from tests.form_records import CUSTOMER_NAME, make_records, party_name

FORMULA_LIKE = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x")']


def open_sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def all_values(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if c.value not in (None, "")]


@pytest.fixture
def records(database):
    return make_records()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_sheet_has_number_customer_title_and_form_code(records, kind, lang):
    number = getattr(records, kind)
    ws = open_sheet(render_form(kind=kind, number=number, fmt="xlsx", lang=lang))
    values = all_values(ws)
    text = "\n".join(str(v) for v in values)
    assert number in text
    assert party_name(kind) in values
    title_key = "form.service" if kind == "service" else f"form.{kind}"
    assert term(title_key, lang) in values
    assert any(str(v).startswith(term("form_code", lang)) for v in values)
    # a form never computes anything: no formula cell
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_print_setup_is_a4_fit_to_width_with_page_x_of_y(records):
    ws = open_sheet(render_form(kind="complaint", number=records.complaint, fmt="xlsx", lang="de"))
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.oddFooter.center.text == "Seite &P von &N"
    assert ws.print_title_rows == "$1:$4"  # the header repeats on every printed page
    assert "A2:X2" in {str(r) for r in ws.merged_cells.ranges}  # merged title across the grid


def test_form_code_and_revision_from_settings(records):
    with write_transaction():
        store_settings.put("form_code_visit", "QR-TEST-77")
        store_settings.put("form_revision_visit", "C/1")
    ws = open_sheet(render_form(kind="visit", number=records.visit, fmt="xlsx", lang="en"))
    values = all_values(ws)
    assert "Form code: QR-TEST-77   Revision: C/1" in values
    assert "QR-TEST-77" in ws.oddFooter.left.text


def test_values_of_the_complaint_are_in_their_cells(records):
    ws = open_sheet(render_form(kind="complaint", number=records.complaint, fmt="xlsx", lang="en"))
    values = all_values(ws)
    for expected in (
        "包装隔板磨损，运输中相互摩擦。",
        "改用带缓冲的新型包装隔板",
        "Process improvement",
        "NCR-2026-031",
        "■ Urgent   □ Normal",
        "Not accepted by the customer",
        "5,000",
        "2026-03-02 09:30",  # received 01:30 UTC, printed in the company's zone (UTC+8)
    ):
        assert expected in values, expected


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_user_text_that_looks_like_a_formula_stays_text(database, text):
    numbers = make_records(suffix="5", description=text)
    data = render_form(kind="complaint", number=numbers.complaint, fmt="xlsx", lang="en")
    ws = open_sheet(data)
    cells = [c for row in ws.iter_rows() for c in row if c.value == text]
    assert cells, "the description is missing"
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere in the file


def test_safe_text_writes_strings_even_when_they_start_like_formulas(tmp_path):
    wb = Workbook()
    ws = wb.active
    for i, text in enumerate([*FORMULA_LIKE, "plain", "a\x00b"], start=1):
        safe_text(ws.cell(row=i, column=1), text)
    path = tmp_path / "safe.xlsx"
    wb.save(path)
    reopened = load_workbook(path).active
    got = [reopened.cell(row=i, column=1) for i in range(1, len(FORMULA_LIKE) + 3)]
    assert [c.value for c in got] == [*FORMULA_LIKE, "plain", "ab"]
    assert all(c.data_type == "s" for c in got)
    assert all(c.quotePrefix for c in got[: len(FORMULA_LIKE)])


def test_spans_fill_the_grid_with_at_least_one_column_each():
    assert sum(spans([1, 2, 3])) == GRID
    assert spans([1, 1]) == [12, 12]
    many = spans([4, 10, *([1] * 10)])
    assert sum(many) == GRID and min(many) >= 1
    with pytest.raises(ValueError):
        spans([1] * (GRID + 1))


@pytest.mark.parametrize("kind", KINDS)
def test_blank_sheets_have_labels_and_no_values(database, kind):
    ws = open_sheet(render_form(kind=kind, number=None, fmt="xlsx", lang="zh", blank=True))
    values = all_values(ws)
    assert term("prepared_by", "zh") in values
    assert CUSTOMER_NAME not in values
    assert not any("■" in str(v) for v in values)


def test_survey_sheet_has_a_box_per_score(records):
    ws = open_sheet(render_form(kind="survey", number=records.survey, fmt="xlsx", lang="en"))
    values = all_values(ws)
    assert values.count("■") == 4
    assert values.count("□") == 16
    assert {"1", "2", "3", "4", "5"} <= set(values)


@pytest.mark.parametrize("high", [5, 7, 10])
def test_score_boxes_are_equally_wide_on_any_scale(records, high):
    with write_transaction():
        store_settings.put("survey_scale_max", high)
    ws = open_sheet(render_form(kind="survey", number=records.survey, fmt="xlsx", lang="en"))
    box_rows = [
        [c for c in row if c.value in ("□", "■")]
        for row in ws.iter_rows()
        if any(c.value in ("□", "■") for c in row)
    ]
    assert len(box_rows) == 4 and all(len(r) == high for r in box_rows)
    widths = set()
    for cell in box_rows[0]:
        merged = next((r for r in ws.merged_cells.ranges if cell.coordinate in r), None)
        widths.add(merged.max_col - merged.min_col + 1 if merged else 1)
    assert len(widths) == 1


def test_very_long_text_runs_over_several_rows_no_higher_than_excel_allows(database):
    long_text = "顾客反映产品表面划伤严重，尺寸超差，装配困难。" * 300 + "END"
    numbers = make_records(suffix="6", description=long_text)
    ws = open_sheet(render_form(kind="complaint", number=numbers.complaint, fmt="xlsx", lang="de"))
    label = term("complaint_description", "de")
    start = next(c.row for row in ws.iter_rows() for c in row if c.value == label)
    pieces = []
    row = start
    while ws.cell(row=row, column=5).value and (
        row == start or not ws.cell(row=row, column=1).value
    ):
        pieces.append(ws.cell(row=row, column=5).value)
        row += 1
    assert len(pieces) > 3
    assert "".join(pieces) == long_text
    heights = [d.height for d in ws.row_dimensions.values() if d.height is not None]
    assert max(heights) <= 409
