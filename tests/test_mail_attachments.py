"""A record's own attachments go with its form when chosen (issue #12 item 2): received byte
for byte, named with the message kept with the record, only attachments of that record, never a
program, within the size limit; one removed before a retry leaves the message "not sent"."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.exports import form_mail
from cqms_desktop.services import mail_forms, mail_outbox
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Attachment, Complaint, Customer
from tests.form_records import make_records
from tests.mail_setup import MemoryKeyring, configure, credential_store
from tests.smtp_server import smtp_server
from tests.users import make_user

CONTACT = "qs@kunde.example"


@pytest.fixture
def mailing(database, tmp_path, monkeypatch):
    """A complaint with two attachments, its customer's address, a local SMTP server."""
    numbers = make_records(language="de")
    with write_transaction():
        audit.update(Customer, numbers.customer_id, "tester", {"email": CONTACT})
    sales = make_user(Department.SALES)
    complaint = Complaint.get(Complaint.number == numbers.complaint)
    photo, drawing = tmp_path / "Riss 裂纹.jpg", tmp_path / "drawing.pdf"
    photo.write_bytes(b"\xff\xd8\xff photo " + bytes(range(256)) * 40)
    drawing.write_bytes(b"%PDF-1.4 drawing")
    ids = [_attach(complaint.id, p) for p in (photo, drawing)]
    with credential_store(MemoryKeyring()), smtp_server(tmp_path) as (port, handler, cert):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        configure(port)
        yield sales, numbers.complaint, ids, handler, photo


def test_the_chosen_attachments_arrive_byte_for_byte_and_are_kept_with_the_message(mailing):
    sales, number, (photo_id, _drawing), handler, photo = mailing
    offered = mail_forms.record_attachments(sales, kind="complaint", number=number)
    assert [a.filename for a in offered] == ["Riss 裂纹.jpg", "drawing.pdf"]
    mail = form_mail.prepare(sales, kind="complaint", number=number)
    outcome = form_mail.send(sales, mail=mail, attachment_ids=[photo_id])
    assert outcome.sent, outcome.reason
    [got] = handler.received
    parts = {p.get_filename(): p for p in got.message.iter_attachments()}
    assert set(parts) == {f"{number}-complaint-de.pdf", "Riss 裂纹.jpg"}
    assert parts["Riss 裂纹.jpg"].get_payload(decode=True) == photo.read_bytes()
    assert parts["Riss 裂纹.jpg"].get_content_type() == "image/jpeg"
    [row] = mail_outbox.messages_of("complaint", Complaint.get(Complaint.number == number).id)
    [kept] = mail_outbox.sent_attachments(row)
    assert (kept["id"], kept["name"], kept["size"]) == (photo_id, "Riss 裂纹.jpg", len(
        photo.read_bytes()))  # fmt: skip


def test_only_the_records_own_attachments_and_never_a_program(mailing, tmp_path):
    sales, number, _ids, handler, _photo = mailing
    other = make_records(suffix="2", language="de")
    other_complaint = Complaint.get(Complaint.number == other.complaint)
    sheet = tmp_path / "other.pdf"
    sheet.write_bytes(b"%PDF other")
    foreign = _attach(other_complaint.id, sheet)
    mail = form_mail.prepare(sales, kind="complaint", number=number)
    with pytest.raises(ValidationError) as refused:
        form_mail.send(sales, mail=mail, attachment_ids=[foreign])
    assert refused.value.field == "attachments"
    # An executable stored before executables were refused is not mailed out either.
    with write_transaction():
        Attachment.update(filename="tool.exe").where(Attachment.id == _ids[1]).execute()
    with pytest.raises(ValidationError):
        form_mail.send(sales, mail=mail, attachment_ids=[_ids[1]])
    assert handler.received == []


def test_the_message_size_is_limited(mailing, monkeypatch):
    sales, number, ids, handler, _photo = mailing
    monkeypatch.setattr(mail_forms, "MAX_MESSAGE_MB", 0)
    mail = form_mail.prepare(sales, kind="complaint", number=number)
    with pytest.raises(ValidationError) as refused:
        form_mail.send(sales, mail=mail, attachment_ids=ids)
    assert "at most 0 MB" in str(refused.value) and handler.received == []


def test_an_attachment_removed_before_a_retry_leaves_the_message_not_sent(mailing, monkeypatch):
    sales, number, (photo_id, _drawing), handler, _photo = mailing
    mail = form_mail.prepare(sales, kind="complaint", number=number)
    # The server is away at the first try: kept as "not sent" …
    monkeypatch.setattr(mail_outbox, "deliver", _refuse)
    assert not form_mail.send(sales, mail=mail, attachment_ids=[photo_id]).sent
    monkeypatch.undo()
    # … then the photo is removed from the complaint, and the retry says why it cannot send.
    with write_transaction():
        Attachment.delete().where(Attachment.id == photo_id).execute()
    [outcome] = mail_outbox.retry(sales.username)
    assert not outcome.sent and "removed from the record" in outcome.reason
    assert handler.received == []


def _attach(complaint_id: int, path) -> int:
    """Store *path* with the (closed) complaint of the test data, as attached earlier."""
    import mimetypes

    from cqms_desktop.domain.clock import utcnow

    with write_transaction():
        row = Attachment.create(
            record_kind="complaint",
            record_id=complaint_id,
            filename=path.name,
            content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            size=path.stat().st_size,
            data=path.read_bytes(),
            added_at=utcnow(),
            added_by="tester",
        )
    return int(row.id)


def _refuse(*_args, **_kwargs):
    from cqms_desktop.services.mail_transport import MailNotSent

    raise MailNotSent("the server is away")
