"""File → Change my password: any user, the current password required.

The new password is typed twice; a refusal (wrong current password, too short, unchanged) is
shown in the dialog naming the field, and the cursor goes back to that field. Nothing is saved
until every check has passed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import CqmsError
from ..domain.validation import MIN_PASSWORD_LENGTH
from ..services import admin
from ..services.base import Actor
from .error_handling import ERROR_STYLE, error_text
from .field_message import show_field_message
from .window_fit import fit_window


class ChangePasswordDialog(QDialog):
    """Change the logged-in user's own password.

    *current_password*: the password just typed at the log-in, when an administrator asked
    for a new one before the user goes on; it is not asked again."""

    def __init__(
        self,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        current_password: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle(self.tr("Change my password"))
        self.setMinimumWidth(420)
        self.old_password = self._secret("old_password")
        self.password = self._secret("password")
        self.password.setPlaceholderText(
            self.tr("at least {n} characters").format(n=MIN_PASSWORD_LENGTH)
        )
        self.password_again = self._secret("password_again")
        self.fields = {
            "old_password": self.old_password,
            "password": self.password,
            "password_again": self.password_again,
        }
        form = QFormLayout()
        form.addRow(self.tr("&Current password:"), self.old_password)
        form.addRow(self.tr("&New password:"), self.password)
        form.addRow(self.tr("New password &again:"), self.password_again)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Change password"))
        self.buttons.accepted.connect(self.try_change)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("User: {name}").format(name=actor.full_name), self))
        self.forced_note: QLabel | None = None
        if current_password is not None:
            self.forced_note = QLabel(
                self.tr(
                    "An administrator has asked you to choose a new password before you go "
                    "on. Cancel does not log you in."
                ),
                self,
            )
            self.forced_note.setObjectName("forcedNote")
            self.forced_note.setWordWrap(True)
            layout.addWidget(self.forced_note)
            self.old_password.setText(current_password)
            form.setRowVisible(self.old_password, False)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.old_password if current_password is None else self.password).setFocus()
        fit_window(self, "change_password")

    def _secret(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(1024)
        return edit

    def show_message(self, text: str, field: str | None = None) -> None:
        """Show why the input was refused and put the cursor into the field at fault."""
        show_field_message(self.message, self.fields, text, field)

    def try_change(self) -> bool:
        """Change the password; accept the dialog on success."""
        if self.password.text() != self.password_again.text():
            self.password_again.clear()
            self.show_message(self.tr("The two new passwords are not the same."), "password")
            return False
        try:
            admin.change_own_password(
                self.actor,
                old_password=self.old_password.text(),
                new_password=self.password.text(),
            )
        except CqmsError as exc:
            self.show_message(error_text(exc), exc.field)
            return False
        self.accept()
        return True
