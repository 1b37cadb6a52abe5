"""Section 5 of the Complaint editor, the long-term countermeasures: the table of actions,
adding one (QA), recording its execution (the responsible department) and verifying or
removing it (QA).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import complaint_rules as rules
from ...domain import enums as E
from ...services import complaint_queries as queries
from ...services import complaints as svc
from ..register_model import DUE_SOON_BG, OVERDUE_BG
from .complaint_inputs import choice
from .complaint_presentation import D, S, _enum_text, _local


class ComplaintActionsMixin:
    """The actions table and its commands; mixed into :class:`~.complaints.ComplaintEditor`."""

    def _actions_box(self) -> QGroupBox:
        box = QGroupBox(
            QCoreApplication.translate(
                "ComplaintEditor", "5. Long-term countermeasures (5.2.3 e, 5.2.4)"
            ),
            self,
        )
        box.setObjectName("sectionActions")
        layout = QVBoxLayout(box)
        self.actions_table = QTableWidget(0, 8, self)
        self.actions_table.setObjectName("actionsTable")
        self.actions_table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ComplaintEditor", "Type"),
                QCoreApplication.translate("ComplaintEditor", "Description"),
                QCoreApplication.translate("ComplaintEditor", "Department"),
                QCoreApplication.translate("ComplaintEditor", "Owner"),
                QCoreApplication.translate("ComplaintEditor", "Due"),
                QCoreApplication.translate("ComplaintEditor", "Status"),
                QCoreApplication.translate("ComplaintEditor", "Carried out"),
                QCoreApplication.translate("ComplaintEditor", "Verification"),
            ]
        )
        self.actions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.actions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.actions_table.verticalHeader().setVisible(False)
        self.actions_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.actions_table.setMinimumHeight(120)
        self.actions_table.itemSelectionChanged.connect(self._update_action_buttons)
        layout.addWidget(self.actions_table)

        # Adding: QA decides a countermeasure (two lines: the choices, then the text).
        self.add_action_row = QWidget(self)
        add = QGridLayout(self.add_action_row)
        add.setContentsMargins(0, 0, 0, 0)
        self.new_action_type = QComboBox(self)
        self.new_action_type.setObjectName("newActionType")
        for value, label in E.ActionType.choices():
            self.new_action_type.addItem(QCoreApplication.translate("Enums", label), value)
        self.new_action_text = QLineEdit(self)
        self.new_action_text.setObjectName("newActionDescription")
        self.new_action_text.setPlaceholderText(
            QCoreApplication.translate("ComplaintEditor", "Description of the countermeasure")
        )
        self.new_action_department = QComboBox(self)
        self.new_action_department.setObjectName("newActionDepartment")
        for value, label in E.Department.choices():
            self.new_action_department.addItem(QCoreApplication.translate("Enums", label), value)
        self.new_action_department.setCurrentIndex(
            self.new_action_department.findData(D.MANUFACTURING.value)
        )
        self.new_action_owner = QComboBox(self)
        self.new_action_owner.setObjectName("newActionOwner")
        self.new_action_owner.setToolTip(self._label("owner"))
        self.new_action_due = QDateEdit(self)
        self.new_action_due.setObjectName("newActionDue")
        self.new_action_due.setCalendarPopup(True)
        self.new_action_due.setDisplayFormat("yyyy-MM-dd")
        self.new_action_due.setToolTip(self._label("due_date"))
        self.add_action_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Add countermeasure"), self
        )
        self.add_action_button.setObjectName("addActionButton")
        self.add_action_button.clicked.connect(self.add_action)
        add.addWidget(self.new_action_type, 0, 0)
        add.addWidget(self.new_action_department, 0, 1)
        add.addWidget(self.new_action_owner, 0, 2)
        add.addWidget(self.new_action_due, 0, 3)
        add.addWidget(self.new_action_text, 1, 0, 1, 3)
        add.addWidget(self.add_action_button, 1, 3)
        add.setColumnStretch(0, 1)
        add.setColumnStretch(1, 1)
        add.setColumnStretch(2, 1)
        layout.addWidget(self.add_action_row)

        # Execution by the department, verification by QA, on the selected row.
        work = QHBoxLayout()
        self.execution_note = QLineEdit(self)
        self.execution_note.setObjectName("executionNote")
        self.execution_note.setPlaceholderText(
            QCoreApplication.translate("ComplaintEditor", "What the department did")
        )
        self.execute_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Record execution"), self
        )
        self.execute_button.setObjectName("executeButton")
        self.execute_button.clicked.connect(self.record_execution)
        self.verification_result = QLineEdit(self)
        self.verification_result.setObjectName("verificationResult")
        self.verification_result.setPlaceholderText(
            QCoreApplication.translate("ComplaintEditor", "Verification result")
        )
        self.effective_check = QCheckBox(
            QCoreApplication.translate("ComplaintEditor", "Effective"), self
        )
        self.effective_check.setObjectName("effectiveCheck")
        self.effective_check.setChecked(True)
        self.verify_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Verify"), self
        )
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.clicked.connect(self.verify_action)
        self.remove_action_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Remove"), self
        )
        self.remove_action_button.setObjectName("removeActionButton")
        self.remove_action_button.clicked.connect(self.remove_action)
        for widget, stretch in (
            (self.execution_note, 2),
            (self.execute_button, 0),
            (self.verification_result, 2),
            (self.effective_check, 0),
            (self.verify_button, 0),
            (self.remove_action_button, 0),
        ):
            work.addWidget(widget, stretch)
        layout.addLayout(work)
        return box

    def _show_actions(self, detail: queries.ComplaintDetail) -> None:
        table = self.actions_table
        table.setRowCount(len(detail.actions))
        style = self.style()
        for row, view in enumerate(detail.actions):
            a = view.action
            status = _enum_text(E.ActionStatus, a.status)
            if view.overdue:
                status = QCoreApplication.translate("ComplaintEditor", "{status} — overdue").format(
                    status=status
                )
            executed = ""
            if a.executed_at:
                executed = f"{a.execution_note} ({a.executed_by}, {_local(a.executed_at)})"
            verified = ""
            if a.verified_at:
                verified = f"{a.verification_result} ({a.verified_by}, {_local(a.verified_at)})"
            texts = (
                _enum_text(E.ActionType, a.action_type),
                a.description,
                _enum_text(E.Department, a.department),
                view.owner_name,
                a.due_date.isoformat() if a.due_date else "",
                status,
                executed,
                verified,
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, a.id)
                if column == 5 and (view.overdue or view.due_soon):
                    icon = (
                        QStyle.StandardPixmap.SP_MessageBoxCritical
                        if view.overdue
                        else QStyle.StandardPixmap.SP_MessageBoxWarning
                    )
                    item.setIcon(style.standardIcon(icon))
                    item.setBackground(OVERDUE_BG if view.overdue else DUE_SOON_BG)
                    item.setForeground(Qt.GlobalColor.black)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        for column in (1, 6, 7):  # the free texts share what is left
            table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._update_action_buttons()

    def _selected_action_id(self) -> int | None:
        rows = self.actions_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.actions_table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_action_buttons(self) -> None:
        status = S(self.detail.complaint.status) if self.detail is not None else None
        can_work = status in rules.ACTION_STATES
        selected = self._selected_action_id() is not None
        dept = self.actor.department
        self.execute_button.setEnabled(can_work and selected)
        self.execution_note.setEnabled(can_work)
        for widget in (self.verify_button, self.remove_action_button):
            widget.setEnabled(can_work and selected and dept == D.QA)
        self.verification_result.setEnabled(can_work and dept == D.QA)
        self.effective_check.setEnabled(can_work and dept == D.QA)

    def add_action(self) -> bool:
        """QA adds the long-term countermeasure typed in the row under the table."""
        # Read the inputs here: the call runs on the database worker.
        values = {
            "complaint_id": self.record_id,
            "action_type": self.new_action_type.currentData(),
            "description": self.new_action_text.text(),
            "department": self.new_action_department.currentData(),
            "owner_id": choice(self.new_action_owner),
            "due_date": self.new_action_due.date().toPython(),
        }

        def call() -> None:
            svc.add_action(self.actor, **values)

        done = self.perform(call)
        if done:
            self.new_action_text.clear()
        return done

    def _action(self, action_id: int) -> Any:
        assert self.detail is not None
        return next(v.action for v in self.detail.actions if v.action.id == action_id)

    def record_execution(self) -> bool:
        """The responsible department (or QA) records what it did for the selected action."""
        action_id = self._selected_action_id()
        if action_id is None:
            return False
        version = self._action(action_id).version
        note = self.execution_note.text()

        def call() -> None:
            svc.record_execution(self.actor, action_id=action_id, version=version, note=note)

        done = self.perform(call)
        if done:
            self.execution_note.clear()
        return done

    def verify_action(self) -> bool:
        """QA verifies the selected, carried-out action."""
        action_id = self._selected_action_id()
        if action_id is None:
            return False
        version = self._action(action_id).version
        result = self.verification_result.text()
        effective = self.effective_check.isChecked()

        def call() -> None:
            svc.verify_action(
                self.actor, action_id=action_id, version=version, result=result,
                effective=effective,
            )  # fmt: skip

        done = self.perform(call)
        if done:
            self.verification_result.clear()
            self.effective_check.setChecked(True)
        return done

    def remove_action(self) -> bool:
        """QA removes the selected action (only before it is carried out)."""
        action_id = self._selected_action_id()
        if action_id is None:
            return False
        version = self._action(action_id).version
        return self.perform(
            lambda: svc.remove_action(self.actor, action_id=action_id, version=version)
        )

    def select_action_row(self, row: int) -> None:
        """Select row *row* of the actions table (keyboard users and tests)."""
        self.actions_table.selectRow(row)
