"""The import dialog: mapping pre-filled from the headings, the validation report, Import
disabled while rows fail, "Import the valid rows", Cancel leaves nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from cqms_desktop.services.importer import use_cases
from cqms_desktop.store.models import Customer, Product
from cqms_desktop.ui.import_dialog import ImportDialog

pytestmark = pytest.mark.gui


def book(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.fixture
def dialog(qtbot, database, system):
    widget = ImportDialog(system)
    qtbot.addWidget(widget)
    return widget


def finish(job) -> None:
    outcome = job.wait(30_000)
    assert outcome is not None, "the job did not finish"


def test_mapping_check_and_import_of_valid_rows(dialog, tmp_path):
    path = book(
        tmp_path / "customers.xlsx",
        [["Code", "Name", "Form language"], ["C100", "Eins", "English"], ["bad code!", "Zwei", ""]],
    )
    dialog.set_kind("customers")
    assert dialog.set_file(path)
    assert dialog.mapping() == {"code": "Code", "name": "Name", "language": "Form language"}
    assert not dialog.import_button.isEnabled() and not dialog.valid_button.isEnabled()

    finish(dialog.check())
    assert dialog.table.rowCount() == 1
    assert [dialog.table.item(0, c).text() for c in range(3)] == ["3", "Code (A3)", "bad code!"]
    assert "letters, digits" in dialog.table.item(0, 3).text()
    assert "1 with problems" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.valid_button.isEnabled()

    finish(dialog.run_import(valid_only=True))
    assert Customer.get(Customer.code == "C100").language == "en"
    assert Customer.select().count() == 1
    assert "1 imported" in dialog.summary.text()
    assert not dialog.valid_button.isEnabled()  # done: importing again would add nothing


def test_clean_file_enables_import_and_changed_mapping_needs_a_new_check(dialog, tmp_path):
    path = book(tmp_path / "p.xlsx", [["Teil", "Bezeichnung"], ["PN-1", "Deckel"]])
    dialog.set_kind("products")
    dialog.set_file(path)
    assert dialog.mapping() == {}
    dialog.set_mapping({"part_number": "Teil", "name": "Bezeichnung"})
    finish(dialog.check())
    assert dialog.report is not None and dialog.report.ok
    assert dialog.import_button.isEnabled() and not dialog.valid_button.isEnabled()
    dialog.set_mapping({"part_number": "Teil"})
    assert not dialog.import_button.isEnabled()  # the check no longer applies
    dialog.set_mapping({"part_number": "Teil", "name": "Bezeichnung"})
    finish(dialog.check())
    finish(dialog.run_import(valid_only=False))
    assert Product.get(Product.part_number == "PN-1").name == "Deckel"


def test_a_file_that_is_not_xlsx_is_refused_with_a_message(dialog, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    text = tmp_path / "list.xlsx"
    text.write_text("code,name\n", encoding="utf-8")
    assert not dialog.set_file(text)
    assert "not an Excel workbook" in shown[0]
    assert not dialog.check_button.isEnabled()


def test_cancel_imports_nothing(dialog, tmp_path, monkeypatch):
    rows = [["Code", "Name"]] + [[f"K{i:04d}", f"Kunde {i}"] for i in range(1200)]
    path = book(tmp_path / "many.xlsx", rows)
    dialog.set_kind("customers")
    dialog.set_file(path)
    finish(dialog.check())
    gate = threading.Event()
    real = use_cases.read_sheet

    def held(*args, **kwargs):
        gate.wait(10)  # the worker waits here until the test has pressed Cancel
        return real(*args, **kwargs)

    monkeypatch.setattr(use_cases, "read_sheet", held)
    job = dialog.run_import(valid_only=False)
    assert not dialog.check_button.isEnabled()  # busy
    job.cancel()
    gate.set()
    finish(job)
    assert job.outcome.cancelled
    assert Customer.select().count() == 0
    assert "nothing was imported" in dialog.summary.text()
    assert dialog.check_button.isEnabled()


def test_file_menu_opens_the_import(qtbot, database, system):
    from cqms_desktop.ui.main_window import MainWindow

    window = MainWindow(system, database)
    window.remember_layout = False
    qtbot.addWidget(window)
    assert window.import_action in window.menuBar().actions()[0].menu().actions()
    window.import_action.trigger()
    dialogs = window.findChildren(ImportDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()
