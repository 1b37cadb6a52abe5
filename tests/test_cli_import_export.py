"""``cqms import``, ``cqms export register``, ``cqms export review`` and ``export form --blank``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cqms_desktop import cli
from cqms_desktop.services.registers import REGISTERS, Filter
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from cqms_desktop.store.models import Complaint, Customer
from tests.gui.gui_data import populate


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No CQMS_DB from the developer's shell; the log file goes to the test's folder."""
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def url(tmp_path) -> str:
    """A SQLite file with a few customers, products and records, closed again."""
    url = dbmod.sqlite_url(tmp_path / "cqms.sqlite3")
    dbmod.open_database(url)
    migrations.migrate()
    populate()
    dbmod.close_database()
    return url


def run(url: str, *args: str) -> int:
    return cli.main(["--db", url, *args])


def book(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def count(url: str, model) -> int:
    dbmod.open_database(url)
    try:
        return model.select().count()
    finally:
        dbmod.close_database()


def test_import_dry_run_prints_the_report_and_fails_on_bad_rows(url, tmp_path, capsys):
    path = book(
        tmp_path / "c.xlsx",
        [["Code", "Name"], ["C100", "Neu"], ["C101", ""], ["bad code!", "X"]],
    )
    assert run(url, "import", "customers", str(path), "--dry-run") == 1
    out = capsys.readouterr().out
    assert "row 3\tName (B3)\t\tName is required." in out
    assert "row 4\tCode (A4)\tbad code!" in out
    assert "3 rows: 2 with problems, 1 new, 0 already in the database." in out
    assert count(url, Customer) == 3  # a dry run writes nothing


def test_import_refuses_then_imports_valid_rows_only(url, tmp_path, capsys):
    path = book(tmp_path / "c.xlsx", [["Code", "Name"], ["C100", "Neu"], ["C101", ""]])
    assert run(url, "import", "customers", str(path)) == 1
    captured = capsys.readouterr()
    assert "nothing was imported" in captured.err
    assert count(url, Customer) == 3
    assert run(url, "import", "customers", str(path), "--valid-only") == 0
    assert "1 imported." in capsys.readouterr().out
    assert count(url, Customer) == 4


def test_export_register_then_import_it_back(url, tmp_path, capsys):
    out = tmp_path / "complaints.xlsx"
    assert run(url, "export", "register", "complaints", "-o", str(out)) == 0
    assert "Wrote 7 rows" in capsys.readouterr().out
    assert run(url, "import", "complaints", str(out)) == 0
    assert "0 new, 7 already in the database" in capsys.readouterr().out
    assert count(url, Complaint) == 7


def test_export_register_date_range(url, tmp_path, capsys):
    out = tmp_path / "range.xlsx"
    assert (
        run(
            url,
            "export",
            "register",
            "complaints",
            "--from",
            "2000-01-01",
            "--to",
            "2000-12-31",
            "-o",
            str(out),
        )
        == 0
    )
    assert openpyxl.load_workbook(out).active.max_row == 1  # the header row only
    dbmod.open_database(url)
    try:
        expected = REGISTERS["feedback"].count(Filter())
    finally:
        dbmod.close_database()
    out = tmp_path / "feedback.xlsx"
    assert run(url, "export", "register", "feedback", "-o", str(out)) == 0
    assert openpyxl.load_workbook(out).active.max_row == expected + 1
    assert run(url, "export", "register", "complaints", "--from", "23.11.2026", "-o", str(out)) == 2
    assert "is not a date" in capsys.readouterr().err
    assert (
        run(
            url,
            "export",
            "register",
            "complaints",
            "--from",
            "2026-02-01",
            "--to",
            "2026-01-01",
            "-o",
            str(out),
        )
        == 2
    )


def test_export_review_workbook(url, tmp_path, capsys):
    out = tmp_path / "review.xlsx"
    assert run(url, "export", "review", "--period", "2026", "-o", str(out)) == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    assert run(url, "export", "review", "--period", "2026Q9", "-o", str(out)) == 2
    assert "cqms: error:" in capsys.readouterr().err


def test_export_blank_form_and_8d(url, tmp_path):
    blank = tmp_path / "blank.pdf"
    assert (
        run(url, "export", "form", "complaint", "--blank", "--format", "pdf", "-o", str(blank)) == 0
    )
    assert blank.read_bytes().startswith(b"%PDF")
    report = tmp_path / "8d.xlsx"
    assert (
        run(url, "export", "form", "8d", "CC-2026-0001", "--format", "xlsx", "-o", str(report)) == 0
    )
    assert openpyxl.load_workbook(report).active.max_row > 10
    assert run(url, "export", "form", "complaint", "--format", "pdf", "-o", str(blank)) == 2
