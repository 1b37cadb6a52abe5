"""Administration → Mail: the office's SMTP server and sender, the reminder escalation, the
message texts in Chinese, English and German, and "Send test message".

The settings are shared in the database (every PC and the daily ``cqms remind`` task send the
same way); the password goes to *this PC's* credential store only — the page never shows it,
and says so where the PC has no credential store (then ``CQMS_SMTP_PASSWORD``). Loading,
saving and the test message run on the database worker (``ui/operations``): the test may wait
for the server's whole time-out.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import CqmsError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...domain.mail_settings import DEFAULT_PORTS, PLAIN, SSL, STARTTLS
from ...domain.mail_templates import LANGUAGES, PLACEHOLDERS, TEMPLATE_KINDS
from ...services import mail_admin
from ...services.base import Actor
from ..field_form import FieldForm
from ..operations import CollectionOp, QueryOp, report_failure

SECURITY_LABELS: dict[str, str] = {
    STARTTLS: QT_TRANSLATE_NOOP("MailSettings", "STARTTLS (port 587)"),
    SSL: QT_TRANSLATE_NOOP("MailSettings", "SSL/TLS (port 465)"),
    PLAIN: QT_TRANSLATE_NOOP("MailSettings", "No encryption (office relay only)"),
}
KIND_LABELS: dict[str, str] = {
    "form": QT_TRANSLATE_NOOP("MailSettings", "Form to the customer"),
    "digest": QT_TRANSLATE_NOOP("MailSettings", "Daily reminder"),
    "escalation": QT_TRANSLATE_NOOP("MailSettings", "Escalation"),
    "test": QT_TRANSLATE_NOOP("MailSettings", "Test message"),
}
LANGUAGE_LABELS: dict[str, str] = {
    "zh": QT_TRANSLATE_NOOP("MailSettings", "Chinese"),
    "en": QT_TRANSLATE_NOOP("MailSettings", "English"),
    "de": QT_TRANSLATE_NOOP("MailSettings", "German"),
}
PASSWORD_SOURCES: dict[str, str] = {
    "store": QT_TRANSLATE_NOOP("MailSettings", "A password is kept in this PC's credential store."),
    "environment": QT_TRANSLATE_NOOP(
        "MailSettings", "The password comes from the CQMS_SMTP_PASSWORD environment variable."
    ),
    "none": QT_TRANSLATE_NOOP("MailSettings", "No password is stored on this PC."),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("MailSettings", text)


class MailPage(QWidget):
    """Edit the mail settings and texts; send a test message."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.config: Any = None
        self.templates: dict[str, Any] = {}
        inner = QWidget()
        inner.setMaximumWidth(900)
        column = QVBoxLayout(inner)

        server = QGroupBox(self.tr("Mail server (shared by every PC)"), inner)
        self.fields = FieldForm(self, QFormLayout(server))
        self.host = QLineEdit(server)
        self.fields.add("mail_host", self.tr("SMTP server"), self.host)
        self.port = QSpinBox(server)
        self.port.setRange(1, 65535)
        self.fields.add("mail_port", self.tr("Port"), self.port)
        self.security = QComboBox(server)
        for code, label in SECURITY_LABELS.items():
            self.security.addItem(_t(label), code)
        self.security.activated.connect(self._default_port)
        self.fields.add("mail_security", self.tr("Connection"), self.security)
        self.user = QLineEdit(server)
        self.fields.add("mail_user", self.tr("User name"), self.user)
        self.password = QLineEdit(server)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged"))
        self.fields.add("password", self.tr("Password (this PC only)"), self.password)
        self.password_note = QLabel(server)
        self.password_note.setWordWrap(True)
        self.fields.form.addRow("", self.password_note)
        self.sender = QLineEdit(server)
        self.fields.add("mail_sender", self.tr("Sender address"), self.sender)
        self.sender_name = QLineEdit(server)
        self.fields.add("mail_sender_name", self.tr("Sender name"), self.sender_name)
        self.timeout = QSpinBox(server)
        self.timeout.setRange(1, 600)
        self.timeout.setSuffix(self.tr(" s"))
        self.fields.add("mail_timeout_seconds", self.tr("Time-out"), self.timeout)
        column.addWidget(server)

        reminders = QGroupBox(self.tr("Reminders and escalation"), inner)
        self.reminder_fields = FieldForm(self, QFormLayout(reminders))
        self.language = QComboBox(reminders)
        for code in LANGUAGES:
            self.language.addItem(_t(LANGUAGE_LABELS[code]), code)
        self.reminder_fields.add(
            "mail_language", self.tr("Reminders in (unless a user chose)"), self.language
        )
        self.escalate_after = QSpinBox(reminders)
        self.escalate_after.setRange(0, 24 * 30)
        self.escalate_after.setSuffix(self.tr(" hours after the deadline"))
        self.reminder_fields.add(
            "escalation_after_hours",
            self.tr("Escalate complaints not handled"),
            self.escalate_after,
        )
        self.escalate_to = QLineEdit(reminders)
        self.escalate_to.setPlaceholderText(
            self.tr("QA's department address and the General Manager always; more here")
        )
        self.reminder_fields.add("escalation_to", self.tr("Also tell"), self.escalate_to)
        column.addWidget(reminders)

        texts = QGroupBox(self.tr("Message texts"), inner)
        texts_layout = QVBoxLayout(texts)
        pick = QHBoxLayout()
        self.text_kind = QComboBox(texts)
        for kind in TEMPLATE_KINDS:
            self.text_kind.addItem(_t(KIND_LABELS[kind]), kind)
        self.text_lang = QComboBox(texts)
        for code in LANGUAGES:
            self.text_lang.addItem(_t(LANGUAGE_LABELS[code]), code)
        pick.addWidget(self.text_kind)
        pick.addWidget(self.text_lang)
        pick.addStretch(1)
        texts_layout.addLayout(pick)
        self.placeholders = QLabel(texts)
        texts_layout.addWidget(self.placeholders)
        self.text_subject = QLineEdit(texts)
        texts_layout.addWidget(self.text_subject)
        self.text_body = QPlainTextEdit(texts)
        self.text_body.setMinimumHeight(160)
        texts_layout.addWidget(self.text_body)
        self.text_save = QPushButton(self.tr("Save this text"), texts)
        self.text_save.clicked.connect(self.save_text)
        texts_layout.addWidget(self.text_save)
        self.text_kind.currentIndexChanged.connect(lambda _i: self.show_text())
        self.text_lang.currentIndexChanged.connect(lambda _i: self.show_text())
        column.addWidget(texts)

        test = QGroupBox(self.tr("Test"), inner)
        test_row = QHBoxLayout(test)
        self.test_to = QLineEdit(test)
        self.test_to.setPlaceholderText(self.tr("send the test message to this address"))
        self.test_button = QPushButton(self.tr("Send test message"), test)
        self.test_button.clicked.connect(self.send_test)
        test_row.addWidget(self.test_to, 1)
        test_row.addWidget(self.test_button)
        column.addWidget(test)
        column.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save mail settings"), self)
        self.save_button.clicked.connect(self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.load()

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        """Read the settings (and the texts) on the database worker."""
        actor = self.actor

        def read() -> tuple[Any, dict[str, Any]]:
            config = mail_admin.mail_config(actor)
            texts = {
                (kind, lang): mail_admin.template(kind, lang)
                for kind in TEMPLATE_KINDS
                for lang in LANGUAGES
            }
            return config, texts

        QueryOp(self, read, self._loaded).run_in_background()

    def _loaded(self, result: tuple[Any, dict[str, Any]]) -> None:
        self.config, self.templates = result
        values = self.config.values
        self.host.setText(values["mail_host"])
        self.port.setValue(int(values["mail_port"]))
        self.security.setCurrentIndex(max(0, self.security.findData(values["mail_security"])))
        self.user.setText(values["mail_user"])
        self.sender.setText(values["mail_sender"])
        self.sender_name.setText(values["mail_sender_name"])
        self.timeout.setValue(int(values["mail_timeout_seconds"]))
        self.language.setCurrentIndex(max(0, self.language.findData(values["mail_language"])))
        self.escalate_after.setValue(int(values["escalation_after_hours"]))
        self.escalate_to.setText("; ".join(values["escalation_to"]))
        self.password.clear()
        note = _t(PASSWORD_SOURCES[self.config.password_source])
        if self.config.store_problem:
            note += " " + self.tr(
                "This PC has no credential store ({reason}): set CQMS_SMTP_PASSWORD for the "
                "program and the reminder task instead."
            ).format(reason=self.config.store_problem)
        self.password_note.setText(note)
        self.show_text()

    def _default_port(self) -> None:
        """Choosing the connection kind suggests its usual port."""
        self.port.setValue(DEFAULT_PORTS[self.security.currentData()])

    def values(self) -> dict[str, Any]:
        """The settings as entered."""
        return {
            "mail_host": self.host.text(),
            "mail_port": self.port.value(),
            "mail_security": self.security.currentData(),
            "mail_user": self.user.text(),
            "mail_sender": self.sender.text(),
            "mail_sender_name": self.sender_name.text(),
            "mail_timeout_seconds": self.timeout.value(),
            "mail_language": self.language.currentData(),
            "escalation_after_hours": self.escalate_after.value(),
            "escalation_to": self.escalate_to.text(),
        }

    # ------------------------------------------------------------------ saving
    def _refused(self, exc: BaseException) -> None:
        self.status.setText("")
        if not isinstance(exc, CqmsError):
            report_failure(self, exc)
            return
        for form in (self.fields, self.reminder_fields):
            if exc.field in form.errors:
                form.show_error(exc)
                return
        self.fields.show_error(exc)

    def save(self) -> None:
        """Save the settings; a typed password goes to this PC's credential store."""
        self.fields.clear_errors()
        self.reminder_fields.clear_errors()
        values, password = self.values(), self.password.text() or None
        actor = self.actor
        CollectionOp(
            self, lambda: mail_admin.save_settings(actor, values=values, password=password)
        ).success(self._saved).failure(self._refused).with_busy_cursor().run_in_background()

    def _saved(self, result: Any) -> None:
        self.password.clear()  # never kept in the widget longer than needed
        text = self.tr("Mail settings saved.")
        if result.password_problem:
            text += " " + self.tr("The password was not stored: {reason}").format(
                reason=result.password_problem
            )
        self.status.setText(text)
        self.load()

    # ------------------------------------------------------------------ texts
    def show_text(self) -> None:
        """Show the chosen message kind's text in the chosen language."""
        kind, lang = self.text_kind.currentData(), self.text_lang.currentData()
        texts = self.templates.get((kind, lang))
        self.placeholders.setText(
            self.tr("Placeholders: {names}").format(
                names=", ".join("{" + p + "}" for p in PLACEHOLDERS[kind])
            )
        )
        if texts is not None:
            self.text_subject.setText(texts.subject)
            self.text_body.setPlainText(texts.body)

    def save_text(self) -> None:
        """Store the shown text (an empty subject or body goes back to the default)."""
        kind, lang = self.text_kind.currentData(), self.text_lang.currentData()
        subject, body = self.text_subject.text(), self.text_body.toPlainText()
        actor = self.actor
        CollectionOp(
            self,
            lambda: mail_admin.set_template(
                actor, kind=kind, lang=lang, subject=subject, body=body
            ),
        ).success(lambda _r: self._text_saved()).failure(self._refused).run_in_background()

    def _text_saved(self) -> None:
        self.status.setText(self.tr("Message text saved."))
        self.load()

    # ------------------------------------------------------------------ test
    def send_test(self) -> None:
        """Send the test message with the saved settings (save first)."""
        to, actor = self.test_to.text(), self.actor
        self.status.setText(self.tr("Sending the test message…"))
        self.test_button.setEnabled(False)
        CollectionOp(self, lambda: mail_admin.send_test(actor, to=to)).success(
            self._tested
        ).failure(self._test_refused).with_busy_cursor().run_in_background()

    def _test_refused(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._refused(exc)
        if isinstance(exc, CqmsError) and exc.field not in self.fields.errors:
            self.status.setText(exc.translated(QCoreApplication.translate))

    def _tested(self, outcome: Any) -> None:
        self.test_button.setEnabled(True)
        if outcome.sent:
            self.status.setText(
                self.tr("The test message was sent to {to}.").format(to=outcome.recipients[0])
            )
        else:
            self.status.setText(
                self.tr("The test message was not sent: {reason}").format(reason=outcome.reason)
            )
