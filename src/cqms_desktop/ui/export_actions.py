"""Excel exports started from the GUI: a list as it is shown, and the management review.

Both run as background jobs (:mod:`.jobs`) with a progress dialog and Cancel, so the window
keeps painting while 100,000 rows are written; a cancelled export leaves no file (the
exporters write to a temporary file and remove it). When the file is written the user is told
how much was exported and offered to open the file or its folder.

- :func:`export_register_view` exports exactly what a :class:`RegisterView` shows: its filter,
  its sort and its visible columns in their on-screen order, with translated headers.
- :class:`ReviewExportDialog` asks for the review period (a month ``2026-11``, a quarter
  ``2026Q4`` or a year ``2026``, checked as it is typed) and optionally one customer;
  :func:`export_review_workbook` then writes the management-review workbook.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.clock import today as clock_today
from ..domain.errors import CqmsError, NotFoundError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import customer_queries
from ..services.kpis import Period, parse_period
from .customer_chooser import CustomerChooser
from .error_handling import error_box
from .jobs import Job, start_job
from .window_fit import fit_window

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QTableView

    from ..exports.review_signoff import ReviewOutcome
    from ..services.base import Actor
    from ..services.registers import Register
    from .register_model import RegisterModel


class ExportableList(Protocol):
    """What the list export needs of a list (a :class:`.register_view.RegisterView`, which is
    also the parent widget of the file dialog and the job).

    A protocol rather than an import: the list view imports this module for its export
    action, so importing the view here would close an import cycle.
    """

    register: Register
    table: QTableView
    model: RegisterModel
    export_action: QAction
    export_job: Job | None
    export_message: QWidget | None


#: QSettings key of the folder the last export went to (offered again next time).
FOLDER_KEY = "exports/folder"
#: How long the status bar shows the result of an export.
STATUS_MS = 15000


# ====================================================================== shared steps
def export_folder() -> Path:
    """The folder offered for an export: the last one used on this PC, else the user's
    documents (never the program's working folder)."""
    saved = QSettings().value(FOLDER_KEY, "", type=str)
    if saved and Path(saved).is_dir():
        return Path(saved)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def suggested_path(file_name: str) -> str:
    """Where a save dialog starts: *file_name* in :func:`export_folder` (a bare file name
    would make the dialog start in the working folder)."""
    return str(export_folder() / file_name)


def remember_export_folder(path: Path) -> None:
    """Offer *path*'s folder first in the next export dialog on this PC."""
    QSettings().setValue(FOLDER_KEY, str(path.parent))


def ask_save_path(parent: QWidget | None, title: str, file_name: str) -> Path | None:
    """Ask where to save an xlsx file (suggesting *file_name*); ``None`` if cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        suggested_path(file_name),
        QCoreApplication.translate("ExportActions", "Excel workbooks (*.xlsx)"),
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(f"{path.name}.xlsx")
    remember_export_folder(path)
    return path


def safe_file_part(text: str) -> str:
    """*text* usable in a file name on every system (no path or reserved characters)."""
    kept = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text.strip())
    return kept.strip("-")[:60] or "export"


def show_status(parent: QWidget | None, text: str) -> None:
    """Show *text* in the status bar of *parent*'s main window, if it has one."""
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, STATUS_MS)


