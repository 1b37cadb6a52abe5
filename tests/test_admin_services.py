"""Administration services: permissions, validation, uniqueness, audit, first start."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import ConflictError, PermissionDenied, ValidationError
from cqms_desktop.services import admin, auth
from cqms_desktop.services.base import changes
from cqms_desktop.store import audit
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.models import AuditLog, Customer, User

pytestmark = pytest.mark.backends


def test_first_run_creates_company_and_administrator_once(any_database):
    assert admin.needs_first_run()
    admin.first_run(
        company_name="宁波精工有限公司",
        username="admin",
        full_name="Chen Admin",
        password="first-start-pw",
    )
    assert not admin.needs_first_run()
    assert settings_store.get("company_name") == "宁波精工有限公司"
    actor = auth.login("admin", "first-start-pw")
    assert actor.is_admin
    with pytest.raises(ValidationError, match="already"):
        admin.first_run(
            company_name="X", username="admin2", full_name="Y", password="first-start-pw"
        )


def test_customer_lifecycle_with_audit_and_change_event(any_actors, system):
    seen: list[frozenset[str]] = []
    unsubscribe = changes.subscribe(seen.append)
    try:
        sales = any_actors[Department.SALES]
        c = admin.add_customer(
            sales,
            code="C100",
            name="苏州汽车零部件有限公司",
            language="zh",
            sales_rep=sales.user_id,
            contacts="王经理 138-0000-0000",
        )
        admin.update_customer(sales, customer_id=c.id, version=c.version, language="de")
    finally:
        unsubscribe()
    assert seen == [frozenset({"customer"}), frozenset({"customer"})]
    assert Customer.get_by_id(c.id).language == "de"
    fields = {r.field for r in audit.history("customer", c.id) if r.action == "update"}
    assert fields == {"language"}


def test_customer_rules(any_actors):
    sales = any_actors[Department.SALES]
    qa = any_actors[Department.QA]
    admin.add_customer(sales, code="C1", name="A")
    with pytest.raises(ValidationError) as dup:
        admin.add_customer(sales, code="C1", name="B")
    assert dup.value.field == "code"
    with pytest.raises(ValidationError) as lang:
        admin.add_customer(sales, code="C2", name="B", language="fr")
    assert lang.value.field == "language"
    with pytest.raises(ValidationError) as blank:
        admin.add_customer(sales, code="C3", name="  ")
    assert blank.value.field == "name"
    with pytest.raises(PermissionDenied):
        admin.add_customer(qa, code="C4", name="QA may not")
    assert Customer.select().count() == 1


def test_stale_customer_edit_is_refused(any_actors):
    sales = any_actors[Department.SALES]
    c = admin.add_customer(sales, code="C1", name="A")
    admin.update_customer(sales, customer_id=c.id, version=c.version, name="A1")
    audit_rows_before = AuditLog.select().count()
    with pytest.raises(ConflictError, match="sales_user"):
        admin.update_customer(sales, customer_id=c.id, version=c.version, name="A2")
    assert Customer.get_by_id(c.id).name == "A1"
    assert AuditLog.select().count() == audit_rows_before


def test_users_and_the_last_administrator(any_database, system):
    boss = admin.add_user(
        system,
        username="boss",
        full_name="Boss",
        department="gm",
        password="gm-signs-2026",
        is_admin=True,
    )
    with pytest.raises(ValidationError, match="taken"):
        admin.add_user(
            system, username="boss", full_name="X", department="qa", password="gm-signs-2026"
        )
    with pytest.raises(ValidationError, match="administrator must remain"):
        admin.update_user(system, user_id=boss.id, version=boss.version, is_admin=False)
    with pytest.raises(ValidationError) as dept:
        admin.add_user(
            system, username="x1", full_name="X", department="finance", password="12345678"
        )
    assert dept.value.field == "department"
    assert User.select().count() == 1


def test_settings_are_validated_and_audited(any_database, system):
    admin.update_settings(system, {"deadline_urgent_days": 3, "company_name": "ACME"})
    assert settings_store.get("deadline_urgent_days") == 3
    with pytest.raises(ValidationError, match="Unknown setting"):
        admin.update_settings(system, {"no_such": 1})
    with pytest.raises(ValidationError):
        admin.update_settings(system, {"deadline_normal_days": 0})
    rows = AuditLog.select().where(AuditLog.table_name == "setting")
    assert {r.field for r in rows} == {"deadline_urgent_days", "company_name"}


def test_changing_the_deadline_limits_reschedules_unhandled_complaints(any_actors, system):
    from datetime import datetime

    from cqms_desktop.services import complaints

    sales = any_actors[Department.SALES]
    customer = admin.add_customer(sales, code="C9", name="常州精密")
    received = datetime(2026, 11, 2, 3, 0)  # UTC
    c = complaints.register_complaint(
        sales,
        customer_id=customer.id,
        description="裂纹",
        severity="normal",
        received_at=received,
    )
    before = c.due_at
    admin.update_settings(system, {"deadline_normal_days": 10})
    from cqms_desktop.store.models import Complaint

    after = Complaint.get_by_id(c.id).due_at
    assert (after - before).days == 3


def test_disabling_a_non_administrator_needs_no_other_administrator(any_database, system):
    clerk = admin.add_user(
        system, username="clerk", full_name="Clerk", department="sales", password="desk-2026-pw"
    )
    admin.update_user(system, user_id=clerk.id, version=clerk.version, active=False)
    assert not User.get_by_id(clerk.id).active
