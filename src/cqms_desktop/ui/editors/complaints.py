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

The editor class is assembled here from one mixin per part of the form (modules
``complaint_sections``, ``complaint_actions_panel``, ``complaint_attachments``,
``complaint_loading``, ``complaint_permissions``, ``complaint_printing``; shared constants in
``complaint_presentation``); this module keeps the window itself, saving, the workflow
steps, the message bar and :func:`open_editor`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import complaint_rules as rules
from ...domain import enums as E
from ...domain.complaint_workflow import STEPS
from ...domain.errors import CqmsError
from ...services import complaint_queries as queries
from ...services import complaints as svc
from ...services.base import Actor
from ..error_handling import error_text
from ..history_view import HistoryView
from ..window_fit import fit_window
from .complaint_actions_panel import ComplaintActionsMixin
from .complaint_attachments import ComplaintAttachmentsMixin
from .complaint_inputs import DateTimeInput
from .complaint_loading import ComplaintLoadingMixin
from .complaint_permissions import ComplaintPermissionsMixin
from .complaint_presentation import (
    _ERROR_STYLE,
    CONTEXT,
    DATE_INPUTS,
    DATETIME_INPUTS,
    STATE_ICONS,
    STATE_TEXT,
    TEXT_FIELDS_MULTILINE,
    D,
    tr,
)
from .complaint_printing import ComplaintPrintingMixin
from .complaint_scars import ComplaintScarsMixin
from .complaint_sections import ComplaintSectionsMixin
from .record_editor import RecordEditor

__all__ = [
    "CONTEXT",
    "DATETIME_INPUTS",
    "DATE_INPUTS",
    "STATE_ICONS",
    "STATE_TEXT",
    "TEXT_FIELDS_MULTILINE",
    "ComplaintEditor",
    "open_editor",
    "tr",
]

log = logging.getLogger(__name__)


class ComplaintEditor(
    ComplaintSectionsMixin,
    ComplaintActionsMixin,
    ComplaintScarsMixin,
    ComplaintAttachmentsMixin,
    ComplaintLoadingMixin,
    ComplaintPermissionsMixin,
    ComplaintPrintingMixin,
    RecordEditor,
):
    """One complaint, as the paper form, with the workflow buttons its user may press."""

    record_kind = "complaint"

    def __init__(self, actor: Actor, record_id: int | None, parent: QWidget | None = None):
        super().__init__(actor, parent)
        self.record_id = record_id
        self.detail: queries.ComplaintDetail | None = None
        self.widgets: dict[str, QWidget] = {}
        self.step_buttons: dict[str, QPushButton] = {}
        self._loaded_values: dict[str, Any] = {}
        self._marked: QWidget | None = None
        self.setObjectName("complaintEditor")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        fit_window(self, "complaint_editor", 980, 820)
        self._build()
        self.track_inputs(self.widgets)
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
        self.form_layout.addWidget(self._scars_box())
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
        self.mail_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Send by e-mail…"), self
        )
        self.mail_button.clicked.connect(self.send_form_by_mail)
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
        # Two rows, so that a 1366×768 laptop at 125 % (about 1090 px wide) shows them all:
        # the printed form's choices, then Save and Close.
        output = QHBoxLayout()
        output.addWidget(self.form_kind)
        output.addWidget(
            QLabel(QCoreApplication.translate("ComplaintEditor", "Form language:"), self)
        )
        for widget in (self.form_language, self.print_button, self.pdf_button, self.xlsx_button):
            output.addWidget(widget)
        output.addWidget(self.mail_button)
        output.addStretch(1)
        bottom = QHBoxLayout()
        for widget in (self.new_button, self.save_button):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.steps_bar)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(output)
        layout.addLayout(bottom)

        for keys, slot in (
            (QKeySequence.StandardKey.New, self.new_complaint),
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.Print, self.print_form),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)

    # ------------------------------------------------------------------ messages
    def clear_errors(self) -> None:
        """Hide the message bar and unmark the field it named."""
        self.message.hide()
        self.message.setText("")
        if self._marked is not None:
            self._marked.setStyleSheet("")
            self._marked = None

    def show_error(self, exc: CqmsError) -> None:
        """Show a refusal in the message bar; focus and mark the field it names."""
        self.clear_errors()
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

    # ------------------------------------------------------------------ commands
    def submit(self) -> Callable[[], Any]:
        """Save the editable sections (register a new complaint); the runner is
        :meth:`RecordEditor.save`. The call returns the complaint (or its id when nothing
        changed)."""
        if self.record_id is None:
            return self._register()
        changes = self.pending_changes()
        actor, record_id, version = self.actor, self.record_id, self.opened_version
        if not changes:
            return lambda: record_id
        return lambda: svc.update_complaint(
            actor, complaint_id=record_id, version=version, **changes
        )

    def _register(self) -> Callable[[], Any]:
        values = self._collect(frozenset(rules.SECTIONS[0].fields))
        actor = self.actor
        return lambda: svc.register_complaint(
            actor,
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

        complaint_id, version = self.record_id, self.opened_version

        def call() -> None:
            svc.take_step(
                self.actor,
                complaint_id=complaint_id,
                version=version,
                step=code,
                reason=reason,
            )

        done = self.perform(call)
        if done:
            self.rejection_reason.clear()
            self.reopen_input.clear()
        return done

    # ------------------------------------------------------------------ new complaint
    def new_complaint(self) -> ComplaintEditor | None:
        """Open an empty editor for a new complaint (Sales)."""
        if self.actor.department != D.SALES:
            return None
        return open_editor(self.parentWidget(), self.actor, None)


def open_editor(parent: QWidget | None, actor: Actor, record_id: int | None) -> ComplaintEditor:
    """Open complaint *record_id* (``None``: register a new one) in a non-modal window."""
    editor = ComplaintEditor(actor, record_id, parent)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    editor.show()
    editor.show_work()
    if QGuiApplication.platformName() != "offscreen":  # (offscreen warns it cannot raise)
        editor.raise_()
        editor.activateWindow()
    editor.offer_draft()
    return editor
