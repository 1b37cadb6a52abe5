"""Pieces shared by the customer-service editors (visits, feedback, surveys, service records).

* :class:`CsEditor` — the dialog frame on :class:`~.record_editor.RecordEditor` (state, the one
  save runner, the unsaved-changes guard, drafts): a form whose fields show the service's error
  next to them (:class:`~cqms_desktop.ui.field_form.FieldForm`), Save / Print / Save as /
  Close, and the record's audit history (:class:`~cqms_desktop.ui.history_view.HistoryView`);
* :class:`OptionalDate` — a date that may be left empty;
* :class:`RoutingPanel` — the circulation (传阅) of a visit or a feedback: the departments
  addressed (ticked by Sales), who acknowledged when, each department's handling, the overdue
  flag, and the acknowledge / record-handling buttons for the user's own department.

The printed forms are made by :mod:`cqms_desktop.exports.forms` and previewed, printed and
saved by :mod:`cqms_desktop.ui.print_preview`; both are imported only when a button needs them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.clock import to_local
from ...domain.clock import today as clock_today
from ...domain.enums import Department
from ...domain.errors import CqmsError
from ...services import circulation, history_queries
from ...services.base import Actor
from ...services.record_types import AuditLog
from ..error_handling import error_box
from ..field_form import FieldForm
from ..history_view import HistoryView
from ..i18n import enum_text
from ..operations import call_and_wait
from .record_editor import RecordEditor

#: Background of an overdue (unacknowledged too long) routing line.
OVERDUE_COLOUR = QColor("#f8d7da")

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    """Translate in the context shared by the customer-service editors."""
    return QCoreApplication.translate("CustomerService", text)


def enum_label(enum_value: Any) -> str:
    """The translated label of an enumeration member."""
    return enum_text(enum_value.label)


def local_text(utc: Any) -> str:
    """A stored UTC time as local ``YYYY-MM-DD HH:MM`` ('' when empty)."""
    if utc is None:
        return ""
    return to_local(utc).strftime("%Y-%m-%d %H:%M")


def text_box(parent: QWidget, text: str = "", height: int = 70) -> QPlainTextEdit:
    """A multi-line text field that Tab leaves (as users of forms expect)."""
    box = QPlainTextEdit(text, parent)
    box.setMaximumHeight(height)
    box.setTabChangesFocus(True)
    return box


def to_qdate(day: date) -> QDate:
    """A Python date as a ``QDate``."""
    return QDate(day.year, day.month, day.day)


def from_qdate(qdate: QDate) -> date:
    """A ``QDate`` as a Python date."""
    return date(qdate.year(), qdate.month(), qdate.day())


def date_edit(parent: QWidget, day: date | None = None) -> QDateEdit:
    """A date field with a calendar, showing ISO dates."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(to_qdate(day or clock_today()))
    return edit


class OptionalDate(QWidget):
    """A date that may be empty: a tick box switches the date field on."""

    def __init__(self, label: str, day: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label, self)
        self.edit = date_edit(self, day)
        self.check.setChecked(day is not None)
        self.edit.setEnabled(day is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)

    def value(self) -> date | None:
        """The date, or ``None`` when not ticked."""
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, day: date | None) -> None:
        """Tick and set *day*, or untick for ``None``."""
        self.check.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(to_qdate(day))

    # The input protocol of .input_state (dirty tracking and drafts).
    def input_value(self) -> str | None:
        """The date as ISO text, ``None`` when not ticked."""
        day = self.value()
        return None if day is None else day.isoformat()

    def set_input_value(self, value: str | None) -> None:
        """Show an :meth:`input_value`."""
        self.set_value(None if value is None else date.fromisoformat(value))

    def input_signals(self) -> list[Any]:
        """Emitted when the user ticks or changes the date."""
        return [self.check.toggled, self.edit.dateChanged]


