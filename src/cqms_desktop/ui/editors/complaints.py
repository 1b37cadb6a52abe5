"""The Complaint editor: one complaint laid out like the paper Customer Complaint Handling Form.

Sections, in the form's order: registration, investigation and analysis, responsibility,
emergency countermeasures and containment, long-term countermeasures (table of actions with
add / carry out / verify), customer communication and the customer's answers, approval and
closure, cost of poor quality, attachments (drag and drop or file dialog) — and the record's
history on its own tab.

The editor is thin: what a user may change is :func:`complaint_rules.editable_fields`, the
workflow buttons are :func:`complaint_workflow.allowed_steps` for the user's department, and
every change goes through :mod:`cqms_desktop.services.complaints`. A refused save or step is
shown in a message bar above the form, naming the field, and the field gets the focus — the
record stays as it was. A closed complaint is read-only.

Keyboard: Ctrl+N new complaint, Ctrl+S save, Ctrl+P print preview.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import complaint_rules as rules
from ...domain import enums as E
from ...domain.clock import to_local, utcnow
from ...domain.complaint_workflow import STEPS, allowed_steps
from ...domain.deadlines import DeadlineState
from ...domain.errors import CqmsError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...services import complaint_queries as queries
from ...services import complaints as svc
from ...services.base import Actor
from ..error_handling import error_box, error_text
from ..history_view import HistoryView
from .complaint_inputs import (
    NO_CHOICE,
    AttachmentList,
    DateTimeInput,
    LocalDateTimeEdit,
    aware_local,
    choice,
)

log = logging.getLogger(__name__)


S = E.ComplaintStatus
D = E.Department
CONTEXT = "ComplaintEditor"
TEXT_FIELDS_MULTILINE = (
    "description",
    "customer_request",
    "investigation",
    "cause",
    "evidence",
    "onsite_findings",
    "explanation",
    "preliminary_plan",
    "dispatch_action",
)
#: Fields shown as text boxes holding a local date / date and time (may be empty).
DATE_INPUTS = ("onsite_on", "dispatch_on")
DATETIME_INPUTS = ("oral_notice_at", "copy_sent_at")
STATE_ICONS = {
    DeadlineState.OVERDUE: QStyle.StandardPixmap.SP_MessageBoxCritical,
    DeadlineState.DUE_SOON: QStyle.StandardPixmap.SP_MessageBoxWarning,
    DeadlineState.HANDLED_LATE: QStyle.StandardPixmap.SP_MessageBoxWarning,
    DeadlineState.HANDLED: QStyle.StandardPixmap.SP_DialogApplyButton,
    DeadlineState.ON_TIME: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
STATE_TEXT = {
    DeadlineState.OVERDUE: QT_TRANSLATE_NOOP("ComplaintEditor", "Overdue"),
    DeadlineState.DUE_SOON: QT_TRANSLATE_NOOP("ComplaintEditor", "Due soon"),
    DeadlineState.HANDLED_LATE: QT_TRANSLATE_NOOP("ComplaintEditor", "Handled late"),
    DeadlineState.HANDLED: QT_TRANSLATE_NOOP("ComplaintEditor", "Handled in time"),
    DeadlineState.ON_TIME: QT_TRANSLATE_NOOP("ComplaintEditor", "On time"),
}
_ERROR_STYLE = "border: 2px solid #c62828;"
_OVERDUE_BG = QColor(255, 205, 205)
_DUE_SOON_BG = QColor(255, 236, 179)


def tr(text: str) -> str:
    """Translate *text* in the editor's context."""
    return QCoreApplication.translate(CONTEXT, text)


def _enum_text(enum: type[E.LabeledEnum], value: str | None) -> str:
    if not value:
        return ""
    try:
        return QCoreApplication.translate("Enums", enum(value).label)
    except ValueError:
        return value


