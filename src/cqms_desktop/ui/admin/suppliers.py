"""Administration: suppliers (code, name, contacts, e-mail, phone, form language, active).

QA raises Supplier Corrective Action Requests against them (5.2.3 c); the SCAR form is printed
in the supplier's language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Language
from ...domain.errors import CqmsError
from ...services import suppliers
from ...services.base import Actor
from ...services.record_types import Supplier
from ..register_view import RegisterView
from ..window_fit import fit_window
from .forms import RecordDialog


class SupplierDialog(RecordDialog):
    """Create, correct, deactivate or delete one supplier."""

    def __init__(self, actor: Actor, supplier_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.supplier = suppliers.get_supplier(supplier_id) if supplier_id is not None else None
        s = self.supplier
        self.setWindowTitle(
            self.tr("New supplier") if s is None else self.tr("Supplier {code}").format(code=s.code)
        )
        self.code = QLineEdit(s.code if s else "", self)
        self.name = QLineEdit(s.name if s else "", self)
        self.contacts = QPlainTextEdit(s.contacts if s else "", self)
        self.contacts.setMaximumHeight(80)
        self.contacts.setTabChangesFocus(True)
        self.email = QLineEdit(s.email if s else "", self)
        self.phone = QLineEdit(s.phone if s else "", self)
        self.language = QComboBox(self)
        for value, label in Language.choices():
            self.language.addItem(QCoreApplication.translate("Enums", label), value)
        self.language.setCurrentIndex(max(self.language.findData(s.language if s else "zh"), 0))
        self.active = QCheckBox(self.tr("Active (offered when raising a SCAR)"), self)
        self.active.setChecked(True if s is None else bool(s.active))
        f = self.fields
        f.add("code", self.tr("Code"), self.code)
        f.add("name", self.tr("Name"), self.name)
        f.add("contacts", self.tr("Contacts"), self.contacts)
        f.add("email", self.tr("E-mail"), self.email)
        f.add("phone", self.tr("Phone"), self.phone)
        f.add("language", self.tr("Form language"), self.language)
        f.add("active", "", self.active)
        self.delete_button = None
        if s is not None:
            self.delete_button = self.buttons.addButton(
                self.tr("Delete"), QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.delete_button.clicked.connect(self.try_delete)
        fit_window(self, "supplier_dialog", 480, 0)

    def save(self) -> Supplier:
        """Create the supplier, or update what changed."""
        values = {
            "code": self.code.text(),
            "name": self.name.text(),
            "contacts": self.contacts.toPlainText(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "language": self.language.currentData(),
            "active": self.active.isChecked(),
        }
        if self.supplier is None:
            return suppliers.add_supplier(self.actor, **values)
        changed = {k: v for k, v in values.items() if getattr(self.supplier, k) != v}
        return suppliers.update_supplier(
            self.actor, supplier_id=self.supplier.id, version=self.supplier.version, **changed
        )

    def try_delete(self) -> bool:
        """Delete the supplier (refused, with the reason, while a SCAR names it)."""
        assert self.supplier is not None
        self.fields.clear_errors()
        try:
            suppliers.delete_supplier(
                self.actor, supplier_id=self.supplier.id, version=self.supplier.version
            )
        except CqmsError as exc:
            self.fields.show_error(exc)
            return False
        self.saved.emit(None)
        self.accept()
        return True


class SuppliersPage(QWidget):
    """The supplier list with its edit dialog."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.view = RegisterView(
            suppliers.SUPPLIERS, actor, self, settings_key="admin_suppliers", opener=self.edit
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.dialog: SupplierDialog | None = None

    def edit(self, supplier_id: int | None) -> SupplierDialog:
        """Open the dialog for *supplier_id* (``None``: a new supplier)."""
        self.dialog = SupplierDialog(self.actor, supplier_id, self)
        self.dialog.saved.connect(lambda _r: self.view.refresh())
        self.dialog.open()
        return self.dialog