def open_path(path: Path) -> bool:
    """Open *path* (a file or a folder) with the PC's program for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def offer_to_open(
    parent: QWidget | None, path: Path, text: str, title: str | None = None
) -> QMessageBox:
    """Tell the user *text* and offer to open the exported file or its folder (not modal)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title or QCoreApplication.translate("ExportActions", "Export finished"))
    box.setText(text)
    box.setInformativeText(str(path))
    open_file = box.addButton(
        QCoreApplication.translate("ExportActions", "Open the file"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    open_folder = box.addButton(
        QCoreApplication.translate("ExportActions", "Open the folder"),
        QMessageBox.ButtonRole.ActionRole,
    )
    box.addButton(QMessageBox.StandardButton.Close)
    open_file.setObjectName("openFile")
    open_folder.setObjectName("openFolder")
    open_file.clicked.connect(lambda: open_path(path))
    open_folder.clicked.connect(lambda: open_path(path.parent))
    box.setDefaultButton(open_file)
    box.open()
    return box


def _report_outcome(
    parent: QWidget,
    job: Job,
    path: Path,
    success_text: Callable[[Any], str],
    holder: dict[str, Any],
) -> None:
    """Wire *job*'s end to the status bar, the open-file offer or an error box."""

    def succeeded(result: Any) -> None:
        text = success_text(result)
        show_status(parent, text)
        holder["message"] = offer_to_open(parent, path, text)

    def failed(exc: BaseException) -> None:
        show_status(parent, QCoreApplication.translate("ExportActions", "The export failed."))
        box = error_box(parent, exc)
        box.open()
        holder["message"] = box

    def cancelled() -> None:
        show_status(
            parent,
            QCoreApplication.translate(
                "ExportActions", "The export was cancelled; no file was written."
            ),
        )

    job.succeeded.connect(succeeded)
    job.failed.connect(failed)
    job.cancelled_.connect(cancelled)


def cannot_write(path: Path, exc: OSError) -> ValidationError:
    """The message for a file that could not be written (often: open in Excel)."""
    return ValidationError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The file “{path}” could not be written ({reason}). If it is open in another "
            "program, close it there and export again.",
        ),
        field="output",
        path=str(path),
        reason=exc.strerror or str(exc),
    )


# ====================================================================== register lists
def shown_column_keys(view: ExportableList) -> list[str]:
    """The keys of the columns *view* shows, in their on-screen order (hidden ones left out)."""
    header = view.table.horizontalHeader()
    columns = view.model.columns()
    keys = []
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if 0 <= logical < len(columns) and not header.isSectionHidden(logical):
            keys.append(columns[logical].key)
    return keys


def export_register_view(view: ExportableList, path: Path | None = None) -> Job | None:
    """Export what *view* shows to an xlsx file the user chooses (or *path*).

    Returns the running :class:`Job` (``None`` when the user cancelled the file choice).
    The view keeps it in ``view.export_job`` and the end message in ``view.export_message``.
    """
    from ..exports.register_xlsx import export_register

    parent = cast(QWidget, view)  # a RegisterView: the protocol cannot say "is a QWidget"
    register = view.register
    title = QCoreApplication.translate("Registers", register.title)
    if path is None:
        name = f"{safe_file_part(title)}-{clock_today().isoformat()}.xlsx"
        path = ask_save_path(
            parent, QCoreApplication.translate("ExportActions", "Export the list to Excel"), name
        )
        if path is None:
            return None
    # A copy: the user may change the list's filter while the export runs.
    flt = dataclasses.replace(view.model.filter(), extra=dict(view.model.filter().extra))
    sort, descending = view.model.sortKey()
    keys = shown_column_keys(view)
    language = QLocale().name()

    def work(progress: Any, cancelled: Any) -> int:
        try:
            return export_register(
                register,
                flt,
                sort=sort,
                descending=descending,
                output=path,
                progress=progress,
                cancelled=cancelled,
                lang=language,
                translate=QCoreApplication.translate,
                columns=keys,
            )
        except OSError as exc:
            raise cannot_write(path, exc) from exc

    job = start_job(
        parent,
        QCoreApplication.translate("ExportActions", "Export to Excel"),
        work,
        label=QCoreApplication.translate("ExportActions", "Writing {name}…").format(name=path.name),
    )
    holder: dict[str, Any] = {}

    def done_text(rows: int) -> str:
        return QCoreApplication.translate("ExportActions", "{n} row(s) exported to {name}.").format(
            n=QLocale().toString(int(rows)), name=path.name
        )

    _report_outcome(parent, job, path, done_text, holder)
    # One export of a list at a time: a second one could write to the same file.
    view.export_action.setEnabled(False)

    def finished() -> None:
        view.export_message = holder.get("message")
        view.export_action.setEnabled(True)

    job.finished.connect(finished)
    view.export_job = job
    return job


# ====================================================================== management review
def last_complete_quarter(today: date | None = None) -> str:
    """The quarter before the one of *today*, as ``2026Q3`` (the usual review period)."""
    today = today or clock_today()
    index = today.year * 4 + (today.month - 1) // 3 - 1
    return f"{index // 4}Q{index % 4 + 1}"


