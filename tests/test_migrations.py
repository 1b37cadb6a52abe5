"""Schema versions: create, upgrade an old database with its data, refuse a newer one."""

from __future__ import annotations

import sqlite3

import pytest
from playhouse.migrate import SchemaMigrator, migrate

from cqms_desktop.domain.errors import DatabaseError
from cqms_desktop.store import audit, migrations
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import Customer, SchemaVersion


def _add_column_step(database):
    import peewee as pw

    migrator = SchemaMigrator.from_database(database)
    migrate(migrator.add_column("customer", "region", pw.CharField(max_length=50, default="")))


@pytest.mark.backends
def test_upgrade_keeps_data_and_records_the_version(any_database):
    with dbmod.write_transaction():
        audit.create(Customer, "alice", code="C1", name="宁波模具厂")
    latest = migrations.LATEST
    result = migrations.migrate(steps={latest + 1: _add_column_step}, latest=latest + 1)
    assert (result.from_version, result.to_version) == (latest, latest + 1)
    assert migrations.current_version() == latest + 1
    row = dbmod.database_proxy.execute_sql("SELECT name, region FROM customer").fetchone()
    assert tuple(row) == ("宁波模具厂", "")
    if any_database.is_sqlite:
        assert result.backup is not None and result.backup.exists()
        with sqlite3.connect(result.backup) as old:
            assert old.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == latest


def test_reopening_an_up_to_date_database_changes_nothing(database):
    result = migrations.migrate()
    latest = migrations.LATEST
    assert (result.created, result.from_version, result.to_version) == (False, latest, latest)


def test_newer_database_is_refused_and_left_untouched(database):
    SchemaVersion.create(
        version=99, applied_at=SchemaVersion.get().applied_at, program_version="9.9"
    )
    path = database.path
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version"):
        migrations.migrate()
    assert path.read_bytes() == before


def test_a_missing_step_is_an_error_not_a_silent_skip(database):
    with pytest.raises(DatabaseError, match="No upgrade step"):
        migrations.migrate(steps={}, latest=migrations.LATEST + 1)
    assert migrations.current_version() == migrations.LATEST


def test_foreign_database_is_refused(sqlite_url):
    dbmod.open_database(sqlite_url)
    dbmod.database_proxy.execute_sql("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(DatabaseError, match="not a CQMS database"):
        migrations.migrate()
    dbmod.close_database()
