"""Administration: customers (code, name, address, contacts, form language, Sales person)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Language
from ...services import admin
from ...services.admin_queries import get_customer, sales_rep_choices
from ...services.base import Actor
from ...services.record_types import Customer
from ...services.registers import CUSTOMERS
from ..register_view import RegisterView
from ..window_fit import fit_window
from .forms import RecordDialog


def _text_box(parent: QWidget, text: str, height: int = 80) -> QPlainTextEdit:
    box = QPlainTextEdit(text, parent)
    box.setMaximumHeight(height)
    box.setTabChangesFocus(True)
    return box


class CustomerDialog(RecordDialog):
    """Create or edit a customer."""

    def __init__(self, actor: Actor, customer_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.customer = get_customer(customer_id) if customer_id is not None else None
        c = self.customer
        self.setWindowTitle(
            self.tr("New customer") if c is None else self.tr("Customer {code}").format(code=c.code)
        )
        self.code = QLineEdit(c.code if c else "", self)
        self.name = QLineEdit(c.name if c else "", self)
        self.address = _text_box(self, c.address if c else "")
        self.contacts = _text_box(self, c.contacts if c else "")
        self.phone = QLineEdit(c.phone if c else "", self)
        self.email = QLineEdit(c.email if c else "", self)
        self.language = QComboBox(self)
        for value, label in Language.choices():
            self.language.addItem(QCoreApplication.translate("Enums", label), value)
        self.language.setCurrentIndex(max(self.language.findData(c.language if c else "zh"), 0))
        self.sales_rep = self._sales_rep_combo(c.sales_rep_id if c else None)
        self.active = QCheckBox(self.tr("Active customer"), self)
        self.active.setChecked(True if c is None else bool(c.active))
        self.notes = _text_box(self, c.notes if c else "", 60)
        f = self.fields
        f.add("code", self.tr("Code"), self.code)
        f.add("name", self.tr("Name"), self.name)
        f.add("address", self.tr("Address"), self.address)
        f.add("contacts", self.tr("Contacts"), self.contacts)
        f.add("phone", self.tr("Phone"), self.phone)
        f.add("email", self.tr("E-mail"), self.email)
        f.add("language", self.tr("Form language"), self.language)
        f.add("sales_rep", self.tr("Responsible Sales person"), self.sales_rep)
        f.add("active", "", self.active)
        f.add("notes", self.tr("Notes"), self.notes)
        fit_window(self, "customer_dialog", 520, 0)

    def _sales_rep_combo(self, current: int | None) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(self.tr("(nobody)"), None)
        for user_id, full_name, username in sales_rep_choices(current):
            combo.addItem(f"{full_name} ({username})", user_id)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
        return combo

    def values(self) -> dict[str, Any]:
        """What the form says, as the service's keyword arguments."""
        return {
            "code": self.code.text(),
            "name": self.name.text(),
            "address": self.address.toPlainText(),
            "contacts": self.contacts.toPlainText(),
            "phone": self.phone.text(),
            "email": self.email.text(),
            "language": self.language.currentData(),
            "sales_rep": self.sales_rep.currentData(),
            "active": self.active.isChecked(),
            "notes": self.notes.toPlainText(),
        }

    def save(self) -> Customer:
        """Create the customer, or update what changed."""
        values = self.values()
        if self.customer is None:
            return admin.add_customer(self.actor, **values)
        current = {k: getattr(self.customer, k) for k in values if k != "sales_rep"}
        current["sales_rep"] = self.customer.sales_rep_id
        changed = {k: v for k, v in values.items() if current[k] != v}
        return admin.update_customer(
            self.actor, customer_id=self.customer.id, version=self.customer.version, **changed
        )


class CustomersPage(QWidget):
    """The list of customers with its edit dialog."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.view = RegisterView(
            CUSTOMERS, actor, self, settings_key="admin_customers", opener=self.edit
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.dialog: CustomerDialog | None = None

    def edit(self, customer_id: int | None) -> CustomerDialog:
        """Open the dialog for *customer_id* (``None``: a new customer)."""
        self.dialog = CustomerDialog(self.actor, customer_id, self)
        self.dialog.saved.connect(lambda _r: self.view.refresh())
        self.dialog.open()
        return self.dialog
