"""Administration: the managed defect-category list (code + Chinese, English, German labels).

Complaints store the code; the labels are what lists, charts and forms show in each language,
and any of them (or the code) is accepted when typing or importing a category.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from ...domain.errors import CqmsError
from ...services import defect_categories
from ...services.base import Actor
from ...services.record_types import DefectCategory
from ..register_view import RegisterView
from ..window_fit import fit_window
from .forms import RecordDialog


class DefectCategoryDialog(RecordDialog):
    """Create, correct, deactivate or delete one defect category."""

    def __init__(self, actor: Actor, category_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.category = (
            defect_categories.get_category(category_id) if category_id is not None else None
        )
        c = self.category
        self.setWindowTitle(
            self.tr("New defect category")
            if c is None
            else self.tr("Defect category {code}").format(code=c.code)
        )
        self.code = QLineEdit(c.code if c else "", self)
        self.label_zh = QLineEdit(c.label_zh if c else "", self)
        self.label_en = QLineEdit(c.label_en if c else "", self)
        self.label_de = QLineEdit(c.label_de if c else "", self)
        self.active = QCheckBox(self.tr("Active (offered when registering complaints)"), self)
        self.active.setChecked(True if c is None else bool(c.active))
        self.fields.add("code", self.tr("Code"), self.code)
        self.fields.add("label_zh", self.tr("Chinese label"), self.label_zh)
        self.fields.add("label_en", self.tr("English label"), self.label_en)
        self.fields.add("label_de", self.tr("German label"), self.label_de)
        self.fields.add("active", "", self.active)
        self.delete_button = None
        if c is not None:
            self.delete_button = self.buttons.addButton(
                self.tr("Delete"), QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.delete_button.clicked.connect(self.try_delete)
        fit_window(self, "defect_category_dialog", 420, 0)

    def save(self) -> DefectCategory:
        """Create the category, or update what changed."""
        values = {
            "code": self.code.text(),
            "label_zh": self.label_zh.text(),
            "label_en": self.label_en.text(),
            "label_de": self.label_de.text(),
            "active": self.active.isChecked(),
        }
        if self.category is None:
            return defect_categories.add_category(self.actor, **values)
        changed = {k: v for k, v in values.items() if getattr(self.category, k) != v}
        return defect_categories.update_category(
            self.actor, category_id=self.category.id, version=self.category.version, **changed
        )

    def try_delete(self) -> bool:
        """Delete the category (refused, with the reason, while complaints use it)."""
        assert self.category is not None
        self.fields.clear_errors()
        try:
            defect_categories.delete_category(
                self.actor, category_id=self.category.id, version=self.category.version
            )
        except CqmsError as exc:
            self.fields.show_error(exc)
            return False
        self.saved.emit(None)
        self.accept()
        return True


class DefectCategoriesPage(QWidget):
    """The defect-category list with its edit dialog."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.view = RegisterView(
            defect_categories.DEFECT_CATEGORIES,
            actor,
            self,
            settings_key="admin_defect_categories",
            opener=self.edit,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.dialog: DefectCategoryDialog | None = None

    def edit(self, category_id: int | None) -> DefectCategoryDialog:
        """Open the dialog for *category_id* (``None``: a new category)."""
        self.dialog = DefectCategoryDialog(self.actor, category_id, self)
        self.dialog.saved.connect(lambda _r: self.view.refresh())
        self.dialog.open()
        return self.dialog
