"""The Complaint editor's SCAR section (procedure 5.2.3 c): the Supplier Corrective Action
Requests raised from the complaint, and "Raise SCAR…" — live for QA once the complaint's saved
responsibility is "Supplier" (``domain/scar_rules.may_raise``) and the complaint is not closed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ...domain import scar_rules
from ...domain.enums import Department, ScarStatus
from ...services import scars
from ..scar_dialog import ScarDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("ComplaintEditor", text)


class ComplaintScarsMixin:
    """The SCAR list and its buttons; mixed into :class:`~.complaints.ComplaintEditor`."""

    record_id: int | None
    actor: Any

    def _scars_box(self) -> QGroupBox:
        box = QGroupBox(_tr("Supplier corrective action requests (SCAR, 5.2.3 c)"), self)  # type: ignore[arg-type]
        box.setObjectName("sectionScars")
        layout = QHBoxLayout(box)
        self.scars_table = QTableWidget(0, 5, box)
        self.scars_table.setObjectName("scarsTable")
        self.scars_table.setHorizontalHeaderLabels(
            [_tr("Number"), _tr("Supplier"), _tr("Status"), _tr("Reply due"), _tr("Overdue")]
        )
        self.scars_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scars_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.scars_table.setMaximumHeight(110)
        self.scars_table.verticalHeader().hide()
        self.scars_table.horizontalHeader().setStretchLastSection(True)
        self.scars_table.cellDoubleClicked.connect(lambda row, _c: self.open_scar(row))
        buttons = QVBoxLayout()
        self.raise_scar_button = QPushButton(_tr("Raise SCAR…"), box)
        self.raise_scar_button.setObjectName("raiseScarButton")
        self.raise_scar_button.clicked.connect(self.raise_scar)
        self.open_scar_button = QPushButton(_tr("Open SCAR"), box)
        self.open_scar_button.clicked.connect(lambda: self.open_scar(self.scars_table.currentRow()))
        buttons.addWidget(self.raise_scar_button)
        buttons.addWidget(self.open_scar_button)
        buttons.addStretch(1)
        layout.addWidget(self.scars_table, 1)
        layout.addLayout(buttons)
        self.scar_dialog: ScarDialog | None = None
        self._complaint_number = ""
        return box

    def _show_scars(self, complaint: Any) -> None:
        """Fill the list and enable "Raise SCAR…" from the stored complaint."""
        self._complaint_number = str(complaint.number)
        found = scars.scars_of_complaint(complaint.id)
        today = scars.company_today_now()
        table = self.scars_table
        table.setRowCount(len(found))
        for row, s in enumerate(found):
            late = scar_rules.reply_overdue(s.status, s.reply_due, today)
            cells = (
                s.number,
                f"{s.supplier.code} – {s.supplier.name}",
                QCoreApplication.translate("Enums", ScarStatus(s.status).label),
                s.reply_due.isoformat(),
                _tr("yes") if late else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                if late:
                    item.setForeground(QColor("#b71c1c"))
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        qa = self.actor.department == Department.QA
        allowed = scar_rules.may_raise(complaint.responsibility or "", complaint.status)
        self.raise_scar_button.setEnabled(qa and allowed)
        self.raise_scar_button.setToolTip(
            ""
            if allowed
            else _tr("Set and save the responsibility “Supplier” (5.2.3 c) to raise a SCAR.")
        )
        self.open_scar_button.setEnabled(bool(found))

    def _scars_changed(self, _scar_id: int) -> None:
        if self.record_id is not None:
            from ...services import complaint_queries

            self._show_scars(complaint_queries.load_detail(self.record_id).complaint)

    def raise_scar(self) -> ScarDialog | None:
        """Open the SCAR editor for a new request from this complaint."""
        if self.record_id is None:
            return None
        self.scar_dialog = ScarDialog(
            self.actor,
            complaint_id=self.record_id,
            complaint_number=self._complaint_number,
            parent=self,  # type: ignore[arg-type]
        )
        self.scar_dialog.changed.connect(self._scars_changed)
        self.scar_dialog.open()
        return self.scar_dialog

    def open_scar(self, row: int) -> ScarDialog | None:
        """Open the SCAR of the list's *row*."""
        item = self.scars_table.item(row, 0) if row >= 0 else None
        if item is None:
            return None
        self.scar_dialog = ScarDialog(
            self.actor,
            scar_id=int(item.data(Qt.ItemDataRole.UserRole)),
            parent=self,  # type: ignore[arg-type]
        )
        self.scar_dialog.changed.connect(self._scars_changed)
        self.scar_dialog.open()
        return self.scar_dialog
