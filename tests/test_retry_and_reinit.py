"""Contention and half-finished work (issue #15 items 6 and 7): a deadlock or a busy SQLite file
is retried with back-off, a bounded number of times; an interrupted `cqms init` (on MariaDB,
triggers committed and the rest not) is repaired by running it again."""

from __future__ import annotations

import sqlite3
import time

import peewee
import pytest

from cqms_desktop.domain.errors import DatabaseError
from cqms_desktop.store import audit_chain, migrations
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.counters import next_value
from cqms_desktop.store.models import ALL_MODELS, AuditChain, Counter, Department, SchemaVersion
from tests.concurrency import outcomes, run_together


def _busy() -> peewee.OperationalError:
    driver = sqlite3.OperationalError("database is locked")
    return peewee.OperationalError(driver, *driver.args)


def test_a_busy_database_is_retried_then_reported(database, monkeypatch):
    monkeypatch.setattr(dbmod, "RETRY_FIRST_PAUSE_SECONDS", 0.001)
    calls: list[int] = []

    @dbmod.retry_transient
    def twice_busy() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _busy()
        return "saved"

    assert twice_busy() == "saved" and len(calls) == 3

    @dbmod.retry_transient
    def always_busy() -> None:
        calls.append(1)
        raise _busy()

    calls.clear()
    with pytest.raises(DatabaseError, match="busy"):
        always_busy()
    assert len(calls) == dbmod.RETRY_ATTEMPTS

    @dbmod.retry_transient
    def broken() -> None:
        calls.append(1)
        raise peewee.OperationalError("no such table: x")

    calls.clear()
    with pytest.raises(peewee.OperationalError):
        broken()
    assert len(calls) == 1  # only contention is retried


def test_a_real_deadlock_is_retried_and_both_transactions_commit(any_database):
    with dbmod.write_transaction():
        next_value("A")
        next_value("B")

    runs: list[str] = []

    @dbmod.retry_transient
    def take(first: str, second: str) -> None:
        runs.append(first)
        with dbmod.write_transaction():
            next_value(first)
            time.sleep(0.3)  # both hold their first row: the second lock closes the circle
            next_value(second)

    order = [("A", "B"), ("B", "A")]
    results = run_together(2, lambda i: take(*order[i]))
    assert outcomes(results) == {"saved": 2}, results
    assert Counter.get_by_id("A").value == Counter.get_by_id("B").value == 3
    if not any_database.is_sqlite:  # SQLite's write lock serialises them: no deadlock there
        assert len(runs) >= 3, "the servers should have chosen a deadlock victim"


def test_an_interrupted_init_is_repaired_by_running_it_again(backend_url):
    dbmod.open_database(backend_url)
    database = dbmod.database_proxy.obj
    # What a first run killed half-way leaves on MariaDB, where CREATE commits at once: the
    # tables, the audit triggers, some departments and no version row.
    database.create_tables(ALL_MODELS)
    database.create_tables([AuditChain])
    audit_chain.install_guard(database)
    Department.insert(
        code="qa", name="QA", created_at="2026-01-01", updated_at="2026-01-01", version=1
    ).execute()
    assert migrations.current_version() == 0

    result = migrations.migrate()

    assert result.created and migrations.current_version() == migrations.LATEST
    assert Department.select().count() == 6
    assert SchemaVersion.select().count() == 1
    # The append-only guard is still there, once.
    from cqms_desktop.store import audit

    audit.write_audit("x", "customer", 1, "create", {"code": (None, "C1")})
    with pytest.raises(peewee.DatabaseError), dbmod.write_transaction():
        database.execute_sql("DELETE FROM audit_log")


def test_every_use_case_that_writes_is_retried_on_contention():
    """A public service function that opens a unit of work is wrapped in ``retry_transient``
    (the importer, the demo data and the backup have their own long transactions)."""
    import ast
    from pathlib import Path

    import cqms_desktop.services as services

    # These talk to the mail server between their transactions: rerunning one after a
    # transient error could send a message twice. Each of their transactions is short and
    # claims its work with a conditional write instead (see services/mail_outbox.py).
    sends_mail = {"mail_outbox.py:retry", "reminders.py:remind"}
    missing = []
    for path in sorted(Path(services.__file__).parent.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            body = ast.get_source_segment(source, node) or ""
            decorators = {ast.unparse(d) for d in node.decorator_list}
            if "with unit_of_work(" in body and "retry_transient" not in decorators:
                missing.append(f"{path.name}:{node.name}")
    missing = [name for name in missing if name not in sends_mail]
    assert missing == []
