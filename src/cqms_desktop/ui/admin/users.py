"""Administration: user accounts (name, department, administrator flag, active, password)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Department
from ...domain.errors import ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...services import admin
from ...services.admin_queries import get_user
from ...services.base import Actor
from ...services.record_types import User
from ...services.registers import USERS
from ..i18n import enum_text
from ..register_view import RegisterView
from ..window_fit import fit_window
from .forms import RecordDialog


def department_combo(parent: QWidget, current: str | None = None) -> QComboBox:
    """A combo box of the procedure's six departments (data: the code)."""
    combo = QComboBox(parent)
    for value, label in Department.choices():
        combo.addItem(enum_text(label), value)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class PasswordDialog(RecordDialog):
    """Set a new password for a user (also unlocks a locked account)."""

    def __init__(self, actor: Actor, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.user_id = user_id
        user = get_user(actor, user_id)
        self.setWindowTitle(self.tr("New password for {name}").format(name=user.username))
        self.password = self._secret()
        self.repeat = self._secret()
        self.fields.add("password", self.tr("New password"), self.password)
        self.fields.add("repeat", self.tr("Repeat the password"), self.repeat)
        # The administrator knows this password: by default the user replaces it.
        self.must_change = QCheckBox(self.tr("Must choose a new password at the next log-in"))
        self.must_change.setChecked(True)
        self.fields.add("must_change_password", "", self.must_change)

    def _secret(self) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def save(self) -> None:
        """Check both entries match, then store the new password."""
        check_repeat(self.password.text(), self.repeat.text())
        admin.set_password(
            self.actor,
            user_id=self.user_id,
            password=self.password.text(),
            must_change_password=self.must_change.isChecked(),
        )


def check_repeat(password: str, repeat: str) -> None:
    """Refuse two different password entries (field ``repeat``)."""
    if password != repeat:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The two passwords are not the same."),
            field="repeat",
        )


class UserDialog(RecordDialog):
    """Create or edit a user account."""

    def __init__(self, actor: Actor, user_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.user_id = user_id
        self.user = get_user(actor, user_id) if user_id is not None else None
        u = self.user
        self.setWindowTitle(
            self.tr("New user") if u is None else self.tr("User {name}").format(name=u.username)
        )
        self.username = QLineEdit(u.username if u else "", self)
        self.username.setReadOnly(u is not None)  # the log-in name is kept in the audit trail
        self.full_name = QLineEdit(u.full_name if u else "", self)
        self.department = department_combo(self, u.department if u else None)
        self.email = QLineEdit(u.email if u else "", self)
        self.is_admin = QCheckBox(self.tr("Administrator"), self)
        self.is_admin.setChecked(bool(u and u.is_admin))
        self.active = QCheckBox(self.tr("Active (may log in)"), self)
        self.active.setChecked(True if u is None else bool(u.active))
        self.must_change = QCheckBox(self.tr("Must choose a new password at the next log-in"))
        self.must_change.setObjectName("mustChangePassword")
        # A new user's password is the administrator's choice: by default replaced at once.
        self.must_change.setChecked(True if u is None else bool(u.must_change_password))
        f = self.fields
        f.add("username", self.tr("User name"), self.username)
        f.add("full_name", self.tr("Full name"), self.full_name)
        f.add("department", self.tr("Department"), self.department)
        f.add("email", self.tr("E-mail"), self.email)
        f.add("is_admin", "", self.is_admin)
        f.add("active", "", self.active)
        f.add("must_change_password", "", self.must_change)
        self.password: QLineEdit | None = None
        self.repeat: QLineEdit | None = None
        self.password_button: QPushButton | None = None
        if u is None:
            self.password = QLineEdit(self)
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
            self.repeat = QLineEdit(self)
            self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
            f.add("password", self.tr("Password"), self.password)
            f.add("repeat", self.tr("Repeat the password"), self.repeat)
        else:
            self.password_button = QPushButton(self.tr("Set a new password…"), self)
            self.password_button.clicked.connect(self.change_password)
            f.add("password", self.tr("Password"), self.password_button)
        fit_window(self, "user_dialog", 440, 0)

    def values(self) -> dict[str, Any]:
        """What the form says, as the service's keyword arguments."""
        return {
            "full_name": self.full_name.text(),
            "department": self.department.currentData(),
            "email": self.email.text(),
            "is_admin": self.is_admin.isChecked(),
            "active": self.active.isChecked(),
            "must_change_password": self.must_change.isChecked(),
        }

    def save(self) -> User:
        """Create the user, or update what changed."""
        values = self.values()
        if self.user is None:
            assert self.password is not None and self.repeat is not None
            check_repeat(self.password.text(), self.repeat.text())
            values.pop("active")
            return admin.add_user(
                self.actor, username=self.username.text(), password=self.password.text(), **values
            )
        changed = {k: v for k, v in values.items() if getattr(self.user, k) != v}
        return admin.update_user(
            self.actor, user_id=self.user.id, version=self.user.version, **changed
        )

    def change_password(self) -> PasswordDialog:
        """Open the new-password dialog."""
        assert self.user is not None
        dialog = PasswordDialog(self.actor, self.user.id, self)
        dialog.open()
        self.password_dialog = dialog
        return dialog


class UsersPage(QWidget):
    """The list of user accounts with its edit dialog."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.view = RegisterView(USERS, actor, self, settings_key="admin_users", opener=self.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.dialog: UserDialog | None = None

    def edit(self, user_id: int | None) -> UserDialog:
        """Open the dialog for *user_id* (``None``: a new user)."""
        self.dialog = UserDialog(self.actor, user_id, self)
        self.dialog.saved.connect(lambda _r: self.view.refresh())
        self.dialog.open()
        return self.dialog