class ReviewExportDialog(QDialog):
    """Asks for the review period and, optionally, one customer; checks the period as typed.

    For the General Manager (*can_sign_off*) it also offers to sign the review off: the
    workbook is then kept as signed, and later exports of the period re-print it.
    """

    def __init__(self, parent: QWidget | None = None, *, can_sign_off: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Management review workbook"))
        self.period_edit = QLineEdit(last_complete_quarter(), self)
        self.period_edit.setObjectName("period")
        self.period_edit.setPlaceholderText(self.tr("2026-11, 2026Q4 or 2026"))
        self.period_edit.setToolTip(
            self.tr("A month (2026-11), a quarter (2026Q4) or a year (2026).")
        )
        self.period_note = QLabel(self)
        self.period_note.setObjectName("periodNote")
        self.period_note.setWordWrap(True)
        self.customer = CustomerChooser(self)
        self.customer.setPlaceholderText(self.tr("All customers (or type a code or name)"))
        self.customer_note = QLabel(self)
        self.customer_note.setObjectName("customerNote")
        self.customer_note.setWordWrap(True)
        self.customer_note.setStyleSheet("color: #c00000;")
        self.customer_note.hide()
        self.customer.textEdited.connect(lambda _text: self.customer_note.hide())
        self.sign_off = QCheckBox(self.tr("Sign off this review as General Manager"), self)
        self.sign_off.setObjectName("signOff")
        self.sign_off.setToolTip(
            self.tr(
                "The workbook is kept exactly as signed: later exports of this period re-print "
                "it and list the figures that differ today. Only a period that has ended."
            )
        )
        self.sign_off_note = QLineEdit(self)
        self.sign_off_note.setObjectName("signOffNote")
        self.sign_off_note.setPlaceholderText(self.tr("Note, e.g. the meeting (optional)"))
        self.sign_off_note.setEnabled(False)
        self.sign_off.toggled.connect(self.sign_off_note.setEnabled)
        self.sign_off.setVisible(can_sign_off)
        self.sign_off_note.setVisible(can_sign_off)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Export…"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Period:"), self.period_edit)
        form.addRow("", self.period_note)
        form.addRow(self.tr("Customer:"), self.customer)
        form.addRow("", self.customer_note)
        if can_sign_off:
            form.addRow("", self.sign_off)
            form.addRow(self.tr("Note:"), self.sign_off_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.period_edit.textChanged.connect(self._check)
        self.period: Period | None = None
        #: The customer code chosen when the dialog was accepted (``None``: all customers).
        self.chosen_customer: str | None = None
        #: Whether the user asked to sign the review off, and the note to keep with it.
        self.chosen_sign_off = False
        self.chosen_note = ""
        self._check()
        fit_window(self, "review_export", 460, self.sizeHint().height())

    def _check(self) -> None:
        """Parse the period as it is typed: show its dates, or what is wrong with it."""
        try:
            self.period = parse_period(self.period_edit.text())
        except CqmsError as exc:
            self.period = None
            self.period_note.setText(exc.translated(QCoreApplication.translate))
            self.period_note.setStyleSheet("color: #c00000;")
        else:
            # ISO dates, as the lists show them: never ambiguous between day and month.
            self.period_note.setText(
                self.tr("From {start} to {end}").format(
                    start=self.period.start.isoformat(), end=self.period.end.isoformat()
                )
            )
            self.period_note.setStyleSheet("")
        self.ok_button.setEnabled(self.period is not None)

    def customer_code(self) -> str | None:
        """The chosen customer's code; ``None`` for all customers (an empty box).

        A code typed in full counts as chosen. Raises :class:`NotFoundError` for text that
        names no customer, so a typo never silently exports every customer.
        """
        customer_id = self.customer.customer_id()
        if customer_id is not None:
            found = customer_queries.customer_choice(customer_id)
            if found is not None:
                return found.code
        typed = self.customer.text().strip()
        if not typed:
            return None
        found = customer_queries.customer_by_code(typed)
        if found is None:
            raise NotFoundError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no customer “{value}”: choose one from the suggestions or "
                    "leave the box empty for all customers.",
                ),
                field="customer",
                value=typed,
            )
        return found.code

    def accept(self) -> None:
        """Close only with a valid period and an existing (or no) customer."""
        if self.period is None:
            return
        try:
            self.chosen_customer = self.customer_code()
        except CqmsError as exc:
            self.customer_note.setText(exc.translated(QCoreApplication.translate))
            self.customer_note.show()
            # Room for the wrapped message, keeping the width the user sees.
            needed = self.heightForWidth(self.width())
            self.resize(self.width(), max(self.height(), needed, self.sizeHint().height()))
            self.customer.setFocus()
            return
        self.chosen_sign_off = self.sign_off.isVisible() and self.sign_off.isChecked()
        self.chosen_note = self.sign_off_note.text().strip() if self.chosen_sign_off else ""
        super().accept()


