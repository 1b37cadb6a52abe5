"""Legacy Excel import: export → import round trip, the validation report for each bad file,
no duplicates on re-import, "import the valid rows", counters, audit rows, 50,000 rows."""

from __future__ import annotations

import subprocess
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from cqms_desktop.domain.clock import to_utc
from cqms_desktop.domain.errors import PermissionDenied, ValidationError
from cqms_desktop.exports.register_xlsx import export_register
from cqms_desktop.exports.xlsx_safe import set_text
from cqms_desktop.services import importer
from cqms_desktop.services.importer import (
    ImportCancelled,
    ImportFileError,
    ImportRefused,
    check_file,
    import_file,
)
from cqms_desktop.services.importer.mapping import guess_mapping, ui_translations
from cqms_desktop.services.registers import REGISTERS, Filter
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.counters import next_number
from cqms_desktop.store.models import (
    AuditLog,
    Circulation,
    Complaint,
    CorrectiveAction,
    Customer,
    CustomerResponse,
    Feedback,
    Product,
    ServiceRecord,
    Survey,
    Visit,
)
from tests.external import require_program
from tests.gui.gui_data import populate

COMPLAINT_HEADERS = ["Number", "Received", "Customer code", "Part number", "Severity", "Status"]


def chinese(context: str, text: str) -> str:
    """The Chinese UI's translation (what a list exported from the Chinese UI carries)."""
    found = [t for t in ui_translations(context, text) if t != text]
    return found[0] if found else text


