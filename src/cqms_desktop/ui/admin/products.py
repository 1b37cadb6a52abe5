"""Administration: products / part numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ...services import admin
from ...services.admin_queries import get_product
from ...services.base import Actor
from ...services.record_types import Product
from ...services.registers import PRODUCTS
from ..register_view import RegisterView
from ..window_fit import fit_window
from .forms import RecordDialog


class ProductDialog(RecordDialog):
    """Create or edit a product / part number."""

    def __init__(self, actor: Actor, product_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.product = get_product(product_id) if product_id is not None else None
        p = self.product
        self.setWindowTitle(
            self.tr("New product")
            if p is None
            else self.tr("Product {number}").format(number=p.part_number)
        )
        self.part_number = QLineEdit(p.part_number if p else "", self)
        self.name = QLineEdit(p.name if p else "", self)
        self.description = QPlainTextEdit(p.description if p else "", self)
        self.description.setMaximumHeight(100)
        self.active = QCheckBox(self.tr("Active"), self)
        self.active.setChecked(True if p is None else bool(p.active))
        self.fields.add("part_number", self.tr("Part number"), self.part_number)
        self.fields.add("name", self.tr("Name"), self.name)
        self.fields.add("description", self.tr("Description"), self.description)
        self.fields.add("active", "", self.active)
        fit_window(self, "product_dialog", 460, 0)

    def save(self) -> Product:
        """Create the product, or update what changed."""
        values = {
            "part_number": self.part_number.text(),
            "name": self.name.text(),
            "description": self.description.toPlainText(),
            "active": self.active.isChecked(),
        }
        if self.product is None:
            return admin.add_product(self.actor, **values)
        changed = {k: v for k, v in values.items() if getattr(self.product, k) != v}
        return admin.update_product(
            self.actor, product_id=self.product.id, version=self.product.version, **changed
        )


class ProductsPage(QWidget):
    """The list of products with its edit dialog."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.view = RegisterView(
            PRODUCTS, actor, self, settings_key="admin_products", opener=self.edit
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.dialog: ProductDialog | None = None

    def edit(self, product_id: int | None) -> ProductDialog:
        """Open the dialog for *product_id* (``None``: a new product)."""
        self.dialog = ProductDialog(self.actor, product_id, self)
        self.dialog.saved.connect(lambda _r: self.view.refresh())
        self.dialog.open()
        return self.dialog
