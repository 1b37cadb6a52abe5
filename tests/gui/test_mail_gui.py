"""Administration → Mail (settings, password to the credential store only, "Send test
message") and "Send by e-mail…" from the complaint editor, against a real SMTP server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from cqms_desktop.domain.enums import Department
from cqms_desktop.store import audit
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Complaint, Customer, SentMail
from cqms_desktop.ui.admin.mail_page import MailPage
from cqms_desktop.ui.send_mail_dialog import SendMailDialog
from tests.form_records import make_records
from tests.gui.gui_data import make_actor
from tests.mail_setup import MemoryKeyring, configure, credential_store
from tests.smtp_server import PASSWORD, USER, free_port, smtp_server

pytestmark = pytest.mark.gui


@pytest.fixture
def store():
    backend = MemoryKeyring()
    with credential_store(backend):
        yield backend


@pytest.fixture
def server(tmp_path, monkeypatch):
    with smtp_server(tmp_path) as (port, handler, cert):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        yield port, handler


def test_the_mail_page_saves_settings_keeps_the_password_out_and_sends_a_test(
    qtbot, database, store, server, ops, tmp_path
):
    port, handler = server
    boss = make_actor(Department.ADMINISTRATION, is_admin=True, name="boss")
    page = MailPage(boss)
    qtbot.addWidget(page)
    page.show()
    ops()
    page.host.setText("127.0.0.1")
    page.port.setValue(port)
    page.security.setCurrentIndex(page.security.findData("starttls"))
    page.user.setText(USER)
    page.password.setText(PASSWORD)
    page.sender.setText("not an address")
    page.save()
    ops()
    assert "not an e-mail address" in page.fields.error_text("mail_sender")
    assert page.password.text() == PASSWORD  # what the user typed is kept on a refusal
    page.sender.setText("qa@factory.example")
    page.save()
    ops()
    assert "Mail settings saved." in page.status.text()
    assert settings_store.get("mail_host") == "127.0.0.1"
    assert page.password.text() == ""
    assert PASSWORD in store.passwords.values()
    assert "credential store" in page.password_note.text()
    QSettings().sync()
    for ini in Path(tmp_path / "qsettings").rglob("*"):
        if ini.is_file():
            assert PASSWORD not in ini.read_text(encoding="utf-8", errors="replace")

    page.test_to.setText("it@factory.example")
    page.send_test()
    qtbot.waitUntil(lambda: "test message was sent" in page.status.text(), timeout=15000)
    assert handler.received[0].rcpt_tos == ["it@factory.example"]


def test_send_by_email_previews_then_sends_and_fills_the_copy_sent(
    qtbot, database, store, server, ops
):
    port, handler = server
    numbers = make_records(language="en")
    with write_transaction():
        audit.update(Customer, numbers.customer_id, "t", {"email": "buyer@customer.example"})
        Complaint.update(copy_sent_at=None, copy_sent_via="", copy_sent_to="").execute()
    configure(port)
    sales = make_actor(Department.SALES)
    dialog = SendMailDialog(sales, kind="complaint", number=numbers.complaint)
    qtbot.addWidget(dialog)
    dialog.show()
    ops()
    assert dialog.to.text() == "buyer@customer.example"
    assert numbers.complaint in dialog.subject.text()
    assert dialog.body.toPlainText().startswith("Dear ")
    assert dialog.attachment.text() == f"{numbers.complaint}-complaint-en.pdf"
    dialog.to.setText("buyer@customer.example; boss@customer.example")
    dialog.subject.setText("Your complaint — our handling form")
    dialog.send()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15000)
    assert dialog.outcome.sent, dialog.status.text()
    [got] = handler.received
    assert got.rcpt_tos == ["buyer@customer.example", "boss@customer.example"]
    assert got.message["Subject"] == "Your complaint — our handling form"
    assert Complaint.get().copy_sent_via == "e-mail"
    assert Complaint.get().copy_sent_to == "buyer@customer.example, boss@customer.example"
    assert SentMail.get().status == "sent"


def test_a_refused_send_says_why_and_can_be_sent_again(qtbot, database, store, ops):
    numbers = make_records(language="de")
    with write_transaction():
        audit.update(Customer, numbers.customer_id, "t", {"email": "einkauf@kunde.example"})
    configure(free_port())
    dialog = SendMailDialog(make_actor(Department.QA), kind="8d", number=numbers.complaint)
    qtbot.addWidget(dialog)
    dialog.show()
    ops()
    dialog.send()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15000)
    assert not dialog.outcome.sent
    assert "refused the connection" in dialog.status.text()
    assert dialog.send_button.isEnabled()
    assert SentMail.get().status == "not_sent"


def test_the_records_attachments_can_be_ticked_to_go_along(qtbot, database, store, server, ops):
    from PySide6.QtCore import Qt

    from cqms_desktop.domain.clock import utcnow
    from cqms_desktop.store.models import Attachment

    port, handler = server
    numbers = make_records(language="en")
    with write_transaction():
        audit.update(Customer, numbers.customer_id, "t", {"email": "buyer@customer.example"})
        complaint = Complaint.get(Complaint.number == numbers.complaint)
        for name, data in (("burr.jpg", b"\xff\xd8 jpeg"), ("8D draft.docx", b"PK docx")):
            Attachment.create(record_kind="complaint", record_id=complaint.id, filename=name,
                              content_type="application/octet-stream", size=len(data),
                              data=data, added_at=utcnow(), added_by="t")  # fmt: skip
    configure(port)
    dialog = SendMailDialog(
        make_actor(Department.SALES), kind="complaint", number=numbers.complaint
    )
    qtbot.addWidget(dialog)
    dialog.show()
    ops()
    assert dialog.extra.isVisible() and dialog.extra.count() == 2
    assert dialog.chosen_attachments() == []  # nothing goes along unless ticked
    dialog.extra.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.send()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15000)
    assert dialog.outcome.sent, dialog.status.text()
    [got] = handler.received
    names = [p.get_filename() for p in got.message.iter_attachments()]
    assert names == [f"{numbers.complaint}-complaint-en.pdf", "burr.jpg"]


def test_batch_print_sends_the_selected_forms_after_showing_the_list(
    qtbot, database, store, server, ops
):
    from PySide6.QtWidgets import QMessageBox

    from cqms_desktop.ui.batch_print import BatchPrintDialog

    port, handler = server
    first, second = make_records(suffix="1", language="de"), make_records(suffix="2", language="en")
    with write_transaction():
        audit.update(Customer, first.customer_id, "t", {"email": "qs@kunde.example"})
        audit.update(Customer, second.customer_id, "t", {"email": "", "contacts": ""})
    configure(port)
    numbers = [first.complaint, second.complaint]
    dialog = BatchPrintDialog("complaints", numbers, None, make_actor(Department.QA))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.mail_button.isVisible() and dialog.mail_button.isEnabled()
    dialog.mail_button.click()
    qtbot.waitUntil(lambda: dialog.mail_box is not None, timeout=15000)
    question = dialog.mail_box
    assert "Send 1 of 2 forms" in question.text()
    assert (
        "skipped" in question.informativeText() and "qs@kunde.example" in question.informativeText()
    )
    assert handler.received == []  # nothing sent before the answer
    send = next(b for b in question.buttons() if b.text() == "Send")
    send.click()
    qtbot.waitUntil(lambda: dialog.mail_outcome is not None, timeout=30000)
    assert len(dialog.mail_outcome.sent) == 1 and len(handler.received) == 1
    summary = dialog.mail_box
    assert isinstance(summary, QMessageBox) and "Sent: 1" in summary.text()
    assert "Skipped: 1" in summary.text()


def test_batch_e_mail_says_why_a_record_is_skipped_in_the_users_language(
    qtbot, database, store, server, ops
):
    from cqms_desktop.ui import i18n
    from cqms_desktop.ui.batch_print import BatchPrintDialog

    i18n.install_translators("zh_CN")  # the folder's conftest removes it after the test
    port, _handler = server
    first, second = make_records(suffix="1", language="de"), make_records(suffix="2", language="en")
    with write_transaction():
        audit.update(Customer, first.customer_id, "t", {"email": "qs@kunde.example"})
        audit.update(Customer, second.customer_id, "t", {"email": "", "contacts": ""})
    configure(port)
    dialog = BatchPrintDialog(
        "complaints", [first.complaint, second.complaint], None, make_actor(Department.QA)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.mail_button.click()
    qtbot.waitUntil(lambda: dialog.mail_box is not None, timeout=15000)
    text = dialog.mail_box.informativeText()
    assert "没有电子邮件地址" in text and "has no e-mail address" not in text
    dialog.mail_box.close()
