"""Preview, print and save the printed forms from the record editors.

* :func:`preview_and_print` shows Qt's print preview of a PDF made by
  :mod:`cqms_desktop.exports.forms`: the pages are rasterised with QtPdf's ``QPdfDocument``
  and painted onto the printer, so what is printed is exactly the PDF that is saved or mailed.
* :func:`preview_form` / :func:`print_form` ask for the language (the customer's is the
  default), render the form and preview it; :func:`save_form_as` asks for the language and
  PDF or Excel and writes the file; :func:`print_blank_form` previews the blank form.
* :class:`FormActions` is a small "Print… / Save as…" button pair for an editor.

QtPdf ships in the ``PySide6-Pdf`` wheel from PySide6 6.12 on (before that in
``PySide6-Addons``). Without it the preview falls back to opening the PDF in the PC's own
PDF viewer, which can print it too. A single form renders in well under a second, so it is
rendered on the GUI thread behind a wait cursor.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from .error_handling import open_error
from .window_fit import fit_window

try:  # QtPdf is an optional wheel (PySide6-Pdf); see the module docstring
    from PySide6.QtPdf import QPdfDocument
except ImportError:  # pragma: no cover - depends on the installation
    QPdfDocument = None

#: Rasterising a page at the printer's full resolution (1200 dpi) would take ~500 MB per
#: A4 page; 300 dpi is print quality for text and lines at a fraction of that.
MAX_PRINT_DPI = 300

#: The languages offered, each named in its own language (a clerk picks the customer's).
LANGUAGE_NAMES: dict[str, str] = {"zh": "中文", "en": "English", "de": "Deutsch"}

#: Form kinds → their names in the UI (translated in context ``PrintPreview``).
FORM_NAMES: dict[str, str] = {
    "complaint": QT_TRANSLATE_NOOP("PrintPreview", "Customer Complaint Handling Form"),
    "visit": QT_TRANSLATE_NOOP("PrintPreview", "Customer Visit Form"),
    "feedback": QT_TRANSLATE_NOOP("PrintPreview", "Customer Quality Feedback Form"),
    "survey": QT_TRANSLATE_NOOP("PrintPreview", "Customer Satisfaction Survey"),
    "service": QT_TRANSLATE_NOOP("PrintPreview", "Spare Parts and Exchange Record"),
    "8d": QT_TRANSLATE_NOOP("PrintPreview", "8D Report"),
    "scar": QT_TRANSLATE_NOOP("PrintPreview", "Supplier Corrective Action Request"),
}


def tr(text: str) -> str:
    """Translate in this module's context."""
    return QCoreApplication.translate("PrintPreview", text)


def qtpdf_available() -> bool:
    """True if QtPdf is installed, so PDFs can be previewed inside the program."""
    return QPdfDocument is not None


class PdfPrintPreviewDialog(QPrintPreviewDialog):
    """Qt's print preview of a finished PDF: each page is rasterised and painted to the printer."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        if QPdfDocument is None:
            raise CqmsError(
                QT_TRANSLATE_NOOP("Errors", "The print preview needs QtPdf (PySide6-Pdf).")
            )
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the PDF has its own margins
        printer.setDocName(title)
        super().__init__(printer, parent)
        self.setWindowTitle(
            QCoreApplication.translate("PrintPreview", "Print preview — {title}").format(
                title=title
            )
        )
        self._printer = printer  # the dialog does not own it: keep it alive
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            raise CqmsError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The form could not be read for the preview ({error})."
                ),
                error=str(self.document.error()),
            )
        self.paintRequested.connect(self.paint_pages)

    def page_count(self) -> int:
        """Pages of the PDF."""
        return self.document.pageCount()

    def page_image(self, index: int, dpi: float) -> QImage:
        """Page *index* rasterised at *dpi* (white background, as on paper)."""
        size = self.document.pagePointSize(index)
        pixels = QSize(
            max(1, round(size.width() * dpi / 72)), max(1, round(size.height() * dpi / 72))
        )
        return self.document.render(index, pixels)

    def paint_pages(self, printer: QPrinter) -> None:
        """Paint every page onto *printer* (the preview or the real printer), scaled to fit."""
        painter = QPainter()
        if not painter.begin(printer):
            return
        try:
            # Smooth scaling keeps thin grid lines visible in the small preview pages.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            for index in range(self.page_count()):
                if index:
                    printer.newPage()
                image = self.page_image(index, dpi)
                scale = min(target.width() / image.width(), target.height() / image.height())
                w, h = image.width() * scale, image.height() * scale
                painter.drawImage(
                    QRectF(target.x() + (target.width() - w) / 2, target.y(), w, h), image
                )
        finally:
            painter.end()


def open_in_system_viewer(pdf: bytes, title: str) -> Path:
    """Save *pdf* in a temporary file and open it with the PC's PDF viewer (which prints)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in title)[:60] or "form"
    folder = Path(tempfile.mkdtemp(prefix="cqms-form-"))
    path = folder / f"{safe}.pdf"
    path.write_bytes(pdf)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path


