"""A date a clerk can type or pick for the lists' filter bar, and empty when not in use.

``QDateEdit`` cannot be empty: the filter bar used to show 1 January 2000 as "Any", the
calendar opened there, typing ``2026-07-01`` produced "Any20260701", and a date could only be
removed through the calendar. :class:`DateFilterEdit` is a line edit instead:

* typed dates are read as ``2026-07-01``, ``2026/7/1``, ``2026.7.1``, ``20260701`` or
  ``2026年7月1日`` (:func:`parse_typed_date`) and shown back as ``2026-07-01``;
* text that is no date is kept as typed, marked and explained in the tooltip, and filters
  nothing (the user's keystrokes are not thrown away);
* the clear button empties it with one click;
* the calendar button opens a calendar on the chosen date, else on today (the program's
  clock, :mod:`.qt_clock`).
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QToolButton, QWidget

from .qt_clock import today_qdate

# A complete date typed with separators, without, or in Chinese notation.
_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
)
# The date is applied this long after the last key press if it is complete and valid.
TYPING_PAUSE_MS = 600


def parse_typed_date(text: str) -> date | None:
    """The date *text* stands for; ``None`` for an empty text.

    Raises :class:`ValueError` for text that is not a date of the calendar (``2026-02-30``,
    ``2026-7``, ``tomorrow``).
    """
    text = text.strip()
    if not text:
        return None
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)  # ValueError for 30 February, month 13…
    raise ValueError(text)


class DateFilterEdit(QWidget):
    """An optional date: type it, pick it from a calendar, or clear it with one click."""

    # The date in force changed (typed and confirmed, picked or cleared).
    dateChanged = QtSignal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: date | None = None
        self._valid = True
        self._setting_text = False  # the text is being set by the program, not typed
        self._placeholder = placeholder
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        # Room for "2026-07-01" plus the clear button, not more: the bar is crowded.
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("2026-07-01") + 40)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("2026-07-01") + 70)
        self.edit.editingFinished.connect(self.commit)
        self.edit.textChanged.connect(self._text_changed)
        self.pick_button = QToolButton(self)
        self.pick_button.setText("▾")
        self.pick_button.setToolTip(self.tr("Choose the date on a calendar"))
        self.pick_button.clicked.connect(self.open_calendar)
        row.addWidget(self.edit)
        row.addWidget(self.pick_button)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._commit_if_complete)
        self.calendar: QCalendarWidget | None = None
        self._show_validity()

    # ------------------------------------------------------------------ value
    def value(self) -> date | None:
        """The date in force (``None``: no date, or what was typed is not a date)."""
        return self._value

    def is_valid(self) -> bool:
        """False while the text is not a date (it is kept, marked and filters nothing)."""
        return self._valid

    def set_value(self, value: date | None) -> None:
        """Show *value* (``None``: empty) without emitting :attr:`dateChanged`."""
        self._pause.stop()
        self._value = value
        self._valid = True
        self._show_text(value.isoformat() if value else "")
        self._show_validity()

    def clear(self) -> None:
        """Empty the date (emits :attr:`dateChanged` if one was in force)."""
        self.edit.clear()
        self.commit()

    def commit(self) -> None:
        """Read the text: a date is shown as yyyy-MM-dd and applied; other text is marked."""
        self._pause.stop()
        try:
            value = parse_typed_date(self.edit.text())
        except ValueError:
            self._valid = False
            value = None
        else:
            self._valid = True
            if value is not None and self.edit.text() != value.isoformat():
                self._show_text(value.isoformat())
        self._show_validity()
        self._apply(value)

    def _apply(self, value: date | None) -> None:
        if value != self._value:
            self._value = value
            self.dateChanged.emit()

    def _show_text(self, text: str) -> None:
        # Not with blocked signals: the line edit's clear button follows textChanged.
        self._setting_text = True
        try:
            self.edit.setText(text)
        finally:
            self._setting_text = False

    def _text_changed(self, text: str) -> None:
        if self._setting_text:
            return
        if not text.strip():
            # The clear button (or everything deleted): the filter goes at once.
            self.commit()
            return
        self._pause.start()

    def _commit_if_complete(self) -> None:
        """After a pause in typing: apply a complete date; half-typed text waits for Enter."""
        try:
            parse_typed_date(self.edit.text())
        except ValueError:
            return
        self.commit()

    def _show_validity(self) -> None:
        if self._valid:
            self.edit.setStyleSheet("")
            self.edit.setToolTip(
                self.tr(
                    "{what}: type a date (2026-07-01, 2026/7/1 or 20260701) or choose one"
                ).format(what=self._placeholder)
            )
        else:
            self.edit.setStyleSheet("QLineEdit { border: 2px solid #c62828; }")
            self.edit.setToolTip(
                self.tr(
                    "“{text}” is not a date. Type e.g. 2026-07-01, 2026/7/1 or 20260701."
                ).format(text=self.edit.text().strip())
            )

    # ------------------------------------------------------------------ calendar
    def open_calendar(self) -> QCalendarWidget:
        """Show a calendar below the field on the chosen date, else on today."""
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setGridVisible(True)
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
        shown = QDate(self._value) if self._value else today_qdate()
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year(), shown.month())
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)
        return self.calendar

    def _picked(self, day: QDate) -> None:
        if self.calendar is not None:
            self.calendar.hide()
        picked: date = day.toPython()  # type: ignore[assignment]
        before = self._value
        self.set_value(picked)
        if picked != before:
            self.dateChanged.emit()
