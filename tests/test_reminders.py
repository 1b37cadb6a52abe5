"""``cqms remind``: one digest per user in their language (their "My work", overdue first),
escalation of complaints not handled past their deadline after the configured delay, each item
at most once per recipient and day — also with two ``cqms remind`` processes at once on SQLite
and PostgreSQL — against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cqms_desktop.services import admin, mail_admin, mail_outbox, reminders
from cqms_desktop.services.base import Actor
from cqms_desktop.store import audit, migrations
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Complaint, Customer, ReminderClaim, SentMail
from cqms_desktop.store.models import Department as DepartmentRow
from tests.external import create_server_database
from tests.mail_setup import MemoryKeyring, configure, credential_store
from tests.smtp_server import PASSWORD, free_port, smtp_server

NOW = datetime(2026, 6, 15, 10, 0)  # naive UTC, the tests' fixed clock
DUE = datetime(2026, 6, 14, 9, 0)  # the complaint's deadline: 25 hours before NOW
QA_HEAD = "qa-head@factory.example"
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def store():
    with credential_store(MemoryKeyring()):
        yield


@pytest.fixture
def server(tmp_path, monkeypatch):
    with smtp_server(tmp_path) as (port, handler, cert):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        yield port, handler


def build_office(qa_users: int = 1) -> dict[str, str]:
    """Users with addresses and languages, QA's department address, one complaint waiting
    for QA since :data:`DUE`; the address of each user name."""
    system = Actor.system()
    admin.update_settings(system, {"timezone": "UTC", "escalation_after_hours": 24})
    people = [(f"qa{i}", "qa", "de" if i == 0 else "en") for i in range(qa_users)]
    people += [("gm", "gm", "zh"), ("sales_no_mail", "sales", "")]
    addresses = {}
    for username, department, lang in people:
        email = "" if username == "sales_no_mail" else f"{username}@factory.example"
        admin.add_user(
            system,
            username=username,
            full_name=username.upper(),
            department=department,
            password="secret-pass",
            email=email,
        )
        if lang:
            mail_admin.set_user_language(system, username=username, lang=lang)
        addresses[username] = email
    qa = DepartmentRow.get(DepartmentRow.code == "qa")
    admin.update_department(system, department_id=qa.id, version=qa.version, email=QA_HEAD)
    with write_transaction():
        customer = audit.create(Customer, "t", code="C1", name="Müller GmbH", language="de")
        audit.create(
            Complaint,
            "t",
            number="CC-2026-0007",
            customer=customer,
            received_at=DUE - timedelta(days=7),
            description="Gratbildung am Gehäuse",
            status="registered",
            due_at=DUE,
        )
    return addresses


def _by_recipient(handler) -> dict[str, list]:
    out: dict[str, list] = {}
    for got in handler.received:
        for address in got.rcpt_tos:
            out.setdefault(address, []).append(got)
    return out


@pytest.mark.clock_at("2026-06-15T10:00")
def test_each_user_gets_one_digest_in_their_language_and_the_escalation_goes_up(
    database, store, server
):
    port, handler = server
    build_office()
    configure(port)
    report = reminders.remind(now=NOW)
    mails = _by_recipient(handler)
    [qa_digest] = mails["qa0@factory.example"]
    assert qa_digest.message["Content-Language"] == "de"
    assert "Überfällig (1)" in qa_digest.text()
    assert "CC-2026-0007 · Reklamation bearbeiten · Müller GmbH · fällig 2026-06-14" in (
        qa_digest.text()
    )
    # The General Manager has nothing in "My work" for this complaint, but it is escalated
    # to them (in Chinese) and to QA's department address (the office's language).
    [gm_mail] = mails["gm@factory.example"]
    assert gm_mail.message["Content-Language"] == "zh-CN"
    assert "升级通知" in gm_mail.message["Subject"] and "CC-2026-0007" in gm_mail.text()
    [head] = mails[QA_HEAD]
    assert "CC-2026-0007" in head.text()
    skipped = [r for r in report.reminders if r.skipped]
    assert [(r.recipient, r.skipped) for r in skipped] == []  # sales has nothing waiting
    assert reminders.sent_count(report.reminders) == 3
    assert SentMail.select().where(SentMail.status == mail_outbox.SENT).count() == 3


@pytest.mark.clock_at("2026-06-15T10:00")
def test_an_item_is_reminded_at_most_once_a_day(database, store, server):
    port, handler = server
    build_office()
    configure(port)
    reminders.remind(now=NOW)
    first = len(handler.received)
    again = reminders.remind(now=NOW + timedelta(hours=6))
    assert len(handler.received) == first and again.reminders == []
    assert again.already_reminded == 3
    reminders.remind(now=NOW + timedelta(days=1))
    assert len(handler.received) == 2 * first


@pytest.mark.clock_at("2026-06-15T10:00")
def test_escalation_waits_for_the_configured_delay_after_the_deadline(database, store, server):
    port, _ = server
    build_office()
    configure(port)
    mail_admin.save_settings(Actor.system(), values={"escalation_after_hours": 48})
    early = reminders.plan(now=DUE + timedelta(hours=48) - timedelta(seconds=1))
    assert [r for r in early.reminders if r.kind == "escalation"] == []
    due = reminders.plan(now=DUE + timedelta(hours=48))
    escalated = sorted(r.recipient for r in due.reminders if r.kind == "escalation")
    assert escalated == ["gm", QA_HEAD]
    # Handled in time: no escalation, however late it is now.
    with write_transaction():
        Complaint.update(handled_at=DUE - timedelta(hours=1)).execute()
    late = reminders.plan(now=DUE + timedelta(days=30))
    assert [r for r in late.reminders if r.kind == "escalation"] == []


@pytest.mark.clock_at("2026-06-15T10:00")
def test_a_digest_not_sent_is_sent_by_the_next_run(database, store, server):
    port, handler = server
    build_office()
    configure(free_port())  # refused
    report = reminders.remind(now=NOW)
    assert reminders.sent_count(report.reminders) == 0
    assert all("refused the connection" in r.outcome.reason for r in report.reminders)
    assert ReminderClaim.select().count() == 0  # released: nothing counts as reminded
    assert SentMail.select().where(SentMail.status == mail_outbox.NOT_SENT).count() == 3
    configure(port)
    report = reminders.remind(now=NOW + timedelta(hours=1))
    assert reminders.sent_count(report.reminders) == 3 and len(handler.received) == 3


@pytest.mark.clock_at("2026-06-15T10:00")
def test_dry_run_lists_without_claiming_or_sending(database, store, server):
    port, handler = server
    build_office()
    configure(port)
    report = reminders.plan(now=NOW)
    assert sorted(r.recipient for r in report.reminders) == ["gm", "qa-head@factory.example", "qa0"]
    assert "Überfällig (1)" in next(r.body for r in report.reminders if r.recipient == "qa0")
    assert handler.received == [] and ReminderClaim.select().count() == 0


def _remind_process(url: str, env: dict[str, str]) -> subprocess.Popen[str]:
    code = "import sys; from cqms_desktop.cli import main; sys.exit(main())"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--db", url, "remind", "--at", NOW.isoformat()],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_remind_processes_at_once_send_each_reminder_exactly_once(
    tmp_path, server, backend, monkeypatch
):
    port, handler = server
    if backend == "sqlite":
        url, drop = dbmod.sqlite_url(tmp_path / "office.sqlite3"), dbmod.close_database
    else:
        url, drop = create_server_database(backend)
    try:
        dbmod.open_database(url)
        migrations.migrate()
        addresses = build_office(qa_users=25)
        with credential_store(MemoryKeyring()):
            configure(port)
        dbmod.close_database()
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "CQMS_SMTP_PASSWORD": PASSWORD,
            "CQMS_DATA_DIR": str(tmp_path / "data"),
        }
        env.pop("CQMS_NOW", None)
        first, second = _remind_process(url, env), _remind_process(url, env)
        results = [p.communicate(timeout=240) for p in (first, second)]
        assert [p.returncode for p in (first, second)] == [0, 0], results
        expected = {a for a in addresses.values() if a} | {QA_HEAD}
        mails = _by_recipient(handler)
        assert set(mails) == expected
        # Exactly one digest per QA user, one escalation to QA's head; the GM one escalation.
        assert {a: len(m) for a, m in mails.items()} == dict.fromkeys(expected, 1)
        sent_lines = sum(out.count("— sent") for out, _ in results)
        assert sent_lines == len(expected)
        dbmod.open_database(url)
        assert ReminderClaim.select().count() == len(expected)
        assert SentMail.select().where(SentMail.status == "sent").count() == len(expected)
    finally:
        drop()


@pytest.mark.parametrize("lang", ["zh", "en", "de"])
def test_every_kind_of_work_has_its_words_in_the_reminder(lang):
    """A kind of My work line without a reminder wording (the SCAR lines once) would make
    the daily reminder fail for whoever has such a line."""
    from cqms_desktop.domain.mail_templates import work_kind_word
    from cqms_desktop.domain.work_items import WorkKind

    for kind in WorkKind:
        assert work_kind_word(kind, lang).strip(), kind