class CsEditor(RecordEditor):
    """The frame of one customer-service record's editor: a :class:`RecordEditor` whose
    refusals show under their field (:class:`FieldForm`)."""

    #: The form kind for :func:`cqms_desktop.exports.forms.render_form` (``visit`` …).
    form_kind = ""
    #: The audit table name of the record (for the history view).
    table_name = ""
    #: The circulation kind (``visit`` / ``feedback``) whose routing history is shown too.
    routing_kind = ""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(actor, parent)
        self.record: Any = None
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Fields wrap to the dialog's width; only vertical scrolling.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget(scroll)
        self.body_layout = QVBoxLayout(self.body)
        form = QFormLayout()
        self.body_layout.addLayout(form)
        self.fields = FieldForm(self, form)
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Print…"), self
        )
        self.export_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Save as PDF / Excel…"), self
        )
        self.save_button = QPushButton(QCoreApplication.translate("CustomerService", "Save"), self)
        self.save_button.setDefault(True)
        self.close_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Close"), self
        )
        self.mail_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Send by e-mail…"), self
        )
        self.mail_button.clicked.connect(self.send_form_by_mail)
        self.print_button.clicked.connect(self.print_preview)
        self.export_button.clicked.connect(self.export_form)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.blank_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Blank form…"), self
        )
        self.blank_button.clicked.connect(self.print_blank)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.mail_button)
        buttons.addWidget(self.blank_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)
        self.history: HistoryView | None = None

    # -------------------------------------------------------------- the frame's hooks
    def heading_row(self) -> QWidget:
        """The record number with its status beside it (``self.number``, ``self.status``)."""
        head = QWidget(self)
        row = QHBoxLayout(head)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.number)
        row.addSpacing(24)
        row.addWidget(self.status)
        row.addStretch(1)
        return head

    def start(self, record: Any) -> None:
        """Show *record* (``None``: the new-record form) and take it as unchanged; the last
        step of a subclass's constructor."""
        self.record = record
        self.record_id = None if record is None else record.id
        self.reload()

    def loaded_version(self) -> int:
        """The version of the record shown."""
        return 0 if self.record is None else int(self.record.version)

    def remember_saved(self, result: Any) -> bool:
        """The saved record is the one shown from now on."""
        if result is None:
            return False
        self.record = result
        self.record_id = result.id
        return True

    def show_error(self, exc: CqmsError) -> None:
        """Under the field the refusal names, else in a message box."""
        self.fields.show_error(exc)

    def clear_errors(self) -> None:
        """Hide every field's error."""
        self.fields.clear_errors()

    def update_buttons(self) -> None:
        """Printing needs a saved record (a number)."""
        saved = self.record is not None
        self.print_button.setEnabled(saved)
        self.export_button.setEnabled(saved)
        self.mail_button.setEnabled(saved)

    # -------------------------------------------------------------- history
    def add_history(self) -> None:
        """Show (or refresh) the record's audit history below the form."""
        if self.record is None:
            return
        if self.history is None:
            box = QGroupBox(QCoreApplication.translate("CustomerService", "History"), self.body)
            layout = QVBoxLayout(box)
            self.history = HistoryView(box)
            self.history.setMinimumHeight(150)
            layout.addWidget(self.history)
            # Above the editor's closing stretch, if it has one, so the history stays in view.
            last = self.body_layout.count() - 1
            has_stretch = last >= 0 and self.body_layout.itemAt(last).spacerItem() is not None
            self.body_layout.insertWidget(last if has_stretch else last + 1, box)
            box.show()  # added after the dialog was shown: not shown by the layout until idle
        self.history.set_rows(self.history_rows())

    def history_rows(self) -> list[AuditLog]:
        """The audit rows shown: the record's own, plus its circulation rows (if routed)."""
        return history_queries.history_with_routing(
            self.table_name, self.record.id, self.routing_kind
        )

    # -------------------------------------------------------------- forms
    def print_preview(self) -> bool:
        """Preview and print the record's form in the language the user picks."""
        if self.record is None:
            return False
        from .. import print_preview  # lazy: QtPrintSupport / QtPdf only when printing

        return print_preview.print_form(self, self.form_kind, self.record.number)

    def export_form(self) -> Path | None:
        """Save the record's form as PDF or Excel (language and format asked)."""
        if self.record is None:
            return None
        from .. import print_preview

        return print_preview.save_form_as(self, self.form_kind, self.record.number)

    def send_form_by_mail(self) -> None:
        """E-mail the record's form to its customer, after a preview."""
        if self.record is None:
            return
        from ..send_mail_dialog import send_by_mail

        self.mail_dialog = send_by_mail(
            self, self.actor, kind=self.form_kind, number=self.record.number
        )

    def print_blank(self) -> bool:
        """Preview and print a blank form for filling in by hand."""
        from .. import print_preview

        return print_preview.print_blank_form(self, self.form_kind)

    # -------------------------------------------------------------- messages
    def _box(self, exc: CqmsError) -> None:
        self.message_box = error_box(self, exc)
        self.message_box.open()

    def _info(self, text: str) -> None:
        self.message_box = QMessageBox(
            QMessageBox.Icon.Information,
            self.windowTitle(),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        self.message_box.open()


class RoutingPanel(QGroupBox):
    """The circulation of one visit or feedback, with the user's acknowledge buttons."""

    #: Emitted after the user acknowledged or recorded handling (the record changed).
    changed = Signal()

    def __init__(
        self,
        record_kind: str,
        actor: Actor,
        can_route: bool,
        parent: QWidget | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(
            title
            or QCoreApplication.translate("CustomerService", "Circulation and acknowledgement"),
            parent,
        )
        self.record_kind = record_kind
        self.actor = actor
        self.record_id: int | None = None
        self.message_box: QMessageBox | None = None
        layout = QVBoxLayout(self)
        ticks = QGridLayout()
        self.checks: dict[str, QCheckBox] = {}
        for i, dept in enumerate(circulation.allowed_departments(record_kind)):
            check = QCheckBox(enum_label(dept), self)
            check.setObjectName(f"route_{dept.value}")
            check.setEnabled(can_route)
            self.checks[dept.value] = check
            ticks.addWidget(check, i // 3, i % 3)
        ticks.setColumnStretch(3, 1)
        layout.addLayout(ticks)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("CustomerService", "Department"),
                QCoreApplication.translate("CustomerService", "Sent"),
                QCoreApplication.translate("CustomerService", "Acknowledged by"),
                QCoreApplication.translate("CustomerService", "Acknowledged"),
                QCoreApplication.translate("CustomerService", "Handling"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        layout.addWidget(self.table)
        actions = QHBoxLayout()
        self.ack_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Acknowledge for my department"), self
        )
        self.respond_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Record my department's handling…"), self
        )
        # clicked() passes a "checked" flag; acknowledge without a handling text.
        self.ack_button.clicked.connect(lambda: self.acknowledge())
        self.respond_button.clicked.connect(self.ask_response)
        actions.addWidget(self.ack_button)
        actions.addWidget(self.respond_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.lines: list[circulation.RoutingLine] = []
        self.load(None)

    def departments(self) -> list[str]:
        """The departments ticked."""
        return [code for code, check in self.checks.items() if check.isChecked()]

    def set_departments(self, codes: Iterable[str]) -> None:
        """Tick exactly *codes*."""
        wanted = set(codes)
        for code, check in self.checks.items():
            check.setChecked(code in wanted)

    # The input protocol of .input_state (dirty tracking and drafts).
    def input_value(self) -> list[str]:
        """The departments ticked, sorted."""
        return sorted(self.departments())

    def set_input_value(self, value: list[str]) -> None:
        """Tick an :meth:`input_value`."""
        self.set_departments(value or ())

    def input_signals(self) -> list[Any]:
        """Emitted when a department is ticked or unticked."""
        return [check.toggled for check in self.checks.values()]

    def load(self, record_id: int | None) -> None:
        """Show the routing of record *record_id* (``None``: not saved yet)."""
        self.record_id = record_id
        self.lines = (
            [] if record_id is None else circulation.routing_lines(self.record_kind, record_id)
        )
        if record_id is not None:
            self.set_departments(line.department.value for line in self.lines)
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            values = [
                enum_label(line.department),
                local_text(line.sent_at),
                line.acknowledged_by,
                local_text(line.acknowledged_at),
                line.response,
            ]
            if line.overdue:
                values[3] = QCoreApplication.translate(
                    "CustomerService", "Overdue — not acknowledged"
                )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if line.overdue:
                    item.setBackground(QBrush(OVERDUE_COLOUR))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        own = self.own_line()
        self.ack_button.setEnabled(own is not None and own.acknowledged_at is None)
        self.respond_button.setEnabled(own is not None)

    def own_line(self) -> circulation.RoutingLine | None:
        """The line addressed to the user's department, if any."""
        for line in self.lines:
            if line.department == self.actor.department:
                return line
        return None

    def acknowledge(self, response: str | None = None) -> bool:
        """签收 for the user's department (optionally with its handling)."""
        own = self.own_line()
        if own is None:
            return False
        line_id = own.id
        if response is None:
            ok, result = call_and_wait(
                lambda: circulation.acknowledge(self.actor, circulation_id=line_id)
            )
        else:
            ok, result = call_and_wait(
                lambda: circulation.respond(self.actor, circulation_id=line_id, response=response)
            )
        if not ok:
            if not isinstance(result, CqmsError):
                log.error("acknowledging failed", exc_info=result)
            self.message_box = error_box(self, result)
            self.message_box.open()
            return False
        self.load(self.record_id)
        self.changed.emit()
        return True

    def ask_response(self) -> None:
        """Ask what the department did, then record it."""
        own = self.own_line()
        if own is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self,
            QCoreApplication.translate("CustomerService", "Handling"),
            QCoreApplication.translate("CustomerService", "What did your department do?"),
            own.response,
        )
        if ok:
            self.acknowledge(text)


def department_names(codes: Iterable[str]) -> str:
    """Translated department names, comma-separated."""
    return ", ".join(enum_label(Department(c)) for c in codes)


def set_read_only(widgets: Iterable[QWidget], read_only: bool) -> None:
    """Make text fields read-only (still selectable) and other widgets disabled."""
    for widget in widgets:
        if hasattr(widget, "setReadOnly"):
            widget.setReadOnly(read_only)
        else:
            widget.setEnabled(not read_only)


ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
