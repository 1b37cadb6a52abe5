"""Store: schema creation on every backend, audit rows, optimistic locking, append-only audit."""

from __future__ import annotations

import peewee as pw
import pytest

from cqms_desktop.domain.errors import ConflictError
from cqms_desktop.store import audit, migrations
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.counters import next_number
from cqms_desktop.store.models import ALL_MODELS, AuditLog, Customer, Department

pytestmark = pytest.mark.backends


def test_new_database_has_every_table_and_the_six_departments(any_database):
    tables = set(dbmod.database_proxy.get_tables())
    assert {m._meta.table_name for m in ALL_MODELS} <= tables
    assert migrations.current_version() == migrations.LATEST
    assert sorted(d.code for d in Department.select()) == sorted(
        ["sales", "qa", "technical", "manufacturing", "administration", "gm"]
    )


def test_create_update_delete_write_audit_rows(any_database):
    with dbmod.write_transaction():
        c = audit.create(Customer, "alice", code="C001", name="上海汽车配件有限公司")
    with dbmod.write_transaction():
        audit.update(Customer, c.id, "bob", {"name": "上海汽配", "language": "zh"}, c.version)
    rows = audit.history("customer", c.id)
    assert [(r.action, r.field) for r in rows if r.action == "update"] == [
        ("update", "name")
    ]  # language did not change: no row
    upd = next(r for r in rows if r.action == "update")
    assert (upd.username, upd.old_value, upd.new_value) == (
        "bob",
        "上海汽车配件有限公司",
        "上海汽配",
    )
    creates = {r.field: r.new_value for r in rows if r.action == "create"}
    assert creates["code"] == "C001"
    with dbmod.write_transaction():
        audit.delete(Customer, c.id, "carol", 2)
    deleted = [r for r in audit.history("customer", c.id) if r.action == "delete"]
    assert {r.field for r in deleted} >= {"code", "name"}
    assert all(r.username == "carol" for r in deleted)


def test_second_save_of_a_stale_version_is_refused_naming_who(any_database):
    with dbmod.write_transaction():
        c = audit.create(Customer, "alice", code="C002", name="Kunde GmbH")
    opened_by_first = c.version
    opened_by_second = c.version
    with dbmod.write_transaction():
        audit.update(Customer, c.id, "bob", {"name": "Kunde AG"}, opened_by_first)
    with pytest.raises(ConflictError) as err, dbmod.write_transaction():
        audit.update(Customer, c.id, "carol", {"name": "Kunde KG"}, opened_by_second)
    assert "bob" in str(err.value)
    assert Customer.get_by_id(c.id).name == "Kunde AG"


def test_audit_rows_cannot_be_changed_or_deleted(any_database):
    with dbmod.write_transaction():
        audit.create(Customer, "alice", code="C003", name="X")
    with pytest.raises(pw.DatabaseError), dbmod.write_transaction():
        AuditLog.update(username="mallory").execute()
    with pytest.raises(pw.DatabaseError), dbmod.write_transaction():
        AuditLog.delete().execute()
    assert AuditLog.select().where(AuditLog.username == "alice").count() > 0


def test_record_numbers_follow_a_yearly_sequence(any_database):
    with dbmod.write_transaction():
        first = next_number("complaint", 2026)
        second = next_number("complaint", 2026)
        other_year = next_number("complaint", 2027)
    assert (first, second, other_year) == ("CC-2026-0001", "CC-2026-0002", "CC-2027-0001")
