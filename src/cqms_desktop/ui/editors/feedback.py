"""The Customer Quality Feedback Form (《顾客质量反馈单》, 5.1.2) editor.

Anyone registers a customer's call, letter, e-mail, fax or visit in a minute: customer,
channel, who called, what they said, urgency. Sales completes it (type), ticks the
departments it circulates to, closes it with its result, or — for a quality problem — sends
it to QA, where it becomes a customer complaint (5.2.1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ...domain.clock import to_local, to_utc
from ...domain.enums import Channel, FeedbackStatus, FeedbackType
from ...domain.errors import NotFoundError
from ...services import circulation, surveys, visits
from ...services import feedback as feedback_service
from ...services.base import Actor
from ...services.record_types import Feedback
from ..customer_chooser import CustomerChooser
from ..qt_clock import now_qdatetime
from ..window_fit import fit_window
from .complaint_handover import HandOverDialog
from .cs_common import CsEditor, RoutingPanel, enum_label, set_read_only, text_box


def _combo(parent: QWidget, choices: list[tuple[str, str]], current: str | None) -> QComboBox:
    combo = QComboBox(parent)
    for value, label in choices:
        combo.addItem(QCoreApplication.translate("Enums", label), value)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class FeedbackEditor(CsEditor):
    """Register, complete, route, close or hand over one feedback."""

    form_kind = "feedback"
    record_kind = "feedback"
    table_name = "feedback"
    routing_kind = circulation.FEEDBACK

    def __init__(
        self,
        actor: Actor,
        feedback_id: int | None,
        parent: QWidget | None = None,
        source: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(actor, parent)
        self.is_sales = actor.is_admin or actor.department in feedback_service.EDITORS
        self.source = dict(source or {})
        self.complaint: Any = None
        self.handover: HandOverDialog | None = None
        self.number = QLabel(self)
        self.status = QLabel(self)
        self.source_label = QLabel(self)
        self.source_label.setWordWrap(True)  # a visit's or survey's long title
        self.customer = CustomerChooser(self)
        self.customer.setObjectName("customer")
        self.channel = _combo(self, Channel.choices(), None)
        self.channel.insertItem(0, QCoreApplication.translate("CustomerService", "(choose)"), None)
        self.channel.setCurrentIndex(0)
        self.channel.setObjectName("channel")
        self.caller = QLineEdit(self)
        self.caller.setObjectName("caller")
        self.received_at = QDateTimeEdit(now_qdatetime(), self)
        self.received_at.setCalendarPopup(True)
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.urgent = QCheckBox(QCoreApplication.translate("CustomerService", "Urgent"), self)
        self.urgent.setObjectName("urgent")
        self.description = text_box(self, height=110)
        self.description.setObjectName("description")
        self.type = _combo(self, FeedbackType.choices(), FeedbackType.OTHER.value)
        self.type.setObjectName("type")
        self.result = text_box(self, height=70)
        self.result.setObjectName("result")
        f = self.fields
        f.add("number", QCoreApplication.translate("CustomerService", "Number"), self.heading_row())
        f.add("source", QCoreApplication.translate("CustomerService", "Source"), self.source_label)
        f.add("customer", QCoreApplication.translate("CustomerService", "Customer"), self.customer)
        f.add("channel", QCoreApplication.translate("CustomerService", "Channel"), self.channel)
        f.add("caller", QCoreApplication.translate("CustomerService", "Caller"), self.caller)
        f.add(
            "received_at",
            QCoreApplication.translate("CustomerService", "Received"),
            self.received_at,
        )
        f.add("urgent", "", self.urgent)
        f.add(
            "description",
            QCoreApplication.translate("CustomerService", "What the customer said"),
            self.description,
        )
        f.add("type", QCoreApplication.translate("CustomerService", "Type (Sales)"), self.type)
        self.routing = RoutingPanel(circulation.FEEDBACK, actor, self.is_sales, self.body)
        self.routing.changed.connect(self._routing_changed)
        self.body_layout.addWidget(self.routing)
        closing = QWidget(self.body)
        close_row = QHBoxLayout(closing)
        close_row.setContentsMargins(0, 0, 0, 0)
        self.close_feedback_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Close with this result"), self
        )
        self.close_feedback_button.clicked.connect(self.close_with_result)
        self.qa_button = QPushButton(
            QCoreApplication.translate(
                "CustomerService", "Quality problem: send to QA as a complaint"
            ),
            self,
        )
        self.qa_button.clicked.connect(self.send_to_qa)
        close_row.addWidget(self.close_feedback_button)
        close_row.addWidget(self.qa_button)
        close_row.addStretch(1)
        self.fields.add(
            "result", QCoreApplication.translate("CustomerService", "Result"), self.result
        )
        self.fields.form.addRow("", closing)
        self.track_inputs(
            {
                "customer": self.customer,
                "channel": self.channel,
                "caller": self.caller,
                "received_at": self.received_at,
                "urgent": self.urgent,
                "description": self.description,
                "type": self.type,
                "result": self.result,
                "departments": self.routing,
            }
        )
        if feedback_id is None:
            if self.source.get("customer_id") is not None:
                self.customer.set_customer(self.source["customer_id"])
            if self.source.get("visit_id") is not None:
                self.channel.setCurrentIndex(self.channel.findData(Channel.VISIT.value))
        self.start(None if feedback_id is None else feedback_service.get_feedback(feedback_id))
        fit_window(self, "feedback_editor", 760, 820)

    # -------------------------------------------------------------- showing
    def _source_text(self, visit_id: int | None, survey_id: int | None) -> str:
        if visit_id is not None:
            try:
                number = visits.get_visit(visit_id).number
            except NotFoundError:
                number = "?"
            return QCoreApplication.translate("CustomerService", "Customer visit {number}").format(
                number=number
            )
        if survey_id is not None:
            try:
                number = surveys.get_survey(survey_id).number
            except NotFoundError:
                number = "?"
            return QCoreApplication.translate(
                "CustomerService", "Satisfaction survey {number}"
            ).format(number=number)
        return QCoreApplication.translate(
            "CustomerService", "Direct contact (call, letter, e-mail, fax or visit)"
        )

    def show_record(self) -> None:
        """Show the saved feedback and enable what the user may do with it."""
        r = self.record
        quick = [self.customer, self.channel, self.caller, self.received_at, self.urgent]
        quick.append(self.description)
        if r is None:
            self.setWindowTitle(
                QCoreApplication.translate("CustomerService", "New customer feedback")
            )
            self.number.setText(
                QCoreApplication.translate("CustomerService", "(numbered when saved)")
            )
            self.source_label.setText(
                self._source_text(self.source.get("visit_id"), self.source.get("survey_id"))
            )
            set_read_only([self.type, self.result], not self.is_sales)
            self.close_feedback_button.setEnabled(False)
            self.qa_button.setEnabled(False)
            self.update_buttons()
            return
        r = self.record = feedback_service.get_feedback(r.id)
        status = FeedbackStatus(r.status)
        self.setWindowTitle(
            QCoreApplication.translate("CustomerService", "Customer feedback {number}").format(
                number=r.number
            )
        )
        self.number.setText(r.number)
        self.status.setText(enum_label(status))
        self.source_label.setText(
            self._source_text(r.visit_id, r.survey_id)
            + surveys.below_target_note(r.survey_id, QCoreApplication.translate)
        )
        self.customer.set_customer(r.customer_id)
        self.channel.setCurrentIndex(max(self.channel.findData(r.channel), 0))
        self.caller.setText(r.caller)
        self.received_at.setDateTime(QDateTime(to_local(r.received_at).replace(tzinfo=None)))
        self.urgent.setChecked(bool(r.urgent))
        self.description.setPlainText(r.description)
        self.type.setCurrentIndex(max(self.type.findData(r.type), 0))
        self.result.setPlainText(r.result)
        self.routing.load(r.id)
        open_ = status in (FeedbackStatus.OPEN, FeedbackStatus.ROUTED)
        editable = self.is_sales and open_
        set_read_only([*quick, self.type, self.result], not editable)
        for check in self.routing.checks.values():
            check.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.close_feedback_button.setEnabled(editable)
        self.qa_button.setEnabled(
            editable and r.type in (FeedbackType.QUALITY.value, FeedbackType.OTHER.value)
        )
        self.update_buttons()
        self.add_history()

    # -------------------------------------------------------------- saving
    def values(self) -> dict[str, Any]:
        """What the form says, as the service's keyword arguments."""
        local: datetime = self.received_at.dateTime().toPython()
        return {
            "customer_id": self.customer.customer_id(),
            "channel": self.channel.currentData(),
            "caller": self.caller.text(),
            "received_at": to_utc(local),
            "urgent": self.urgent.isChecked(),
            "description": self.description.toPlainText(),
            "type": self.type.currentData(),
        }

    def submit(self) -> Callable[[], Feedback]:
        """Register the new feedback (anyone), or save Sales' changes and routing."""
        values = self.values()
        actor, version = self.actor, self.opened_version
        departments = self.routing.departments()
        if self.record is None:
            if not self.is_sales:
                values.pop("type")
            source = dict(self.source)
            return lambda: feedback_service.register_feedback(
                actor,
                visit_id=source.get("visit_id"),
                survey_id=source.get("survey_id"),
                departments=departments if self.is_sales else (),
                **values,
            )
        r = self.record
        current = {
            "customer_id": r.customer_id,
            "channel": r.channel,
            "caller": r.caller,
            "received_at": r.received_at,
            "urgent": bool(r.urgent),
            "description": r.description,
            "type": r.type,
        }
        changed = {k: val for k, val in values.items() if current[k] != val}
        if (
            "received_at" in changed
            and abs((changed["received_at"] - r.received_at).total_seconds()) < 60
        ):
            del changed["received_at"]  # the field shows minutes; seconds are not a change
        return lambda: feedback_service.update_feedback(
            actor, feedback_id=r.id, version=version, departments=departments, **changed
        )

    def close_with_result(self) -> bool:
        """Save, then close the feedback with the result typed."""
        if not self.save():
            return False
        feedback_id, version = self.record_id, self.opened_version
        result = self.result.toPlainText()
        return self.perform(
            lambda: feedback_service.close_feedback(
                self.actor, feedback_id=feedback_id, version=version, result=result
            )
        )

    def send_to_qa(self) -> HandOverDialog | None:
        """Save as a quality problem, then open the hand-over (5.2.1), where Sales completes
        the complaint's product, lot, quantities, defect category and description; returns
        the dialog (``None`` when saving failed)."""
        self.type.setCurrentIndex(self.type.findData(FeedbackType.QUALITY.value))
        if not self.save():
            return None
        assert self.record_id is not None  # saved
        record = feedback_service.get_feedback(self.record_id)
        self.handover = HandOverDialog(self.actor, record, self)
        self.handover.handed_over.connect(self._handed_over)
        self.handover.open()
        return self.handover

    def _handed_over(self, complaint: Any) -> None:
        self.complaint = complaint
        self.reload_keeping_input()
        self.announce()
        self._info(
            QCoreApplication.translate(
                "CustomerService", "Complaint {number} was registered and sent to QA."
            ).format(number=complaint.number)
        )

    def _routing_changed(self) -> None:
        self.reload_keeping_input()
        self.announce()


def open_editor(parent: QWidget | None, actor: Actor, record_id: int | None) -> FeedbackEditor:
    """Open feedback *record_id* (``None``: register a new one) in its editor."""
    dialog = FeedbackEditor(actor, record_id, parent)
    dialog.open()
    dialog.offer_draft()
    return dialog
