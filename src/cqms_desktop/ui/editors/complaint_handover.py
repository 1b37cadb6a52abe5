"""The hand-over of a quality-problem feedback to QA (5.2.1): the dialog in which Sales
completes the complaint's registration data — product, lot, quantities, defect category,
the customer's request and the description — before the complaint is registered.

The quick feedback registration stays short (anyone takes a call); what the complaint form
needs is asked when Sales declares the feedback a complaint, prefilled from the feedback.
Refusals are shown next to their field and the dialog keeps what was typed.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain import complaint_rules as rules
from ...domain.enums import Severity
from ...domain.errors import CqmsError
from ...services import complaint_queries
from ...services import feedback as feedback_service
from ...services.base import Actor
from ...services.record_types import Feedback
from ..defect_category_box import DefectCategoryBox
from ..error_handling import error_box
from ..field_form import FieldForm
from ..operations import call_and_wait
from ..window_fit import fit_window

log = logging.getLogger(__name__)


def _label(name: str) -> str:
    return QCoreApplication.translate("Fields", rules.label_of(name))


class HandOverDialog(QDialog):
    """Complete the complaint's registration data, then send the feedback to QA."""

    #: Emitted with the complaint once it is registered.
    handed_over = Signal(object)

    def __init__(self, actor: Actor, feedback: Feedback, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.feedback_id = int(feedback.id)
        self.version = int(feedback.version)
        self.message_box: QMessageBox | None = None
        self.setWindowTitle(
            QCoreApplication.translate("HandOver", "Send {number} to QA as a complaint").format(
                number=feedback.number
            )
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FieldForm(self, form)
        self.product = QComboBox(self)
        self.product.addItem("", None)
        for product_id, text in complaint_queries.product_choices():
            self.product.addItem(text, product_id)
        self.lot = QLineEdit(self)
        self.qty_affected = QLineEdit(self)
        self.qty_delivered = QLineEdit(self)
        self.defect_category = DefectCategoryBox(self)
        self.defect_category.load()
        self.severity = QComboBox(self)
        for value, label in Severity.choices():
            self.severity.addItem(QCoreApplication.translate("Enums", label), value)
        urgent = Severity.URGENT.value if feedback.urgent else Severity.NORMAL.value
        self.severity.setCurrentIndex(max(self.severity.findData(urgent), 0))
        self.description = QPlainTextEdit(feedback.description, self)
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(70)
        self.customer_request = QPlainTextEdit(self)
        self.customer_request.setTabChangesFocus(True)
        self.customer_request.setMaximumHeight(60)
        for name in (
            "product",
            "lot",
            "qty_affected",
            "qty_delivered",
            "defect_category",
            "severity",
            "description",
            "customer_request",
        ):
            widget: QWidget = getattr(self, name)
            widget.setObjectName(name)
            self.fields.add(name, _label(name), widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.send_button = self.buttons.addButton(
            QCoreApplication.translate("HandOver", "Register complaint and send to QA"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_window(self, "hand_over", 560, 0)

    def values(self) -> dict[str, Any]:
        """What the dialog says, as :func:`feedback.send_to_qa` keyword arguments."""
        return {
            "product_id": self.product.currentData(),
            "lot": self.lot.text(),
            "qty_affected": self.qty_affected.text(),
            "qty_delivered": self.qty_delivered.text(),
            "defect_category": self.defect_category.input_value(),
            "severity": self.severity.currentData(),
            "description": self.description.toPlainText(),
            "customer_request": self.customer_request.toPlainText(),
        }

    def send(self) -> Any:
        """Register the complaint; on success close and emit :attr:`handed_over`, else show
        why next to the field and keep everything typed. Returns the complaint or ``None``."""
        self.fields.clear_errors()
        values = self.values()  # read here: the call runs on the database worker
        ok, result = call_and_wait(
            lambda: feedback_service.send_to_qa(
                self.actor, feedback_id=self.feedback_id, version=self.version, **values
            )
        )
        if not ok:
            if isinstance(result, CqmsError):
                self.fields.show_error(result)
            else:  # shown, never swallowed
                log.error("sending the feedback to QA failed", exc_info=result)
                self.message_box = error_box(self, result)
                self.message_box.open()
            return None
        complaint = result
        self.accept()
        self.handed_over.emit(complaint)
        return complaint
