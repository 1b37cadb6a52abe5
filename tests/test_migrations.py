"""Schema versions: create, upgrade an old database with its data, refuse a newer one."""

from __future__ import annotations

import gzip
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from playhouse.migrate import SchemaMigrator, migrate

from cqms_desktop.domain.errors import DatabaseError
from cqms_desktop.services.auth import login
from cqms_desktop.services.demo import DEMO_PASSWORD
from cqms_desktop.services.maintenance import check_database
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
    # The fixture's database has the current schema; a step beyond it stands for the next.
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


# ------------------------------------------------------------ a database as shipped with schema 1
#: ``cqms init`` + ``cqms demo`` (seed 1, scale 1, clock 2026-11-20T02:00Z) made by the program
#: that shipped schema 1 (commit 92b97c3). Never regenerate it with a newer program: it stands
#: for the databases already in the offices, which every future step must upgrade.
SCHEMA_V1_DEMO = Path(__file__).parent / "fixtures" / "schema_v1_demo.sqlite3.gz"


def _unpack_v1(tmp_path: Path) -> Path:
    target = tmp_path / "shipped-v1.sqlite3"
    target.write_bytes(gzip.decompress(SCHEMA_V1_DEMO.read_bytes()))
    return target


def _row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as raw:
        tables = [
            name
            for (name,) in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: raw.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_shipped_schema_1_database_upgrades_to_the_latest_with_its_data(tmp_path):
    path = _unpack_v1(tmp_path)
    before = _row_counts(path)
    assert before["complaint"] > 200 and before["schema_version"] == 1
    dbmod.open_database(dbmod.sqlite_url(path))
    try:
        result = migrations.migrate()
        assert (result.from_version, result.to_version) == (1, migrations.LATEST)
        assert migrations.current_version() == migrations.LATEST
        report = check_database()
        assert report.ok, report.problems
        actor = login("liu.yang", DEMO_PASSWORD)
        assert actor.username == "liu.yang"
    finally:
        dbmod.close_database()
    after = _row_counts(path)
    # Every table of schema 1 keeps its rows (a step may add rows, e.g. the versions it records).
    for table, count in before.items():
        assert after.get(table, -1) >= count, table
    if migrations.LATEST > 1:
        assert result.backup is not None and result.backup.exists()
