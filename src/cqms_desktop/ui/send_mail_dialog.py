""" "Send by e-mail…": a record's form as PDF to the customer, after a preview of the
recipients, subject and body (all editable). The message is prepared and sent on the database
worker (``ui/operations``): the SMTP conversation may take the whole time-out, and the GUI
stays responsive meanwhile. A refused or failed send is kept as "not sent" with the reason
(``services.mail_outbox``) and said so here."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import enums as E
from ..domain.errors import CqmsError
from ..services import mail_forms
from ..services.base import Actor
from .operations import CollectionOp, LatestOnly, QueryOp, report_failure
from .window_fit import fit_window


def split_recipients(text: str) -> list[str]:
    """The addresses typed in the "To" field (separated by ``;``, ``,`` or spaces)."""
    return [a for a in re.split(r"[\s,;]+", text) if a]


class SendMailDialog(QDialog):
    """Preview and send the form of record *number* (*kind*: complaint, 8d, visit …)."""

    def __init__(
        self,
        actor: Actor,
        *,
        kind: str,
        number: str,
        lang: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.kind = kind
        self.number = number
        self.outcome: Any = None
        self._guard = LatestOnly()
        self.setWindowTitle(self.tr("Send by e-mail — {number}").format(number=number))
        self.to = QLineEdit(self)
        self.to.setPlaceholderText(self.tr("addresses, separated by ;"))
        self.language = QComboBox(self)
        for code, label in E.Language.choices():
            self.language.addItem(QCoreApplication.translate("Enums", label), code)
        self.subject = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.body.setMinimumSize(520, 220)
        self.attachment = QLabel(self)
        # The record's own attachments (photos, the customer's documents): ticked ones go along.
        self.extra = QListWidget(self)
        self.extra.setObjectName("recordAttachments")
        self.extra.setMaximumHeight(96)
        self.extra.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("To:"), self.to)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow(self.tr("Subject:"), self.subject)
        form.addRow(self.tr("Attachment:"), self.attachment)
        self.extra_label = QLabel(self.tr("Also attach:"), self)
        self.extra_label.hide()
        form.addRow(self.extra_label, self.extra)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.send_button = QPushButton(self.tr("&Send"), self)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        layout.addWidget(buttons)
        self.send_button.setEnabled(False)
        if lang:
            self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.load(lang)  # None: the customer's language
        self._load_attachments()
        fit_window(self, "send_mail")

    def _language_chosen(self) -> None:
        self.load(self.language.currentData(), keep_recipients=True)

    # ------------------------------------------------------------------ preview
    def load(self, lang: str | None, *, keep_recipients: bool = False) -> None:
        """Prepare the message: default recipients, texts in *lang* (``None``: the
        customer's language)."""
        from ..exports import form_mail  # lazy: reportlab only when mailing

        to = split_recipients(self.to.text()) if keep_recipients else None
        actor, kind, number = self.actor, self.kind, self.number
        self.send_button.setEnabled(False)
        self.status.setText(self.tr("Preparing…"))
        QueryOp(
            self,
            lambda: form_mail.prepare(actor, kind=kind, number=number, lang=lang, to=to),
            self._show,
        ).failure(self._failed).latest_of(self._guard).with_busy_cursor().run_in_background()

    def _load_attachments(self) -> None:
        actor, kind, number = self.actor, self.kind, self.number
        QueryOp(
            self,
            lambda: mail_forms.record_attachments(actor, kind=kind, number=number),
            self._show_attachments,
        ).run_in_background()

    def _show_attachments(self, attachments: list[Any]) -> None:
        self.extra.clear()
        for item in attachments:
            size = f"{item.size / 1024:.0f} KB" if item.size >= 1024 else f"{item.size} B"
            row = QListWidgetItem(f"{item.filename}  ({size})", self.extra)
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)
        self.extra.setVisible(bool(attachments))
        self.extra_label.setVisible(bool(attachments))

    def chosen_attachments(self) -> list[int]:
        """The ids of the record's attachments ticked to go along."""
        ids = []
        for index in range(self.extra.count()):
            row = self.extra.item(index)
            if row.checkState() == Qt.CheckState.Checked:
                ids.append(int(row.data(Qt.ItemDataRole.UserRole)))
        return ids

    def _show(self, mail: Any) -> None:
        self.to.setText("; ".join(mail.recipients))
        index = self.language.findData(mail.lang)
        if index != self.language.currentIndex():
            self.language.blockSignals(True)
            self.language.setCurrentIndex(index)
            self.language.blockSignals(False)
        self.subject.setText(mail.subject)
        self.body.setPlainText(mail.body)
        self.attachment.setText(f"{mail.number}-{mail.kind}-{mail.lang}.pdf")
        self.status.setText("")
        self.send_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CqmsError):
            self.status.setText("")
            report_failure(self, exc)  # logged and shown, never swallowed
            return
        self.status.setText(exc.translated(QCoreApplication.translate))
        # The recipients may be what is missing: let the user type them and try again.
        self.send_button.setEnabled(True)

    # ------------------------------------------------------------------ sending
    def send(self) -> None:
        """Send the message as shown (recipients, subject and body as edited)."""
        from ..exports import form_mail

        to = split_recipients(self.to.text())
        subject, body = self.subject.text(), self.body.toPlainText()
        lang = self.language.currentData()
        actor, kind, number = self.actor, self.kind, self.number
        attachment_ids = self.chosen_attachments()

        def work() -> Any:
            mail = form_mail.prepare(actor, kind=kind, number=number, lang=lang, to=to or None)
            return form_mail.send(
                actor, mail=mail, subject=subject, body=body, attachment_ids=attachment_ids
            )

        self.send_button.setEnabled(False)
        self.status.setText(self.tr("Sending…"))
        CollectionOp(self, work).success(self._sent).failure(
            self._failed
        ).with_busy_cursor().run_in_background()

    def _sent(self, outcome: Any) -> None:
        self.outcome = outcome
        if outcome.sent:
            self.status.setText(
                self.tr("Sent to {to}. The message is kept with the record.").format(
                    to=", ".join(outcome.recipients)
                )
            )
            return
        self.status.setText(
            self.tr("Not sent: {reason}\nIt is kept as “not sent”; send it again later.").format(
                reason=outcome.reason
            )
        )
        self.send_button.setEnabled(True)


def send_by_mail(
    parent: QWidget, actor: Actor, *, kind: str, number: str, lang: str | None = None
) -> SendMailDialog:
    """Open the "Send by e-mail…" dialog (not modal to the application, deletes itself)."""
    dialog = SendMailDialog(actor, kind=kind, number=number, lang=lang, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
