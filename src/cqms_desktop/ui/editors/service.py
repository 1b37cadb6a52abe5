"""The technical service and spare-part record editor (5.1.4 / 5.1.5).

One dialog for the five kinds of record; choosing the kind shows the fields it needs:
consultation (subject, details), instructions (product, language, version, date agreed),
spare parts and exchanges (part number, quantity, reason, delivery note) and on-site service
(who, what, result).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from ...domain.enums import Language, ServiceKind, ServiceStatus
from ...services import complaint_queries, service_records
from ...services.base import Actor
from ...services.record_types import ServiceRecord
from ..customer_chooser import CustomerChooser
from ..window_fit import fit_window
from .cs_common import (
    CsEditor,
    OptionalDate,
    date_edit,
    enum_label,
    from_qdate,
    text_box,
    to_qdate,
)

#: The fields each kind shows (the others are hidden).
FIELDS_BY_KIND: dict[ServiceKind, tuple[str, ...]] = {
    ServiceKind.CONSULTATION: ("subject", "details", "product"),
    ServiceKind.INSTRUCTIONS: ("subject", "product", "language", "doc_version", "agreed_on"),
    ServiceKind.SPARE_PARTS: ("part_number", "quantity", "reason", "delivery_note", "details"),
    ServiceKind.EXCHANGE: ("part_number", "quantity", "reason", "delivery_note", "details"),
    ServiceKind.ONSITE: ("performed_by", "subject", "details", "result"),
}
_OPTIONAL = (
    "subject",
    "details",
    "product",
    "language",
    "doc_version",
    "agreed_on",
    "part_number",
    "quantity",
    "reason",
    "delivery_note",
    "performed_by",
    "result",
)


def _enum_combo(parent: QWidget, choices: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox(parent)
    for value, label in choices:
        combo.addItem(QCoreApplication.translate("Enums", label), value)
    return combo


class ServiceEditor(CsEditor):
    """Create or edit one service record."""

    form_kind = "service"
    record_kind = "service"
    table_name = "service_record"

    def __init__(self, actor: Actor, record_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(actor, parent)
        self.number = QLabel(self)
        self.customer = CustomerChooser(self)
        self.customer.setObjectName("customer")
        self.kind = _enum_combo(self, ServiceKind.choices())
        self.kind.setObjectName("kind")
        self.service_date = date_edit(self)
        self.status = _enum_combo(self, ServiceStatus.choices())
        self.subject = QLineEdit(self)
        self.details = text_box(self, height=90)
        self.product = QComboBox(self)
        self.product.addItem(QCoreApplication.translate("CustomerService", "(none)"), None)
        for product_id, label in complaint_queries.product_choices():
            self.product.addItem(label, product_id)
        self.language = _enum_combo(self, Language.choices())
        self.language.insertItem(0, "", "")
        self.language.setCurrentIndex(0)
        self.doc_version = QLineEdit(self)
        self.agreed_on = OptionalDate(
            QCoreApplication.translate("CustomerService", "agreed"), None, self
        )
        self.part_number = QLineEdit(self)
        self.quantity = QSpinBox(self)
        self.quantity.setRange(0, 1_000_000)
        self.reason = text_box(self, height=60)
        self.delivery_note = QLineEdit(self)
        self.performed_by = QLineEdit(self)
        self.result = text_box(self, height=70)
        f = self.fields
        f.add("number", QCoreApplication.translate("CustomerService", "Number"), self.number)
        f.add("customer", QCoreApplication.translate("CustomerService", "Customer"), self.customer)
        f.add("kind", QCoreApplication.translate("CustomerService", "Kind of service"), self.kind)
        f.add(
            "service_date", QCoreApplication.translate("CustomerService", "Date"), self.service_date
        )
        f.add(
            "performed_by",
            QCoreApplication.translate("CustomerService", "Performed by"),
            self.performed_by,
        )
        f.add("subject", QCoreApplication.translate("CustomerService", "Subject"), self.subject)
        f.add("product", QCoreApplication.translate("CustomerService", "Product"), self.product)
        f.add(
            "language",
            QCoreApplication.translate("CustomerService", "Language of the instructions"),
            self.language,
        )
        f.add(
            "doc_version",
            QCoreApplication.translate("CustomerService", "Version"),
            self.doc_version,
        )
        f.add(
            "agreed_on",
            QCoreApplication.translate("CustomerService", "Date agreed with the customer"),
            self.agreed_on,
        )
        f.add(
            "part_number",
            QCoreApplication.translate("CustomerService", "Part number"),
            self.part_number,
        )
        f.add("quantity", QCoreApplication.translate("CustomerService", "Quantity"), self.quantity)
        f.add("reason", QCoreApplication.translate("CustomerService", "Reason"), self.reason)
        f.add(
            "delivery_note",
            QCoreApplication.translate("CustomerService", "Delivery note"),
            self.delivery_note,
        )
        f.add("details", QCoreApplication.translate("CustomerService", "Details"), self.details)
        f.add("result", QCoreApplication.translate("CustomerService", "Result"), self.result)
        f.add("status", QCoreApplication.translate("CustomerService", "Status"), self.status)
        self.kind.currentIndexChanged.connect(self.show_kind_fields)
        self.body_layout.addStretch(1)
        self.track_inputs({"customer": self.customer, "kind": self.kind, **self._value_inputs()})
        self.start(None if record_id is None else service_records.get_service_record(record_id))
        fit_window(self, "service_editor", 640, 720)

    def show_kind_fields(self) -> None:
        """Show only the fields the chosen kind needs."""
        kind = ServiceKind(self.kind.currentData())
        wanted = set(FIELDS_BY_KIND[kind])
        for name in _OPTIONAL:
            widget = self.fields.widgets[name]
            holder = widget.parentWidget()
            visible = name in wanted
            self.fields.form.setRowVisible(holder, visible)

    def _value_inputs(self) -> dict[str, QWidget]:
        return {
            "service_date": self.service_date,
            "status": self.status,
            **{name: self.fields.widgets[name] for name in _OPTIONAL},
        }

    def show_record(self) -> None:
        """Show the saved record."""
        r = self.record
        if r is None:
            self.setWindowTitle(QCoreApplication.translate("CustomerService", "New service record"))
            self.number.setText(
                QCoreApplication.translate("CustomerService", "(numbered when saved)")
            )
            self.show_kind_fields()
            self.update_buttons()
            return
        r = self.record = service_records.get_service_record(r.id)
        self.setWindowTitle(
            QCoreApplication.translate("CustomerService", "{kind} {number}").format(
                kind=enum_label(ServiceKind(r.kind)), number=r.number
            )
        )
        self.number.setText(r.number)
        self.customer.set_customer(r.customer_id)
        self.kind.setCurrentIndex(max(self.kind.findData(r.kind), 0))
        self.service_date.setDate(to_qdate(r.service_date))
        self.status.setCurrentIndex(max(self.status.findData(r.status), 0))
        self.subject.setText(r.subject)
        self.details.setPlainText(r.details)
        self.product.setCurrentIndex(max(self.product.findData(r.product_id), 0))
        self.language.setCurrentIndex(max(self.language.findData(r.language), 0))
        self.doc_version.setText(r.doc_version)
        self.agreed_on.set_value(r.agreed_on)
        self.part_number.setText(r.part_number)
        self.quantity.setValue(r.quantity or 0)
        self.reason.setPlainText(r.reason)
        self.delivery_note.setText(r.delivery_note)
        self.performed_by.setText(r.performed_by)
        self.result.setPlainText(r.result)
        self.show_kind_fields()
        self.update_buttons()
        self.add_history()

    def values(self) -> dict[str, Any]:
        """What the form says (only the chosen kind's fields), as service keyword arguments."""
        kind = ServiceKind(self.kind.currentData())
        everything: dict[str, Any] = {
            "subject": self.subject.text(),
            "details": self.details.toPlainText(),
            "product_id": self.product.currentData(),
            "language": self.language.currentData() or "",
            "doc_version": self.doc_version.text(),
            "agreed_on": self.agreed_on.value(),
            "part_number": self.part_number.text(),
            "quantity": self.quantity.value() or None,
            "reason": self.reason.toPlainText(),
            "delivery_note": self.delivery_note.text(),
            "performed_by": self.performed_by.text(),
            "result": self.result.toPlainText(),
        }
        wanted = {"product_id" if n == "product" else n for n in FIELDS_BY_KIND[kind]}
        values = {k: v for k, v in everything.items() if k in wanted}
        values.update(
            customer_id=self.customer.customer_id(),
            kind=kind.value,
            service_date=from_qdate(self.service_date.date()),
            status=self.status.currentData(),
        )
        return values

    def submit(self) -> Callable[[], ServiceRecord]:
        """Create the record, or save what changed with the version opened."""
        values = self.values()
        actor, version = self.actor, self.opened_version
        if self.record is None:
            return lambda: service_records.add_service_record(actor, **values)
        r = self.record
        current = {
            "customer_id": r.customer_id,
            "kind": r.kind,
            "service_date": r.service_date,
            "status": r.status,
            "subject": r.subject,
            "details": r.details,
            "product_id": r.product_id,
            "language": r.language,
            "doc_version": r.doc_version,
            "agreed_on": r.agreed_on,
            "part_number": r.part_number,
            "quantity": r.quantity,
            "reason": r.reason,
            "delivery_note": r.delivery_note,
            "performed_by": r.performed_by,
            "result": r.result,
        }
        changed = {k: v for k, v in values.items() if current[k] != v}
        return lambda: service_records.update_service_record(
            actor, record_id=r.id, version=version, **changed
        )


def open_editor(parent: QWidget | None, actor: Actor, record_id: int | None) -> ServiceEditor:
    """Open service record *record_id* (``None``: a new one) in its editor."""
    dialog = ServiceEditor(actor, record_id, parent)
    dialog.open()
    dialog.offer_draft()
    return dialog
