"""Print preview and saving of the printed forms from the UI."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from cqms_desktop.exports.forms import render_form
from cqms_desktop.ui import print_preview as pp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.form_records import make_records

pytestmark = pytest.mark.gui

needs_qtpdf = pytest.mark.skipif(
    not pp.qtpdf_available(), reason="QtPdf (the PySide6-Pdf wheel) is not installed"
)


def pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


@pytest.fixture
def long_complaint(database):
    return make_records(suffix="2", description="表面划伤，尺寸超差。" * 900).complaint


@needs_qtpdf
def test_every_pdf_page_is_painted_onto_the_printer(qtbot, tmp_path, long_complaint):
    pdf = render_form(kind="complaint", number=long_complaint, fmt="pdf", lang="zh")
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf)
    dialog = pp.PdfPrintPreviewDialog(pdf, "test")
    qtbot.addWidget(dialog)
    assert dialog.page_count() == pages_of(source) >= 3
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    dialog.paint_pages(printer)
    assert pages_of(tmp_path / "printed.pdf") == dialog.page_count()
    image = dialog.page_image(0, 40)
    dark = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixelColor(x, y).lightness() < 100
    )
    assert dark > 200  # the page has text and lines, not a blank sheet


@needs_qtpdf
def test_preview_dialog_shows_all_pages(qtbot, database):
    numbers = make_records()
    pdf = render_form(kind="survey", number=numbers.survey, fmt="pdf", lang="de")
    dialog = pp.PdfPrintPreviewDialog(pdf, "Kundenzufriedenheitsumfrage")
    qtbot.addWidget(dialog)
    dialog.show()
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() == dialog.page_count())
    assert "Kundenzufriedenheitsumfrage" in dialog.windowTitle()
    dialog.close()


@needs_qtpdf
def test_print_form_asks_the_language_with_the_customers_preselected(qtbot, monkeypatch, database):
    numbers = make_records(suffix="8", language="de")
    asked: list[str] = []
    previewed: list[tuple[int, str]] = []

    def answer(dialog: pp.FormOptionsDialog) -> int:
        asked.append(dialog.chosen_language())
        assert dialog.format.isHidden()  # printing needs no format
        return QDialog.DialogCode.Accepted

    def shown(dialog: pp.PdfPrintPreviewDialog) -> int:
        previewed.append((dialog.page_count(), dialog.windowTitle()))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pp.FormOptionsDialog, "exec", answer)
    monkeypatch.setattr(pp.PdfPrintPreviewDialog, "exec", shown)
    assert pp.print_form(None, "complaint", numbers.complaint) is True
    assert asked == ["de"]
    assert previewed and previewed[0][0] >= 1
    assert numbers.complaint in previewed[0][1]


def test_cancelling_the_language_question_prints_nothing(qtbot, monkeypatch, database):
    numbers = make_records()
    monkeypatch.setattr(pp.FormOptionsDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    monkeypatch.setattr(pp, "preview_and_print", lambda *a: pytest.fail("nothing to preview"))
    assert pp.print_form(None, "visit", numbers.visit) is False


def test_save_form_as_writes_the_chosen_language_and_format(qtbot, monkeypatch, tmp_path, database):
    numbers = make_records()

    def answer(dialog: pp.FormOptionsDialog) -> int:
        assert not dialog.format.isHidden()
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pp.FormOptionsDialog, "exec", answer)
    monkeypatch.setattr(
        pp.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "feedback"), "")
    )
    path = pp.save_form_as(None, "feedback", numbers.feedback)
    assert path == tmp_path / "feedback.xlsx"
    ws = load_workbook(io.BytesIO(path.read_bytes())).active
    assert "Customer Quality Feedback Form" in [c.value for row in ws.iter_rows() for c in row]


def test_unknown_record_shows_a_message_instead_of_failing(qtbot, database):
    parent = QWidget()
    qtbot.addWidget(parent)
    assert pp.print_form(parent, "complaint", "CC-1999-0001") is False
    box = parent.findChild(QMessageBox)
    assert box is not None and "CC-1999-0001" in box.text()
    box.close()


def test_form_actions_work_only_for_a_saved_record(qtbot, monkeypatch, database):
    numbers = make_records()
    actions = pp.FormActions("service")
    qtbot.addWidget(actions)
    assert not actions.print_button.isEnabled() and not actions.save_button.isEnabled()
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(pp, "print_form", lambda parent, kind, number: calls.append((kind, number)))
    actions.set_number(numbers.service)
    assert actions.print_button.isEnabled()
    actions.print_button.click()
    assert calls == [("service", numbers.service)]


def test_without_qtpdf_the_pdf_opens_in_the_system_viewer(qtbot, monkeypatch, database):
    opened = []
    monkeypatch.setattr(pp, "QPdfDocument", None)
    monkeypatch.setattr(pp.QDesktopServices, "openUrl", lambda url: opened.append(url))
    pdf = render_form(kind="visit", number=None, fmt="pdf", lang="zh", blank=True)
    assert pp.preview_and_print(None, pdf, "顾客访问单") == QDialog.DialogCode.Accepted
    path = Path(opened[0].toLocalFile())
    assert path.read_bytes() == pdf
    path.unlink()
    path.parent.rmdir()


@needs_qtpdf
def test_blank_form_preview_asks_language_without_a_record(qtbot, monkeypatch, database):
    titles = []
    monkeypatch.setattr(pp.FormOptionsDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(
        pp.PdfPrintPreviewDialog, "exec", lambda self: titles.append(self.windowTitle()) or 1
    )
    assert pp.print_blank_form(None, "survey") is True
    assert titles and "Customer Satisfaction Survey" in titles[0]
