"""Print several records at once, save them as one PDF, or print blank forms.

"Print selected…" in a list opens :class:`BatchPrintDialog` for the selected rows: choose the
form (a complaint can be printed on the company's Complaint Handling Form or as an 8D report)
and the language (each record in its own customer's language, or one language for all).
The forms are laid out in the background (:mod:`.jobs`, progress and Cancel) into one PDF
(:func:`cqms_desktop.exports.batch_pdf.render_records`), which then goes through Qt's print
preview (:func:`.print_preview.preview_and_print`) or is saved. "Blank form…" previews the
empty form for filling in by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from .error_handling import open_error
from .jobs import Job, start_job
from .print_preview import FORM_NAMES, LANGUAGE_NAMES, confirm_saved, preview_and_print

#: List (register) kind → the forms its records print on, the first being the usual one.
FORMS_OF_REGISTER: dict[str, tuple[str, ...]] = {
    "complaints": ("complaint", "8d"),
    "visits": ("visit",),
    "feedback": ("feedback",),
    "surveys": ("survey",),
    "service": ("service",),
}
#: Form kinds → names in the UI (the record forms' names come from the print preview).
FORM_TITLES: dict[str, str] = {
    **FORM_NAMES,
    "8d": QT_TRANSLATE_NOOP("BatchPrint", "8D report"),
}
#: How many record numbers the dialog lists before "and n more".
LISTED_NUMBERS = 8


def form_title(kind: str) -> str:
    """The form's name in the UI language."""
    text = FORM_TITLES.get(kind, kind)
    context = "PrintPreview" if kind in FORM_NAMES else "BatchPrint"
    return QCoreApplication.translate(context, text)