def write_book(
    path: Path, rows: list[list], *, merge: str | None = None, texts: dict | None = None
) -> Path:
    """An ordinary workbook with *rows* in its first sheet; *texts* cells hold text that
    looks like a formula (as a spreadsheet program stores a quoted entry)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref, text in (texts or {}).items():
        set_text(ws[ref], text)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def snapshot(model, key: str, fields: list[str]) -> dict[str, tuple]:
    """Record key → the compared fields, as stored."""
    return {getattr(r, key): tuple(getattr(r, f) for f in fields) for r in model.select()}


def wipe_records() -> None:
    """Delete every customer, product and record (the export's data is kept in files)."""
    with dbmod.write_transaction():
        for model in (
            Circulation,
            CorrectiveAction,
            CustomerResponse,
            Complaint,
            Feedback,
            Visit,
            Survey,
            ServiceRecord,
            Customer,
            Product,
        ):
            model.delete().execute()


# ---------------------------------------------------------------------------- round trip
@pytest.mark.backends
def test_export_then_import_round_trip(any_database, system, tmp_path):
    populate()
    complaint_fields = [
        "received_at",
        "severity",
        "status",
        "defect_category",
        "due_at",
        "handled_at",
        "closed_at",
        "customer_id",
        "product_id",
    ]
    feedback_fields = ["received_at", "channel", "type", "urgent", "status", "description"]
    before = {
        "customers": snapshot(Customer, "code", ["name", "language", "active"]),
        "products": snapshot(Product, "part_number", ["name", "description", "active"]),
    }
    codes = {c.id: c.code for c in Customer.select()}
    parts = {p.id: p.part_number for p in Product.select()}

    def portable(rows: dict[str, tuple], fields: list[str]) -> dict[str, tuple]:
        """Foreign keys as codes: the ids change when the records are created again."""
        out = {}
        for number, values in rows.items():
            named = dict(zip(fields, values, strict=True))
            named["customer_id"] = codes.get(named.get("customer_id"))
            named["product_id"] = parts.get(named.get("product_id"))
            out[number] = named
        return out

    complaints = portable(snapshot(Complaint, "number", complaint_fields), complaint_fields)
    feedback = snapshot(Feedback, "number", feedback_fields)
    files = {}
    for kind in ("customers", "products", "complaints", "feedback"):
        files[kind] = tmp_path / f"{kind}.xlsx"
        # The complaints list as exported from the Chinese UI: Chinese headings and labels.
        translate = chinese if kind == "complaints" else (lambda _c, t: t)
        export_register(REGISTERS[kind], Filter(), output=files[kind], translate=translate)
    wipe_records()

    for kind in ("customers", "products", "complaints", "feedback"):
        report = import_file(system, kind=kind, path=files[kind])
        assert report.ok, [p.text() for p in report.problems]
        assert report.imported == report.rows > 0

    assert snapshot(Customer, "code", ["name", "language", "active"]) == before["customers"]
    assert snapshot(Product, "part_number", ["name", "description", "active"]) == before["products"]
    codes = {c.id: c.code for c in Customer.select()}
    parts = {p.id: p.part_number for p in Product.select()}
    assert portable(snapshot(Complaint, "number", complaint_fields), complaint_fields) == (
        complaints
    )
    assert snapshot(Feedback, "number", feedback_fields) == feedback

    # A second import of the same files creates nothing.
    counts = [m.select().count() for m in (Customer, Product, Complaint, Feedback)]
    for kind in ("customers", "products", "complaints", "feedback"):
        report = import_file(system, kind=kind, path=files[kind])
        assert (report.imported, report.new, report.existing) == (0, 0, report.rows)
    assert [m.select().count() for m in (Customer, Product, Complaint, Feedback)] == counts


def test_imported_numbers_advance_the_counter_and_are_audited(sample, system, tmp_path):
    path = write_book(
        tmp_path / "legacy.xlsx",
        [
            ["No.", "Date received", "Customer", "Description", "Severity"],
            ["CC-2026-0120", "2026/03/04", "Kunde GmbH", "Kratzer", "急件"],
            ["CC-2025-0042", "04.03.2025", "Acme Ltd", "", "normal"],
        ],
        texts={"D3": "=cmd|' /C calc'!A0 text"},
    )
    report = import_file(system, kind="complaints", path=path)
    assert report.imported == 2
    assert next_number("complaint", 2026) == "CC-2026-0121"
    assert next_number("complaint", 2025) == "CC-2025-0043"
    record = Complaint.get(Complaint.number == "CC-2026-0120")
    assert record.severity == "urgent"
    assert record.received_at == to_utc(datetime(2026, 3, 4))
    assert record.due_at > record.received_at  # computed from the 2/7-day rule
    assert record.created_by == system.username
    fields = {
        a.field
        for a in AuditLog.select().where(
            (AuditLog.table_name == "complaint") & (AuditLog.record_id == record.id)
        )
    }
    assert {"number", "customer", "received_at", "description", "severity"} <= fields
    text = Complaint.get(Complaint.number == "CC-2025-0042").description
    assert text == "=cmd|' /C calc'!A0 text"  # kept as the text it was typed as


def test_mapping_for_another_layout(sample, system, tmp_path):
    path = write_book(
        tmp_path / "parts.xlsx",
        [
            ["Artikel", "Bezeichnung", "Bemerkung"],
            ["PN-900", "Deckel", "neu"],
            ["PN-901", "Boden", ""],
        ],
    )
    assert guess_mapping("products", ["Artikel", "Bezeichnung"]) == {}
    with pytest.raises(ValidationError, match="No column is chosen"):
        check_file("products", path)
    mapping = {"part_number": "Artikel", "name": "Bezeichnung", "description": "Bemerkung"}
    report = import_file(system, kind="products", path=path, mapping=mapping)
    assert report.imported == 2
    assert Product.get(Product.part_number == "PN-900").description == "neu"


def test_chinese_and_german_headings_are_recognised():
    assert guess_mapping("complaints", ["编号", "接收日期", "顾客代码", "零件号", "状态"]) == {
        "number": "编号",
        "received_at": "接收日期",
        "customer_code": "顾客代码",
        "part_number": "零件号",
        "status": "状态",
    }
    assert guess_mapping("products", ["Teilenummer", "Produkt"]) == {
        "part_number": "Teilenummer",
        "name": "Produkt",
    }


# ---------------------------------------------------------------------------- bad files
def test_not_an_xlsx_file(sample, tmp_path):
    text = tmp_path / "register.xlsx"
    text.write_text("number;customer\nCC-2026-0001;C001\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"not an Excel workbook \(\.xlsx\)"):
        check_file("complaints", text)
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ImportFileError, match=r"old Excel 97–2003 \(\.xls\)"):
        check_file("complaints", old)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportFileError, match="cannot be read as an Excel workbook"):
        check_file("complaints", broken)


def test_empty_files(sample, tmp_path):
    zero = tmp_path / "zero.xlsx"
    zero.write_bytes(b"")
    with pytest.raises(ImportFileError, match="is empty"):
        check_file("customers", zero)
    with pytest.raises(ImportFileError, match="has no rows to import"):
        check_file("customers", write_book(tmp_path / "blank.xlsx", []))
    headings_only = write_book(tmp_path / "head.xlsx", [["Code", "Name"]])
    with pytest.raises(ImportFileError, match="no data rows"):
        check_file("customers", headings_only)


