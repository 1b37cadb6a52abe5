"""The history names records by their numbers and users by their full names: resolved for a
whole history in a fixed number of queries, checked against an independent SQL query."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.services import admin, auth, complaint_queries, history_queries
from cqms_desktop.services.base import Actor
from cqms_desktop.store.db import database_proxy
from cqms_desktop.store.models import AuditLog, Product
from tests.complaint_steps import bring_to


@pytest.fixture
def closed(actors):
    """A complaint taken to Closed; the General Manager who approves it is 周军 (zhou.jun)."""
    gm = admin.add_user(
        Actor.system(),
        username="zhou.jun",
        full_name="周军",
        department=D.GENERAL_MANAGER.value,
        password="secret-pass",
    )
    people = {**actors, D.GENERAL_MANAGER: auth.actor_for(gm)}
    customer = admin.add_customer(Actor.system(), code="C300", name="Alpha")
    product = admin.add_product(Actor.system(), part_number="PN-3", name="Gear")
    return bring_to(S.CLOSED, people, customer, product)


def _independent_names(audit_ids: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    """audit row id → "Full (login)" of its author, and → the complaint number it belongs to."""
    db = database_proxy.obj
    marks = ",".join("?" * len(audit_ids)) if db.param == "?" else ",".join(["%s"] * len(audit_ids))
    who = db.execute_sql(
        f"SELECT a.id, u.full_name, u.username FROM audit_log a "
        f"JOIN user u ON u.username = a.username WHERE a.id IN ({marks})",
        audit_ids,
    ).fetchall()
    number = db.execute_sql(
        f"SELECT a.id, c.number FROM audit_log a JOIN complaint c ON c.id = a.record_id "
        f"WHERE a.table_name = 'complaint' AND a.id IN ({marks}) "
        f"UNION SELECT a.id, c.number FROM audit_log a "
        f"JOIN corrective_action ca ON ca.id = a.record_id "
        f"JOIN complaint c ON c.id = ca.complaint_id "
        f"WHERE a.table_name = 'corrective_action' AND a.id IN ({marks}) "
        f"UNION SELECT a.id, c.number FROM audit_log a "
        f"JOIN customer_response r ON r.id = a.record_id "
        f"JOIN complaint c ON c.id = r.complaint_id "
        f"WHERE a.table_name = 'customer_response' AND a.id IN ({marks})",
        audit_ids * 3,
    ).fetchall()
    return (
        {row_id: f"{full} ({login})" for row_id, full, login in who},
        {row_id: num for row_id, num in number},
    )


def test_every_row_names_its_record_by_number_and_its_author_by_full_name(closed):
    rows = complaint_queries.history(closed.id)
    tables = {row.table_name for row in rows}
    assert {"complaint", "corrective_action", "customer_response"} <= tables
    names = history_queries.history_names(rows)
    who, number = _independent_names([row.id for row in rows])
    assert len(number) == len(rows)
    assert len(who) > len(rows) / 2  # the test's verifier "qa_other" is no user of the table
    for row in rows:
        assert names.who(row.username) == who.get(row.id, row.username)
        assert names.record(row.table_name, row.record_id) == number[row.id] == closed.number
    approved = [r for r in rows if r.field == "approved_by" and r.new_value]
    assert approved and names.value("approved_by", approved[-1].new_value) == "周军 (zhou.jun)"
    assert "周军 (zhou.jun)" in {names.who(r.username) for r in rows}


def test_the_number_of_queries_does_not_grow_with_the_rows(closed, monkeypatch):
    rows = complaint_queries.history(closed.id)
    db = database_proxy.obj
    executed: list[str] = []
    original = db.execute_sql

    def counting(sql, *args, **kwargs):
        executed.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counting)
    history_queries.history_names(rows)
    # At most: the users (by name and by id), two per kind of record, one per kind of reference.
    tables = {row.table_name for row in rows}
    references = {
        history_queries.REFERENCES[r.field][0]
        for r in rows
        if r.field in history_queries.REFERENCES
    }
    assert len(executed) <= 2 + 2 * len(tables) + len(references)
    assert len(rows) > 3 * len(executed)  # one query per row would be far more


def test_a_deleted_record_is_named_from_its_own_audit_rows(database):
    product = admin.add_product(Actor.system(), part_number="PN-GONE", name="Old part")
    rows = list(AuditLog.select().where(AuditLog.table_name == "product"))
    Product.delete().where(Product.id == product.id).execute()
    names = history_queries.history_names(rows)
    assert names.record("product", product.id) == "PN-GONE"
    assert names.record("product", product.id + 999) is None


def test_references_to_users_and_records_are_named(closed, actors):
    rows = complaint_queries.history(closed.id)
    names = history_queries.history_names(rows)
    qa = actors[D.QA]
    qa_owner = next(r for r in rows if r.field == "qa_owner" and r.new_value)
    assert names.value("qa_owner", qa_owner.new_value) == f"{qa.full_name} ({qa.username})"
    customer = next(r for r in rows if r.field == "customer" and r.new_value)
    assert names.value("customer", customer.new_value) == "C300"
