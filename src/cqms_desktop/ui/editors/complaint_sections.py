"""The paper form's field sections of the Complaint editor: registration, investigation and
analysis, responsibility, emergency countermeasures and containment, customer communication,
approval and closure, cost of poor quality — and the small helpers that create their inputs.

The long-term countermeasures (section 5) are in :mod:`.complaint_actions_panel`, the
attachments (section 9) in :mod:`.complaint_attachments`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from ...domain import complaint_rules as rules
from ...domain import enums as E
from ..defect_category_box import DefectCategoryBox
from .complaint_inputs import NO_CHOICE, DateTimeInput, LocalDateTimeEdit
from .complaint_presentation import DATE_INPUTS, DATETIME_INPUTS, TEXT_FIELDS_MULTILINE


class ComplaintSectionsMixin:
    """Builds the form's field sections; mixed into :class:`~.complaints.ComplaintEditor`."""

    def _add(self, name: str, widget: QWidget) -> QWidget:
        widget.setObjectName(name)
        self.widgets[name] = widget
        return widget

    def _label(self, name: str) -> str:
        return QCoreApplication.translate("Fields", rules.label_of(name))

    def _text(self, name: str) -> QWidget:
        if name in TEXT_FIELDS_MULTILINE:
            box = QPlainTextEdit(self)
            box.setTabChangesFocus(True)
            box.setMinimumHeight(44)
            box.setMaximumHeight(72)
            return self._add(name, box)
        if name in DATE_INPUTS:
            return self._add(name, DateTimeInput(False, self))
        if name in DATETIME_INPUTS:
            return self._add(name, DateTimeInput(True, self))
        return self._add(name, QLineEdit(self))

    def _combo(self, name: str, items: list[tuple[Any, str]], empty: bool = False) -> QComboBox:
        combo = QComboBox(self)
        if empty:
            combo.addItem("", NO_CHOICE)
        for value, label in items:
            combo.addItem(label, value)
        self._add(name, combo)
        return combo

    def _group(self, title: str, name: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title, self)
        box.setObjectName(name)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return box, form

    def _rows(self, form: QFormLayout, names: tuple[str, ...]) -> None:
        for name in names:
            form.addRow(self._label(name), self.widgets.get(name) or self._text(name))

    def _registration_box(self) -> QGroupBox:
        box, form = self._group(
            QCoreApplication.translate("ComplaintEditor", "1. Registration (5.2.1)"),
            "sectionRegistration",
        )
        self.number_label = QLabel(self)
        self.feedback_label = QLabel(self)
        self.due_label = QLabel(self)
        self.due_label.setObjectName("dueLabel")
        form.addRow(QCoreApplication.translate("ComplaintEditor", "Number"), self.number_label)
        form.addRow(
            QCoreApplication.translate("ComplaintEditor", "Customer Quality Feedback"),
            self.feedback_label,
        )
        self._combo("customer", [])
        self._combo("product", [], empty=True)
        severities = [
            (v, QCoreApplication.translate("Enums", lbl)) for v, lbl in E.Severity.choices()
        ]
        self._combo("severity", severities)
        channels = [(v, QCoreApplication.translate("Enums", lbl)) for v, lbl in E.Channel.choices()]
        self._combo("received_via", channels)
        received = LocalDateTimeEdit(self)
        self._add("received_at", received)
        form.addRow(self._label("customer"), self.widgets["customer"])
        form.addRow(self._label("product"), self.widgets["product"])
        lot_row = QHBoxLayout()
        for name in ("lot", "qty_affected", "qty_delivered"):
            if name != "lot":
                lot_row.addWidget(QLabel(self._label(name), self))
            lot_row.addWidget(self._text(name))
        form.addRow(self._label("lot"), lot_row)
        form.addRow(self._label("received_at"), received)
        form.addRow(self._label("received_via"), self.widgets["received_via"])
        self._add("defect_category", DefectCategoryBox(self))
        self._rows(form, ("description", "customer_request", "defect_category"))
        form.addRow(self._label("severity"), self.widgets["severity"])
        form.addRow(
            QCoreApplication.translate("ComplaintEditor", "Handling deadline"), self.due_label
        )
        return box

    def _investigation_box(self) -> QGroupBox:
        box, form = self._group(
            QCoreApplication.translate("ComplaintEditor", "2. Investigation and analysis (5.2.2)"),
            "sectionInvestigation",
        )
        self._combo("qa_owner", [], empty=True)
        form.addRow(self._label("qa_owner"), self.widgets["qa_owner"])
        self._rows(form, ("investigation", "cause", "evidence", "team"))
        onsite = QHBoxLayout()
        onsite.addWidget(self._text("onsite_by"), 2)
        onsite.addWidget(QLabel(self._label("onsite_on"), self))
        onsite.addWidget(self._text("onsite_on"), 1)
        form.addRow(self._label("onsite_by"), onsite)
        self._rows(form, ("onsite_findings",))
        return box

    def _responsibility_box(self) -> QGroupBox:
        box, form = self._group(
            QCoreApplication.translate("ComplaintEditor", "3. Responsibility (5.2.3 c)"),
            "sectionResponsibility",
        )
        choices = [
            (v, QCoreApplication.translate("Enums", lbl)) for v, lbl in E.Responsibility.choices()
        ]
        self._combo("responsibility", choices, empty=True)
        form.addRow(self._label("responsibility"), self.widgets["responsibility"])
        self._rows(form, ("explanation",))
        hint = QLabel(
            QCoreApplication.translate(
                "ComplaintEditor",
                "Company or undetermined: countermeasures are required. Otherwise a written "
                "explanation to the customer is required.",
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        form.addRow("", hint)
        return box

    def _emergency_box(self) -> QGroupBox:
        box, form = self._group(
            QCoreApplication.translate(
                "ComplaintEditor", "4. Emergency countermeasures and containment (5.2.3 d)"
            ),
            "sectionEmergency",
        )
        self._rows(form, ("preliminary_plan",))
        self.fed_back_label = QLabel(self)
        form.addRow(self._label("plan_fed_back_at"), self.fed_back_label)
        dispatch = QHBoxLayout()
        dispatch.addWidget(self._text("dispatch_by"), 2)
        dispatch.addWidget(QLabel(self._label("dispatch_on"), self))
        dispatch.addWidget(self._text("dispatch_on"), 1)
        form.addRow(self._label("dispatch_by"), dispatch)
        self._rows(form, ("dispatch_action",))
        grid = QGridLayout()
        for column, text in enumerate(
            (
                QCoreApplication.translate("ComplaintEditor", "Checked"),
                QCoreApplication.translate("ComplaintEditor", "Held"),
                QCoreApplication.translate("ComplaintEditor", "Nonconforming"),
            ),
            start=1,
        ):
            grid.addWidget(QLabel(text, self), 0, column)
        for row, (prefix, text) in enumerate(
            (
                ("fg", QCoreApplication.translate("ComplaintEditor", "Finished goods")),
                ("wip", QCoreApplication.translate("ComplaintEditor", "Work in progress")),
            ),
            start=1,
        ):
            grid.addWidget(QLabel(text, self), row, 0)
            for column, suffix in enumerate(("checked", "held", "nonconforming"), start=1):
                edit = self._text(f"{prefix}_{suffix}")
                edit.setToolTip(self._label(f"{prefix}_{suffix}"))
                grid.addWidget(edit, row, column)
        form.addRow(QCoreApplication.translate("ComplaintEditor", "Products not yet shipped"), grid)
        self._rows(form, ("nc_report_number",))
        return box

    def _communication_box(self) -> QGroupBox:
        box, form = self._group(
            QCoreApplication.translate("ComplaintEditor", "6. Customer communication (5.2.5)"),
            "sectionCommunication",
        )
        oral = QHBoxLayout()
        for name in ("oral_notice_at", "oral_notice_by", "oral_notice_to"):
            widget = self._text(name)
            if isinstance(widget, QLineEdit):
                widget.setPlaceholderText(self._label(name))
            oral.addWidget(widget, 1)
        form.addRow(
            QCoreApplication.translate("ComplaintEditor", "Oral notice to the customer"), oral
        )
        copy = QHBoxLayout()
        for name in ("copy_sent_at", "copy_sent_via", "copy_sent_to"):
            widget = self._text(name)
            if isinstance(widget, QLineEdit):
                widget.setPlaceholderText(self._label(name))
            copy.addWidget(widget, 1)
        form.addRow(
            QCoreApplication.translate("ComplaintEditor", "Copy sent to the customer"), copy
        )
        self.responses_table = QTableWidget(0, 4, self)
        self.responses_table.setObjectName("responsesTable")
        self.responses_table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ComplaintEditor", "When"),
                QCoreApplication.translate("ComplaintEditor", "Answer"),
                QCoreApplication.translate("ComplaintEditor", "Reason"),
                QCoreApplication.translate("ComplaintEditor", "Recorded by"),
            ]
        )
        self.responses_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.responses_table.verticalHeader().setVisible(False)
        self.responses_table.horizontalHeader().setStretchLastSection(True)
        self.responses_table.setMaximumHeight(110)
        form.addRow(
            QCoreApplication.translate("ComplaintEditor", "Customer's answers"),
            self.responses_table,
        )
        self.rejection_reason = QPlainTextEdit(self)
        self.rejection_reason.setObjectName("rejectionReason")
        self.rejection_reason.setPlaceholderText(
            QCoreApplication.translate(
                "ComplaintEditor", "If the customer does not accept: the customer's reason"
            )
        )
        self.rejection_reason.setMaximumHeight(60)
        self.rejection_row_label = QLabel(
            QCoreApplication.translate("ComplaintEditor", "Reason for not accepting"), self
        )
        form.addRow(self.rejection_row_label, self.rejection_reason)
        return box

    def _closure_box(self) -> QGroupBox:
        box, form = self._group(
            QCoreApplication.translate("ComplaintEditor", "7. Approval and closure (4.5)"),
            "sectionClosure",
        )
        self.accepted_label = QLabel(self)
        self.approved_label = QLabel(self)
        self.approved_label.setObjectName("approvedLabel")
        self.closed_label = QLabel(self)
        self.closed_label.setObjectName("closedLabel")
        self.reopen_label = QLabel(self)
        self.reopen_label.setWordWrap(True)
        form.addRow(self._label("customer_accepted_at"), self.accepted_label)
        form.addRow(
            QCoreApplication.translate("ComplaintEditor", "Approved by"), self.approved_label
        )
        form.addRow(self._label("closed_at"), self.closed_label)
        form.addRow(self._label("reopen_reason"), self.reopen_label)
        self.reopen_input = QPlainTextEdit(self)
        self.reopen_input.setObjectName("reopenReasonInput")
        self.reopen_input.setPlaceholderText(
            QCoreApplication.translate("ComplaintEditor", "To reopen: the reason")
        )
        self.reopen_input.setMaximumHeight(60)
        self.reopen_row_label = QLabel(
            QCoreApplication.translate("ComplaintEditor", "Reopen because"), self
        )
        form.addRow(self.reopen_row_label, self.reopen_input)
        return box

    def _costs_box(self) -> QGroupBox:
        box, form = self._group(
            QCoreApplication.translate("ComplaintEditor", "8. Cost of poor quality"), "sectionCosts"
        )
        row = QHBoxLayout()
        for name in rules.COST_FIELDS:
            row.addWidget(QLabel(self._label(name), self))
            edit = self._text(name)
            edit.setMaximumWidth(110)
            row.addWidget(edit)
        self.total_cost_label = QLabel(self)
        self.total_cost_label.setObjectName("totalCostLabel")
        row.addWidget(QLabel(QCoreApplication.translate("ComplaintEditor", "Total"), self))
        row.addWidget(self.total_cost_label)
        row.addStretch(1)
        form.addRow(row)
        return box
