"""Issue 13 item 1: suppliers (Administration) and Supplier Corrective Action Requests raised
from a complaint whose responsibility is the supplier's (5.2.3 c) — on every backend: who may
do what, the SC-YYYY-NNNN numbers, the reply due date from ``scar_reply_days``, the overdue
rule in Python and SQL, the independent verifier and the state steps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cqms_desktop.domain import scar_rules
from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.enums import ScarStatus
from cqms_desktop.domain.errors import (
    ConflictError,
    PermissionDenied,
    TransitionError,
    ValidationError,
)
from cqms_desktop.services import admin, scars, suppliers
from cqms_desktop.services.base import Actor
from cqms_desktop.services.complaint_deadlines import company_today, current_zone
from cqms_desktop.services.registers import Filter
from cqms_desktop.store.models import AuditLog, Scar
from tests.complaint_steps import bring_to, update
from tests.users import make_user


@pytest.fixture
def master(any_actors):
    system = Actor.system()
    customer = admin.add_customer(system, code="C100", name="Müller Automotive GmbH")
    product = admin.add_product(system, part_number="PN-4711", name="Steckergehäuse")
    supplier = suppliers.add_supplier(
        any_actors[D.QA], code="S-01", name="Ningbo Springs Co.", language="zh"
    )
    return customer, product, supplier


def _supplier_complaint(any_actors, customer, product):
    c = bring_to(S.INVESTIGATING, any_actors, customer, product)
    return update(any_actors[D.QA], c.id, responsibility="supplier", cause="Spring out of spec")


def _raise(qa, complaint_id, supplier_id, **extra):
    values = dict(
        complaint_id=complaint_id,
        supplier_id=supplier_id,
        defect="Spring force 12 N instead of 15 N",
        containment="Sort all stock at your site and ship 100 % checked parts.",
    )
    values.update(extra)
    return scars.raise_scar(qa, **values)


# ---------------------------------------------------------------- suppliers
def test_suppliers_are_kept_by_administration_and_qa(any_actors, master):
    _customer, _product, _supplier = master
    with pytest.raises(PermissionDenied):
        suppliers.add_supplier(any_actors[D.SALES], code="S-02", name="X")
    added = suppliers.add_supplier(
        any_actors[D.ADMINISTRATION],
        code="S-02",
        name="Stuttgart Federn GmbH",
        contacts="Hr. Maier",
        email="qs@federn.example",
        language="de",
    )
    with pytest.raises(ValidationError) as err:
        suppliers.add_supplier(any_actors[D.QA], code="s-01", name="Copy")
    assert err.value.field == "code"
    with pytest.raises(ValidationError) as err:
        suppliers.add_supplier(any_actors[D.QA], code="S-03", name="Y", language="fr")
    assert err.value.field == "language"
    changed = suppliers.update_supplier(
        any_actors[D.QA], supplier_id=added.id, version=added.version, active=False
    )
    assert not changed.active
    with pytest.raises(ConflictError):
        suppliers.update_supplier(
            any_actors[D.QA], supplier_id=added.id, version=added.version, name="Z"
        )
    assert [code for _i, code in suppliers.choices()] == ["S-01 – Ningbo Springs Co."]
    assert suppliers.SUPPLIERS.count(Filter(text="federn")) == 1
    assert AuditLog.select().where(AuditLog.table_name == "supplier").exists()
    suppliers.delete_supplier(any_actors[D.QA], supplier_id=added.id, version=changed.version)


# ---------------------------------------------------------------- raising
def test_qa_raises_a_scar_only_when_the_supplier_is_responsible(any_actors, master):
    customer, product, supplier = master
    qa = any_actors[D.QA]
    c = bring_to(S.INVESTIGATING, any_actors, customer, product)
    with pytest.raises(TransitionError) as err:
        _raise(qa, c.id, supplier.id)
    assert err.value.field == "responsibility"
    c = update(qa, c.id, responsibility="supplier")
    with pytest.raises(PermissionDenied):
        _raise(any_actors[D.SALES], c.id, supplier.id)
    with pytest.raises(ValidationError) as err:
        _raise(qa, c.id, supplier.id, containment="  ")
    assert err.value.field == "containment"
    assert not Scar.select().exists()  # nothing saved half
    first = _raise(qa, c.id, supplier.id, part="PN-4711", lot="L-2611-07")
    second = _raise(qa, c.id, supplier.id)
    today = company_today(utcnow(), current_zone())
    assert first.number == f"SC-{today.year}-0001"
    assert second.number == f"SC-{today.year}-0002"
    assert first.status == ScarStatus.AWAITING_REPLY.value
    assert first.reply_due == today + timedelta(days=7)
    assert [s.number for s in scars.scars_of_complaint(c.id)] == [first.number, second.number]
    defaults = scars.request_defaults(c.id)
    assert defaults["part"] == "PN-4711" and defaults["lot"] == c.lot


def test_the_reply_due_date_follows_the_setting_and_is_flagged_overdue(any_actors, master):
    customer, product, supplier = master
    qa = any_actors[D.QA]
    admin.update_settings(Actor.system(), {"scar_reply_days": 3})
    c = _supplier_complaint(any_actors, customer, product)
    scar = _raise(qa, c.id, supplier.id)
    today = company_today(utcnow(), current_zone())
    assert scar.reply_due == today + timedelta(days=3)
    with pytest.raises(ValidationError) as err:
        _raise(qa, c.id, supplier.id, reply_due=today - timedelta(days=1))
    assert err.value.field == "reply_due"
    # Overdue: the same rule in Python and SQL, judged on the company's today.
    later = today + timedelta(days=4)
    assert scar_rules.reply_overdue(scar.status, scar.reply_due, later)
    assert not scar_rules.reply_overdue(scar.status, scar.reply_due, today + timedelta(days=3))
    assert [s.id for s in scars.overdue_replies(later)] == [scar.id]
    assert scars.overdue_replies(today) == []
    with pytest.raises(ValidationError):
        admin.update_settings(Actor.system(), {"scar_reply_days": 0})


# ---------------------------------------------------------------- reply, verification, closure
def test_reply_verification_by_another_qa_user_and_closure(any_actors, master):
    customer, product, supplier = master
    qa = any_actors[D.QA]
    qa2 = make_user(D.QA, "qa_second")
    c = _supplier_complaint(any_actors, customer, product)
    scar = _raise(qa, c.id, supplier.id)
    with pytest.raises(TransitionError):
        scars.verify_scar(qa2, scar_id=scar.id, version=scar.version, effective=True, result="ok")
    with pytest.raises(ValidationError) as err:
        scars.record_reply(
            qa,
            scar_id=scar.id,
            version=scar.version,
            root_cause="Heat treatment",
            corrective_action="New furnace profile",
            effective_date="",
        )
    assert err.value.field == "effective_date"
    today = company_today(utcnow(), current_zone())
    scar = scars.record_reply(
        qa,
        scar_id=scar.id,
        version=scar.version,
        root_cause="Heat treatment too short",
        corrective_action="New furnace profile, SPC on spring force",
        effective_date=today,
    )
    assert (scar.status, scar.reply_recorded_by) == (ScarStatus.REPLIED.value, qa.username)
    with pytest.raises(TransitionError):
        scars.update_request(qa, scar_id=scar.id, version=scar.version, lot="L-2")
    # Whoever recorded the reply does not verify it.
    with pytest.raises(ValidationError) as err:
        scars.verify_scar(qa, scar_id=scar.id, version=scar.version, effective=True, result="ok")
    assert err.value.field == "verified_by"
    assert "recorded the supplier's reply" in str(err.value)
    # Not effective: back to the supplier with a new due date.
    scar = scars.verify_scar(
        qa2, scar_id=scar.id, version=scar.version, effective=False, result="Still 13 N"
    )
    assert scar.status == ScarStatus.AWAITING_REPLY.value
    with pytest.raises(TransitionError):
        scars.close_scar(qa, scar_id=scar.id, version=scar.version)
    scar = scars.record_reply(
        qa2,
        scar_id=scar.id,
        version=scar.version,
        root_cause="Furnace sensor drift",
        corrective_action="Sensor replaced, daily check",
        effective_date=today,
    )
    scar = scars.verify_scar(
        qa, scar_id=scar.id, version=scar.version, effective=True, result="3 lots at 15 N"
    )
    assert (scar.status, scar.verified_by) == (ScarStatus.VERIFIED.value, qa.username)
    assert [s.id for s in scars.to_verify_or_close()] == [scar.id]
    with pytest.raises(PermissionDenied):
        scars.close_scar(any_actors[D.SALES], scar_id=scar.id, version=scar.version)
    scar = scars.close_scar(qa, scar_id=scar.id, version=scar.version)
    assert scar.status == ScarStatus.CLOSED.value and scar.closed_at is not None
    assert scars.SCARS.count(Filter(open_only=True)) == 0
    assert scars.SCARS.count(Filter(text="Ningbo")) == 1
    fields = {
        r.field
        for r in AuditLog.select().where(
            (AuditLog.table_name == "scar") & (AuditLog.record_id == scar.id)
        )
    }
    assert {"root_cause", "verified_by", "closed_at", "status"} <= fields
    # A supplier some SCAR names is deactivated, not deleted.
    supplier = suppliers.get_supplier(supplier.id)
    with pytest.raises(TransitionError):
        suppliers.delete_supplier(qa, supplier_id=supplier.id, version=supplier.version)


# ---------------------------------------------------------------- the schema step
def test_the_schema_step_adds_the_tables_once(any_database):
    from cqms_desktop.store import db as dbmod
    from cqms_desktop.store.steps import supplier_scar

    database = dbmod.database_proxy.obj
    with dbmod.write_transaction():
        database.execute_sql("DROP TABLE scar")
        database.execute_sql("DROP TABLE supplier")
    supplier_scar.upgrade(database)
    supplier_scar.upgrade(database)  # again: nothing changes
    assert {"supplier", "scar"} <= set(database.get_tables())
    added = suppliers.add_supplier(Actor.system(), code="S-9", name="After the upgrade")
    assert suppliers.get_supplier(added.id).language == "zh"


def test_my_work_shows_qa_the_overdue_replies_and_the_scars_to_verify(any_actors, master):
    from cqms_desktop.domain.work_items import WorkKind
    from cqms_desktop.services.my_work import my_work

    customer, product, supplier = master
    qa = any_actors[D.QA]
    qa2 = make_user(D.QA, "qa_second")
    c = _supplier_complaint(any_actors, customer, product)
    today = company_today(utcnow(), current_zone())
    late = _raise(qa, c.id, supplier.id)
    with Scar._meta.database.atomic():  # due yesterday (as if raised a week ago)
        Scar.update(reply_due=today - timedelta(days=1)).where(Scar.id == late.id).execute()
    answered = _raise(qa, c.id, supplier.id)
    scars.record_reply(
        qa,
        scar_id=answered.id,
        version=answered.version,
        root_cause="Wrong material",
        corrective_action="Material certificate checked at receipt",
        effective_date=today,
    )

    def scar_lines(actor):
        return {
            (i.kind, i.number, i.overdue)
            for i in my_work(actor)
            if i.kind in (WorkKind.SCAR_REPLY_OVERDUE, WorkKind.SCAR_TO_VERIFY)
        }

    assert scar_lines(qa) == {(WorkKind.SCAR_REPLY_OVERDUE, late.number, True)}
    assert scar_lines(qa2) == {
        (WorkKind.SCAR_REPLY_OVERDUE, late.number, True),
        (WorkKind.SCAR_TO_VERIFY, answered.number, False),
    }
    assert scar_lines(any_actors[D.SALES]) == set()
    # The list's overdue filter and flag: the same rule in SQL.
    assert scars.SCARS.count(Filter(overdue=True)) == 1
    rows = scars.SCARS.page(Filter(overdue=True))
    assert [(r["number"], r["overdue"]) for r in rows] == [(late.number, 1)]
