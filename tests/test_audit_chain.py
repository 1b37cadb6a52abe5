"""The tamper-evident audit trail: the hash chain, its head, the guard triggers, the replay of
every record, no secrets in the trail, concurrent writers, and the upgrade of a version-1
database — on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import threading

import peewee as pw
import pytest

from cqms_desktop.domain.errors import AuthenticationError
from cqms_desktop.services import admin, auth
from cqms_desktop.services.base import Actor
from cqms_desktop.services.maintenance import check_database
from cqms_desktop.store import audit, audit_chain, migrations
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import AuditChain, AuditLog, Customer, Product, SchemaVersion, User

pytestmark = pytest.mark.backends


def _db() -> pw.Database:
    return dbmod.database_proxy.obj


def _problems() -> list[str]:
    return check_database().problems


@pytest.fixture
def history(any_database) -> dict[str, int]:
    """Some ordinary use: users (one logs in, fails once, changes the password), a customer
    added and edited, a product, a business setting."""
    system = Actor.system()
    qa = admin.add_user(
        system, username="qa.li", full_name="Li", department="qa", password="first-secret"
    )
    auth.login("qa.li", "first-secret")
    with pytest.raises(AuthenticationError):
        auth.login("qa.li", "wrong")
    actor = auth.login("qa.li", "first-secret")
    admin.change_own_password(actor, old_password="first-secret", new_password="second-secret")
    sales = auth.actor_for(
        admin.add_user(
            system, username="sales.wu", full_name="Wu", department="sales", password="pw-route-77"
        )
    )
    customer = admin.add_customer(sales, code="C1", name="宁波模具厂")
    admin.update_customer(sales, customer_id=customer.id, version=1, name="宁波模具厂有限公司")
    product = admin.add_product(system, part_number="PN-1", name="Bracket")
    admin.update_settings(system, {"company_name": "Acme"})
    return {"qa": qa.id, "customer": customer.id, "product": product.id}


def test_a_clean_database_has_no_problems(history):
    assert _problems() == []
    head = AuditChain.get_by_id(audit_chain.HEAD_ID)
    assert head.row_count == AuditLog.select().count() > 10
    assert head.last_id == AuditLog.select(pw.fn.MAX(AuditLog.id)).scalar()


def test_no_password_hash_is_ever_written_into_the_trail(history):
    rows = list(AuditLog.select())
    assert not [r.id for r in rows if "$argon2" in f"{r.old_value}{r.new_value}"]
    changes = [r for r in rows if r.field == "password_hash"]
    # add_user twice, change_own_password once
    assert len(changes) == 3
    assert all(r.old_value is None and r.new_value.startswith("password changed") for r in changes)


def test_create_rows_hold_the_model_defaults(history):
    created = {
        r.field: r.new_value
        for r in AuditLog.select().where(
            (AuditLog.table_name == "user")
            & (AuditLog.record_id == history["qa"])
            & (AuditLog.action == "create")
        )
    }
    assert created["active"] == "true" and created["is_admin"] == "false"
    assert created["failed_logins"] == "0"


def test_log_in_bookkeeping_is_audited_without_a_new_version(history):
    rows = list(
        AuditLog.select()
        .where((AuditLog.table_name == "user") & (AuditLog.record_id == history["qa"]))
        .order_by(AuditLog.id)
    )
    fields = [(r.username, r.field, r.new_value) for r in rows if r.field == "failed_logins"]
    assert ("qa.li", "failed_logins", "1") in fields and fields[-1][2] == "0"
    assert any(r.field == "last_login_at" and r.username == "qa.li" for r in rows)
    assert User.get_by_id(history["qa"]).version == 2  # only the password change is an edit


# ------------------------------------------------------------------ tampering
def _drop_guard() -> None:
    audit_chain.remove_guard(_db())


def _middle_row() -> int:
    ids = [r for (r,) in AuditLog.select(AuditLog.id).order_by(AuditLog.id).tuples()]
    return ids[len(ids) // 2]


def test_a_dropped_trigger_is_named(history):
    name = audit_chain.expected_triggers(_db())[0]
    if isinstance(_db(), pw.PostgresqlDatabase):
        _db().execute_sql(f"DROP TRIGGER {name} ON audit_log")
    else:
        _db().execute_sql(f"DROP TRIGGER {name}")
    problems = _problems()
    assert len(problems) == 1 and name in problems[0] and "missing" in problems[0]


def test_a_disabled_trigger_is_named_on_postgresql(history):
    if not isinstance(_db(), pw.PostgresqlDatabase):
        pytest.skip("only PostgreSQL can disable a trigger")
    _db().execute_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    problems = _problems()
    assert len(problems) == 1 and "audit_log_append_only" in problems[0]
    assert "disabled" in problems[0]


def test_a_trigger_replaced_by_one_that_lets_changes_through_is_named(history):
    _drop_guard()
    audit_chain.install_guard(_db())
    name = audit_chain.expected_triggers(_db())[-1]
    database = _db()
    if isinstance(database, pw.SqliteDatabase):
        database.execute_sql(f"DROP TRIGGER {name}")
        database.execute_sql(
            f"CREATE TRIGGER {name} BEFORE DELETE ON audit_log BEGIN SELECT 1; END"
        )
    elif isinstance(database, pw.PostgresqlDatabase):
        database.execute_sql(
            "CREATE FUNCTION cqms_let_through() RETURNS trigger AS $$ BEGIN RETURN NULL; END; "
            "$$ LANGUAGE plpgsql"
        )
        database.execute_sql(f"DROP TRIGGER {name} ON audit_log")
        database.execute_sql(
            f"CREATE TRIGGER {name} BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION cqms_let_through()"
        )
    else:
        database.execute_sql(f"DROP TRIGGER {name}")
        database.execute_sql(
            f"CREATE TRIGGER {name} BEFORE DELETE ON audit_log FOR EACH ROW SET @x = 1"
        )
    problems = _problems()
    assert len(problems) == 1 and name in problems[0] and "replaced" in problems[0]


def test_an_edited_audit_row_is_named(history):
    _drop_guard()
    row = _middle_row()
    AuditLog.update(new_value="forged").where(AuditLog.id == row).execute()
    audit_chain.install_guard(_db())
    problems = _problems()
    assert f"audit row {row} was changed" in problems[0]


def test_an_edited_audit_row_with_its_own_hash_recomputed_breaks_the_next_link(history):
    _drop_guard()
    row = AuditLog.get_by_id(_middle_row())
    values = [getattr(row, c) for c in audit_chain.HASHED_COLUMNS]
    values[audit_chain.HASHED_COLUMNS.index("new_value")] = "forged"
    forged = audit_chain.row_hash(row.prev_hash, values)
    AuditLog.update(new_value="forged", row_hash=forged).where(AuditLog.id == row.id).execute()
    audit_chain.install_guard(_db())
    following = AuditLog.select(pw.fn.MIN(AuditLog.id)).where(AuditLog.id > row.id).scalar()
    assert f"chain breaks at audit row {following}" in _problems()[0]


def test_a_deleted_audit_row_is_named(history):
    _drop_guard()
    row = _middle_row()
    following = AuditLog.select(pw.fn.MIN(AuditLog.id)).where(AuditLog.id > row).scalar()
    AuditLog.delete().where(AuditLog.id == row).execute()
    audit_chain.install_guard(_db())
    assert f"chain breaks at audit row {following}" in _problems()[0]


def test_rows_cut_off_the_end_are_noticed(history):
    _drop_guard()
    last = AuditLog.select(pw.fn.MAX(AuditLog.id)).scalar()
    AuditLog.delete().where(AuditLog.id >= last - 2).execute()
    audit_chain.install_guard(_db())
    problems = _problems()
    assert any("cut short" in p and f"records row {last}" in p for p in problems)


def test_a_truncated_audit_table_is_noticed(history):
    database = _db()
    if isinstance(database, pw.PostgresqlDatabase):
        with pytest.raises(pw.DatabaseError, match="append-only"), database.atomic():
            database.execute_sql("TRUNCATE audit_log")
        database.execute_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        database.execute_sql("TRUNCATE audit_log")
        audit_chain.install_guard(database)
    elif isinstance(database, pw.MySQLDatabase):
        database.execute_sql("TRUNCATE TABLE audit_log")  # MariaDB has no truncate trigger
    else:
        _drop_guard()
        database.execute_sql("DELETE FROM audit_log")
        audit_chain.install_guard(database)
    assert AuditLog.select().count() == 0
    problems = _problems()
    assert any("cut short" in p and "with 0 rows" in p for p in problems), problems


def test_a_record_changed_without_an_audit_row_is_named(history):
    Customer.update(name="Someone else").where(Customer.id == history["customer"]).execute()
    problems = _problems()
    assert problems == [
        f"Record customer {history['customer']}: field “name” is “Someone else” but its audit "
        "trail says “宁波模具厂有限公司” (changed without an audit row)."
    ]


def test_a_password_reset_behind_the_programs_back_is_named(history):
    User.update(password_hash=auth.hash_password("attacker")).where(
        User.id == history["qa"]
    ).execute()
    problems = _problems()
    assert len(problems) == 1 and "“password_hash”" in problems[0]
    assert "$argon2" not in problems[0]


def test_records_added_or_deleted_without_an_audit_row_are_named(history):
    now = Customer.get_by_id(history["customer"]).created_at
    extra = Product.create(
        part_number="PN-X", name="Sneaked", version=1, created_at=now, updated_at=now
    )
    Product.delete().where(Product.id == history["product"]).execute()
    problems = _problems()
    assert f"Record product {history['product']} was deleted without an audit row." in problems
    assert f"Record product {extra.id} has no audit trail (added without an audit row)." in (
        problems
    )


# ------------------------------------------------------------------ concurrent writers
def test_concurrent_writers_form_one_chain(history):
    """Several connections (as several PCs) saving at once append to one unbroken chain."""
    errors: list[BaseException] = []
    system = Actor.system()

    def writer(n: int) -> None:
        try:
            for i in range(6):
                admin.add_product(system, part_number=f"P{n}-{i}", name=f"Part {n}/{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            _db().close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert Product.select().count() == 1 + 4 * 6
    assert _problems() == []


# ------------------------------------------------------------------ upgrading version 1
def _make_version_one() -> None:
    """Turn the fresh database into what version 1 left: no chain columns or head, the v1
    triggers, v1-style rows (password hashes in the trail, defaults missing from creations,
    unaudited log-in bookkeeping)."""
    database = _db()
    audit_chain.remove_guard(database)
    database.execute_sql("DROP TABLE audit_chain")
    for column in ("prev_hash", "row_hash"):
        database.execute_sql(f"ALTER TABLE audit_log DROP COLUMN {column}")
    SchemaVersion.update(version=1).execute()  # a fresh database is stamped at the latest
    now = SchemaVersion.get().applied_at
    secret = auth.hash_password("v1-secret")
    user = User.create(
        username="old.admin",
        full_name="Old",
        department="administration",
        is_admin=True,
        password_hash=secret,
        failed_logins=3,
        last_login_at=now,
        version=1,
        created_at=now,
        updated_at=now,
    )
    p = database.param
    insert = (
        "INSERT INTO audit_log (at, username, table_name, record_id, action, field, old_value, "
        f"new_value) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
    )
    for field, value in (
        ("username", "old.admin"),
        ("full_name", "Old"),
        ("department", "administration"),
        ("is_admin", "true"),
        ("password_hash", secret),
    ):
        database.execute_sql(insert, (now, "system", "user", user.id, "create", field, None, value))
    if isinstance(database, pw.PostgresqlDatabase):
        database.execute_sql(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION cqms_audit_append_only()"
        )
    else:
        end = "" if isinstance(database, pw.MySQLDatabase) else " END"
        for op in ("UPDATE", "DELETE"):
            body = (
                "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no'"
                if end == ""
                else "BEGIN SELECT RAISE(ABORT, 'no');"
            )
            each = " FOR EACH ROW" if end == "" else ""
            database.execute_sql(
                f"CREATE TRIGGER audit_log_no_{op.lower()} BEFORE {op} ON audit_log{each} "
                f"{body}{end}"
            )


def test_a_version_one_database_is_upgraded_onto_the_chain(any_database):
    _make_version_one()
    old_rows = AuditLog.select().count()
    result = migrations.migrate(backup=False)
    assert (result.from_version, result.to_version) == (1, migrations.LATEST)
    assert _problems() == []
    rows = list(AuditLog.select().order_by(AuditLog.id))
    assert len(rows) > old_rows  # the baseline: defaults and log-in bookkeeping adopted
    assert all(r.row_hash for r in rows)
    assert not [r.id for r in rows if "$argon2" in f"{r.old_value}{r.new_value}"]
    baseline = {(r.field, r.new_value) for r in rows if r.action == "baseline"}
    assert ("failed_logins", "3") in baseline and ("active", "true") in baseline
    # Re-running the step changes nothing (an interrupted upgrade can be run again).
    heads = list(AuditChain.select().tuples())
    with dbmod.write_transaction():
        migrations.STEPS[migrations.AUDIT_CHAIN_VERSION](_db())
    assert list(AuditChain.select().tuples()) == heads
    assert _problems() == []
    # And the program keeps chaining onto it.
    admin.add_product(Actor.system(), part_number="PN-after", name="After")
    assert _problems() == []


def test_audit_rows_carry_whole_seconds_and_every_column_in_the_hash(history):
    row = AuditLog.select().order_by(AuditLog.id.desc()).first()
    values = [getattr(row, c) for c in audit_chain.HASHED_COLUMNS]
    assert audit_chain.row_hash(row.prev_hash, values) == row.row_hash
    for i in range(len(values)):
        changed = list(values)
        changed[i] = 999 if isinstance(changed[i], int) else f"{changed[i]}x"
        if audit_chain.HASHED_COLUMNS[i] == "at":
            changed[i] = row.at.replace(year=row.at.year - 1)
        assert audit_chain.row_hash(row.prev_hash, changed) != row.row_hash, i
    assert audit.SECRET_CHANGED == "password changed"


def test_a_save_locking_two_records_does_not_deadlock_with_one_waiting_for_the_chain(history):
    """The chain head is locked only just before commit: A holds record 1 and waits for
    record 2, which B holds while B saves and commits — with the head taken at A's first audit
    row, B would wait for it and the server would break the deadlock by failing one save."""
    if isinstance(_db(), pw.SqliteDatabase):
        pytest.skip("SQLite's write lock serialises whole transactions: no row locks")
    system = Actor.system()
    first = history["customer"]
    second = admin.add_customer(system, code="C2", name="Second").id
    a_holds_first, b_holds_second = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run(body) -> None:
        try:
            with dbmod.write_transaction():
                body()
        except BaseException as exc:
            errors.append(exc)
        finally:
            _db().close()

    def a() -> None:
        audit.update(Customer, first, "a", {"notes": "A1"})
        a_holds_first.set()
        b_holds_second.wait(10)
        audit.update(Customer, second, "a", {"notes": "A2"})

    def b() -> None:
        a_holds_first.wait(10)
        audit.update(Customer, second, "b", {"phone": "B2"})
        b_holds_second.set()
        threading.Event().wait(1.5)  # A is now waiting for record 2's row lock

    threads = [threading.Thread(target=run, args=(body,)) for body in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert Customer.get_by_id(second).notes == "A2" and Customer.get_by_id(second).phone == "B2"
    assert _problems() == []


def test_audit_rows_of_a_rolled_back_savepoint_are_dropped(history):
    system = Actor.system()
    with dbmod.write_transaction():
        admin.add_product(system, part_number="KEPT", name="Kept")
        with pytest.raises(RuntimeError), dbmod.write_transaction():
            audit.create(Product, "system", part_number="GONE", name="Gone")
            raise RuntimeError("rolled back")
    assert not AuditLog.select().where(AuditLog.new_value == "GONE").exists()
    assert AuditLog.select().where(AuditLog.new_value == "KEPT").exists()
    assert _problems() == []
