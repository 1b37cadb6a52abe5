"""Register export to xlsx: exactly what a list shows (filter and sort), typed cells, frozen
header, autofilter, widths, formula-safe user text, progress and cancel."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet import _writer as openpyxl_writer

from cqms_desktop.domain.enums import FeedbackType
from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.exports import xlsx_safe
from cqms_desktop.exports.register_xlsx import ExportCancelled, excel_width, export_register
from cqms_desktop.services.registers import RECORD_KINDS, REGISTERS, Column, Filter
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import ServiceRecord
from tests.review_data import INJECTIONS, ZONE

pytestmark = pytest.mark.backends


@pytest.fixture
def export_dataset(dataset):
    """The review data set plus service records whose subjects need care in Excel
    (formula-like text, Chinese, German)."""
    with dbmod.write_transaction():
        for n, subject in enumerate([*INJECTIONS, "备件 更换", "Ersatzteil"]):
            ServiceRecord.insert(
                number=f"SR-{n:03d}",
                customer=dataset.customers[n % len(dataset.customers)]["id"],
                kind="spare_parts" if n % 2 else "onsite",
                service_date=date(2026, 5, 1 + n),
                subject=subject,
                quantity=n,
                created_at=datetime(2026, 5, 1),
                updated_at=datetime(2026, 5, 1),
            ).execute()
    return dataset


def expected_cell(column: Column, value):
    """What the sheet must hold for one register value, computed with zoneinfo."""
    if value is None or value == "":
        return None
    if column.kind == "datetime":
        return value.replace(tzinfo=UTC).astimezone(ZONE).replace(tzinfo=None)
    if column.kind == "date":
        return datetime.combine(value, datetime.min.time())  # Excel dates read back as datetime
    if column.kind == "enum":
        return column.enum(value).label
    if column.kind == "bool":
        return bool(value)
    if column.kind == "decimal":
        return float(Decimal(str(value)))
    return value


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        )


def test_export_writes_exactly_the_filtered_sorted_list(export_dataset, tmp_path):
    register = REGISTERS["complaints"]
    flt = Filter(
        date_from=date(2026, 3, 1),
        date_to=date(2026, 11, 30),
        status=["registered", "investigating", "closed"],
    )
    out = tmp_path / "complaints.xlsx"
    n = export_register(register, flt, sort="received_at", descending=False, output=out)
    want = list(register.query(flt, "received_at", False))
    assert n == len(want) == register.count(flt) > 10

    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [c.label for c in register.columns]
    got = [list(r) for r in rows[1:]]
    expected_rows = [[expected_cell(c, row[c.key]) for c in register.columns] for row in want]
    assert got == expected_rows
    received = [r[1] for r in got]
    assert received == sorted(received)  # the list's sort order
    assert ws.freeze_panes == "A2"
    last_column = openpyxl.utils.get_column_letter(len(register.columns))
    assert ws.auto_filter.ref == f"A1:{last_column}{n + 1}"
    for index, column in enumerate(register.columns, 1):
        letter = openpyxl.utils.get_column_letter(index)
        assert ws.column_dimensions[letter].width == excel_width(column.width)
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["L2"].data_type == "b"  # "Overdue" as a real boolean


def test_every_record_register_exports_with_formula_text_kept_as_text(export_dataset, tmp_path):
    for kind in RECORD_KINDS:
        register = REGISTERS[kind]
        out = tmp_path / f"{kind}.xlsx"
        n = export_register(register, Filter(), output=out)
        assert n == register.count(Filter()) > 0, kind
        assert "<f>" not in sheet_xml(out) and "<f " not in sheet_xml(out), kind
        ws = openpyxl.load_workbook(out).active
        texts = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
        risky = [c for c in texts if c.value.startswith(("=", "+", "-", "@", "\t"))]
        assert risky or kind == "surveys", kind  # surveys have no free text in the list
        for cell in risky:
            assert cell.data_type == "s" and cell.quotePrefix, (kind, cell.coordinate)
        values = {c.value for c in texts}
        if kind in ("complaints", "feedback", "visits", "surveys"):
            assert "上海汽车配件有限公司" in values and "=1+1" in values, kind
    ws = openpyxl.load_workbook(tmp_path / "service.xlsx").active
    assert {"备件 更换", '=HYPERLINK("http://x","y")'} <= {c.value for c in ws["F"]}
    assert isinstance(ws["H3"].value, int)  # quantity as a number


def test_progress_reaches_the_total_and_cancel_leaves_no_file(export_dataset, tmp_path):
    register = REGISTERS["feedback"]
    calls: list[tuple[int, int]] = []
    out = tmp_path / "feedback.xlsx"
    n = export_register(
        register, Filter(), output=out, chunk=16, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[0] == (0, n) and calls[-1] == (n, n)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    out.write_bytes(b"an older export")
    temp_before = set(openpyxl_writer.ALL_TEMP_FILES)
    seen: list[int] = []

    def cancel_after_first_chunk() -> bool:
        return bool(seen)

    with pytest.raises(ExportCancelled):
        export_register(
            register,
            Filter(),
            output=out,
            chunk=16,
            progress=lambda d, t: seen.append(d) if d else None,
            cancelled=cancel_after_first_chunk,
        )
    assert out.read_bytes() == b"an older export"  # the existing file is untouched
    assert sorted(p.name for p in tmp_path.iterdir() if "feedback" in p.name) == ["feedback.xlsx"]
    assert set(openpyxl_writer.ALL_TEMP_FILES) == temp_before  # no stray temporary files

    fresh = tmp_path / "never.xlsx"
    with pytest.raises(ExportCancelled):
        export_register(register, Filter(), output=fresh, cancelled=lambda: True)
    assert not fresh.exists()


def test_headers_and_labels_are_translated(export_dataset, tmp_path):
    out = tmp_path / "t.xlsx"
    export_register(
        REGISTERS["complaints"],
        Filter(),
        output=out,
        translate=lambda context, text: f"{context}:{text}",
        lang="de",
    )
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws["A1"].value == "Columns:Number"
    assert ws.title == "Registers Complaints"  # ":" is not allowed in sheet names
    assert {ws.cell(row=r, column=6).value for r in range(2, 10)} <= {
        "Enums:Urgent",
        "Enums:Normal",
    }
    assert wb.properties.language == "de"


def test_only_the_shown_columns_in_the_shown_order(export_dataset, tmp_path):
    out = tmp_path / "cols.xlsx"
    register = REGISTERS["feedback"]
    export_register(register, Filter(), output=out, columns=["customer", "number", "type"])
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == ["Customer", "Number", "Type"]
    first = next(iter(register.query(Filter())))
    type_label = FeedbackType(first["type"]).label
    assert [c.value for c in ws[2]] == [first["customer"], first["number"], type_label]
    assert ws.auto_filter.ref == f"A1:C{register.count(Filter()) + 1}"
    with pytest.raises(ValidationError, match="no column “colour”"):
        export_register(register, Filter(), output=out, columns=["number", "colour"])


def test_a_bad_target_is_refused_before_anything_is_written(database, tmp_path):
    with pytest.raises(ValidationError, match=r"must end in \.xlsx"):
        export_register(REGISTERS["visits"], Filter(), output=tmp_path / "list.csv")
    with pytest.raises(ValidationError, match="does not exist"):
        export_register(REGISTERS["visits"], Filter(), output=tmp_path / "nope" / "a.xlsx")


def test_an_empty_list_exports_its_header(database, tmp_path):
    out = tmp_path / "empty.xlsx"
    assert export_register(REGISTERS["surveys"], Filter(), output=out) == 0
    ws = openpyxl.load_workbook(out).active
    assert ws.max_row == 1 and ws["A1"].value == "Number"


# ---------------------------------------------------------------------- the safe-text helper
@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", "#N/A", "="])
def test_set_text_keeps_formula_like_text_as_text_in_ordinary_sheets(text, tmp_path):
    wb = openpyxl.Workbook()
    xlsx_safe.set_text(wb.active["A1"], text)
    wb.active["A2"] = "plain"
    wb.save(tmp_path / "s.xlsx")
    assert "<f>" not in sheet_xml(tmp_path / "s.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "s.xlsx").active["A1"]
    # XML parsers read a carriage return back as a line feed; the text stays text.
    assert (cell.value, cell.data_type) == (text.replace("\r", "\n"), "s")


def test_clean_text_drops_control_characters_and_cuts_to_the_cell_limit():
    assert xlsx_safe.clean_text("a\x00b\x07c\nd") == "abc\nd"
    long = xlsx_safe.clean_text("x" * 40000)
    assert len(long) == xlsx_safe.MAX_CELL_CHARS and long.endswith("…")
    assert not xlsx_safe.needs_guard("Kunde -2") and xlsx_safe.needs_guard("-2")


def test_the_complaints_register_carries_each_cost_and_their_total(export_dataset, tmp_path):
    """The cost of poor quality in the register export: the five amounts as recorded and
    their total to the cent (empty where nothing was recorded), on every backend."""
    from tests.review_data import COST_FIELDS

    out = tmp_path / "complaints.xlsx"
    export_register(REGISTERS["complaints"], Filter(), output=out)
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = list(rows[0])
    labels = {"number": "Number", "cost_scrap": "Cost: scrap", "cost_total": "Cost: total"}
    at = {key: header.index(label) for key, label in labels.items()}
    by_number = {c["number"]: c for c in export_dataset.complaints}
    checked = 0
    for row in rows[1:]:
        complaint = by_number[row[at["number"]]]
        amounts = [complaint[f] for f in COST_FIELDS if complaint[f] is not None]
        want = float(sum(Decimal(str(a)) for a in amounts)) if amounts else None
        assert row[at["cost_total"]] == want, complaint["number"]
        scrap = complaint["cost_scrap"]
        assert row[at["cost_scrap"]] == (float(scrap) if scrap is not None else None)
        checked += bool(amounts)
    assert checked > 10
