"""The reads the user interface makes through services (it never imports ``store``): the one
overdue-corrective-action rule, customer look-ups, the history, the admin records and the
schema check of a database the program does not have open."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import peewee
import pytest

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.errors import NotFoundError, PermissionDenied
from cqms_desktop.services import (
    admin,
    admin_queries,
    complaint_queries,
    customer_queries,
    dashboard_queries,
    history_queries,
    settings_queries,
)
from cqms_desktop.services import database as database_service
from cqms_desktop.services.base import Actor
from cqms_desktop.services.deadline_sql import overdue_actions_query
from cqms_desktop.services.registers import COMPLAINTS, FEEDBACK, Filter
from cqms_desktop.store.models import CorrectiveAction, Feedback
from tests.complaint_steps import register


@pytest.fixture
def customer_and_product(database):
    system = Actor.system()
    customer = admin.add_customer(system, code="C100", name="Müller Automotive GmbH")
    product = admin.add_product(system, part_number="PN-4711", name="Steckergehäuse")
    return customer, product


def _action(complaint_id: int, due: date, status: str = "open") -> CorrectiveAction:
    return CorrectiveAction.create(
        created_at=utcnow(),
        updated_at=utcnow(),
        complaint=complaint_id,
        action_type="process",
        description="Change the deburring step",
        department="manufacturing",
        due_date=due,
        status=status,
    )


def test_one_overdue_action_rule_for_the_list_filter_start_up_list_and_dashboard(
    actors, customer_and_product
):
    customer, product = customer_and_product
    complaint = register(actors[D.SALES], customer, product)
    other = register(actors[D.SALES], customer, product)
    today = date(2026, 6, 15)
    late = _action(complaint.id, today - timedelta(days=1))
    _action(complaint.id, today)  # due today: not overdue until the day is over
    _action(other.id, today - timedelta(days=9), status="done")  # carried out: not overdue

    assert [a.id for a in overdue_actions_query(today)] == [late.id]
    assert dashboard_queries.overdue_action_count(today) == 1
    assert [a.id for a in complaint_queries.overdue_actions(today)] == [late.id]
    # Without a day given, every reader takes the company's today from the program's clock.
    real_today = complaint_queries.complaints.company_today()
    overdue_now = list(overdue_actions_query(real_today))
    assert dashboard_queries.overdue_action_count() == len(overdue_now)
    listed = COMPLAINTS.count(Filter(extra={"actions_overdue": True}))
    assert listed == len({a.complaint_id for a in overdue_now})


def test_customer_lookups(customer_and_product):
    customer, _product = customer_and_product
    admin.add_customer(Actor.system(), code="C200", name="Schmidt Elektrik")
    assert [c.code for c in customer_queries.find_customers("c", limit=30)] == ["C100", "C200"]
    assert [c.code for c in customer_queries.find_customers("Müller", limit=30)] == ["C100"]
    assert len(customer_queries.find_customers("c", limit=1)) == 1
    assert customer_queries.customer_choice(customer.id) == (customer.id, "C100", customer.name)
    assert customer_queries.customer_choice(customer.id + 999) is None
    assert customer_queries.customer_by_code("C200").name == "Schmidt Elektrik"
    assert customer_queries.customer_by_code("C2") is None


def test_history_names_references_and_keeps_time_order(actors, customer_and_product):
    customer, product = customer_and_product
    complaint = register(actors[D.SALES], customer, product)
    rows = history_queries.record_history("complaint", complaint.id)
    assert rows and rows[0].action == "create"
    assert history_queries.history_with_routing("complaint", complaint.id, None) == rows
    assert history_queries.is_reference("customer")
    assert not history_queries.is_reference("description")
    assert history_queries.reference_text("customer", customer.id) == "C100"
    assert history_queries.reference_text("product", product.id) == "PN-4711"
    assert history_queries.reference_text("customer", customer.id + 999) == f"#{customer.id + 999}"


def test_admin_reads(actors, customer_and_product):
    customer, product = customer_and_product
    administrator = Actor.system()
    sales = actors[D.SALES]
    assert admin_queries.get_customer(customer.id).code == "C100"
    assert admin_queries.get_product(product.id).part_number == "PN-4711"
    assert admin_queries.get_user(administrator, sales.user_id).username == sales.username
    with pytest.raises(PermissionDenied):
        admin_queries.get_user(sales, sales.user_id)
    with pytest.raises(NotFoundError):
        admin_queries.get_customer(customer.id + 999)
    assert [name for _id, name, _login in admin_queries.sales_rep_choices()] == [sales.full_name]
    qa = actors[D.QA]
    assert {i for i, _name, _login in admin_queries.sales_rep_choices(qa.user_id)} == {
        sales.user_id,
        qa.user_id,
    }
    assert admin_queries.DEPARTMENTS.count(Filter()) == len(D)
    admin.update_settings(administrator, {"company_name": "  ACME Stanztechnik "})
    assert settings_queries.company_name() == "ACME Stanztechnik"
    assert settings_queries.all_settings()["company_name"] == "  ACME Stanztechnik "


def test_schema_found_reads_another_database(tmp_path, database):
    empty = peewee.SqliteDatabase(str(tmp_path / "empty.sqlite3"))
    empty.connect()
    try:
        assert database_service.schema_found(empty) == database_service.SchemaFound((), None)
    finally:
        empty.close()
    foreign = peewee.SqliteDatabase(str(tmp_path / "foreign.sqlite3"))
    foreign.connect()
    try:
        foreign.execute_sql("CREATE TABLE orders (id INTEGER)")
        found = database_service.schema_found(foreign)
        assert found == database_service.SchemaFound(("orders",), None)
    finally:
        foreign.close()
    current = peewee.SqliteDatabase(str(database.path))
    current.connect()
    try:
        assert database_service.schema_found(current).version == database_service.LATEST
    finally:
        current.close()


@pytest.mark.backends
def test_lists_open_newest_first_and_numbers_sort_by_year_then_sequence(any_database):
    # A busy year passes FB-2026-9999: a string order would put it above FB-2026-18719.
    customer = admin.add_customer(Actor.system(), code="C1", name="宁波模具厂")
    received = {
        "FB-2025-12000": datetime(2025, 12, 30, 8, 0),
        "FB-2026-0001": datetime(2026, 1, 2, 8, 0),
        "FB-2026-9999": datetime(2026, 7, 2, 8, 0),
        "FB-2026-18719": datetime(2026, 11, 30, 8, 0),
    }
    for number, at in received.items():
        Feedback.create(
            number=number,
            customer=customer.id,
            received_at=at,
            channel="phone",
            description="x",
            created_at=at,
            updated_at=at,
        )
    newest_first = ["FB-2026-18719", "FB-2026-9999", "FB-2026-0001", "FB-2025-12000"]
    assert [r["number"] for r in FEEDBACK.page(Filter())] == newest_first
    by_number = FEEDBACK.page(Filter(), sort="number", descending=True)
    assert [r["number"] for r in by_number] == newest_first
    ascending = FEEDBACK.page(Filter(), sort="number", descending=False)
    assert [r["number"] for r in ascending] == newest_first[::-1]
