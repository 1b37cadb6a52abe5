"""Administration: the company calendar that working-day deadlines are counted on.

A year's list of the days that differ from an ordinary week: public holidays and the
company's closing days (closed), make-up working days (调休) and extra working days (working).
The administrator loads a year's public schedule with one button, adds or removes single days
with a note, or imports a CSV / xlsx file; every change recomputes the deadlines of the
complaints not yet handled (``services.calendar``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import clock
from ...domain.company_calendar import DayKind, DaySource
from ...services import calendar
from ...services.base import Actor
from ..operations import CollectionOp, LatestOnly, QueryOp
from ..window_fit import fit_window
from .forms import RecordDialog


@dataclass(frozen=True, slots=True)
class DayRow:
    """One calendar entry as the page shows it (read on the database worker)."""

    day: date
    kind: str
    source: str
    note: str


def _enum_label(label: str) -> str:
    return QCoreApplication.translate("Enums", label)


class CalendarDayDialog(RecordDialog):
    """Add one of the company's own days: date, closed or working, note."""

    def __init__(self, actor: Actor, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle(self.tr("Add a calendar day"))
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = clock.today()
        start = today if today.year == year else date(year, 1, 1)
        self.day.setDate(QDate(start.year, start.month, start.day))
        self.kind = QComboBox(self)
        for kind in DayKind:
            self.kind.addItem(_enum_label(kind.label), kind.value)
        self.note = QLineEdit(self)
        self.note.setMaxLength(calendar.NOTE_LENGTH)
        self.note.setPlaceholderText(self.tr("e.g. annual maintenance shutdown"))
        self.fields.add("day", self.tr("Date"), self.day)
        self.fields.add("day_kind", self.tr("Kind of day"), self.kind)
        self.fields.add("note", self.tr("Note"), self.note)
        fit_window(self, "calendar_dialog", 420, 0)

    def save(self) -> object:
        """Enter the day (the service checks it and recomputes the deadlines)."""
        picked = self.day.date()
        return calendar.add_day(
            self.actor,
            day=date(picked.year(), picked.month(), picked.day()),
            kind=self.kind.currentData(),
            note=self.note.text(),
        )


class CalendarPage(QWidget):
    """A year of the company calendar, with add, remove, load and import."""

    COLUMNS = 5

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.rows: list[DayRow] = []
        self._reads = LatestOnly()
        self.dialog: CalendarDayDialog | None = None

        self.year = QSpinBox(self)
        self.year.setRange(calendar.MIN_YEAR, calendar.MAX_YEAR)
        self.year.setValue(clock.today().year)
        self.year.valueChanged.connect(lambda _year: self.reload())
        self.load_button = QPushButton(self.tr("Load public holidays of this year"), self)
        self.load_button.setToolTip(
            self.tr(
                "China's public holidays and make-up working days (调休) of the year; days the "
                "company entered itself are kept."
            )
        )
        self.load_button.clicked.connect(self.load_public_holidays)
        self.add_button = QPushButton(self.tr("Add day…"), self)
        self.add_button.clicked.connect(self.add_day)
        self.remove_button = QPushButton(self.tr("Remove day"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = QPushButton(self.tr("Import file…"), self)
        self.import_button.setToolTip(
            self.tr("A CSV or xlsx file with the columns date, kind (closed / working), note.")
        )
        self.import_button.clicked.connect(self.import_file)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year"), self))
        top.addWidget(self.year)
        top.addStretch(1)
        for button in (self.load_button, self.import_button, self.add_button, self.remove_button):
            top.addWidget(button)

        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Weekday"), self.tr("Kind"), self.tr("From"), self.tr("Note")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(self.COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        self.reload()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        """Read the shown year's days on the database worker."""
        year = self.year.value()

        def read() -> list[DayRow]:
            return [DayRow(r.day, r.kind, r.source, r.name) for r in calendar.calendar_days(year)]

        QueryOp(self, read, self._show).latest_of(self._reads).run_in_background()

    def _show(self, rows: list[DayRow]) -> None:
        self.rows = rows
        weekdays = [
            self.tr("Monday"),
            self.tr("Tuesday"),
            self.tr("Wednesday"),
            self.tr("Thursday"),
            self.tr("Friday"),
            self.tr("Saturday"),
            self.tr("Sunday"),
        ]
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            kind = DayKind(row.kind)
            cells = [
                row.day.isoformat(),
                weekdays[row.day.weekday()],
                _enum_label(kind.label),
                _enum_label(DaySource(row.source).label),
                row.note,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if kind == DayKind.WORKING:
                    # Colour is never the only sign: the kind column says it in words.
                    item.setForeground(Qt.GlobalColor.darkBlue)
                self.table.setItem(index, column, item)
        closed = sum(r.kind == DayKind.CLOSED for r in rows)
        self.summary.setText(
            self.tr("{year}: {closed} closed days, {working} working days on a weekend.").format(
                year=self.year.value(), closed=closed, working=len(rows) - closed
            )
        )
        self.remove_button.setEnabled(bool(rows))

    def selected_day(self) -> date | None:
        """The day of the selected row, if any."""
        index = self.table.currentRow()
        return self.rows[index].day if 0 <= index < len(self.rows) else None

    def on_changed(self, kinds: frozenset[str]) -> None:
        """The calendar may have changed elsewhere: read it again."""
        if "settings" in kinds or "*" in kinds:
            self.reload()

    # ------------------------------------------------------------------ changing
    def _done(self, change: calendar.CalendarChange) -> None:
        self.status.setText(
            self.tr(
                "{added} added, {changed} changed, {removed} removed; the deadlines of {moved} "
                "complaints not yet handled were recomputed."
            ).format(
                added=len(change.added),
                changed=len(change.changed),
                removed=len(change.removed),
                moved=change.deadlines_moved,
            )
        )
        self.reload()

    def add_day(self) -> CalendarDayDialog:
        """Open the dialog that adds a day; the list reloads when it is saved."""
        self.dialog = CalendarDayDialog(self.actor, self.year.value(), self)
        self.dialog.saved.connect(lambda _row: self.reload())
        self.dialog.open()
        return self.dialog

    def remove_selected(self, *, confirm: bool = True) -> None:
        """Remove the selected day after asking."""
        day = self.selected_day()
        if day is None:
            self.status.setText(self.tr("Select the day to remove first."))
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Remove day"),
                self.tr("Remove {day} from the company calendar?").format(day=day.isoformat()),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        op = CollectionOp(self, lambda: calendar.remove_day(self.actor, day=day))
        op.success(self._done).with_busy_cursor().run_in_background()

    def load_public_holidays(self) -> None:
        """Load (or refresh) the public holidays of the shown year."""
        year = self.year.value()

        def loaded(change: calendar.CalendarChange) -> None:
            self._done(change)
            if change.kept:
                self.status.setText(
                    self.status.text()
                    + " "
                    + self.tr("Kept as the company entered them: {days}.").format(
                        days=", ".join(d.isoformat() for d in change.kept)
                    )
                )
            if not change.working_days_loaded:
                self.status.setText(
                    self.status.text()
                    + " "
                    + self.tr(
                        "The schedule has no make-up working days for {year} yet: add them "
                        "when the State Council's notice is out."
                    ).format(year=year)
                )

        op = CollectionOp(self, lambda: calendar.load_public_holidays(self.actor, year=year))
        op.success(loaded).with_busy_cursor().run_in_background()

    def import_file(self, path: str | None = None) -> None:
        """Import the days of a CSV or xlsx file (asks for the file when *path* is None)."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self,
                self.tr("Import calendar days"),
                "",
                self.tr("Calendar files (*.csv *.xlsx)"),
            )
            if not path:
                return
        chosen = Path(path)

        def run() -> calendar.CalendarChange:
            return calendar.import_days(self.actor, calendar.read_days_file(chosen))

        CollectionOp(self, run).success(self._done).with_busy_cursor().run_in_background()
