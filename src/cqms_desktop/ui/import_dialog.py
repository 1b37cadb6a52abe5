"""File → Import from Excel…: bring the office's legacy registers into the database.

Three steps in one dialog:

1. choose what to import (customers, products, complaints, feedback) and the ``.xlsx`` file;
2. the column mapping: one combo box per field, pre-filled where the file's heading is
   recognised (the register export's own headings, English or Chinese); required fields are
   marked with ``*``;
3. **Check** reads and validates every row in the background (progress and Cancel) and shows
   the validation report — row, column, value, problem. **Import** is enabled only when no row
   has a problem; **Import the valid rows** imports the others and leaves the bad rows out.

The work is :mod:`cqms_desktop.services.importer` (one transaction; a re-import creates no
duplicates); this dialog only collects the choices and shows the results.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import CqmsError
from ..services import importer
from ..services.base import Actor
from ..services.importer.mapping import SPECS, guess_mapping
from .error_handling import open_error
from .jobs import Job, start_job
from .window_fit import fit_window

#: The validation report shows at most this many problems (the summary counts them all).
MAX_SHOWN_PROBLEMS = 2000


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class ImportDialog(QDialog):
    """Choose kind and file, map the columns, check, then import (all or the valid rows)."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle(self.tr("Import from Excel"))
        fit_window(self, "import_dialog", 820, 640)
        self.headers: list[str] = []
        self.report: importer.ImportReport | None = None
        self.job: Job | None = None
        self.combos: dict[str, QComboBox] = {}

        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.kind = QComboBox(self)
        for kind, spec in SPECS.items():
            self.kind.addItem(_translate("Registers", spec.title), kind)
        self.kind.currentIndexChanged.connect(self._rebuild_mapping)
        top.addRow(self.tr("Import:"), self.kind)
        file_row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(self.tr("Choose an Excel workbook (.xlsx)…"))
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.clicked.connect(self.browse)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse_button)
        top.addRow(self.tr("File:"), file_row)
        layout.addLayout(top)

        self.mapping_box = QGroupBox(self.tr("Columns: which column of the file fills which field"))
        box_layout = QVBoxLayout(self.mapping_box)
        self.mapping_area = QScrollArea(self.mapping_box)
        self.mapping_area.setWidgetResizable(True)
        box_layout.addWidget(self.mapping_area)
        layout.addWidget(self.mapping_box, 3)

        self.summary = QLabel(self.tr("Choose a file, check it, then import."), self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Problem")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 2)

        buttons = QDialogButtonBox(self)
        self.check_button = buttons.addButton(
            self.tr("&Check"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button = buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.valid_button = buttons.addButton(
            self.tr("Import the &valid rows"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.setToolTip(self.tr("Enabled when the check found no problem"))
        self.valid_button.setToolTip(
            self.tr("Import the rows without problems; the rows listed above are left out")
        )
        # The buttons are wired by hand: accepting the dialog must wait for the import.
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(lambda: self.run_import(valid_only=False))
        self.valid_button.clicked.connect(lambda: self.run_import(valid_only=True))
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._rebuild_mapping()

    # ------------------------------------------------------------------ choices
    def current_kind(self) -> str:
        """The import kind chosen."""
        return str(self.kind.currentData())

    def set_kind(self, kind: str) -> None:
        """Choose what to import (``customers``, ``products``, ``complaints``, ``feedback``)."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))

    def browse(self) -> None:
        """Ask for the workbook to import."""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import from Excel"), "", self.tr("Excel workbook (*.xlsx)")
        )
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> bool:
        """Use *path*: read its headings and pre-fill the mapping. False if it cannot be read."""
        self.path.setText(str(path))
        try:
            self.headers = importer.read_headers(path)
        except CqmsError as exc:
            self.headers = []
            self._rebuild_mapping()
            self._show_error(exc)
            return False
        self._rebuild_mapping()
        return True

    def mapping(self) -> dict[str, str]:
        """The chosen {field: heading}; fields left "not imported" are absent."""
        return {
            key: combo.currentData() for key, combo in self.combos.items() if combo.currentData()
        }

    def set_mapping(self, mapping: dict[str, str]) -> None:
        """Choose the heading of each field in *mapping* (the others: not imported)."""
        for key, combo in self.combos.items():
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(key, ""))))

    def _rebuild_mapping(self) -> None:
        """One combo box per field of the chosen kind, pre-filled from the headings."""
        kind = self.current_kind()
        guessed = guess_mapping(kind, self.headers) if self.headers else {}
        page = QWidget(self.mapping_area)
        form = QFormLayout(page)
        self.combos = {}
        for target in SPECS[kind].fields:
            combo = QComboBox(page)
            combo.addItem(self.tr("(not imported)"), "")
            for header in self.headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(guessed.get(target.key, ""))))
            combo.currentIndexChanged.connect(self._invalidate)
            label = _translate("Columns", target.label)
            if target.required or target.key in ("customer", "customer_code"):
                label += " *"
            form.addRow(label, combo)
            self.combos[target.key] = combo
        note = QLabel(
            self.tr("* needed: every row must have it (a customer by code or by name)."), page
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.mapping_area.setWidget(page)
        self._invalidate()

    def _invalidate(self) -> None:
        """The choices changed: the last check no longer applies."""
        self.report = None
        self.table.setRowCount(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job is not None and self.job.is_running()
        report = self.report
        has_file = bool(self.headers)
        self.check_button.setEnabled(has_file and not busy)
        self.import_button.setEnabled(
            not busy and report is not None and report.ok and report.new > 0
        )
        self.valid_button.setEnabled(
            not busy and report is not None and not report.ok and report.new > 0
        )
        for widget in (self.kind, self.browse_button, self.mapping_box):
            widget.setEnabled(not busy)

    # ------------------------------------------------------------------ check / import
    def check(self) -> Job | None:
        """Validate the file in the background and show the report."""
        if not self.headers:
            return None
        kind, path, mapping = self.current_kind(), Path(self.path.text()), self.mapping()
        self.summary.setText(self.tr("Checking…"))
        return self._start(
            self.tr("Checking the file"),
            lambda progress, cancelled: importer.check_file(
                kind, path, mapping=mapping, progress=progress, cancelled=cancelled
            ),
        )

    def run_import(self, *, valid_only: bool) -> Job | None:
        """Import the checked file (all rows, or the valid ones) in the background."""
        if self.report is None:
            return None
        kind, path, mapping = self.current_kind(), Path(self.path.text()), self.mapping()
        actor = self.actor
        self.summary.setText(self.tr("Importing…"))
        return self._start(
            self.tr("Importing"),
            lambda progress, cancelled: importer.import_file(
                actor,
                kind=kind,
                path=path,
                mapping=mapping,
                valid_only=valid_only,
                progress=progress,
                cancelled=cancelled,
            ),
        )

    def _start(self, title: str, fn) -> Job:
        self.table.setRowCount(0)
        self.job = start_job(self, title, fn)
        self.job.succeeded.connect(self._finished)
        self.job.failed.connect(self._failed)
        self.job.cancelled_.connect(self._cancelled)
        self.job.finished.connect(self._update_buttons)
        self._update_buttons()
        return self.job

    def _finished(self, report: importer.ImportReport) -> None:
        self.show_report(report)
        if report.done:
            # Imported: checking again would only find every row already there.
            self.report = None

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, importer.ImportRefused):
            self.show_report(error.report)
        self.summary.setText(
            error.translated(_translate) if isinstance(error, CqmsError) else str(error)
        )
        if isinstance(error, CqmsError) and not isinstance(error, importer.ImportRefused):
            self._show_error(error)

    def _cancelled(self) -> None:
        self.summary.setText(self.tr("Cancelled: nothing was imported."))

    def show_report(self, report: importer.ImportReport) -> None:
        """Fill the summary and the problem table from *report*."""
        self.report = report
        text = report.summary(_translate)
        shown = report.problems[:MAX_SHOWN_PROBLEMS]
        if len(report.problems) > len(shown):
            text += " " + self.tr("The first {n} problems are listed.").format(n=len(shown))
        self.summary.setText(text)
        self.table.setRowCount(len(shown))
        for row, values in enumerate(importer.iter_problem_rows(report, _translate)):
            if row >= len(shown):
                break
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 0:
                    item.setData(Qt.ItemDataRole.DisplayRole, int(value))
                self.table.setItem(row, column, item)
        self._update_buttons()

    def _show_error(self, exc: CqmsError) -> None:
        self.error_box = open_error(self, exc)


def open_import_dialog(parent: QWidget | None, actor: Actor) -> ImportDialog:
    """Show the import dialog (non-blocking) and return it."""
    dialog = ImportDialog(actor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