def preview_and_print(parent: QWidget | None, pdf_bytes: bytes, title: str) -> int:
    """Show the print preview of *pdf_bytes*; returns the dialog's result.

    Without QtPdf the PDF is opened in the PC's PDF viewer instead (result ``Accepted``).
    """
    if not qtpdf_available():
        open_in_system_viewer(pdf_bytes, title)
        return int(QDialog.DialogCode.Accepted)
    dialog = PdfPrintPreviewDialog(pdf_bytes, title, parent)
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()


class FormOptionsDialog(QDialog):
    """Asks for the form's language (the customer's preselected) and, to save, PDF or Excel."""

    def __init__(
        self, parent: QWidget | None, *, title: str, language: str, ask_format: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox(self)
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        form.addRow(QCoreApplication.translate("PrintPreview", "Form language:"), self.language)
        self.format = QComboBox(self)
        self.format.addItem(QCoreApplication.translate("PrintPreview", "PDF document"), "pdf")
        self.format.addItem(QCoreApplication.translate("PrintPreview", "Excel workbook"), "xlsx")
        if ask_format:
            form.addRow(QCoreApplication.translate("PrintPreview", "Save as:"), self.format)
        else:
            self.format.hide()
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_window(self, "form_options")

    def chosen_language(self) -> str:
        """The language code picked."""
        return str(self.language.currentData())

    def chosen_format(self) -> str:
        """``pdf`` or ``xlsx``."""
        return str(self.format.currentData())


def _form_title(kind: str, number: str | None) -> str:
    name = tr(FORM_NAMES.get(kind, kind))
    return f"{name} {number}" if number else name


def _busy(work: Callable[[], object]) -> object:
    """Run *work* behind a wait cursor."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work()
    finally:
        QGuiApplication.restoreOverrideCursor()


def _ask(
    parent: QWidget | None, kind: str, number: str | None, ask_format: bool
) -> tuple[str, str] | None:
    """Ask for ``(language, format)``, the customer's language preselected; None if cancelled."""
    from ..exports import forms  # lazy: reportlab and openpyxl only when a form is made

    language = forms.default_language(kind=kind, number=number)
    dialog = FormOptionsDialog(
        parent, title=_form_title(kind, number), language=language, ask_format=ask_format
    )
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen_language(), dialog.chosen_format()
    finally:
        dialog.deleteLater()


def preview_form(
    parent: QWidget | None,
    *,
    kind: str,
    number: str | None,
    lang: str | None = None,
    blank: bool = False,
) -> bool:
    """Render a form (asking for the language unless *lang* is given) and preview it.

    Returns False if the user cancelled. Raises :class:`CqmsError` (unknown record…) for the
    caller to show.
    """
    from ..exports import forms

    if lang is None:
        options = _ask(parent, kind, None if blank else number, ask_format=False)
        if options is None:
            return False
        lang = options[0]
    pdf = _busy(
        lambda: forms.render_form(kind=kind, number=number, fmt="pdf", lang=lang, blank=blank)
    )
    preview_and_print(parent, pdf, _form_title(kind, None if blank else number))
    return True


def print_form(parent: QWidget | None, kind: str, number: str) -> bool:
    """Preview and print one record's form; errors are shown to the user."""
    try:
        return preview_form(parent, kind=kind, number=number)
    except CqmsError as exc:
        open_error(parent, exc)
        return False


def print_blank_form(parent: QWidget | None, kind: str) -> bool:
    """Preview and print the blank form of *kind*, for filling in by hand."""
    try:
        return preview_form(parent, kind=kind, number=None, blank=True)
    except CqmsError as exc:
        open_error(parent, exc)
        return False


def ask_form_path(
    parent: QWidget | None, *, kind: str, number: str, lang: str, fmt: str
) -> Path | None:
    """Ask where to save the *fmt* (``pdf``/``xlsx``) file of a form; None if cancelled.

    The suggested name is ``<number>-<lang>.<fmt>`` (``<number>-8D-<lang>.<fmt>`` for the 8D
    report, so it does not overwrite the complaint form); the extension is added when the
    user left it off.
    """
    filters = (
        QCoreApplication.translate("PrintPreview", "PDF document (*.pdf)")
        if fmt == "pdf"
        else QCoreApplication.translate("PrintPreview", "Excel workbook (*.xlsx)")
    )
    from .export_actions import remember_export_folder, suggested_path

    name, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("PrintPreview", "Save the form"),
        # In the last export folder (else Documents), never the working folder.
        suggested_path(f"{number}{'-8D' if kind == '8d' else ''}-{lang}.{fmt}"),
        filters,
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != f".{fmt}":
        path = path.with_name(f"{path.name}.{fmt}")
    remember_export_folder(path)
    return path


#: The last "form saved" message (not modal: kept alive here; tests look at it).
saved_message: QMessageBox | None = None


def confirm_saved(parent: QWidget | None, path: Path | None) -> Path | None:
    """After a form was saved at *path*: say so and offer "Open the file" / "Open the
    folder" (not modal). Returns *path*; ``None`` (nothing saved) shows nothing."""
    global saved_message
    if path is None:
        return None
    from .export_actions import offer_to_open

    saved_message = offer_to_open(
        parent,
        path,
        QCoreApplication.translate("PrintPreview", "The form was saved as {name}.").format(
            name=path.name
        ),
        QCoreApplication.translate("PrintPreview", "Form saved"),
    )
    return path


def save_form_as(parent: QWidget | None, kind: str, number: str) -> Path | None:
    """Ask for language and format, then where to save; write the form. Returns the path."""
    from ..exports import forms

    try:
        options = _ask(parent, kind, number, ask_format=True)
        if options is None:
            return None
        lang, fmt = options
        path = ask_form_path(parent, kind=kind, number=number, lang=lang, fmt=fmt)
        if path is None:
            return None
        saved = _busy(
            lambda: forms.export_form(kind=kind, number=number, fmt=fmt, lang=lang, output=path)
        )
        return confirm_saved(parent, cast(Path, saved))
    except CqmsError as exc:
        open_error(parent, exc)
        return None


class FormActions(QWidget):
    """ "Print…" and "Save as…" buttons for the form of the record an editor shows."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.number: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.print_button = QPushButton(QCoreApplication.translate("PrintPreview", "&Print…"), self)
        self.print_button.setToolTip(
            QCoreApplication.translate(
                "PrintPreview", "Preview and print the form in the customer's language"
            )
        )
        self.save_button = QPushButton(
            QCoreApplication.translate("PrintPreview", "Save &as…"), self
        )
        self.save_button.setToolTip(
            QCoreApplication.translate("PrintPreview", "Save the form as PDF or Excel")
        )
        layout.addWidget(self.print_button)
        layout.addWidget(self.save_button)
        self.print_button.clicked.connect(self.print_record)
        self.save_button.clicked.connect(self.save_record)
        self.set_number(None)

    def set_number(self, number: str | None) -> None:
        """The record whose form the buttons print (None: not saved yet, buttons disabled)."""
        self.number = number
        for button in (self.print_button, self.save_button):
            button.setEnabled(bool(number))

    def print_record(self) -> bool:
        """Preview and print the record's form."""
        return bool(self.number) and print_form(self.window(), self.kind, self.number)

    def save_record(self) -> Path | None:
        """Save the record's form as PDF or Excel."""
        if not self.number:
            return None
        return save_form_as(self.window(), self.kind, self.number)
