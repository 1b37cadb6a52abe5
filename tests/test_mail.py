"""Sending forms by e-mail against real SMTP servers on 127.0.0.1 (aiosmtpd with STARTTLS and
AUTH, a refusing port, a server that drops the connection, one that never answers): what
arrives, what is recorded with the record in one transaction, and where the password is not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from keyring.backends import fail
from reportlab import rl_config

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import CqmsError, PermissionDenied, ValidationError
from cqms_desktop.domain.glossary import term
from cqms_desktop.exports import form_mail
from cqms_desktop.exports.forms import render_form
from cqms_desktop.services import mail_admin, mail_outbox
from cqms_desktop.services.base import Actor
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import ALL_MODELS, AuditLog, Complaint, Customer, SentMail
from tests.form_records import make_records
from tests.mail_setup import SENDER, MemoryKeyring, configure, credential_store
from tests.smtp_server import PASSWORD, USER, free_port, misbehaving_server, smtp_server
from tests.users import make_user

CONTACTS = ("mueller@kunde.example", "qs@kunde.example")


@pytest.fixture
def store():
    backend = MemoryKeyring()
    with credential_store(backend):
        yield backend


@pytest.fixture
def server(tmp_path, monkeypatch):
    with smtp_server(tmp_path) as (port, handler, cert):
        # Trust the test certificate as a company CA would be trusted (SSL_CERT_FILE).
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        yield port, handler


@pytest.fixture
def records(database):
    numbers = make_records(language="de")
    with write_transaction():
        audit.update(
            Customer,
            numbers.customer_id,
            "tester",
            {"email": f"{CONTACTS[0]}; {CONTACTS[1]}"},
        )
        # 5.2.5 not yet done: the sending fills it.
        Complaint.update(copy_sent_at=None, copy_sent_via="", copy_sent_to="").execute()
    return numbers


@pytest.fixture
def same_pdf_bytes(monkeypatch):
    """reportlab stamps the wall-clock time and a random id into each PDF unless invariant:
    with it, two renderings of the same form are byte-identical."""
    monkeypatch.setattr(rl_config, "invariant", 1)


def _complaint(number: str) -> Complaint:
    return Complaint.get(Complaint.number == number)


@pytest.mark.clock_at("2026-11-20T08:00")
def test_complaint_form_in_german_arrives_with_the_exported_pdf_and_fills_5_2_5(
    store, server, records, same_pdf_bytes, frozen_clock
):
    port, handler = server
    configure(port)
    sales = make_user(Department.SALES)
    mail = form_mail.prepare(sales, kind="complaint", number=records.complaint)
    assert mail.lang == "de" and mail.recipients == CONTACTS
    # What "cqms export form complaint … --lang de" writes at this moment (the clock stands
    # still); after the sending, the form also shows its own 5.2.5 "copy sent" line.
    exported = render_form(kind="complaint", number=records.complaint, fmt="pdf", lang="de")
    outcome = form_mail.send(sales, mail=mail)
    assert outcome.sent, outcome.reason

    [got] = handler.received
    assert handler.logins == [USER]  # logged in, after STARTTLS (the server requires both)
    assert got.mail_from == SENDER and got.rcpt_tos == list(CONTACTS)
    message = got.message
    assert message["To"] == ", ".join(CONTACTS)
    assert "Qualitätssicherung 质保部" in str(message["From"]) and SENDER in str(message["From"])
    assert records.complaint in message["Subject"]
    assert term("form.complaint", "de") in message["Subject"]
    assert message["Content-Language"] == "de"
    assert "Sehr geehrte Damen und Herren" in got.text()
    assert got.pdf() == exported
    assert got.pdf().startswith(b"%PDF")
    attachment = next(iter(message.iter_attachments()))
    assert attachment.get_filename() == f"{records.complaint}-complaint-de.pdf"

    # Kept with the record: when, to whom, subject, the PDF exactly as sent.
    [row] = mail_outbox.messages_of("complaint", _complaint(records.complaint).id)
    assert row.status == mail_outbox.SENT and row.reason == ""
    assert bytes(row.attachment) == exported
    assert row.subject == message["Subject"] and row.recipients.split() == list(CONTACTS)
    # 5.2.5: the copy sent, how and to whom, at the moment recorded as sent.
    complaint = _complaint(records.complaint)
    assert complaint.copy_sent_at == row.sent_at
    assert complaint.copy_sent_via == "e-mail"
    assert complaint.copy_sent_to == ", ".join(CONTACTS)
    fields = {
        a.field: a.new_value
        for a in AuditLog.select().where(
            (AuditLog.table_name == "complaint") & (AuditLog.record_id == complaint.id)
        )
    }
    assert fields["copy_sent_via"] == "e-mail" and fields["copy_sent_to"] == ", ".join(CONTACTS)
    statuses = [
        a.new_value
        for a in AuditLog.select()
        .where((AuditLog.table_name == "sent_mail") & (AuditLog.field == "status"))
        .order_by(AuditLog.id)
    ]
    assert statuses == ["sending", "sent"]


def test_every_form_kind_can_be_sent_in_the_language_asked(store, server, records, system):
    port, handler = server
    configure(port)
    numbers = {
        "complaint": records.complaint,
        "8d": records.complaint,
        "visit": records.visit,
        "feedback": records.feedback,
        "survey": records.survey,
        "service": records.service,
    }
    for kind, number in numbers.items():
        mail = form_mail.prepare(system, kind=kind, number=number, lang="en", to=["a@b.example"])
        assert form_mail.send(system, mail=mail).sent
    assert len(handler.received) == 6
    assert all(r.message["Content-Language"] == "en" for r in handler.received)
    assert all(r.pdf().startswith(b"%PDF") for r in handler.received)
    assert "Dear " in handler.received[0].text()


def test_a_refused_connection_is_kept_as_not_sent_and_a_retry_sends_it(
    store, server, records, system
):
    port, handler = server
    configure(free_port())  # nothing listens there
    mail = form_mail.prepare(system, kind="complaint", number=records.complaint)
    outcome = form_mail.send(system, mail=mail)
    assert not outcome.sent
    assert "refused the connection" in outcome.reason
    row = SentMail.get_by_id(outcome.mail_id)
    assert row.status == mail_outbox.NOT_SENT and "refused the connection" in row.reason
    assert row.sent_at is None and bytes(row.attachment).startswith(b"%PDF")
    assert _complaint(records.complaint).copy_sent_at is None  # never half-recorded as sent

    configure(port)
    [again] = mail_outbox.retry("system")
    assert again.sent and again.mail_id == outcome.mail_id
    [got] = handler.received
    assert got.pdf() == bytes(row.attachment)  # the message as first recorded
    assert got.message["Message-ID"] == row.message_id
    row = SentMail.get_by_id(outcome.mail_id)
    assert (row.status, row.attempts) == (mail_outbox.SENT, 2)
    assert _complaint(records.complaint).copy_sent_at == row.sent_at
    assert mail_outbox.retry("system") == []  # nothing left to send


@pytest.mark.parametrize(
    "case, expected",
    [
        ("wrong password", "refused the user name or password"),
        ("rejected recipient", "refused the recipient(s), nothing was sent"),
        ("dropped", "closed the connection before the message was accepted"),
        ("timeout", "did not answer within 1 s"),
        ("untrusted certificate", "No secure connection"),
    ],
)
def test_each_failure_is_a_clear_reason_and_nothing_is_recorded_as_sent(
    store, server, records, system, monkeypatch, case, expected
):
    port, handler = server
    to = ["good@kunde.example"]
    with (
        misbehaving_server("drop") as drop_port,
        misbehaving_server("silent") as silent_port,
    ):
        if case == "wrong password":
            configure(port, password="not-the-password")
        elif case == "rejected recipient":
            configure(port)
            handler.refuse.add("gone@kunde.example")
            to.append("gone@kunde.example")
        elif case == "dropped":
            configure(drop_port, security="plain", user="")
        elif case == "timeout":
            configure(silent_port, security="plain", user="", timeout=1)
        else:
            configure(port)
            monkeypatch.delenv("SSL_CERT_FILE")
            monkeypatch.setenv("SSL_CERT_DIR", "/nonexistent")
        mail = form_mail.prepare(system, kind="complaint", number=records.complaint, to=to)
        outcome = form_mail.send(system, mail=mail)
    assert not outcome.sent
    assert expected in outcome.reason
    assert handler.received == []  # all or nothing: not even the good recipient got it
    row = SentMail.get_by_id(outcome.mail_id)
    assert row.status == mail_outbox.NOT_SENT and expected in row.reason
    assert _complaint(records.complaint).copy_sent_at is None


def test_not_set_up_is_refused_before_anything_is_recorded(records, system):
    mail = form_mail.prepare(system, kind="complaint", number=records.complaint)
    with pytest.raises(CqmsError, match="E-mail is not set up"):
        form_mail.send(system, mail=mail)
    assert SentMail.select().count() == 0


def test_recipients_and_permissions_are_checked(records, system, actors):
    with pytest.raises(ValidationError, match="not an e-mail address") as bad:
        form_mail.prepare(system, kind="complaint", number=records.complaint, to=["nobody"])
    assert bad.value.field == "to"
    with pytest.raises(PermissionDenied):
        form_mail.prepare(actors[Department.MANUFACTURING], kind="complaint", number="x")
    with pytest.raises(CqmsError, match="no record numbered"):
        form_mail.prepare(system, kind="complaint", number="CC-1999-9999", lang="en")
    with write_transaction():
        Customer.update(email="", contacts="Herr Müller").execute()
    with pytest.raises(ValidationError, match="has no e-mail address"):
        form_mail.prepare(system, kind="visit", number=records.visit)


def test_the_administrators_template_is_used_with_its_placeholders(store, server, records, system):
    port, handler = server
    configure(port)
    mail_admin.set_template(
        system,
        kind="form",
        lang="de",
        subject="Ihre Reklamation {number} – {form}",
        body="Guten Tag {customer},\nanbei {form}. {unknown} bleibt stehen.",
    )
    mail = form_mail.prepare(system, kind="complaint", number=records.complaint)
    assert mail.subject == f"Ihre Reklamation {records.complaint} – {term('form.complaint', 'de')}"
    assert "{unknown} bleibt stehen." in mail.body
    assert form_mail.send(system, mail=mail, subject=mail.subject + " (edited)").sent
    assert handler.received[0].message["Subject"].endswith("(edited)")
    # Back to the default with empty texts.
    mail_admin.set_template(system, kind="form", lang="de", subject="", body="")
    assert (
        "Sehr geehrte" in form_mail.prepare(system, kind="complaint", number=records.complaint).body
    )


def _everything_stored() -> str:
    """Every value of every table as text."""
    out = []
    for model in ALL_MODELS:
        for row in model.select().dicts():
            out.append(repr(row))
    return "\n".join(out)


@pytest.mark.logged_errors
def test_the_password_is_in_the_credential_store_only(
    store, server, records, system, caplog, tmp_path
):
    port, _ = server
    caplog.set_level("DEBUG")
    result = configure(port)
    assert result.password_stored
    assert PASSWORD in store.passwords.values()
    mail = form_mail.prepare(system, kind="complaint", number=records.complaint)
    assert form_mail.send(system, mail=mail).sent
    configure(port, password="wrong-Pässword-2")
    assert not form_mail.send(system, mail=mail).sent
    text = _everything_stored()
    assert PASSWORD not in text and "wrong-Pässword-2" not in text
    assert PASSWORD not in caplog.text and "wrong-Pässword-2" not in caplog.text
    config = mail_admin.mail_config(system)
    assert config.password_source == "store"
    assert PASSWORD not in repr(config) and "wrong-Pässword-2" not in repr(config)


def test_without_a_credential_store_it_says_so_and_takes_the_environment(
    server, records, system, monkeypatch
):
    port, _ = server
    monkeypatch.delenv("CQMS_SMTP_PASSWORD", raising=False)
    with credential_store(fail.Keyring()):
        result = configure(port)
        assert not result.password_stored
        assert "no credential store" in result.password_problem
        assert "CQMS_SMTP_PASSWORD" in result.password_problem
        assert mail_admin.mail_config(system).store_problem
        mail = form_mail.prepare(system, kind="complaint", number=records.complaint)
        outcome = form_mail.send(system, mail=mail)
        assert not outcome.sent and "No SMTP password" in outcome.reason
        monkeypatch.setenv("CQMS_SMTP_PASSWORD", PASSWORD)
        assert mail_admin.mail_config(system).password_source == "environment"
        assert form_mail.send(system, mail=mail).sent
    assert PASSWORD not in _everything_stored()


def test_the_test_message_arrives(store, server, database, system):
    port, handler = server
    configure(port)
    assert mail_admin.send_test(system, to="it@factory.example", lang="de").sent
    [got] = handler.received
    assert got.rcpt_tos == ["it@factory.example"]
    assert got.message["Subject"] == "CQMS-Testnachricht"


def test_settings_are_checked_naming_the_setting(database, system):
    cases = {
        "mail_host": "bad host!",
        "mail_port": 70000,
        "mail_security": "tls13",
        "mail_sender": "no-at-sign",
        "mail_timeout_seconds": 0,
        "escalation_after_hours": -1,
        "escalation_to": "x@y.example; nonsense",
    }
    for key, value in cases.items():
        with pytest.raises(ValidationError) as err:
            mail_admin.save_settings(system, values={key: value})
        assert err.value.field == key
    with pytest.raises(PermissionDenied):
        mail_admin.save_settings(
            Actor(None, "x", "X", Department.QA),
            values={"mail_host": "smtp.example"},
        )


def test_a_form_sent_anew_supersedes_its_unsent_message(store, server, records, system):
    port, handler = server
    configure(free_port())
    mail = form_mail.prepare(system, kind="complaint", number=records.complaint)
    first = form_mail.send(system, mail=mail)
    second = form_mail.send(system, mail=mail, subject="Zweiter Versuch")
    assert not first.sent and not second.sent
    assert SentMail.get_by_id(first.mail_id).status == mail_outbox.SUPERSEDED
    configure(port)
    [again] = mail_outbox.retry("system")
    assert again.mail_id == second.mail_id and again.sent
    assert [r.message["Subject"] for r in handler.received] == ["Zweiter Versuch"]


@pytest.mark.clock_at("2026-11-20T08:00")
def test_a_send_interrupted_by_a_crash_stays_unknown_until_asked(
    store, server, records, system, frozen_clock
):
    port, handler = server
    configure(port)
    mail = form_mail.prepare(system, kind="complaint", number=records.complaint)
    # The program recorded the message and died before the outcome: the row stays "sending".
    mail_id = mail_outbox.record(
        "system",
        kind=mail_outbox.FORM,
        sender=SENDER,
        recipients=mail.recipients,
        subject=mail.subject,
        body=mail.body,
        lang=mail.lang,
        record_kind="complaint",
        record_id=mail.record_id,
        attachment=b"%PDF-1.4 as recorded",
    )
    assert mail_outbox.unknown_outcomes() == []  # maybe still being sent by another PC
    frozen_clock.advance(mail_outbox.UNKNOWN_AFTER + timedelta(seconds=1))
    assert [r.id for r in mail_outbox.unknown_outcomes()] == [mail_id]
    assert mail_outbox.retry("system") == []  # never sent again unasked (could duplicate)
    assert _complaint(records.complaint).copy_sent_at is None  # and never counted as sent
    [again] = mail_outbox.retry("system", include_unknown=True)
    assert again.sent and again.mail_id == mail_id
    assert handler.received[0].message["Message-ID"] == SentMail.get_by_id(mail_id).message_id
    assert handler.received[0].pdf() == b"%PDF-1.4 as recorded"
    assert _complaint(records.complaint).copy_sent_at is not None