def export_review_workbook(
    parent: QWidget,
    period: Period,
    customer_code: str | None = None,
    path: Path | None = None,
    *,
    sign_off_as: Actor | None = None,
    note: str = "",
) -> Job | None:
    """Write the management-review workbook of *period* where the user chooses (or *path*).

    A period signed off is re-printed as signed (and the figures that differ today are
    listed); with *sign_off_as* (the General Manager) the workbook is signed off as written.
    Returns the running :class:`Job`, or ``None`` when the user cancelled the file choice.
    The end message is kept in ``parent.review_message``.
    """
    from ..exports.review_signoff import export_or_reprint, sign_off_review_workbook
    from .i18n import choose_language

    if path is None:
        name = f"management-review-{period.code}"
        if customer_code:
            name += f"-{safe_file_part(customer_code)}"
        path = ask_save_path(
            parent,
            QCoreApplication.translate("ExportActions", "Save the management review workbook"),
            f"{name}.xlsx",
        )
        if path is None:
            return None
    language = choose_language()

    def work(progress: Any, cancelled: Any) -> ReviewOutcome:
        try:
            if sign_off_as is not None:
                return sign_off_review_workbook(
                    sign_off_as,
                    period,
                    customer_code=customer_code,
                    output=path,
                    language=language,
                    note=note,
                    progress=progress,
                    cancelled=cancelled,
                    translate=QCoreApplication.translate,
                )
            return export_or_reprint(
                period,
                customer_code=customer_code,
                output=path,
                progress=progress,
                cancelled=cancelled,
                translate=QCoreApplication.translate,
            )
        except OSError as exc:
            raise cannot_write(path, exc) from exc

    job = start_job(
        parent,
        QCoreApplication.translate("ExportActions", "Management review workbook"),
        work,
        label=QCoreApplication.translate(
            "ExportActions", "Computing the figures and writing {name}…"
        ).format(name=path.name),
    )
    holder: dict[str, Any] = {}

    def done_text(outcome: ReviewOutcome) -> str:
        return review_outcome_text(outcome, period.code, path.name)

    _report_outcome(parent, job, path, done_text, holder)
    job.finished.connect(lambda: setattr(parent, "review_message", holder.get("message")))
    return job


def review_outcome_text(outcome: ReviewOutcome, period: str, name: str) -> str:
    """What the user is told when a review workbook has been written."""
    translate = QCoreApplication.translate
    signed = outcome.signed
    if signed is None:
        return translate(
            "ExportActions", "The management review workbook for {period} was written to {name}."
        ).format(period=period, name=name)
    day = signed.signed_at.date().isoformat()
    if outcome.signed_now:
        return translate(
            "ExportActions",
            "The management review for {period} was signed off and written to {name}.",
        ).format(period=period, name=name)
    if not outcome.reprinted:
        return translate(
            "ExportActions",
            "Today's figures for {period} were written to {name}; the review {user} signed "
            "off on {day} is kept unchanged.",
        ).format(period=period, name=name, user=signed.signed_by, day=day)
    text = translate(
        "ExportActions",
        "The management review for {period}, signed off by {user} on {day}, was re-printed "
        "as signed to {name}.",
    ).format(period=period, name=name, user=signed.signed_by, day=day)
    if not outcome.changes:
        return text
    lines = [
        f"{change.code}: {_figure_text(change.signed)} → {_figure_text(change.today)}"
        for change in outcome.changes
    ]
    heading = translate("ExportActions", "{count} figures differ today (signed → today):")
    return "\n\n".join([text, heading.format(count=len(outcome.changes)), "\n".join(lines)])


def _figure_text(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return QLocale().toString(value, "f", 4)
    return str(value)
