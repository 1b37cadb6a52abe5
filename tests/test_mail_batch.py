"""Forms e-mailed from batch print (issue #12 item 2): one message per record, to each
customer in their language; a customer without an address is skipped with why, a refused
message is kept as "not sent" without holding up the others."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import Department
from cqms_desktop.exports import form_mail
from cqms_desktop.services import mail_outbox
from cqms_desktop.services.mail_transport import MailNotSent
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Complaint, Customer, SentMail
from tests.form_records import make_records
from tests.mail_setup import MemoryKeyring, configure, credential_store
from tests.smtp_server import free_port, smtp_server
from tests.users import make_user


@pytest.fixture
def batch(database, tmp_path, monkeypatch):
    """Three customers' complaints: German and English with addresses, one without."""
    german = make_records(suffix="1", language="de")
    english = make_records(suffix="2", language="en")
    nobody = make_records(suffix="3", language="zh")
    with write_transaction():
        audit.update(Customer, german.customer_id, "t", {"email": "qs@kunde.example"})
        audit.update(Customer, english.customer_id, "t", {"email": "qa@customer.example"})
        audit.update(Customer, nobody.customer_id, "t", {"email": "", "contacts": ""})
    with credential_store(MemoryKeyring()), smtp_server(tmp_path) as (port, handler, cert):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        configure(port)
        yield make_user(Department.SALES), (german, english, nobody), handler


def test_each_customer_gets_their_form_in_their_language_and_gaps_are_said(batch):
    sales, (german, english, nobody), handler = batch
    numbers = [german.complaint, english.complaint, nobody.complaint]
    lines = form_mail.plan_batch(sales, kind="complaint", numbers=numbers)
    assert [(line.number, line.mail.lang if line.mail else None) for line in lines] == [
        (german.complaint, "de"), (english.complaint, "en"), (nobody.complaint, None)
    ]  # fmt: skip
    assert "no e-mail address" in lines[2].skipped
    seen = []
    outcome = form_mail.send_batch(sales, lines, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3)
    assert [o.recipients for o in outcome.sent] == [("qs@kunde.example",), ("qa@customer.example",)]
    assert outcome.skipped == [(nobody.complaint, lines[2].skipped)] and not outcome.not_sent
    subjects = sorted(str(m.message["Subject"]) for m in handler.received)
    assert len(subjects) == 2 and any(german.complaint in s for s in subjects)
    assert SentMail.select().where(SentMail.status == "sent").count() == 2


def test_a_refused_message_is_kept_and_the_others_go_out(batch, monkeypatch):
    sales, (german, english, _nobody), handler = batch
    real = mail_outbox.deliver

    def refuse_the_german(settings, password, message, recipients):
        if "qs@kunde.example" in recipients:
            raise MailNotSent("550 mailbox unavailable")
        return real(settings, password, message, recipients)

    monkeypatch.setattr(mail_outbox, "deliver", refuse_the_german)
    lines = form_mail.plan_batch(sales, kind="complaint", numbers=[german.complaint,
                                                                   english.complaint])  # fmt: skip
    outcome = form_mail.send_batch(sales, lines)
    assert [n for n, _ in outcome.not_sent] == [german.complaint]
    assert "550" in outcome.not_sent[0][1].reason
    assert len(outcome.sent) == 1 and len(handler.received) == 1
    statuses = {m.recipients: m.status for m in SentMail.select()}
    assert statuses == {"qs@kunde.example": "not_sent", "qa@customer.example": "sent"}


def test_cancel_stops_between_two_messages(batch):
    sales, (german, english, _nobody), handler = batch
    lines = form_mail.plan_batch(sales, kind="complaint", numbers=[german.complaint,
                                                                   english.complaint])  # fmt: skip
    asked = []

    def cancel_after_first() -> bool:
        asked.append(True)
        return len(asked) > 1

    outcome = form_mail.send_batch(sales, lines, cancelled=cancel_after_first)
    assert len(outcome.sent) == 1 and len(handler.received) == 1


def test_a_recipient_the_server_refuses_is_kept_not_sent_and_goes_out_on_retry(batch):
    """Item 5 end to end: the real server refuses one address (550 at RCPT); that record's
    message stays "not sent" with the server's reason and its complaint gets no copy sent,
    the other goes out; a retry once the address is accepted sends the very same PDF."""
    sales, (german, english, _nobody), handler = batch
    handler.refuse.add("qs@kunde.example")
    before = _copy_sent(german.complaint)
    lines = form_mail.plan_batch(sales, kind="complaint", numbers=[german.complaint,
                                                                   english.complaint])  # fmt: skip
    outcome = form_mail.send_batch(sales, lines)
    assert [n for n, _ in outcome.not_sent] == [german.complaint] and len(outcome.sent) == 1
    assert "550" in outcome.not_sent[0][1].reason
    kept = SentMail.get(SentMail.recipients == "qs@kunde.example")
    assert kept.status == "not_sent" and kept.sent_at is None and "550" in kept.reason
    assert _copy_sent(german.complaint) == before  # the fixture's paper copy, untouched
    other = Complaint.get(Complaint.number == english.complaint)
    assert (other.copy_sent_via, other.copy_sent_to) == (
        mail_outbox.VIA_EMAIL, "qa@customer.example"
    )  # fmt: skip

    handler.refuse.clear()
    [again] = mail_outbox.retry(sales.username)
    assert again.sent and again.mail_id == kept.id
    assert handler.received[-1].pdf() == SentMail.get_by_id(kept.id).attachment
    done = Complaint.get(Complaint.number == german.complaint)
    assert done.copy_sent_via == mail_outbox.VIA_EMAIL and done.copy_sent_to == "qs@kunde.example"


def test_an_unreachable_server_loses_nothing_and_records_nothing_as_sent(batch):
    """Item 5: no server listening — every message is kept "not sent" with why, none is
    recorded as sent and no complaint's copy-sent fields are filled."""
    sales, (german, english, _nobody), handler = batch
    configure(free_port())
    numbers = [german.complaint, english.complaint]
    before = [_copy_sent(n) for n in numbers]
    lines = form_mail.plan_batch(sales, kind="complaint", numbers=[german.complaint,
                                                                   english.complaint])  # fmt: skip
    outcome = form_mail.send_batch(sales, lines)
    assert not outcome.sent and [n for n, _ in outcome.not_sent] == [
        german.complaint, english.complaint
    ]  # fmt: skip
    assert all(o.reason for _, o in outcome.not_sent) and handler.received == []
    assert {m.status for m in SentMail.select()} == {"not_sent"}
    assert all(m.sent_at is None for m in SentMail.select())
    assert [_copy_sent(n) for n in numbers] == before


def _copy_sent(number: str) -> tuple[object, str, str]:
    """A complaint's 5.2.5 copy-sent fields: when, how, to whom."""
    c = Complaint.get(Complaint.number == number)
    return c.copy_sent_at, c.copy_sent_via, c.copy_sent_to
