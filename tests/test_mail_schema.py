"""Schema step "mail": a version-1 database gets the mail tables and ``user.language``
(again and again without harm), and a backup carries the new tables to every backend."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.services import backup
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from cqms_desktop.store.models import ReminderClaim, SchemaVersion, SentMail, User
from cqms_desktop.store.steps import mail as mail_step
from tests.external import create_server_database

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 400  # larger than MySQL's 64 KiB BLOB


def _back_to_version_1(database) -> None:
    """Undo the step: the database as version 1 of the schema had it."""
    for table in ("reminder_claim", "sent_mail"):
        database.execute_sql(f"DROP TABLE {table}")
    left, right = database.quote[0], database.quote[1]
    database.execute_sql(f"ALTER TABLE {left}user{right} DROP COLUMN language")
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=1, applied_at=utcnow(), program_version="0.1.0")


@pytest.mark.backends
def test_a_version_1_database_is_upgraded_and_the_step_runs_again_harmlessly(any_actors):
    database = dbmod.database_proxy.obj
    _back_to_version_1(database)
    assert migrations.current_version() == 1
    assert not database.table_exists("sent_mail")
    result = migrations.migrate()
    assert (result.from_version, result.to_version) == (1, migrations.LATEST)
    assert database.table_exists("sent_mail") and database.table_exists("reminder_claim")
    assert {u.language for u in User.select()} == {""}  # existing users: the default
    mail_step.upgrade(database)  # re-runnable: checks before it creates
    with dbmod.write_transaction():
        _mail_rows()
    assert SentMail.select().count() == 1


def _mail_rows() -> None:
    now = utcnow()
    mail = SentMail.create(
        kind="form",
        record_kind="complaint",
        record_id=1,
        lang="de",
        message_id="<1@factory.example>",
        sender="qa@factory.example",
        recipients="a@kunde.example\nb@kunde.example",
        subject="Reklamation CC-2026-0001",
        body="Sehr geehrte Damen und Herren,\n…",
        attachment_name="CC-2026-0001-complaint-de.pdf",
        attachment=PDF,
        status="sent",
        created_at=now,
        created_by="system",
        attempted_at=now,
        sent_at=now,
    )
    ReminderClaim.create(
        recipient="li.qa", item="complaint_step:complaint:1:abc", day=now.date(), token="t",
        claimed_at=now, mail=mail,
    )  # fmt: skip


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_backup_round_trips_the_mail_tables(database, tmp_path, target):
    with dbmod.write_transaction():
        _mail_rows()
    path = tmp_path / "mail.cqmsdump"
    backup.backup(path)
    key = backup.backup_key()  # a restore into a new database needs the key that signed it
    dbmod.close_database()
    if target == "sqlite":
        url, drop = dbmod.sqlite_url(tmp_path / "restored.sqlite3"), dbmod.close_database
    else:
        url, drop = create_server_database(target)
    try:
        dbmod.open_database(url)
        backup.restore(path, key=key)
        mail = SentMail.get()
        assert bytes(mail.attachment) == PDF and mail.recipients.count("\n") == 1
        claim = ReminderClaim.get()
        assert claim.mail_id == mail.id and claim.item == "complaint_step:complaint:1:abc"
    finally:
        drop()
