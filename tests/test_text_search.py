"""The registers' text search through the trigram indexes: the same rows as ``LIKE '%…%'``.

On each backend: the demonstration data searched for many words (one and two characters, which
no trigram can index, mixed case, Chinese, LIKE's wildcard characters, several words) gives the
same rows and count with the index as with the plain scan; the index follows inserts, updates
and deletes; without an index (or where it cannot be made) the search scans and still answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import peewee as pw
import pytest

from cqms_desktop.services.demo import generate_demo
from cqms_desktop.services.registers import REGISTERS, Filter, Register
from cqms_desktop.store import audit, migrations, search_index
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import Customer, Feedback

#: Fixed words; more are taken from the data itself (see :func:`_words_from_data`).
WORDS = [
    "a",
    "精",
    "精工",
    "-2",
    "ltd",
    "LTD",
    "müller",
    "MÜLLER",
    "Müller GmbH",
    "顾客要求",
    "批次",
    "2026-00",
    "1_0",
    "100%",
    "it's",
    '"quoted"',
    "不存在的词",
    "precision plant",
]


def _database() -> pw.Database:
    database: pw.Database = dbmod.database_proxy.obj
    return database


@contextmanager
def _scanning() -> Iterator[None]:
    """The search as before the index: every word by ``LIKE`` alone."""
    database = _database()
    search_index.forget(database)
    setattr(database, search_index._STATE, frozenset())
    try:
        yield
    finally:
        search_index.forget(database)


def _words_from_data() -> list[str]:
    """Pieces of real text: a customer's name, a description's middle, a record number."""
    customer = Customer.select().order_by(Customer.id).first()
    feedback = Feedback.select().order_by(Feedback.id.desc()).first()
    assert customer is not None and feedback is not None
    middle = len(feedback.description) // 2
    return [
        customer.name[2:7],
        customer.name[2:7].upper(),
        feedback.description[middle : middle + 4],
        feedback.number[-6:],
        customer.code,
    ]


def _search(register: Register, text: str) -> tuple[list[dict[str, Any]], int]:
    return register.page_and_count(Filter(text=text), limit=100_000)


@pytest.mark.backends
def test_the_index_finds_what_like_finds_on_the_demo_data(any_database):
    generate_demo(scale=1)
    assert search_index.indexed_tables(_database()) == set(search_index.INDEXED)
    words = WORDS + _words_from_data()
    # The index takes part for words of three characters or more in every record register.
    for kind in ("complaints", "feedback", "visits", "surveys", "service", "customers"):
        assert REGISTERS[kind]._text_candidates("ltd") is not None, kind
        assert REGISTERS[kind]._text_candidates("精工") is None, kind
    found_something = 0
    for kind, register in REGISTERS.items():
        for text in words:
            rows, total = _search(register, text)
            with _scanning():
                expected = register.page(Filter(text=text), limit=100_000)
                expected_total = register.count(Filter(text=text))
            assert rows == expected, (kind, text)
            assert total == expected_total == len(expected), (kind, text)
            found_something += bool(total)
    assert found_something > 30  # the words do find records: not a comparison of nothing


@pytest.mark.backends
def test_the_index_follows_inserts_updates_and_deletes(any_database):
    def ids(word: str) -> set[int]:
        found = search_index.candidates(Customer, word)
        assert found is not None
        return {row[0] for row in _database().execute(found)}

    with dbmod.write_transaction():
        customer = audit.create(Customer, "alice", code="Z1", name="Zhejiang Zephyr模具厂")
    assert customer.id in ids("zephyr")
    assert customer.id in ids("HEJIANG")
    assert customer.id in ids("phyr模具")
    assert customer.id in ids("模具厂")
    assert search_index.candidates(Customer, "ng Ze") is None  # words never hold a blank
    with dbmod.write_transaction():
        customer.name = "Ningbo Quokka 精密"
        customer.address = "Hafenstraße 12"
        customer.save()
    assert customer.id not in ids("zephyr")
    assert customer.id in ids("quokka")
    assert customer.id in ids("nstraße")
    rows, total = _search(REGISTERS["customers"], "Quokka")
    assert total == 1 and rows[0]["id"] == customer.id
    with dbmod.write_transaction():
        Customer.delete_by_id(customer.id)
    assert customer.id not in ids("quokka")
    assert _search(REGISTERS["customers"], "Quokka") == ([], 0)


@pytest.mark.backends
def test_a_renamed_customer_is_found_in_the_record_registers(any_database):
    generate_demo(scale=1)
    record = Feedback.select().order_by(Feedback.id).first()
    assert record is not None
    with dbmod.write_transaction():
        Customer.update(name="Wombat Werkzeugbau").where(
            Customer.id == record.customer_id
        ).execute()
    rows, total = _search(REGISTERS["feedback"], "wombat")
    assert record.id in {row["id"] for row in rows}
    with _scanning():
        assert total == REGISTERS["feedback"].count(Filter(text="wombat"))


@pytest.mark.backends
def test_without_the_index_the_search_scans(any_database):
    generate_demo(scale=1)
    expected = _search(REGISTERS["feedback"], "顾客要求")
    search_index.remove(_database())
    assert search_index.indexed_tables(_database()) == frozenset()
    assert REGISTERS["feedback"]._text_candidates("顾客要求") is None
    assert _search(REGISTERS["feedback"], "顾客要求") == expected
    # The tables are written as before (no trigger left behind writing to a dropped table).
    with dbmod.write_transaction():
        audit.create(Customer, "alice", code="Z2", name="After the index")
    assert _search(REGISTERS["customers"], "After the")[1] == 1


@pytest.mark.backends
def test_a_backend_that_cannot_make_the_index_leaves_none_behind(any_database, monkeypatch, caplog):
    """SQLite without the trigram tokenizer, PostgreSQL without pg_trgm, MariaDB refusing a
    step half-way: no index, nothing left behind, the caller's transaction goes on, the
    search scans."""
    database = _database()
    if any_database.backend == "sqlite":
        original = search_index._install_sqlite

        def refuse(db: pw.Database, table: str) -> None:
            if table == "feedback":  # after some tables were made
                raise pw.OperationalError("no such tokenizer: trigram")
            original(db, table)

        monkeypatch.setattr(search_index, "_install_sqlite", refuse)
    elif any_database.backend == "postgresql":  # a real refusal by the server
        monkeypatch.setattr(search_index, "PG_EXTENSION", "cqms_no_such_extension")
    else:

        def refuse_fill(db: pw.Database) -> None:  # after the table and triggers were made
            raise pw.OperationalError("Unknown table 'seq_1_to_10'")

        monkeypatch.setattr(search_index, "rebuild_mariadb", refuse_fill)
    warnings = caplog.at_level(logging.WARNING, logger=search_index.__name__)
    with warnings, dbmod.write_transaction():
        audit.create(Customer, "alice", code="Z3", name="Scanned customer")
        assert search_index.install(database) == []
        audit.create(Customer, "alice", code="Z4", name="Scanned customer too")
    assert "searching by scan" in caplog.text
    assert search_index.indexed_tables(database) == frozenset()
    assert not any(name.startswith("search_") for name in database.get_tables())
    with dbmod.write_transaction():
        audit.create(Customer, "alice", code="Z5", name="Scanned customer three")
    assert _search(REGISTERS["customers"], "Scanned")[1] == 3


@pytest.mark.backends
def test_the_upgrade_step_indexes_the_records_already_there(any_database):
    generate_demo(scale=1)
    database = _database()
    search_index.remove(database)
    with _scanning():
        expected = _search(REGISTERS["complaints"], "Precision")
    # The step on its own (later steps may follow it), as migrate() runs it: in a transaction.
    with dbmod.write_transaction():
        migrations.STEPS[migrations.SEARCH_INDEX_VERSION](database)
    assert search_index.indexed_tables(database) == set(search_index.INDEXED)
    assert REGISTERS["complaints"]._text_candidates("Precision") is not None
    assert _search(REGISTERS["complaints"], "Precision") == expected
    assert expected[1] > 0


@pytest.mark.backends
def test_record_numbers_sort_by_year_then_sequence_as_a_number(any_database):
    generate_demo(scale=1)
    first, second, third = Feedback.select().order_by(Feedback.id).limit(3)
    numbers = {first.id: "FB-2026-9999", second.id: "FB-2026-18719", third.id: "FB-2025-20000"}
    with dbmod.write_transaction():
        for record_id, number in numbers.items():
            Feedback.update(number=number).where(Feedback.id == record_id).execute()
    for descending in (True, False):
        rows = REGISTERS["feedback"].page(
            Filter(), sort="number", descending=descending, limit=100_000
        )
        shown = [row["number"] for row in rows if row["id"] in numbers]
        expected = ["FB-2026-18719", "FB-2026-9999", "FB-2025-20000"]
        assert shown == (expected if descending else expected[::-1])


@pytest.mark.backends
def test_the_default_order_walks_the_date_index(any_database):
    generate_demo(scale=1)
    register = REGISTERS["feedback"]
    rows = register.page(Filter(), limit=50)
    every = list(Feedback.select(Feedback.id, Feedback.received_at).dicts())
    every.sort(key=lambda row: (row["received_at"], row["id"]), reverse=True)
    assert [row["id"] for row in rows] == [row["id"] for row in every[:50]]
    if any_database.backend == "mysql":  # its optimizer would sort every joined row
        sql, params = register.query(Filter()).limit(50).sql()
        plan = list(_database().execute_sql("EXPLAIN " + sql, params))
        assert plan[0][2] == "t1" and plan[0][5] == "feedback_received_at"
        assert "filesort" not in str(plan)
