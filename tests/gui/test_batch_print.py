"""Batch printing: several selected records as one PDF through the print preview, saved as
one PDF, blank forms; the list allows selecting several rows and has "Print selected…"."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel

from cqms_desktop.exports.batch_pdf import render_many, render_records
from cqms_desktop.exports.forms import build_document
from cqms_desktop.services.registers import REGISTERS
from cqms_desktop.ui import batch_print
from cqms_desktop.ui.batch_print import BatchPrintDialog
from cqms_desktop.ui.register_view import RegisterView

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.form_records import make_records

pytestmark = pytest.mark.gui


def pdf_info(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "batch.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return pages, "".join(text.split())


@pytest.fixture
def three(database):
    return [
        make_records(suffix="1", language="zh"),
        make_records(suffix="2", language="de"),
        make_records(suffix="3", language="en"),
    ]


@pytest.fixture
def previews(monkeypatch):
    """What would have gone to Qt's print preview: (pdf, title) per call."""
    shown: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        batch_print, "preview_and_print", lambda parent, pdf, title: shown.append((pdf, title))
    )
    return shown


def finish(job) -> None:
    assert job.wait(60_000) is not None, "the job did not finish"


def test_one_pdf_keeps_each_forms_language_and_page_numbers(three, tmp_path):
    numbers = [r.complaint for r in three]
    pdf = render_records(kind="complaint", numbers=numbers)
    separate = [
        pdf_info(render_many([build_document(kind="complaint", number=n, lang=None)]), tmp_path)
        for n in numbers
    ]
    pages, text = pdf_info(pdf, tmp_path)
    assert pages == sum(p for p, _ in separate)
    for number in numbers:
        assert number in text
    assert "顾客抱怨处理单" in text and "Reklamationsbearbeitungsbericht" in text
    german_pages = separate[1][0]
    assert f"Seite{german_pages}von{german_pages}" in text
    assert f"第1页共{separate[0][0]}页" in text


def test_preview_of_the_selection_and_save_as_one_pdf(qtbot, three, tmp_path, previews):
    numbers = [r.complaint for r in three]
    dialog = BatchPrintDialog("complaints", numbers)
    qtbot.addWidget(dialog)
    assert [dialog.form_kind.itemData(i) for i in range(dialog.form_kind.count())] == [
        "complaint",
        "8d",
    ]
    dialog.form_kind.setCurrentIndex(1)  # the 8D report
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    finish(dialog.preview())
    assert len(previews) == 1
    pages, text = pdf_info(previews[0][0], tmp_path)
    assert text.count("8DReport") >= 3 and "8D-Bericht" not in text
    assert all(n in text for n in numbers)

    out = tmp_path / "all"
    finish(dialog.save_pdf(out))
    assert dialog.saved_path == tmp_path / "all.pdf"
    assert pdf_info(dialog.saved_path.read_bytes(), tmp_path)[0] == pages


def test_blank_form_goes_through_the_preview(qtbot, database, previews, tmp_path):
    dialog = BatchPrintDialog("visits", [])
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isEnabled() and dialog.blank_button.isEnabled()
    assert dialog.print_blank()
    pages, text = pdf_info(previews[0][0], tmp_path)
    assert "顾客访问单" in text and pages >= 1


def test_list_selects_several_rows_and_opens_the_print_dialog(
    qtbot, three, system, monkeypatch, ops
):
    view = RegisterView(REGISTERS["complaints"], system)
    qtbot.addWidget(view)
    view.refresh()
    ops()
    assert view.model.rowCount() == 3
    selection = view.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 2):
        selection.select(view.model.index(row, 0), flags)
    wanted = batch_print.selected_numbers(view)
    assert len(wanted) == 2
    monkeypatch.setattr(BatchPrintDialog, "open", lambda self: None)
    dialog = view.print_selected()
    assert dialog.numbers == wanted
    assert view.print_action.isEnabled()
    products = RegisterView(REGISTERS["products"], system)
    qtbot.addWidget(products)
    assert not products.print_action.isEnabled()
