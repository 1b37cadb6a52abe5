"""Complaint workflow steps for tests: register a complaint, take a step, fill the sections,
and :func:`bring_to` a given status, all through the complaint services."""

from __future__ import annotations

from datetime import timedelta

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.services import complaints as svc
from cqms_desktop.services.base import Actor
from cqms_desktop.store.models import Complaint
from tests.categories import ensure_test_categories

COMPLAINT_FIELDS = dict(
    lot="L-2611-07",
    qty_affected=120,
    qty_delivered=5000,
    received_via="email",
    customer_request="Replace the lot and send an 8D report.",
    defect_category="burr",
)


def register(sales: Actor, customer, product, **overrides) -> Complaint:
    ensure_test_categories()
    values = dict(
        customer_id=customer.id,
        product_id=product.id,
        description="Burrs on the housing edge, connector does not lock.",
        severity="urgent",
        received_at=utcnow() - timedelta(hours=2),
        **COMPLAINT_FIELDS,
    )
    values.update(overrides)
    return svc.register_complaint(sales, **values)


def step(actor: Actor, complaint_id: int, code: str, reason: str = "") -> Complaint:
    current = Complaint.get_by_id(complaint_id)
    return svc.take_step(
        actor, complaint_id=complaint_id, version=current.version, step=code, reason=reason
    )


def update(actor: Actor, complaint_id: int, **fields) -> Complaint:
    current = Complaint.get_by_id(complaint_id)
    return svc.update_complaint(actor, complaint_id=complaint_id, version=current.version, **fields)


def investigate(qa: Actor, complaint_id: int) -> None:
    update(
        qa,
        complaint_id,
        investigation="Deburring station skipped after tool change.",
        cause="Worn deburring tool",
        team="Technical Section: Li; Manufacturing: Wang",
        responsibility="company",
        preliminary_plan="Sort all stock, 100 % check of the edge, replace the tool.",
        fg_checked=3000,
        fg_held=3000,
        fg_nonconforming=45,
        nc_report_number="NC-2026-0107",
    )


def carry_out_and_verify(qa: Actor, manufacturing: Actor, complaint_id: int, verifier: Actor):
    action = svc.add_action(
        qa,
        complaint_id=complaint_id,
        action_type="mould_equipment",
        description="Tool life counter on the deburring station",
        department="manufacturing",
        owner_id=manufacturing.user_id,
    )
    action = svc.record_execution(
        manufacturing, action_id=action.id, version=action.version, note="Counter installed"
    )
    return svc.verify_action(
        verifier, action_id=action.id, version=action.version, result="No burrs in 3 lots"
    )


def communicate(sales: Actor, complaint_id: int, minutes_ago: int = 0) -> None:
    now = utcnow() - timedelta(minutes=minutes_ago)
    update(
        sales,
        complaint_id,
        oral_notice_at=now,
        oral_notice_by="Sales: Zhang",
        oral_notice_to="Hr. Müller",
        copy_sent_at=now,
        copy_sent_via="e-mail",
        copy_sent_to="quality@mueller.example",
    )


def bring_to(status: S, actors, customer, product, **overrides) -> Complaint:
    """A complaint registered by Sales and taken step by step to *status* by the departments
    in *actors* (the verification by a second QA engineer)."""
    sales, qa, gm, mfg = (
        actors[D.SALES],
        actors[D.QA],
        actors[D.GENERAL_MANAGER],
        actors[D.MANUFACTURING],
    )
    c = register(sales, customer, product, **overrides)
    if status == S.REGISTERED:
        return c
    step(qa, c.id, "start_investigation")
    if status == S.INVESTIGATING:
        return Complaint.get_by_id(c.id)
    investigate(qa, c.id)
    step(qa, c.id, "feed_back_plan")
    if status == S.COUNTERMEASURES:
        return Complaint.get_by_id(c.id)
    verifier = Actor(None, "qa_other", "QA other", D.QA)
    carry_out_and_verify(qa, mfg, c.id, verifier)
    step(qa, c.id, "release_to_sales")
    if status == S.CUSTOMER_NOTICE:
        return Complaint.get_by_id(c.id)
    communicate(sales, c.id)
    step(sales, c.id, "customer_accepted")
    if status == S.AWAITING_APPROVAL:
        return Complaint.get_by_id(c.id)
    step(gm, c.id, "approve_close")
    return Complaint.get_by_id(c.id)
