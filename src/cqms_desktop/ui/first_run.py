"""First start: company name and the first administrator, then demonstration data on request.

Shown instead of the log-in dialog while the database has no user
(:func:`services.admin.needs_first_run`). The administrator is logged in straight away. If the
user ticks "Load demonstration data", :func:`load_demo_data` fills every tab with the
deterministic demonstration records (``services.demo.generate_demo``) on a worker thread, with
a progress dialog that can be cancelled.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import CqmsError
from ..domain.validation import MIN_PASSWORD_LENGTH
from ..services import admin, auth
from ..services.base import Actor
from .error_handling import error_text, show_error
from .field_message import show_field_message
from .jobs import JobOutcome, run_job
from .login_dialog import ERROR_STYLE, LAST_USER_KEY
from .window_fit import fit_window

if TYPE_CHECKING:
    from ..services.demo import DemoSummary

log = logging.getLogger(__name__)


class FirstRunDialog(QDialog):
    """Company name + first administrator. After acceptance :attr:`actor` is logged in and
    :attr:`load_demo` says whether the user asked for demonstration data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor: Actor | None = None
        self.load_demo = False
        self.setWindowTitle(self.tr("CQMS Desktop — First start"))
        self.setMinimumWidth(520)

        heading = QLabel(self.tr("Welcome to CQMS Desktop"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            self.tr(
                "This database is new. Enter your company's name and create the first "
                "administrator account. The administrator then adds the other users, the "
                "customers and the products."
            )
        )
        intro.setWordWrap(True)

        self.company_name = QLineEdit()
        self.company_name.setMaxLength(200)
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(100)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("at least {n} characters").format(n=MIN_PASSWORD_LENGTH)
        )
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields: dict[str, QLineEdit] = {
            "company_name": self.company_name,
            "username": self.username,
            "full_name": self.full_name,
            "password": self.password,
        }
        for name, edit in self.fields.items():
            edit.setObjectName(name)
        self.password_again.setObjectName("password_again")

        form = QFormLayout()
        form.addRow(self.tr("&Company name:"), self.company_name)
        form.addRow(self.tr("Administrator's &user name:"), self.username)
        form.addRow(self.tr("&Full name:"), self.full_name)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("Password &again:"), self.password_again)

        self.demo_checkbox = QCheckBox(
            self.tr("&Load demonstration data (customers, users and records in every tab)")
        )
        self.demo_checkbox.setObjectName("load_demo")
        demo_note = QLabel(
            self.tr(
                "Recommended for trying the program out; leave it unticked for the database "
                "your company will really use."
            )
        )
        demo_note.setWordWrap(True)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText(self.tr("Create and log in"))
        self.buttons.accepted.connect(self.try_create)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.demo_checkbox)
        layout.addWidget(demo_note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.company_name.setFocus()
        fit_window(self, "first_run")

    def show_message(self, text: str, field: str | None = None) -> None:
        """Show why the input was refused and put the cursor into the field at fault."""
        show_field_message(self.message, self.fields, text, field)

    def try_create(self) -> bool:
        """Create the company settings and the administrator; accept on success."""
        if self.password.text() != self.password_again.text():
            self.show_message(self.tr("The two passwords are not the same."), "password")
            self.password_again.clear()
            return False
        try:
            user = admin.first_run(
                company_name=self.company_name.text(),
                username=self.username.text(),
                full_name=self.full_name.text(),
                password=self.password.text(),
            )
            # Log in properly (records the log-in time) with the password just chosen.
            self.actor = auth.login(user.username, self.password.text())
        except CqmsError as exc:
            self.show_message(error_text(exc), exc.field)
            return False
        QSettings().setValue(LAST_USER_KEY, user.username)
        self.load_demo = self.demo_checkbox.isChecked()
        log.info("first start: administrator %s created", user.username)
        self.accept()
        return True


def _generate(progress, cancelled):  # runs on the worker thread
    # Imported here: the demo module is large and only needed on request.
    from ..services.demo import generate_demo

    return generate_demo(seed=1, scale=1, progress=progress, cancelled=cancelled)


def demo_summary_text(summary: DemoSummary) -> str:
    """What the demonstration load created, and how to log in as the demonstration users."""
    text = QCoreApplication.translate(
        "FirstRun", "Demonstration data loaded: {records} records in the registers."
    ).format(records=summary.records)
    if summary.users:
        names = ", ".join(name for name, _full, _dept in summary.users)
        text += "\n\n" + QCoreApplication.translate(
            "FirstRun",
            "Demonstration users (one per department): {names}.\n\n"
            "Password for all of them: {password}",
        ).format(names=names, password=summary.password)
    return text


def load_demo_data(parent: QWidget | None) -> JobOutcome:
    """Generate the demonstration data with a progress dialog; tell the user how it ended."""
    outcome = run_job(
        parent,
        QCoreApplication.translate("FirstRun", "Demonstration data"),
        _generate,
        label=QCoreApplication.translate(
            "FirstRun", "Loading demonstration data: customers, users and records…"
        ),
    )
    title = QCoreApplication.translate("FirstRun", "Demonstration data")
    if outcome.error is not None:
        show_error(parent, outcome.error)
    elif outcome.cancelled:
        QMessageBox.information(
            parent,
            title,
            QCoreApplication.translate(
                "FirstRun", "Loading the demonstration data was cancelled; nothing was saved."
            ),
        )
    elif outcome.succeeded and outcome.result is not None:
        QMessageBox.information(parent, title, demo_summary_text(outcome.result))
    return outcome


def run_first_start(parent: QWidget | None = None) -> Actor | None:
    """The first-start flow: the dialog, then demonstration data if asked. Returns the logged-in
    administrator, or None if the user cancelled."""
    dialog = FirstRunDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return None
    if dialog.load_demo:
        load_demo_data(parent)
    return dialog.actor


__all__ = ["FirstRunDialog", "load_demo_data", "run_first_start"]