class BatchPrintDialog(QDialog):
    """The forms of the selected records: preview and print, or save as one PDF."""

    def __init__(
        self, register_kind: str, numbers: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.numbers = list(numbers)
        self.job: Job | None = None
        self.pdf: bytes | None = None
        self.setWindowTitle(QCoreApplication.translate("BatchPrint", "Print"))
        layout = QVBoxLayout(self)
        if self.numbers:
            listed = ", ".join(self.numbers[:LISTED_NUMBERS])
            if len(self.numbers) > LISTED_NUMBERS:
                listed += " " + QCoreApplication.translate("BatchPrint", "and {n} more").format(
                    n=len(self.numbers) - LISTED_NUMBERS
                )
            text = QCoreApplication.translate(
                "BatchPrint", "{n} records selected: {numbers}"
            ).format(n=len(self.numbers), numbers=listed)
        else:
            text = QCoreApplication.translate(
                "BatchPrint", "No record is selected: only blank forms can be printed."
            )
        self.selection_label = QLabel(text, self)
        self.selection_label.setWordWrap(True)
        layout.addWidget(self.selection_label)

        form = QFormLayout()
        self.form_kind = QComboBox(self)
        for kind in FORMS_OF_REGISTER.get(register_kind, ()):
            self.form_kind.addItem(form_title(kind), kind)
        form.addRow(QCoreApplication.translate("BatchPrint", "Form:"), self.form_kind)
        self.language = QComboBox(self)
        self.language.addItem(
            QCoreApplication.translate("BatchPrint", "Each customer's language"), None
        )
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        form.addRow(QCoreApplication.translate("BatchPrint", "Language:"), self.language)
        layout.addLayout(form)

        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton(
            QCoreApplication.translate("BatchPrint", "&Preview and print…"),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        self.save_button = buttons.addButton(
            QCoreApplication.translate("BatchPrint", "&Save as one PDF…"),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        self.blank_button = buttons.addButton(
            QCoreApplication.translate("BatchPrint", "&Blank form…"),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.print_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.blank_button.clicked.connect(self.print_blank)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._update_buttons()

    # ------------------------------------------------------------------ choices
    def chosen_form(self) -> str:
        """The form kind chosen (``complaint``, ``8d``, ``visit``…)."""
        return str(self.form_kind.currentData())

    def chosen_language(self) -> str | None:
        """The language chosen; ``None`` prints each record in its customer's language."""
        return self.language.currentData()

    def _update_buttons(self) -> None:
        busy = self.job is not None and self.job.is_running()
        has_form = self.form_kind.count() > 0
        for button in (self.print_button, self.save_button):
            button.setEnabled(has_form and bool(self.numbers) and not busy)
        self.blank_button.setEnabled(has_form and not busy)

    # ------------------------------------------------------------------ actions
    def render(self, on_done) -> Job:
        """Lay out the selected records' forms as one PDF in the background; then *on_done*."""
        from ..exports.batch_pdf import render_records

        kind, lang, numbers = self.chosen_form(), self.chosen_language(), list(self.numbers)
        self.job = start_job(
            self,
            QCoreApplication.translate("BatchPrint", "Preparing {n} forms").format(n=len(numbers)),
            lambda progress, cancelled: render_records(
                kind=kind, numbers=numbers, lang=lang, progress=progress, cancelled=cancelled
            ),
        )
        self.job.succeeded.connect(on_done)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._update_buttons)
        self._update_buttons()
        return self.job

    def _title(self) -> str:
        return f"{form_title(self.chosen_form())} ({len(self.numbers)})"

    def preview(self) -> Job:
        """Render the batch, then show it in the print preview (print from there)."""
        return self.render(self._show_preview)

    def _show_preview(self, pdf: bytes) -> None:
        self.pdf = pdf
        preview_and_print(self, pdf, self._title())

    def save_pdf(self, path: Path | None = None) -> Job | None:
        """Render the batch and save it as one PDF at *path* (asked for when ``None``)."""
        if path is None:
            from .export_actions import suggested_path

            name, _ = QFileDialog.getSaveFileName(
                self,
                QCoreApplication.translate("BatchPrint", "Save as one PDF"),
                suggested_path(f"{self.chosen_form()}-{len(self.numbers)}.pdf"),
                QCoreApplication.translate("BatchPrint", "PDF document (*.pdf)"),
            )
            if not name:
                return None
            path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(f"{path.name}.pdf")
        from .export_actions import remember_export_folder

        remember_export_folder(path)
        return self.render(lambda pdf: self._write(pdf, path))

    def _write(self, pdf: bytes, path: Path) -> None:
        self.pdf = pdf
        try:
            from ..exports.files import write_atomically

            write_atomically(path, pdf)
        except OSError as exc:
            self._failed(
                CqmsError(
                    QT_TRANSLATE_NOOP("Errors", "The form could not be saved as {path}: {reason}"),
                    path=str(path),
                    reason=exc.strerror or str(exc),
                )
            )
            return
        self.saved_path = path
        confirm_saved(self, path)  # "Open the file" / "Open the folder"

    def print_blank(self) -> bool:
        """Preview and print the chosen blank form (Chinese unless a language is chosen)."""
        from ..exports.forms import render_form

        kind, lang = self.chosen_form(), self.chosen_language() or "zh"
        try:
            pdf = render_form(kind=kind, number=None, fmt="pdf", lang=lang, blank=True)
        except CqmsError as exc:
            self._failed(exc)
            return False
        self.pdf = pdf
        preview_and_print(self, pdf, form_title(kind))
        return True

    def _failed(self, error: BaseException) -> None:
        self.error_box = open_error(self, error)


def selected_numbers(view: Any) -> list[str]:
    """The record numbers of the rows selected in a :class:`RegisterView`, in list order."""
    from .register_model import RecordIdRole

    rows = sorted({index.row() for index in view.table.selectionModel().selectedRows()})
    ids = [view.model.data(view.model.index(row, 0), RecordIdRole) for row in rows]
    ids = [i for i in ids if i is not None]
    model = view.register.model
    if not ids or "number" not in model._meta.fields:
        return []
    found = dict(model.select(model.id, model.number).where(model.id.in_(ids)).tuples())
    return [found[i] for i in ids if i in found]


def open_batch_print(view: Any) -> BatchPrintDialog:
    """Open the print dialog for the rows selected in *view* (a :class:`RegisterView`)."""
    dialog = BatchPrintDialog(view.register.kind, selected_numbers(view), view.window())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