def _local(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


class ComplaintEditor(QDialog):
    """One complaint, as the paper form, with the workflow buttons its user may press."""

    #: Emitted after a successful save or step with the complaint's id.
    saved = Signal(int)

    def __init__(self, actor: Actor, record_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.record_id = record_id
        self.detail: queries.ComplaintDetail | None = None
        self.version = 0
        self.widgets: dict[str, QWidget] = {}
        self.step_buttons: dict[str, QPushButton] = {}
        self._loaded_values: dict[str, Any] = {}
        self._marked: QWidget | None = None
        self.setObjectName("complaintEditor")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(980, 820)
        self._build()
        self.reload()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("titleLabel")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.deadline_icon = QLabel(self)
        self.deadline_label = QLabel(self)
        self.deadline_label.setObjectName("deadlineLabel")
        self.repeat_label = QLabel(self)
        self.repeat_label.setObjectName("repeatLabel")
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.status_label)
        header.addSpacing(12)
        header.addWidget(self.deadline_icon)
        header.addWidget(self.deadline_label)
        header.addSpacing(12)
        header.addWidget(self.repeat_label)
        header.addStretch(1)

        self.steps_bar = QHBoxLayout()
        self.steps_hint = QLabel(self)
        self.steps_hint.setObjectName("stepsHint")
        self.steps_bar.addWidget(self.steps_hint)
        self._all_step_buttons: dict[str, QPushButton] = {}
        for code, definition in STEPS.items():
            button = QPushButton(QCoreApplication.translate("Workflow", definition.label), self)
            button.setObjectName(f"step_{code}")
            button.setVisible(False)
            button.clicked.connect(partial(self._step_clicked, code))
            self.steps_bar.addWidget(button)
            self._all_step_buttons[code] = button
        self.steps_bar.addStretch(1)

        self.message = QLabel(self)
        self.message.setObjectName("errorLabel")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(
            "QLabel { background: #fdecea; color: #611a15; border: 1px solid #c62828;"
            " padding: 6px; }"
        )
        self.message.hide()

        form = QWidget()
        self.form_layout = QVBoxLayout(form)
        self.form_layout.addWidget(self._registration_box())
        self.form_layout.addWidget(self._investigation_box())
        self.form_layout.addWidget(self._responsibility_box())
        self.form_layout.addWidget(self._emergency_box())
        self.form_layout.addWidget(self._actions_box())
        self.form_layout.addWidget(self._communication_box())
        self.form_layout.addWidget(self._closure_box())
        self.form_layout.addWidget(self._costs_box())
        self.form_layout.addWidget(self._attachments_box())
        self.form_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(form)
        self.history = HistoryView(self)
        self.history.setObjectName("historyView")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(
            self.scroll, QCoreApplication.translate("ComplaintEditor", "Complaint Handling Form")
        )
        self.tabs.addTab(self.history, QCoreApplication.translate("ComplaintEditor", "History"))

        self.new_button = QPushButton(QCoreApplication.translate("ComplaintEditor", "New"), self)
        self.save_button = QPushButton(QCoreApplication.translate("ComplaintEditor", "Save"), self)
        self.save_button.setObjectName("saveButton")
        self.print_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Print…"), self
        )
        self.pdf_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Save as PDF…"), self
        )
        self.xlsx_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Save as Excel…"), self
        )
        # The company's own form, or an 8D report for customers (often automotive) who ask for it.
        self.form_kind = QComboBox(self)
        self.form_kind.setObjectName("formKindCombo")
        self.form_kind.addItem(
            QCoreApplication.translate("ComplaintEditor", "Complaint Handling Form"), "complaint"
        )
        self.form_kind.addItem(QCoreApplication.translate("ComplaintEditor", "8D report"), "8d")
        self.form_language = QComboBox(self)
        self.form_language.setToolTip(
            QCoreApplication.translate("ComplaintEditor", "Language of the printed form")
        )
        for code, label in E.Language.choices():
            self.form_language.addItem(QCoreApplication.translate("Enums", label), code)
        self.close_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Close"), self
        )
        self.new_button.clicked.connect(self.new_complaint)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_form)
        self.pdf_button.clicked.connect(lambda: self.save_form_as("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.save_form_as("xlsx"))
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        for widget in (self.new_button, self.save_button):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        bottom.addWidget(self.form_kind)
        bottom.addWidget(
            QLabel(QCoreApplication.translate("ComplaintEditor", "Form language:"), self)
        )
        for widget in (self.form_language, self.print_button, self.pdf_button, self.xlsx_button):
            bottom.addWidget(widget)
        bottom.addSpacing(12)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.steps_bar)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        for keys, slot in (
            (QKeySequence.StandardKey.New, self.new_complaint),
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.Print, self.print_form),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)

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

    def _attachments_box(self) -> QGroupBox:
        box = QGroupBox(
            QCoreApplication.translate("ComplaintEditor", "9. Attachments (drop files here)"), self
        )
        box.setObjectName("sectionAttachments")
        layout = QHBoxLayout(box)
        self.attachments = AttachmentList(self)
        self.attachments.setObjectName("attachmentList")
        self.attachments.setMaximumHeight(120)
        self.attachments.files_dropped.connect(self.add_attachments)
        self.attachments.itemDoubleClicked.connect(lambda _item: self.open_attachment())
        buttons = QVBoxLayout()
        self.attach_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Add file…"), self
        )
        self.attach_button.clicked.connect(self.choose_attachments)
        self.open_attachment_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Open"), self
        )
        self.open_attachment_button.clicked.connect(self.open_attachment)
        self.save_attachment_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Save as…"), self
        )
        self.save_attachment_button.clicked.connect(self.save_attachment)
        self.remove_attachment_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Remove"), self
        )
        self.remove_attachment_button.clicked.connect(self.remove_attachment)
        for button in (
            self.attach_button,
            self.open_attachment_button,
            self.save_attachment_button,
            self.remove_attachment_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.attachments, 1)
        layout.addLayout(buttons)
        return box

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        """(Re)load the record from the database and show it."""
        self._clear_message()
        self._fill_choices()
        if self.record_id is None:
            self.detail = None
            self.version = 0
            self._show_new()
        else:
            self.detail = queries.load_detail(self.record_id)
            self.version = self.detail.complaint.version
            self._show_detail(self.detail)
        self._loaded_values = self._collect(self._editable())

    def _fill_choices(self) -> None:
        combos = {
            "customer": queries.customer_choices(),
            "product": queries.product_choices(),
            "qa_owner": [(uid, name) for uid, name, _ in queries.user_choices((D.QA,))],
        }
        for name, items in combos.items():
            combo: QComboBox = self.widgets[name]  # type: ignore[assignment]
            empty = name != "customer"
            combo.blockSignals(True)
            combo.clear()
            if empty:
                combo.addItem("", NO_CHOICE)
            for value, label in items:
                combo.addItem(label, value)
            combo.blockSignals(False)
        default_due = svc.default_action_due()
        self.new_action_due.setDate(QDate(default_due.year, default_due.month, default_due.day))
        self.new_action_owner.clear()
        self.new_action_owner.addItem("", NO_CHOICE)
        for uid, name, dept in queries.user_choices():
            self.new_action_owner.addItem(f"{name} ({_enum_text(E.Department, dept)})", uid)

    def _show_new(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("ComplaintEditor", "New complaint"))
        self.title.setText(QCoreApplication.translate("ComplaintEditor", "New complaint"))
        self.status_label.setText("")
        self.deadline_icon.clear()
        self.deadline_label.setText("")
        self.repeat_label.setText("")
        self.number_label.setText(
            QCoreApplication.translate("ComplaintEditor", "(given on saving)")
        )
        self.feedback_label.setText("")
        self.due_label.setText(
            QCoreApplication.translate("ComplaintEditor", "(computed on saving)")
        )
        received: LocalDateTimeEdit = self.widgets["received_at"]  # type: ignore[assignment]
        received.setDateTime(QDateTime.currentDateTime())
        self._set_combo("severity", E.Severity.NORMAL.value)
        self._set_combo("received_via", E.Channel.PHONE.value)
        self.actions_table.setRowCount(0)
        self.responses_table.setRowCount(0)
        self.attachments.clear()
        self.history.set_rows([])
        self._apply_permissions(frozenset(rules.SECTIONS[0].fields), status=None)

    def _show_detail(self, detail: queries.ComplaintDetail) -> None:
        c = detail.complaint
        self.setWindowTitle(
            QCoreApplication.translate("ComplaintEditor", "Complaint {number}").format(
                number=c.number
            )
        )
        self.title.setText(f"{c.number} — {detail.customer.name}")
        self.status_label.setText(
            QCoreApplication.translate("ComplaintEditor", "Status: {status}").format(
                status=_enum_text(E.ComplaintStatus, c.status)
            )
        )
        state = detail.deadline
        self.deadline_icon.setPixmap(self.style().standardIcon(STATE_ICONS[state]).pixmap(16, 16))
        self.deadline_label.setText(tr(STATE_TEXT[state]))
        colour = {
            DeadlineState.OVERDUE: "#c62828",
            DeadlineState.DUE_SOON: "#b26a00",
            DeadlineState.HANDLED_LATE: "#b26a00",
        }.get(state, "")
        self.deadline_label.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        repeat = ""
        if detail.repeat_of_number:
            repeat = QCoreApplication.translate(
                "ComplaintEditor", "Repeat complaint of {number}"
            ).format(number=detail.repeat_of_number)
        if detail.repeats:
            more = QCoreApplication.translate("ComplaintEditor", "Repeated by {numbers}").format(
                numbers=", ".join(detail.repeats)
            )
            repeat = f"{repeat}; {more}" if repeat else more
        self.repeat_label.setText(repeat)
        self.number_label.setText(c.number)
        self.feedback_label.setText(detail.feedback_number or "—")
        self.due_label.setText(_local(c.due_at))
        language = detail.customer.language or "zh"
        self.form_language.setCurrentIndex(max(0, self.form_language.findData(language)))

        self._set_combo("customer", c.customer_id)
        self._set_combo("product", c.product_id)
        self._set_combo("qa_owner", c.qa_owner_id)
        self._set_combo("severity", c.severity)
        self._set_combo("received_via", c.received_via)
        self._set_combo("responsibility", c.responsibility or None)
        received: LocalDateTimeEdit = self.widgets["received_at"]  # type: ignore[assignment]
        received.set_utc(c.received_at)
        for name, widget in self.widgets.items():
            if isinstance(widget, QComboBox) or name == "received_at":
                continue
            value = getattr(c, name)
            if name in DATETIME_INPUTS:
                text = _local(value)
            elif value is None:
                text = ""
            elif isinstance(value, Decimal):
                text = f"{value:.2f}"
            else:
                text = str(value)
            self._set_text(widget, text)
        self.fed_back_label.setText(_local(c.plan_fed_back_at) or "—")
        self.accepted_label.setText(_local(c.customer_accepted_at) or "—")
        approved = ""
        if c.approved_by:
            approved = f"{c.approved_by}, {_local(c.approved_at)}"
        self.approved_label.setText(approved or "—")
        self.closed_label.setText(_local(c.closed_at) or "—")
        self.reopen_label.setText(c.reopen_reason or "—")
        total = rules.total_cost(c.__data__)
        self.total_cost_label.setText(f"{total:.2f}" if total is not None else "—")
        self._show_actions(detail)
        self._show_responses(detail)
        self._show_attachments(detail)
        self.history.set_rows(queries.history(c.id))
        status = S(c.status)
        self._apply_permissions(rules.editable_fields(status, self.actor.department), status)

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
                    item.setBackground(_OVERDUE_BG if view.overdue else _DUE_SOON_BG)
                    item.setForeground(Qt.GlobalColor.black)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        for column in (1, 6, 7):  # the free texts share what is left
            table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._update_action_buttons()

    def _show_responses(self, detail: queries.ComplaintDetail) -> None:
        table = self.responses_table
        table.setRowCount(len(detail.responses))
        for row, response in enumerate(detail.responses):
            answer = (
                QCoreApplication.translate("ComplaintEditor", "Accepted")
                if response.accepted
                else QCoreApplication.translate("ComplaintEditor", "Not accepted")
            )
            for column, text in enumerate(
                (_local(response.recorded_at), answer, response.reason, response.recorded_by)
            ):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()

    def _show_attachments(self, detail: queries.ComplaintDetail) -> None:
        self.attachments.clear()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for info in detail.attachments:
            size = f"{info.size / 1024:.0f} KB" if info.size >= 1024 else f"{info.size} B"
            item = QListWidgetItem(icon, f"{info.filename}  ({size}, {info.added_by})")
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, info.filename)
            self.attachments.addItem(item)

    def _set_combo(self, name: str, value: Any) -> None:
        combo: QComboBox = self.widgets[name]  # type: ignore[assignment]
        index = combo.findData(NO_CHOICE if value is None else value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    @staticmethod
    def _set_text(widget: QWidget, text: str) -> None:
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QLineEdit | DateTimeInput):
            widget.setText(text)

    # ------------------------------------------------------------------ permissions
    def _editable(self) -> frozenset[str]:
        if self.record_id is None:
            return (
                frozenset(rules.SECTIONS[0].fields)
                if self.actor.department == D.SALES
                else frozenset()
            )
        if self.detail is None:
            return frozenset()
        status = S(self.detail.complaint.status)
        return rules.editable_fields(status, self.actor.department)

    def _apply_permissions(self, editable: frozenset[str], status: S | None) -> None:
        if self.record_id is None and self.actor.department != D.SALES:
            editable = frozenset()
        for name, widget in self.widgets.items():
            allowed = name in editable
            if isinstance(widget, QPlainTextEdit | QLineEdit | DateTimeInput):
                widget.setReadOnly(not allowed)
                target = widget.edit if isinstance(widget, DateTimeInput) else widget
                # Read-only fields must look read-only, not like empty boxes waiting for input.
                # (A palette, not a style sheet re-polished with QStyle.unpolish(): PySide6
                # 6.12's unpolish() loses references to None until the interpreter aborts.)
                palette = target.palette()
                base = self.palette().color(
                    QPalette.ColorRole.Window if not allowed else QPalette.ColorRole.Base
                )
                palette.setColor(QPalette.ColorRole.Base, base)
                target.setPalette(palette)
            else:
                widget.setEnabled(allowed)
        is_new = self.record_id is None
        closed = status == S.CLOSED
        for box_name in (
            "sectionInvestigation",
            "sectionResponsibility",
            "sectionEmergency",
            "sectionActions",
            "sectionCommunication",
            "sectionClosure",
            "sectionCosts",
            "sectionAttachments",
        ):
            box = self.findChild(QGroupBox, box_name)
            if box is not None:
                box.setVisible(not is_new)
        self.save_button.setEnabled(bool(editable))
        self.print_button.setEnabled(not is_new)
        self.pdf_button.setEnabled(not is_new)
        self.xlsx_button.setEnabled(not is_new)
        self.new_button.setEnabled(self.actor.department == D.SALES)
        # Long-term countermeasures: QA adds; the department or QA records; QA verifies.
        can_work = status in rules.ACTION_STATES
        self.add_action_row.setVisible(can_work and self.actor.department == D.QA)
        self.attachments.drops_allowed = not is_new and not closed
        self.attach_button.setEnabled(not is_new and not closed)
        self.remove_attachment_button.setEnabled(not is_new and not closed)
        steps = allowed_steps(status, self.actor.department) if status is not None else []
        codes = {s.code for s in steps}
        self.rejection_reason.setVisible("customer_rejected" in codes)
        self.rejection_row_label.setVisible("customer_rejected" in codes)
        self.reopen_input.setVisible("reopen" in codes)
        self.reopen_row_label.setVisible("reopen" in codes)
        self._show_steps(steps, closed)
        self._update_action_buttons()

    def _show_steps(self, steps: list[Any], closed: bool) -> None:
        # The buttons exist once and are only shown or hidden: a button must not be deleted
        # while its own click is being handled (the step reloads the editor).
        offered = {s.code for s in steps}
        self.step_buttons = {}
        for code, button in self._all_step_buttons.items():
            button.setVisible(code in offered)
            if code in offered:
                self.step_buttons[code] = button
                missing = self._step_tooltip(code)
                button.setToolTip(missing)
                # A warning sign on a step that would be refused as things stand.
                icon = QStyle.StandardPixmap.SP_MessageBoxWarning if missing else None
                button.setIcon(self.style().standardIcon(icon) if icon else QIcon())
        if self.record_id is None:
            hint = QCoreApplication.translate(
                "ComplaintEditor", "Sales registers the complaint; it then goes to QA."
            )
        elif closed and not steps:
            hint = QCoreApplication.translate(
                "ComplaintEditor", "Closed: read-only. Only the General Manager can reopen it."
            )
        elif steps:
            hint = QCoreApplication.translate("ComplaintEditor", "Next step:")
        else:
            hint = QCoreApplication.translate(
                "ComplaintEditor", "No workflow step for your department in this state."
            )
        self.steps_hint.setText(hint)

    def show_work(self) -> None:
        """Scroll to the section where this user has something to do now, and focus it."""
        if self.detail is None:
            return
        status = S(self.detail.complaint.status)
        dept = self.actor.department
        target: QWidget | None = None
        if status == S.COUNTERMEASURES or (status in rules.ACTION_STATES and dept != D.QA):
            target = self.findChild(QGroupBox, "sectionActions")
        elif status in (S.AWAITING_APPROVAL, S.CLOSED):
            target = self.findChild(QGroupBox, "sectionClosure")
        else:
            editable = self._editable() - set(rules.COST_FIELDS)
            for section in rules.SECTIONS:
                first = next((f for f in section.fields if f in editable), None)
                if first is not None:
                    target = self.widgets.get(first)
                    break
        if target is None:
            return
        section = target
        while section is not None and not isinstance(section, QGroupBox):
            section = section.parentWidget()
        if section is not None:  # the section's title at the top of the view
            top = section.mapTo(self.scroll.widget(), QPoint(0, 0)).y()
            self.scroll.verticalScrollBar().setValue(top)
        if target in self.widgets.values():
            target.setFocus()

    def _step_tooltip(self, code: str) -> str:
        """What is still missing for step *code* (as stored), so users see it before clicking."""
        if self.detail is None:
            return ""
        problems = rules.step_problems(
            code,
            self.detail.complaint.__data__,
            [v.action.__data__ for v in self.detail.actions],
            [r.__data__ for r in self.detail.responses],
            now=utcnow(),
            reason="-",  # the reason is typed just before clicking
        )
        if not problems:
            return ""
        lines = [error_text(p) for p in problems]
        title = QCoreApplication.translate("ComplaintEditor", "Still missing:")
        return "\n".join([title, *(f"• {line}" for line in lines)])

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

    # ------------------------------------------------------------------ collecting
    def _value(self, name: str) -> Any:
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            return choice(widget)
        if isinstance(widget, LocalDateTimeEdit):
            return widget.utc()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, DateTimeInput):
            text = widget.text()
            return aware_local(text) if widget.with_time else text.strip()
        if isinstance(widget, QLineEdit):
            return widget.text().strip()
        raise TypeError(name)

    def _collect(self, names: frozenset[str]) -> dict[str, Any]:
        return {name: self._value(name) for name in sorted(names) if name in self.widgets}

    def pending_changes(self) -> dict[str, Any]:
        """The editable fields whose shown value differs from what was loaded."""
        current = self._collect(self._editable())
        return {k: v for k, v in current.items() if self._loaded_values.get(k) != v}

    # ------------------------------------------------------------------ messages
    def _clear_message(self) -> None:
        self.message.hide()
        self.message.setText("")
        if self._marked is not None:
            self._marked.setStyleSheet("")
            self._marked = None

    def _fail(self, exc: Exception) -> None:
        """Show a refused action in the message bar; focus and mark the field it names."""
        if not isinstance(exc, CqmsError):
            log.exception("complaint editor action failed", exc_info=exc)
            error_box(self, exc).open()
            return
        self._clear_message()
        self.message.setText(error_text(exc))
        self.message.show()
        target = self._widget_for(exc.field)
        if isinstance(target, DateTimeInput):
            target = target.edit  # mark the box, not its "now" button
        if target is not None:
            target.setStyleSheet(_ERROR_STYLE)
            self._marked = target
            self.scroll.ensureWidgetVisible(target)
            target.setFocus()

    def _widget_for(self, field: str | None) -> QWidget | None:
        if not field:
            return None
        special = {
            "reason": (
                self.reopen_input if self.reopen_input.isVisible() else self.rejection_reason
            ),
            "actions": self.actions_table,
            "execution_note": self.execution_note,
            "verification_result": self.verification_result,
            "verified_at": self.verification_result,
            "verified_by": self.verification_result,
            "executed_at": self.execution_note,
            "description": self.widgets["description"],
            "attachment": self.attachments,
        }
        if field in special:
            return special[field]
        return self.widgets.get(field)

    def _run(self, action: Callable[[], Any]) -> bool:
        """Run a service call; on success reload and tell listeners, on failure show why."""
        try:
            action()
        except Exception as exc:  # shown to the user; CqmsErrors name the field
            self._fail(exc)
            return False
        self.reload()
        if self.record_id is not None:
            self.saved.emit(self.record_id)
        return True

    # ------------------------------------------------------------------ commands
    def save(self) -> bool:
        """Save the editable sections (register a new complaint). True when saved."""
        if self.record_id is None:
            return self._register()
        changes = self.pending_changes()
        if not changes:
            self._clear_message()
            return True

        def call() -> None:
            svc.update_complaint(
                self.actor, complaint_id=self.record_id, version=self.version, **changes
            )

        return self._run(call)

    def _register(self) -> bool:
        values = self._collect(frozenset(rules.SECTIONS[0].fields))

        def call() -> None:
            record = svc.register_complaint(
                self.actor,
                customer_id=values["customer"],
                product_id=values["product"],
                description=values["description"],
                severity=values["severity"],
                received_at=values["received_at"],
                received_via=values["received_via"],
                lot=values["lot"],
                qty_affected=values["qty_affected"],
                qty_delivered=values["qty_delivered"],
                customer_request=values["customer_request"],
                defect_category=values["defect_category"],
            )
            self.record_id = record.id

        return self._run(call)

    def _step_clicked(self, code: str, _checked: bool = False) -> None:
        self.take_step(code)

    def take_step(self, code: str) -> bool:
        """Save pending changes, then take workflow step *code*."""
        if self.pending_changes() and not self.save():
            return False
        reason = ""
        if code == "customer_rejected":
            reason = self.rejection_reason.toPlainText()
        elif code == "reopen":
            reason = self.reopen_input.toPlainText()

        def call() -> None:
            svc.take_step(
                self.actor,
                complaint_id=self.record_id,
                version=self.version,
                step=code,
                reason=reason,
            )

        done = self._run(call)
        if done:
            self.rejection_reason.clear()
            self.reopen_input.clear()
        return done

    def add_action(self) -> bool:
        """QA adds the long-term countermeasure typed in the row under the table."""
        due = self.new_action_due.date().toPython()

        def call() -> None:
            svc.add_action(
                self.actor,
                complaint_id=self.record_id,
                action_type=self.new_action_type.currentData(),
                description=self.new_action_text.text(),
                department=self.new_action_department.currentData(),
                owner_id=choice(self.new_action_owner),
                due_date=due,
            )

        done = self._run(call)
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

        def call() -> None:
            svc.record_execution(
                self.actor,
                action_id=action_id,
                version=version,
                note=self.execution_note.text(),
            )

        done = self._run(call)
        if done:
            self.execution_note.clear()
        return done

    def verify_action(self) -> bool:
        """QA verifies the selected, carried-out action."""
        action_id = self._selected_action_id()
        if action_id is None:
            return False
        version = self._action(action_id).version

        def call() -> None:
            svc.verify_action(
                self.actor,
                action_id=action_id,
                version=version,
                result=self.verification_result.text(),
                effective=self.effective_check.isChecked(),
            )

        done = self._run(call)
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
        return self._run(
            lambda: svc.remove_action(self.actor, action_id=action_id, version=version)
        )

    def select_action_row(self, row: int) -> None:
        """Select row *row* of the actions table (keyboard users and tests)."""
        self.actions_table.selectRow(row)

    # ------------------------------------------------------------------ attachments
    def add_attachments(self, paths: list[str]) -> bool:
        """Store the files at *paths* with the complaint (one transaction per file)."""
        if self.record_id is None:
            return False
        ok = True
        for path in paths:
            ok = self._run(
                lambda p=path: svc.add_attachment(self.actor, complaint_id=self.record_id, path=p)
            )
            if not ok:
                break
        return ok

    def choose_attachments(self) -> None:
        """Pick files with the file dialog and attach them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self, QCoreApplication.translate("ComplaintEditor", "Attach files")
        )
        if paths:
            self.add_attachments(paths)

    def _selected_attachment(self) -> tuple[int, str] | None:
        item = self.attachments.currentItem()
        if item is None:
            return None
        return item.data(Qt.ItemDataRole.UserRole), item.data(Qt.ItemDataRole.UserRole + 1)

    def open_attachment(self) -> None:
        """Open the selected attachment with the desktop's program for it."""
        chosen = self._selected_attachment()
        if chosen is None:
            return
        try:
            path = svc.open_attachment_copy(attachment_id=chosen[0])
        except Exception as exc:  # shown to the user
            self._fail(exc)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save_attachment(self) -> None:
        """Save the selected attachment as a file the user chooses."""
        chosen = self._selected_attachment()
        if chosen is None:
            return
        target, _ = QFileDialog.getSaveFileName(
            self, QCoreApplication.translate("ComplaintEditor", "Save attachment"), chosen[1]
        )
        if target:
            try:
                svc.save_attachment(attachment_id=chosen[0], target=target)
            except Exception as exc:  # shown to the user
                self._fail(exc)

    def remove_attachment(self) -> None:
        """Remove the selected attachment."""
        chosen = self._selected_attachment()
        if chosen is not None:
            self._run(lambda: svc.remove_attachment(self.actor, attachment_id=chosen[0]))

    # ------------------------------------------------------------------ new / print
    def new_complaint(self) -> ComplaintEditor | None:
        """Open an empty editor for a new complaint (Sales)."""
        if self.actor.department != D.SALES:
            return None
        return open_editor(self.parentWidget(), self.actor, None)

    def _number(self) -> str | None:
        return self.detail.complaint.number if self.detail is not None else None

    def print_form(self) -> None:
        """Preview and print the Customer Complaint Handling Form (or the 8D report)."""
        number = self._number()
        if number is None:
            return
        try:
            from .. import print_preview  # lazy: printing pulls in QtPrintSupport

            print_preview.preview_form(
                self,
                kind=self.form_kind.currentData(),
                number=number,
                lang=self.form_language.currentData(),
            )
        except Exception as exc:  # shown to the user
            self._fail(exc)

    def save_form_as(self, fmt: str) -> Path | None:
        """Save the chosen form (complaint form or 8D report) as PDF or Excel, in the chosen
        language, where the user chooses."""
        number = self._number()
        if number is None:
            return None
        from .. import print_preview  # lazy: printing pulls in QtPrintSupport

        path = print_preview.ask_form_path(
            self,
            kind=self.form_kind.currentData(),
            number=number,
            lang=self.form_language.currentData(),
            fmt=fmt,
        )
        if path is None:
            return None
        return self.export_form(path, fmt)

    def export_form(self, target: Path, fmt: str) -> Path | None:
        """Write the form in the chosen language to *target*."""
        try:
            from ...exports import forms  # lazy: reportlab and openpyxl load on demand

            return forms.export_form(
                kind=self.form_kind.currentData(),
                number=self._number(),
                fmt=fmt,
                lang=self.form_language.currentData(),
                output=target,
            )
        except Exception as exc:  # shown to the user
            self._fail(exc)
            return None

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: Any) -> None:
        """Ask before throwing unsaved changes away."""
        if self.pending_changes():
            answer = QMessageBox.question(
                self,
                QCoreApplication.translate("ComplaintEditor", "Unsaved changes"),
                QCoreApplication.translate(
                    "ComplaintEditor", "Save your changes to the complaint before closing?"
                ),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                event.ignore()
                return
        super().closeEvent(event)


def open_editor(parent: QWidget | None, actor: Actor, record_id: int | None) -> ComplaintEditor:
    """Open complaint *record_id* (``None``: register a new one) in a non-modal window."""
    editor = ComplaintEditor(actor, record_id, parent)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    editor.show()
    editor.show_work()
    if QGuiApplication.platformName() != "offscreen":  # (offscreen warns it cannot raise)
        editor.raise_()
        editor.activateWindow()
    return editor
