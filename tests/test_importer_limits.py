"""The legacy import refuses what no backend stores in its validation report, before writing
(issue #15 item 11): quantities of 10^20 used to pass the check and crash the import."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from cqms_desktop.services.importer import ImportRefused, check_file, import_file
from cqms_desktop.services.importer.mapping import SPECS
from cqms_desktop.services.importer.values import _Bad, _convert
from cqms_desktop.store.models import Complaint

HEADERS = ["Number", "Received", "Customer code", "Severity", "Status", "Quantity affected"]


def _book(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for row in [HEADERS, *rows]:
        wb.active.append(row)
    wb.save(path)
    return path


def test_out_of_range_values_are_in_the_report_and_nothing_is_imported(sample, system, tmp_path):
    path = _book(
        tmp_path / "big.xlsx",
        [
            ["CC-2026-0401", datetime(2026, 1, 5), "C001", "normal", "Registered", 10**20],
            [
                "CC-2026-0402",
                datetime(2026, 1, 5),
                "C001",
                "normal",
                "Registered",
                "99999999999999999999",
            ],
            ["CC-2026-0403", datetime(2026, 1, 5), "C001", "normal", "Registered", 1e20],
            ["CC-2026-0404", "0001-01-01", "C001", "normal", "Registered", 1],
            ["CC-2026-0405", datetime(1, 1, 1), "C001", "normal", "Registered", 1],
            ["CC-2026-0406", datetime(2026, 1, 5), "C001", "normal", "Registered", 2**31 - 1],
        ],
    )
    report = check_file("complaints", path)
    found = {(p.row, p.column): p.text() for p in report.problems}
    for row in (2, 3, 4):
        assert "Quantity affected is too large" in found[row, "Quantity affected"]
    for row in (5, 6):
        assert "between the years" in found[row, "Received"]
    assert report.failed_rows == 5
    before = Complaint.select().count()
    with pytest.raises(ImportRefused):
        import_file(system, kind="complaints", path=path)
    assert Complaint.select().count() == before
    result = import_file(system, kind="complaints", path=path, valid_only=True)
    assert result.imported == 1
    assert Complaint.get(Complaint.number == "CC-2026-0406").qty_affected == 2**31 - 1


@pytest.mark.parametrize("text", ["a\x00b", "lone \ud800"])
def test_unstorable_text_is_a_problem_of_its_cell(text):
    target = next(f for f in SPECS["complaints"].fields if f.key == "lot")
    with pytest.raises(_Bad, match="cannot be stored"):
        _convert(target, text)