def test_merged_heading_cells(sample, tmp_path):
    path = write_book(
        tmp_path / "merged.xlsx",
        [["Customer", None, "Name"], ["C010", "x", "Neu"]],
        merge="A1:B1",
    )
    with pytest.raises(ImportFileError, match=r"merged cells \(A1:B1\)"):
        check_file("customers", path)


def test_merged_data_cells_are_reported_per_row(sample, tmp_path):
    path = write_book(
        tmp_path / "merged.xlsx",
        [["Code", "Name"], ["C010", "Eins"], ["C011", None], ["C012", "Drei"]],
        merge="B2:B3",
    )
    report = check_file("customers", path)
    rows = {p.row for p in report.problems if "Merged cells B2:B3" in p.text()}
    assert rows == {2, 3}
    assert report.valid_rows == 1


def test_formulas_cached_values_used_else_reported(sample, system, tmp_path):
    path = write_book(
        tmp_path / "formula.xlsx",
        [["Part number", "Name"], ["PN-700", '="Lid "&"A"'], ["PN-701", '="Lid "&"B"']],
    )
    # Give the first formula a saved result, as Excel does when it saves; the second has none.
    with zipfile.ZipFile(path) as src:
        members = {n: src.read(n) for n in src.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = (
        members[sheet]
        .replace(b'<f>"Lid "&amp;"A"</f><v />', b'<f>"Lid "&amp;"A"</f><v>Lid A</v>', 1)
        .replace(b'<c r="B2">', b'<c r="B2" t="str">', 1)
    )
    with zipfile.ZipFile(path, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    report = check_file("products", path)
    assert [(p.row, p.cell) for p in report.problems] == [(3, "B3")]
    assert "formula without a saved result" in report.problems[0].text()
    assert report.problems[0].value.startswith("=")
    report = import_file(system, kind="products", path=path, valid_only=True)
    assert report.imported == 1
    assert Product.get(Product.part_number == "PN-700").name == "Lid A"


def test_dates_as_text(sample, system, tmp_path):
    path = write_book(
        tmp_path / "dates.xlsx",
        [
            COMPLAINT_HEADERS[:3],
            ["CC-2026-0201", "2026-11-23", "C001"],
            ["CC-2026-0202", "2026/11/23 14:30", "C001"],
            ["CC-2026-0203", "23.11.2026", "C001"],
            ["CC-2026-0204", "23/11/2026", "C001"],
            ["CC-2026-0205", "next Tuesday", "C001"],
        ],
    )
    report = check_file("complaints", path)
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (5, "Received", "23/11/2026"),
        (6, "Received", "next Tuesday"),
    ]
    assert "write it like 2026-11-23" in report.problems[0].text()


def test_unknown_references_and_duplicates(sample, tmp_path):
    path = write_book(
        tmp_path / "refs.xlsx",
        [
            COMPLAINT_HEADERS,
            ["CC-2026-0301", datetime(2026, 1, 5), "C001", "PN-100", "urgent", "Registered"],
            ["CC-2026-0302", datetime(2026, 1, 5), "C999", "PN-100", "urgent", "Registered"],
            ["CC-2026-0303", datetime(2026, 1, 5), "C001", "PN-999", "normal", "Registered"],
            ["CC-2026-0301", datetime(2026, 1, 6), "C001", "PN-100", "normal", "Registered"],
            ["2026-17", datetime(2026, 1, 6), "C001", "", "sometimes", "Registered"],
            ["", datetime(2026, 1, 6), "C001", "", "normal", "Registered"],
            ["CC-2026-0304", datetime(2099, 1, 6), "C001", "", "normal", "Closed"],
        ],
    )
    report = check_file("complaints", path)
    found = {(p.row, p.column): p.text() for p in report.problems}
    assert "no customer with the code “C999”" in found[3, "Customer code"]
    assert "no product with the part number “PN-999”" in found[4, "Part number"]
    assert "appears again in this file (first in row 2)" in found[5, "Number"]
    assert "must look like CC-2026-0042" in found[6, "Number"]
    assert "is not one of" in found[6, "Severity"]
    assert found[7, "Number"] == "Number is required."
    assert "cannot be in the future" in found[8, "Received"]
    assert report.rows == 7 and report.failed_rows == 6 and report.new == 1


def test_refused_unless_valid_rows_only(sample, system, tmp_path):
    path = write_book(
        tmp_path / "mixed.xlsx",
        [["Code", "Name"], ["C020", "Gut"], ["bad code!", "Schlecht"], ["C021", ""]],
    )
    before = Customer.select().count()
    with pytest.raises(
        ImportRefused, match="2 of 3 rows have problems; nothing was imported"
    ) as err:
        import_file(system, kind="customers", path=path)
    assert err.value.report.failed_rows == 2
    assert Customer.select().count() == before
    report = import_file(system, kind="customers", path=path, valid_only=True)
    assert (report.imported, report.failed_rows) == (1, 2)
    assert Customer.select().count() == before + 1
    # Importing the same file again: the good row is there, nothing new.
    again = import_file(system, kind="customers", path=path, valid_only=True)
    assert (again.imported, again.existing) == (0, 1)


def test_cancel_leaves_nothing_and_permissions(sample, system, actors, tmp_path):
    from cqms_desktop.domain.enums import Department

    rows = [["Code", "Name"]] + [[f"K{i:05d}", f"Kunde {i}"] for i in range(3000)]
    path = write_book(tmp_path / "many.xlsx", rows)
    before = Customer.select().count()
    calls = {"n": 0}

    def cancel_while_writing() -> bool:
        calls["n"] += 1
        return calls["n"] > 15  # reading and checking poll 12 times; cancel while inserting

    with pytest.raises(ImportCancelled):
        import_file(system, kind="customers", path=path, cancelled=cancel_while_writing)
    assert Customer.select().count() == before
    with pytest.raises(PermissionDenied):
        import_file(actors[Department.QA], kind="customers", path=path)


def test_fifty_thousand_rows(sample, system, tmp_path):
    path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Customers")
    ws.append(["Code", "Name", "Form language", "Contacts"])
    for i in range(50_000):
        ws.append([f"B{i:06d}", f"客户 {i}", "English" if i % 2 else "中文", f"Contact {i}"])
    wb.save(path)
    seen: list[tuple[int, int]] = []
    report = import_file(
        system, kind="customers", path=path, progress=lambda d, t: seen.append((d, t))
    )
    assert report.imported == 50_000
    assert Customer.select().where(Customer.code.startswith("B")).count() == 50_000
    assert Customer.get(Customer.code == "B000001").language == "en"
    assert seen[-1][0] == seen[-1][1]
    created = AuditLog.select().where(
        (AuditLog.table_name == "customer") & (AuditLog.field == "code")
    )
    assert created.count() >= 50_000


def test_unknown_kind_and_missing_file(sample, tmp_path):
    with pytest.raises(ValidationError, match="Cannot import"):
        check_file("visits", tmp_path / "x.xlsx")
    with pytest.raises(ImportFileError, match="does not exist"):
        check_file("customers", tmp_path / "x.xlsx")


def test_parse_datetime_formats():
    assert importer.parse_datetime("2026-11-23") == datetime(2026, 11, 23)
    assert importer.parse_datetime("23.11.2026 08:05") == datetime(2026, 11, 23, 8, 5)
    assert importer.parse_datetime(46349) == datetime(2026, 11, 23)
    assert importer.parse_datetime(datetime(2026, 1, 1, 9, 59, 59, 999_990)) == datetime(
        2026, 1, 1, 10
    )
    assert importer.parse_datetime(None) is None
    assert importer.parse_datetime("2026-11-23") - importer.parse_datetime("2026/11/22") == (
        timedelta(days=1)
    )


def test_a_file_made_in_a_spreadsheet_program(sample, system, tmp_path):
    """LibreOffice turns a typed list into xlsx: a real date, a date left as text, a formula
    with its saved result — all imported."""
    soffice = require_program("soffice", "libreoffice", package="libreoffice-calc")
    typed = tmp_path / "hand.csv"
    typed.write_text(
        "Number,Received,Customer code,Part number,Severity,Description,Quantity affected\n"
        "CC-2025-0001,2025-11-23,C001,PN-100,urgent,Burr 毛刺,=2*6\n"
        "CC-2025-0002,23.11.2025,C002,,Normal,Kratzer,7\n",
        encoding="utf-8",
    )
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--infilter=CSV:44,34,76,1",  # comma, quote, UTF-8, from line 1
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(typed),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    report = import_file(system, kind="complaints", path=tmp_path / "hand.xlsx")
    assert (report.imported, report.problems) == (2, [])
    first = Complaint.get(Complaint.number == "CC-2025-0001")
    assert (first.qty_affected, first.severity, first.description) == (12, "urgent", "Burr 毛刺")
    second = Complaint.get(Complaint.number == "CC-2025-0002")
    assert second.received_at == to_utc(datetime(2025, 11, 23))
