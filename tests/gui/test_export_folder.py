"""Saving a form or an export: the save dialog starts in the last export folder of this PC,
else in the user's Documents (never in the program's working folder), and a message confirms
the saved file with "Open the file" / "Open the folder"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from cqms_desktop.ui import batch_print, export_actions
from cqms_desktop.ui import print_preview as pp
from tests.form_records import make_records

pytestmark = pytest.mark.gui


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    """The user's Documents folder (a temporary one); the working folder is another."""
    docs = tmp_path / "Documents"
    docs.mkdir()
    real = QStandardPaths.writableLocation

    def location(kind):
        if kind == QStandardPaths.StandardLocation.DocumentsLocation:
            return str(docs)
        return real(kind)

    monkeypatch.setattr(export_actions.QStandardPaths, "writableLocation", location)
    work = tmp_path / "program"
    work.mkdir()
    monkeypatch.chdir(work)
    return docs


@pytest.fixture
def save_dialog(monkeypatch):
    """QFileDialog.getSaveFileName: records where each dialog started, answers ``answer[0]``."""
    started: list[Path] = []
    answer: list[str] = [""]

    def ask(parent, title, start, filters, *rest):
        started.append(Path(start))
        return answer[0], ""

    monkeypatch.setattr(pp.QFileDialog, "getSaveFileName", staticmethod(ask))
    return started, answer


@pytest.fixture
def opened(monkeypatch) -> list[QUrl]:
    """QDesktopServices.openUrl, recorded instead of starting a program."""
    urls: list[QUrl] = []
    monkeypatch.setattr(export_actions.QDesktopServices, "openUrl", lambda url: urls.append(url))
    return urls


def _choose(monkeypatch, lang: str = "en", fmt: str = "pdf") -> None:
    def answer(dialog: pp.FormOptionsDialog) -> int:
        dialog.language.setCurrentIndex(dialog.language.findData(lang))
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pp.FormOptionsDialog, "exec", answer)


def _button(box: QMessageBox, name: str) -> QPushButton:
    button = box.findChild(QPushButton, name)
    assert button is not None, name
    return button


def test_the_first_save_starts_in_documents_not_the_working_folder(
    qtbot, database, documents, save_dialog, monkeypatch
):
    numbers = make_records()
    started, _answer = save_dialog  # cancelled: nothing is written
    _choose(monkeypatch)
    assert pp.save_form_as(None, "feedback", numbers.feedback) is None
    assert started == [documents / f"{numbers.feedback}-en.pdf"]
    assert Path.cwd() not in started[0].parents


def test_a_saved_form_is_confirmed_and_its_folder_offered_next_time(
    qtbot, database, documents, save_dialog, opened, monkeypatch, tmp_path
):
    numbers = make_records()
    started, answer = save_dialog
    _choose(monkeypatch)
    target = tmp_path / "to customer"
    target.mkdir()
    answer[0] = str(target / "feedback")
    path = pp.save_form_as(None, "feedback", numbers.feedback)
    assert path == target / "feedback.pdf" and path.read_bytes().startswith(b"%PDF")
    box = pp.saved_message
    assert box is not None and box.isVisible()
    assert "feedback.pdf" in box.text() and str(path) in box.informativeText()
    _button(box, "openFile").click()
    _button(box, "openFolder").click()
    assert [Path(url.toLocalFile()) for url in opened] == [path, target]
    box.close()
    # The next save dialog, of any export, starts where this one went (remembered per PC).
    answer[0] = ""
    pp.save_form_as(None, "visit", numbers.visit)
    assert started[-1].parent == target
    assert export_actions.suggested_path("x.xlsx") == str(target / "x.xlsx")


def test_a_remembered_folder_that_is_gone_falls_back_to_documents(
    qtbot, database, documents, tmp_path
):
    gone = tmp_path / "usb-stick"
    export_actions.remember_export_folder(gone / "a.pdf")
    assert export_actions.export_folder() == documents


def test_batch_pdf_starts_in_the_export_folder_and_confirms(
    qtbot, database, documents, save_dialog, opened, tmp_path
):
    numbers = make_records()
    started, answer = save_dialog
    dialog = batch_print.BatchPrintDialog("feedback", [numbers.feedback])
    qtbot.addWidget(dialog)
    answer[0] = str(tmp_path / "batch.pdf")
    job = dialog.save_pdf()
    assert job is not None and job.wait(60_000) is not None
    assert started == [documents / "feedback-1.pdf"]
    assert dialog.saved_path == tmp_path / "batch.pdf"
    box = pp.saved_message
    assert box is not None and "batch.pdf" in box.text()
    _button(box, "openFolder").click()
    assert [Path(url.toLocalFile()) for url in opened] == [tmp_path]
    box.close()
    assert export_actions.export_folder() == tmp_path
