"""The "My work" tab: what waits for the logged-in user and their department, overdue first.

One line per duty (a complaint to handle, a countermeasure to carry out or verify, a feedback
to forward, a request to acknowledge, a survey to chase), from
:func:`cqms_desktop.services.my_work.my_work`. Overdue lines are red with a warning icon (colour
is never the only sign); lines addressed to the user in person are bold. Enter or a double
click opens the record in its editor. :attr:`MyWorkView.countsChanged` carries (all, overdue)
for the tab's title and the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.work_items import WorkItem
from ..services import my_work
from ..services.base import Actor
from .error_handling import open_error
from .operations import LatestOnly, QueryOp

#: The change events after which the list may differ.
WATCHED_KINDS = frozenset({"complaint", "feedback", "visit", "survey", "circulation", "settings"})

#: A work item's record kind → the list (and editor) of that kind.
KIND_OF_RECORD = {
    "complaint": "complaints",
    "feedback": "feedback",
    "visit": "visits",
    "survey": "surveys",
}

OVERDUE_BRUSH = QBrush(QColor("#b00020"))

COLUMNS = (
    QT_TRANSLATE_NOOP("MyWork", "Due"),
    QT_TRANSLATE_NOOP("MyWork", "Number"),
    QT_TRANSLATE_NOOP("MyWork", "Customer"),
    QT_TRANSLATE_NOOP("MyWork", "What"),
    QT_TRANSLATE_NOOP("MyWork", "About"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MyWork", text)


class MyWorkView(QWidget):
    """The list of the user's work; see the module documentation."""

    #: (all, overdue) after each refresh.
    countsChanged = Signal(int, int)

    def __init__(
        self,
        actor: Actor,
        parent: QWidget | None = None,
        opener: Callable[[str, int], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("my_work")
        self.actor = actor
        self._opener = opener
        self.items: list[WorkItem] = []
        self._reads = LatestOnly()
        self.summary = QLabel(self)
        self.summary.setObjectName("my_work_summary")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("my_work_list")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels([_tr(c) for c in COLUMNS])
        header = self.tree.header()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    # ------------------------------------------------------------------ data
    def load(self) -> list[WorkItem]:
        """Read the list (database work: the caller decides on which thread)."""
        return my_work.my_work(self.actor)

    def show_items(self, items: list[WorkItem]) -> None:
        """Show *items* (on the GUI thread) and announce the counts."""
        self.items = items
        self.tree.clear()
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for item in items:
            row = QTreeWidgetItem(
                [
                    item.due.isoformat() if item.due else "",
                    item.number,
                    item.customer,
                    _tr(item.kind.label),
                    _about(item),
                ]
            )
            row.setData(0, Qt.ItemDataRole.UserRole, (item.record_kind, item.record_id))
            row.setToolTip(4, _about(item))
            if item.overdue:
                row.setIcon(0, warning)
                row.setToolTip(0, QCoreApplication.translate("MyWork", "Overdue"))
                for column in range(len(COLUMNS)):
                    row.setForeground(column, OVERDUE_BRUSH)
            if item.mine:
                font = QFont(row.font(1))
                font.setBold(True)
                for column in range(len(COLUMNS)):
                    row.setFont(column, font)
            self.tree.addTopLevelItem(row)
        total, overdue = my_work.counts(items)
        if total == 0:
            self.summary.setText(QCoreApplication.translate("MyWork", "Nothing waits for you."))
        else:
            self.summary.setText(
                QCoreApplication.translate(
                    "MyWork", "{total} waiting for you or your department, {overdue} overdue."
                ).format(total=total, overdue=overdue)
            )
        self.countsChanged.emit(total, overdue)

    def refresh(self) -> None:
        """Read the list again on the database worker and show it when it arrives (an answer
        overtaken by a newer refresh is dropped)."""
        QueryOp(self, self.load, self.show_items).latest_of(self._reads).run_in_background()

    # ------------------------------------------------------------------ opening
    def open_row(self, index: int) -> Any:
        """Open the record of line *index* in its editor."""
        record_kind, record_id = self.tree.topLevelItem(index).data(0, Qt.ItemDataRole.UserRole)
        if self._opener is not None:
            return self._opener(record_kind, record_id)
        from . import editors

        return editors.open_editor(KIND_OF_RECORD[record_kind], self, self.actor, record_id)

    def _activated(self, row: QTreeWidgetItem, _column: int) -> None:
        try:
            self.open_row(self.tree.indexOfTopLevelItem(row))
        except CqmsError as exc:  # e.g. deleted on another PC since the list was read
            open_error(self, exc)
            self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F5 reads the list again."""
        if event.key() == Qt.Key.Key_F5:
            self.refresh()
            return
        super().keyPressEvent(event)


def _about(item: WorkItem) -> str:
    """The summary, with the customer's reason where the customer refused the result."""
    summary = " ".join(item.summary.split())
    if item.detail:
        return QCoreApplication.translate(
            "MyWork", "Refused by the customer: {reason} — {summary}"
        ).format(reason=item.detail, summary=summary)
    return summary
