"""Administration: the six departments of section 4 (display name, e-mail, active).

The department codes are the procedure's and fixed; only their names and contact change.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain import enums as E
from ...services import admin
from ...services.admin_queries import DEPARTMENTS, get_department
from ...services.base import Actor
from ...services.record_types import Department
from ..register_view import RegisterView
from ..window_fit import fit_window
from .forms import RecordDialog


class DepartmentDialog(RecordDialog):
    """Rename a department or change its e-mail / active flag."""

    def __init__(self, actor: Actor, department_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.department = get_department(department_id)
        d = self.department
        try:
            procedure_name = QCoreApplication.translate("Enums", E.Department(d.code).label)
        except ValueError:
            procedure_name = d.code
        self.setWindowTitle(self.tr("Department {name}").format(name=procedure_name))
        self.name = QLineEdit(d.name, self)
        self.email = QLineEdit(d.email, self)
        self.active = QCheckBox(self.tr("Active"), self)
        self.active.setChecked(bool(d.active))
        self.fields.add("code", self.tr("Procedure department"), QLabel(procedure_name, self))
        self.fields.add("name", self.tr("Name"), self.name)
        self.fields.add("email", self.tr("E-mail"), self.email)
        self.fields.add("active", "", self.active)
        fit_window(self, "department_dialog", 420, 0)

    def save(self) -> Department:
        """Store what changed."""
        values = {
            "name": self.name.text(),
            "email": self.email.text(),
            "active": self.active.isChecked(),
        }
        changed = {k: v for k, v in values.items() if getattr(self.department, k) != v}
        return admin.update_department(
            self.actor,
            department_id=self.department.id,
            version=self.department.version,
            **changed,
        )


class DepartmentsPage(QWidget):
    """The six departments with their edit dialog (no new ones: the procedure names them)."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.view = RegisterView(
            DEPARTMENTS,
            actor,
            self,
            settings_key="admin_departments",
            opener=self.edit,
            can_create=False,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.dialog: DepartmentDialog | None = None

    def edit(self, department_id: int | None) -> DepartmentDialog | None:
        """Open the dialog for *department_id*."""
        if department_id is None:
            return None
        self.dialog = DepartmentDialog(self.actor, department_id, self)
        self.dialog.saved.connect(lambda _r: self.view.refresh())
        self.dialog.open()
        return self.dialog
