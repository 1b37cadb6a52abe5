"""The Customer Visit Form (《顾客访问单》, 5.1.1) editor.

Sales records the visit and ticks the departments its requests go to (QA, Technical Section,
Manufacturing, Administration by default); each department acknowledges and records its
answer in the circulation panel. A feedback can be registered straight from the visit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from ...domain import visit_rules
from ...domain.enums import VisitStatus
from ...services import circulation, visits
from ...services.base import Actor
from ...services.record_types import Visit
from ..customer_chooser import CustomerChooser
from ..window_fit import fit_window
from .cs_common import (
    CsEditor,
    RoutingPanel,
    date_edit,
    enum_label,
    from_qdate,
    set_read_only,
    text_box,
    to_qdate,
)


class VisitEditor(CsEditor):
    """Create or edit one visit."""

    form_kind = "visit"
    record_kind = "visit"
    table_name = "visit"
    routing_kind = circulation.VISIT

    def __init__(self, actor: Actor, visit_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(actor, parent)
        self.can_edit = actor.is_admin or actor.department in visits.EDITORS
        self.number = QLabel(self)
        self.status = QLabel(self)
        self.customer = CustomerChooser(self)
        self.customer.setObjectName("customer")
        self.visit_date = date_edit(self)
        self.visit_date.setObjectName("visit_date")
        self.sales_people = QLineEdit(self)
        self.sales_people.setPlaceholderText(actor.full_name)
        self.customer_people = QLineEdit(self)
        self.purpose = QLineEdit(self)
        self.purpose.setObjectName("purpose")
        self.discussion = text_box(self)
        self.requests = text_box(self)
        self.follow_up = text_box(self, height=60)
        self.routing_reason = QLineEdit(self)
        self.routing_reason.setObjectName("routing_reason")
        f = self.fields
        f.add("number", QCoreApplication.translate("CustomerService", "Number"), self.heading_row())
        f.add("customer", QCoreApplication.translate("CustomerService", "Customer"), self.customer)
        f.add(
            "visit_date",
            QCoreApplication.translate("CustomerService", "Visit date"),
            self.visit_date,
        )
        f.add(
            "sales_people",
            QCoreApplication.translate("CustomerService", "Visited by (Sales)"),
            self.sales_people,
        )
        f.add(
            "customer_people",
            QCoreApplication.translate("CustomerService", "Customer's people met"),
            self.customer_people,
        )
        f.add("purpose", QCoreApplication.translate("CustomerService", "Purpose"), self.purpose)
        f.add(
            "discussion",
            QCoreApplication.translate("CustomerService", "What was discussed"),
            self.discussion,
        )
        f.add(
            "requests",
            QCoreApplication.translate("CustomerService", "Customer requests and opinions"),
            self.requests,
        )
        f.add(
            "follow_up",
            QCoreApplication.translate("CustomerService", "Follow-up items"),
            self.follow_up,
        )
        f.add(
            "routing_reason",
            QCoreApplication.translate("CustomerService", "Why a department is left out"),
            self.routing_reason,
        )
        self.routing = RoutingPanel(
            circulation.VISIT,
            actor,
            self.can_edit,
            self.body,
            QCoreApplication.translate(
                "CustomerService", "Requests forwarded to (circulation and acknowledgement)"
            ),
        )
        self.routing.changed.connect(self._routing_changed)
        self.fields.widgets["departments"] = self.routing
        self.fields.errors["departments"] = self.fields.errors["requests"]
        self.body_layout.addWidget(self.routing)
        self.feedback_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Register a feedback from this visit…"),
            self,
        )
        self.feedback_button.clicked.connect(self.new_feedback)
        self.body_layout.addWidget(self.feedback_button)
        self.body_layout.addStretch(1)
        self.feedback_dialog: Any = None
        self.track_inputs(
            {
                "customer": self.customer,
                "visit_date": self.visit_date,
                "sales_people": self.sales_people,
                "customer_people": self.customer_people,
                "purpose": self.purpose,
                "discussion": self.discussion,
                "requests": self.requests,
                "follow_up": self.follow_up,
                "departments": self.routing,
                "routing_reason": self.routing_reason,
            }
        )
        self.requests.textChanged.connect(self._reason_state)
        for check in self.routing.checks.values():
            check.toggled.connect(self._reason_state)
        if visit_id is None:
            # 5.1.1: requests go to the four departments; tick them once requests are typed,
            # unless the user has chosen the departments by hand.
            self.ticked_by_hand = False
            for check in self.routing.checks.values():
                check.clicked.connect(self._ticked_by_hand)
            self.requests.textChanged.connect(self._default_routing)
        self.start(None if visit_id is None else visits.get_visit(visit_id))
        set_read_only(
            [
                self.customer,
                self.visit_date,
                self.sales_people,
                self.customer_people,
                self.purpose,
                self.discussion,
                self.requests,
                self.follow_up,
                self.routing_reason,
            ],
            not self.can_edit,
        )
        self._reason_state()
        self.save_button.setEnabled(self.can_edit)
        fit_window(self, "visit_editor", 760, 780)

    def show_record(self) -> None:
        """Show the saved visit."""
        v = self.record
        if v is None:
            self.setWindowTitle(QCoreApplication.translate("CustomerService", "New customer visit"))
            self.number.setText(
                QCoreApplication.translate("CustomerService", "(numbered when saved)")
            )
            self.status.setText("")
            self.feedback_button.setEnabled(False)
            self.update_buttons()
            return
        v = self.record = visits.get_visit(v.id)
        self.setWindowTitle(
            QCoreApplication.translate("CustomerService", "Customer visit {number}").format(
                number=v.number
            )
        )
        self.number.setText(v.number)
        self.status.setText(enum_label(VisitStatus(v.status)))
        self.customer.set_customer(v.customer_id)
        self.visit_date.setDate(to_qdate(v.visit_date))
        self.sales_people.setText(v.sales_people)
        self.customer_people.setText(v.customer_people)
        self.purpose.setText(v.purpose)
        self.discussion.setPlainText(v.discussion)
        self.requests.setPlainText(v.requests)
        self.follow_up.setPlainText(v.follow_up)
        self.routing_reason.setText(v.routing_reason)
        self.routing.load(v.id)
        self.feedback_button.setEnabled(True)
        self.update_buttons()
        self.add_history()

    def values(self) -> dict[str, Any]:
        """What the form says, as the service's keyword arguments."""
        return {
            "customer_id": self.customer.customer_id(),
            "visit_date": from_qdate(self.visit_date.date()),
            "sales_people": self.sales_people.text(),
            "customer_people": self.customer_people.text(),
            "purpose": self.purpose.text(),
            "discussion": self.discussion.toPlainText(),
            "requests": self.requests.toPlainText(),
            "follow_up": self.follow_up.toPlainText(),
        }

    def _left_out(self) -> tuple[Any, ...]:
        return visit_rules.departments_left_out(
            self.requests.toPlainText(), self.routing.departments()
        )

    def _reason_state(self) -> None:
        """5.1.1: the reason is asked for only while a department is left out."""
        left_out = self._left_out()
        self.routing_reason.setEnabled(self.can_edit and bool(left_out))
        self.routing_reason.setPlaceholderText(
            QCoreApplication.translate(
                "CustomerService", "Required: why the requests do not go to {departments}"
            ).format(departments=", ".join(enum_label(d) for d in left_out))
            if left_out
            else QCoreApplication.translate(
                "CustomerService", "Not needed: the requests go to all four departments"
            )
        )

    def submit(self) -> Callable[[], Visit]:
        """Record the new visit, or save what changed (with the version opened)."""
        values = self.values()
        route = self.routing.departments()
        reason = self.routing_reason.text() if self._left_out() else ""
        actor, version = self.actor, self.opened_version
        if self.record is None:
            return lambda: visits.record_visit(
                actor, route_to=route, routing_reason=reason, **values
            )
        v = self.record
        current = {
            "customer_id": v.customer_id,
            "visit_date": v.visit_date,
            "sales_people": v.sales_people,
            "customer_people": v.customer_people,
            "purpose": v.purpose,
            "discussion": v.discussion,
            "requests": v.requests,
            "follow_up": v.follow_up,
        }
        changed = {k: val for k, val in values.items() if current[k] != val}
        return lambda: visits.update_visit(
            actor,
            visit_id=v.id,
            version=version,
            route_to=route,
            routing_reason=reason,
            **changed,
        )

    def _ticked_by_hand(self) -> None:
        self.ticked_by_hand = True

    def _default_routing(self) -> None:
        if self.record is None and not self.ticked_by_hand:
            wanted = circulation.VISIT_DEPARTMENTS if self.requests.toPlainText().strip() else ()
            self.routing.set_departments(d.value for d in wanted)

    def _routing_changed(self) -> None:
        # An acknowledgement may close the visit (and bump its version): show the new state.
        self.reload_keeping_input()
        self.announce()

    def new_feedback(self) -> Any:
        """Open a new feedback linked to this visit (channel: visit)."""
        if self.record is None:
            return None
        from .feedback import FeedbackEditor

        self.feedback_dialog = FeedbackEditor(
            self.actor,
            None,
            self,
            source={"visit_id": self.record.id, "customer_id": self.record.customer_id},
        )
        self.feedback_dialog.open()
        return self.feedback_dialog


def open_editor(parent: QWidget | None, actor: Actor, record_id: int | None) -> VisitEditor:
    """Open visit *record_id* (``None``: a new visit) in its editor."""
    dialog = VisitEditor(actor, record_id, parent)
    dialog.open()
    dialog.offer_draft()
    return dialog
