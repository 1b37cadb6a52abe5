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
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services.base import Actor
from .error_handling import open_error
from .jobs import Job, start_job
from .operations import QueryOp
from .print_preview import FORM_NAMES, LANGUAGE_NAMES, confirm_saved, preview_and_print
from .window_fit import fit_window

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
#: How many messages the question before a batch e-mail lists.
LISTED_MAIL = 12


def _skip_reason(line: Any) -> str:
    """Why a record of a batch e-mail is skipped, in the UI language."""
    if line.error is not None:
        return str(line.error.translated(QCoreApplication.translate))
    return str(line.skipped)


def form_title(kind: str) -> str:
    """The form's name in the UI language."""
    text = FORM_TITLES.get(kind, kind)
    context = "PrintPreview" if kind in FORM_NAMES else "BatchPrint"
    return QCoreApplication.translate(context, text)


class BatchPrintDialog(QDialog):
    """The forms of the selected records: preview and print, or save as one PDF."""

    def __init__(
        self,
        register_kind: str,
        numbers: list[str],
        parent: QWidget | None = None,
        actor: Actor | None = None,
    ) -> None:
        super().__init__(parent)
        self.numbers = list(numbers)
        self.actor = actor
        self.job: Job | None = None
        self.pdf: bytes | None = None
        #: The last batch sent by e-mail, and the questions and summary shown (kept for tests).
        self.mail_outcome: Any = None
        self.mail_box: QMessageBox | None = None
        #: Why each record of the planned batch is skipped, in the UI language.
        self._skip_reasons: dict[str, str] = {}
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
        self.mail_button = buttons.addButton(
            QCoreApplication.translate("BatchPrint", "Send by &e-mail…"),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        self.mail_button.setToolTip(
            QCoreApplication.translate(
                "BatchPrint",
                "E-mail each record's form to its customer, in the customer's language unless "
                "one is chosen; the list is shown before anything is sent.",
            )
        )
        self.mail_button.setVisible(actor is not None)
        self.blank_button = buttons.addButton(
            QCoreApplication.translate("BatchPrint", "&Blank form…"),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.print_button.clicked.connect(self.preview)
        self.mail_button.clicked.connect(self.plan_mail)
        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.blank_button.clicked.connect(self.print_blank)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._update_buttons()
        fit_window(self, "batch_print")

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
        for button in (self.print_button, self.save_button, self.mail_button):
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

    # ------------------------------------------------------------------ e-mail
    def plan_mail(self) -> None:
        """Prepare each record's message on the worker, then ask before sending them."""
        from ..exports import form_mail

        assert self.actor is not None
        actor, kind, lang, numbers = (
            self.actor,
            self.chosen_form(),
            self.chosen_language(),
            [*self.numbers],
        )
        QueryOp(
            self,
            lambda: form_mail.plan_batch(actor, kind=kind, numbers=numbers, lang=lang),
            self.confirm_mail,
        ).failure(self._failed).with_busy_cursor().run_in_background()

    def confirm_mail(self, lines: list[Any]) -> None:
        """List who gets what (and what is skipped, with why); send on "Send"."""
        ready = [line for line in lines if line.mail is not None]
        rows = []
        for line in lines[:LISTED_MAIL]:
            if line.mail is None:
                rows.append(
                    QCoreApplication.translate("BatchPrint", "{number}: skipped — {reason}").format(
                        number=line.number, reason=_skip_reason(line)
                    )
                )
            else:
                rows.append(
                    QCoreApplication.translate(
                        "BatchPrint", "{number} → {customer}: {to} ({lang})"
                    ).format(
                        number=line.number,
                        customer=line.mail.customer,
                        to=", ".join(line.mail.recipients),
                        lang=LANGUAGE_NAMES.get(line.mail.lang, line.mail.lang),
                    )
                )
        if len(lines) > LISTED_MAIL:
            rows.append(
                QCoreApplication.translate("BatchPrint", "and {n} more").format(
                    n=len(lines) - LISTED_MAIL
                )
            )
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), "", parent=self)
        box.setText(
            QCoreApplication.translate("BatchPrint", "Send {n} of {total} forms by e-mail?").format(
                n=len(ready), total=len(lines)
            )
        )
        box.setInformativeText("\n".join(rows))
        send = box.addButton(
            QCoreApplication.translate("BatchPrint", "Send"), QMessageBox.ButtonRole.AcceptRole
        )
        send.setEnabled(bool(ready))
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(lambda: self.send_mail(lines))
        self._skip_reasons = {line.number: _skip_reason(line) for line in lines if not line.mail}
        self.mail_box = box
        box.open()

    def send_mail(self, lines: list[Any]) -> Job:
        """Send the planned messages in the background (progress, Cancel between two)."""
        from ..exports import form_mail

        assert self.actor is not None
        actor = self.actor
        self.job = start_job(
            self,
            QCoreApplication.translate("BatchPrint", "Sending {n} forms").format(n=len(lines)),
            lambda progress, cancelled: form_mail.send_batch(
                actor, lines, progress=progress, cancelled=cancelled
            ),
        )
        self.job.succeeded.connect(self._mail_sent)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._update_buttons)
        self._update_buttons()
        return self.job

    def _mail_sent(self, outcome: Any) -> None:
        self.mail_outcome = outcome
        text = QCoreApplication.translate(
            "BatchPrint", "Sent: {sent}. Not sent: {failed}. Skipped: {skipped}."
        ).format(sent=len(outcome.sent), failed=len(outcome.not_sent), skipped=len(outcome.skipped))
        details = [
            QCoreApplication.translate("BatchPrint", "{number}: not sent — {reason}").format(
                number=number, reason=result.reason
            )
            for number, result in outcome.not_sent
        ] + [
            QCoreApplication.translate("BatchPrint", "{number}: skipped — {reason}").format(
                number=number, reason=self._skip_reasons.get(number, reason)
            )
            for number, reason in outcome.skipped
        ]
        icon = QMessageBox.Icon.Warning if details else QMessageBox.Icon.Information
        box = QMessageBox(icon, self.windowTitle(), text, parent=self)
        if outcome.not_sent:
            details.append(
                QCoreApplication.translate(
                    "BatchPrint",
                    "Messages not sent are kept with their records; send them again later.",
                )
            )
        box.setInformativeText("\n".join(details))
        self.mail_box = box
        box.open()

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
    dialog = BatchPrintDialog(
        view.register.kind, selected_numbers(view), view.window(), getattr(view, "actor", None)
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
