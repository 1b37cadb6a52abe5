"""The log-in dialog: user name and password, checked by :func:`services.auth.login`.

A wrong password, a locked or a disabled account keeps the dialog open with the reason shown
under the fields (the password is cleared, the user name kept). The last user name that logged
in on this PC is filled in next time.
"""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import AuthenticationError, CqmsError
from ..services import auth
from ..services.base import Actor
from ..services.database import DatabaseInfo
from ..services.settings_queries import company_name
from .error_handling import ERROR_STYLE, error_text
from .password_dialog import ChangePasswordDialog
from .window_fit import fit_window

log = logging.getLogger(__name__)

#: QSettings key: the user name that last logged in on this PC.
LAST_USER_KEY = "login/last_user"


class LoginDialog(QDialog):
    """Asks for user name and password; on success :attr:`actor` is the logged-in user."""

    def __init__(self, db_info: DatabaseInfo | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("CQMS Desktop — Log in"))
        self.setMinimumWidth(420)

        company = ""
        try:
            company = company_name()
        except Exception:  # the heading is decoration; log-in must work without it
            log.exception("reading the company name failed")
        self.heading = QLabel(company or self.tr("CQMS Desktop"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.subheading = QLabel(self.tr("Customer Service and Complaint Handling"))

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("&User name:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.database = QLabel()
        self.database.setWordWrap(True)
        if db_info is not None:
            self.database.setText(self.tr("Database: {name}").format(name=db_info.display))
        else:
            self.database.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText(self.tr("Log in"))
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        # Opened the wrong database? Pick another one here instead of needing --db/CQMS_DB.
        self.switch_to: str | None = None
        self.db_info = db_info
        self.other_database_button = self.buttons.addButton(
            self.tr("Other &database…"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.other_database_button.clicked.connect(self.choose_other_database)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.database)
        layout.addWidget(self.buttons)

        last = QSettings().value(LAST_USER_KEY, "", type=str)
        if last:
            self.username.setText(last)
            self.password.setFocus()
        else:
            self.username.setFocus()
        fit_window(self, "login")

    def choose_other_database(self) -> bool:
        """Let the user pick another database; if it differs, close the dialog (rejected) with
        :attr:`switch_to` set so start-up opens that one instead. Returns True if switching."""
        from .settings_dialog import SettingsDialog

        current = self.db_info.url if self.db_info is not None else ""
        dialog = SettingsDialog(self, current_url=current, database_only=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        url = dialog.database_url()
        if not url or url == current:
            return False
        self.switch_to = url
        log.info("switching to another database from the log-in dialog")
        self.reject()
        return True

    def _choose_new_password(self) -> bool:
        """An administrator asked this user for a new password: it is chosen now, before the
        main window opens. Cancelled: not logged in."""
        assert self.actor is not None
        log.info("user %s must choose a new password", self.actor.username)
        dialog = ChangePasswordDialog(self.actor, self, current_password=self.password.text())
        try:
            changed = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if not changed:
            self.actor = None
            self.password.clear()
            self.show_message(self.tr("You have to choose a new password to log in."))
            self.password.setFocus()
            return False
        self.actor = dataclasses.replace(self.actor, must_change_password=False)
        return True

    def show_message(self, text: str) -> None:
        """Show *text* as the reason the log-in failed."""
        self.message.setText(text)
        self.message.show()

    def try_login(self) -> bool:
        """Check the entered credentials; accept the dialog on success. Returns success."""
        name = self.username.text().strip()
        if not name:
            self.show_message(self.tr("Enter your user name."))
            self.username.setFocus()
            return False
        try:
            self.actor = auth.login(name, self.password.text())
        except AuthenticationError as exc:
            log.info("log-in refused for %r: %s", name, exc)
            self.show_message(error_text(exc))
            self.password.clear()
            self.password.setFocus()
            return False
        except CqmsError as exc:  # e.g. the database went away
            self.show_message(error_text(exc))
            return False
        if self.actor.must_change_password and not self._choose_new_password():
            return False
        QSettings().setValue(LAST_USER_KEY, self.actor.username)
        log.info("user %s logged in", self.actor.username)
        self.accept()
        return True
