"""A read-only view of the audit history (who changed which field, when) of any record.

Usage::

    view = HistoryView(parent)
    view.show_record("customer", customer_id)          # one record
    view.set_rows(complaint_queries.history(cid))      # or any list of AuditLog rows

Times are shown in the PC's local time; field names as their translated labels; enumerated
codes (status, severity…) as their translated labels, so the history reads like the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import enums as E
from ..domain.clock import to_local
from ..domain.fields import FIELD_LABELS
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import history_queries
from ..services.record_types import AuditLog

#: Table names as users know them (context ``History``).
TABLE_LABELS: dict[str, str] = {
    "complaint": QT_TRANSLATE_NOOP("History", "Complaint"),
    "corrective_action": QT_TRANSLATE_NOOP("History", "Long-term countermeasure"),
    "customer_response": QT_TRANSLATE_NOOP("History", "Customer's answer"),
    "attachment": QT_TRANSLATE_NOOP("History", "Attachment"),
    "feedback": QT_TRANSLATE_NOOP("History", "Feedback"),
    "visit": QT_TRANSLATE_NOOP("History", "Visit"),
    "survey": QT_TRANSLATE_NOOP("History", "Survey"),
    "service_record": QT_TRANSLATE_NOOP("History", "Service record"),
    "customer": QT_TRANSLATE_NOOP("History", "Customer"),
    "product": QT_TRANSLATE_NOOP("History", "Product"),
    "user": QT_TRANSLATE_NOOP("History", "User"),
    "setting": QT_TRANSLATE_NOOP("History", "Settings"),
}
ACTION_LABELS: dict[str, str] = {
    "create": QT_TRANSLATE_NOOP("History", "created"),
    "update": QT_TRANSLATE_NOOP("History", "changed"),
    "delete": QT_TRANSLATE_NOOP("History", "deleted"),
    # Values the trail adopted as they were (upgrading an old database, demonstration data).
    "baseline": QT_TRANSLATE_NOOP("History", "recorded as found"),
}
#: (table, field) → the enumeration its codes come from; ``(None, field)`` for any table.
ENUM_FIELDS: dict[tuple[str | None, str], type[E.LabeledEnum]] = {
    ("complaint", "status"): E.ComplaintStatus,
    ("corrective_action", "status"): E.ActionStatus,
    ("feedback", "status"): E.FeedbackStatus,
    ("visit", "status"): E.VisitStatus,
    ("survey", "status"): E.SurveyStatus,
    ("service_record", "status"): E.ServiceStatus,
    (None, "severity"): E.Severity,
    (None, "responsibility"): E.Responsibility,
    (None, "action_type"): E.ActionType,
    (None, "department"): E.Department,
    (None, "received_via"): E.Channel,
    (None, "channel"): E.Channel,
    (None, "type"): E.FeedbackType,
    (None, "kind"): E.ServiceKind,
}
_UTC_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
COLUMNS = (
    QT_TRANSLATE_NOOP("History", "When"),
    QT_TRANSLATE_NOOP("History", "Who"),
    QT_TRANSLATE_NOOP("History", "Record"),
    QT_TRANSLATE_NOOP("History", "What"),
    QT_TRANSLATE_NOOP("History", "Field"),
    QT_TRANSLATE_NOOP("History", "Before"),
    QT_TRANSLATE_NOOP("History", "After"),
)


def _tr(text: str, context: str = "History") -> str:
    return QCoreApplication.translate(context, text)


def value_text(
    table: str,
    field: str | None,
    value: str | None,
    names: history_queries.HistoryNames | None = None,
) -> str:
    """An audit value as users read it: enum labels translated, UTC times in local time,
    references and users by name (from *names*, resolved for the whole history at once)."""
    if value is None:
        return ""
    if field is not None:
        enum = ENUM_FIELDS.get((table, field)) or ENUM_FIELDS.get((None, field))
        if enum is not None:
            try:
                return _tr(enum(value).label, "Enums")
            except ValueError:
                return value
        if names is None:  # one value on its own: resolve just this one
            names = history_queries.history_names(
                [AuditLog(table_name=table, record_id=0, username="", field=field, new_value=value)]
            )
        named = names.value(field, value)
        if named is not None:
            return named
    if _UTC_TEXT.match(value):
        return to_local(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M:%S")
    if value in ("true", "false"):
        if value == "true":
            return QCoreApplication.translate("History", "Yes")
        return QCoreApplication.translate("History", "No")
    return value


def record_text(table: str, record_id: int, names: history_queries.HistoryNames) -> str:
    """``Complaint CC-2026-0012`` (``Complaint #258`` only if the number cannot be found)."""
    label = _tr(TABLE_LABELS.get(table, table))
    number = names.record(table, record_id)
    return f"{label} {number}" if number else f"{label} #{record_id}"


def field_text(field: str | None) -> str:
    """A field's translated label (the code itself for an unknown field)."""
    if not field:
        return ""
    label = FIELD_LABELS.get(field)
    return _tr(label, "Fields") if label else field


class HistoryView(QWidget):
    """A read-only table of audit rows, newest last."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((140, 150, 170, 70, 170, 170)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def show_record(self, table: str, record_id: int) -> None:
        """Show the history of one record of *table*."""
        self.set_rows(history_queries.record_history(table, record_id))

    def set_rows(self, rows: Iterable[AuditLog]) -> None:
        """Show *rows* (audit rows of one or several records), in the order given."""
        rows = list(rows)
        # Numbers and names of the whole history in a few queries, not one per row.
        names = history_queries.history_names(rows)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            texts = (
                to_local(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                names.who(row.username),
                record_text(row.table_name, row.record_id, names),
                _tr(ACTION_LABELS.get(row.action, row.action)),
                field_text(row.field),
                value_text(row.table_name, row.field, row.old_value, names),
                value_text(row.table_name, row.field, row.new_value, names),
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(i, column, item)
        if rows:
            self.table.scrollToBottom()

    def row_count(self) -> int:
        """How many audit rows are shown."""
        return self.table.rowCount()

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in one cell (for tests and copying)."""
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
