""" "My work": each department's list checked against an independent reading of the procedure
on demonstration data (all three backends), and the situations it exists for, one by one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.work_items import WorkKind, complaint_states_waiting_on
from cqms_desktop.services import admin, auth, circulation, feedback, my_work
from cqms_desktop.services import complaints as svc
from cqms_desktop.services.base import Actor
from cqms_desktop.services.demo import generate_demo
from cqms_desktop.store.models import (
    Circulation,
    Complaint,
    CorrectiveAction,
    CustomerResponse,
    Feedback,
    Survey,
    User,
)
from tests.complaint_steps import bring_to, communicate
from tests.users import make_user


def test_complaint_states_come_from_the_workflow_table():
    assert {s.value for s in complaint_states_waiting_on(D.QA)} == {
        "registered",
        "investigating",
        "countermeasures",
    }
    assert {s.value for s in complaint_states_waiting_on(D.SALES)} == {"customer_notice"}
    assert {s.value for s in complaint_states_waiting_on(D.GENERAL_MANAGER)} == {
        "awaiting_approval"
    }  # and not "closed": reopening is a choice, not a duty
    assert complaint_states_waiting_on(D.MANUFACTURING) == frozenset()


def expected_work(user: User) -> set[tuple[str, str, int, bool]]:
    """The same lists worked out plainly from all rows, without the service's queries:
    (kind, record kind, record id, overdue)."""
    department = user.department
    now = clock.utcnow()
    today = clock.today(None)
    ack_limit = now - timedelta(days=2)  # the ack_overdue_days default
    waiting = {
        "qa": {"registered", "investigating", "countermeasures"},
        "sales": {"customer_notice"},
        "gm": {"awaiting_approval"},
    }.get(department, set())
    out: set[tuple[str, str, int, bool]] = set()
    for c in Complaint.select():
        if c.status in waiting:
            late = c.handled_at is None and now > c.due_at
            out.add(("complaint_step", "complaint", c.id, late))
    for a in CorrectiveAction.select():
        if a.complaint.status == "closed":
            continue
        late = a.due_date < today
        if a.status == "open" and (a.department == department or a.owner_id == user.id):
            out.add(("action_to_carry_out", "complaint", a.complaint_id, late))
        if (
            a.status == "done"
            and department == "qa"
            and a.owner_id != user.id
            and a.executed_by != user.username
            and a.complaint.qa_owner_id != user.id  # the preparer does not review
        ):
            out.add(("action_to_verify", "complaint", a.complaint_id, False))
    if department == "sales":
        for f in Feedback.select().where(Feedback.status == "open"):
            late = f.received_at < now - timedelta(hours=4)  # forward_within_hours default
            out.add(("feedback_to_forward", "feedback", f.id, late))
        for s in Survey.select().where(Survey.status == "sent"):
            year, q = s.quarter.split("-Q")
            end_month = int(q) * 3
            end = (date(int(year) + end_month // 12, end_month % 12 + 1, 1)) - timedelta(days=1)
            out.add(("survey_to_chase", "survey", s.id, today > end))
    for r in Circulation.select().where(
        (Circulation.department == department) & Circulation.acknowledged_at.is_null()
    ):
        out.add(("routing_to_acknowledge", r.record_kind, r.record_id, r.sent_at < ack_limit))
    return out


def listed(items) -> set[tuple[str, str, int, bool]]:
    return {
        (i.kind.value, i.record_kind, i.record_id, i.overdue)
        for i in items
        if i.kind != WorkKind.ACTION_TO_VERIFY
    } | {
        ("action_to_verify", "complaint", i.record_id, False)
        for i in items
        if i.kind == WorkKind.ACTION_TO_VERIFY
    }


@pytest.mark.backends
def test_every_department_s_list_matches_an_independent_reading(any_database):
    generate_demo(seed=3, scale=1, today=clock.today(None))
    seen_kinds: set[str] = set()
    for user in User.select().where(User.active == True):  # noqa: E712 (peewee)
        actor = auth.actor_for(user)
        items = my_work.my_work(actor)
        assert listed(items) == expected_work(user), user.username
        # Overdue first, then by due day.
        flags = [i.overdue for i in items]
        assert flags == sorted(flags, reverse=True)
        seen_kinds |= {i.kind.value for i in items}
    # The demonstration data has work of every kind somewhere (else the check proves little)
    # but SCARs, which it does not make yet: tests/test_scars.py checks their lines.
    scar_kinds = {WorkKind.SCAR_REPLY_OVERDUE.value, WorkKind.SCAR_TO_VERIFY.value}
    assert seen_kinds == {k.value for k in WorkKind} - scar_kinds


@pytest.fixture
def office(actors):
    customer = admin.add_customer(Actor.system(), code="C1", name="上海汽车配件有限公司")
    return {**actors, "customer": customer, "qa2": make_user(D.QA, "qa_second")}


def kinds_for(actor: Actor) -> list[tuple[WorkKind, str]]:
    return [(i.kind, i.number) for i in my_work.my_work(actor)]


def test_a_routed_feedback_waits_for_each_department_until_acknowledged(office):
    sales = office[D.SALES]
    fb = feedback.register_feedback(
        sales,
        customer_id=office["customer"].id,
        channel="phone",
        description="Thread damaged",
        received_at=clock.utcnow() - timedelta(hours=1),
    )
    assert (WorkKind.FEEDBACK_TO_FORWARD, fb.number) in kinds_for(sales)
    feedback.route_feedback(sales, feedback_id=fb.id, departments=["qa", "technical"])
    assert (WorkKind.FEEDBACK_TO_FORWARD, fb.number) not in kinds_for(sales)
    assert (WorkKind.ROUTING_TO_ACKNOWLEDGE, fb.number) in kinds_for(office[D.TECHNICAL])
    assert (WorkKind.ROUTING_TO_ACKNOWLEDGE, fb.number) in kinds_for(office[D.QA])
    assert kinds_for(office[D.MANUFACTURING]) == []
    tech_line = next(
        line for line in feedback.feedback_routing(fb.id) if line.department == D.TECHNICAL
    )
    circulation.acknowledge(office[D.TECHNICAL], circulation_id=tech_line.id)
    assert kinds_for(office[D.TECHNICAL]) == []
    assert (WorkKind.ROUTING_TO_ACKNOWLEDGE, fb.number) in kinds_for(office[D.QA])


def test_refused_complaint_shows_the_customer_s_reason_to_qa(office):
    product = admin.add_product(Actor.system(), part_number="PN-1", name="Bracket")
    c = bring_to(S.CUSTOMER_NOTICE, office, office["customer"], product)
    sales = office[D.SALES]
    communicate(sales, c.id)
    assert (WorkKind.COMPLAINT_STEP, c.number) in kinds_for(sales)
    assert (WorkKind.COMPLAINT_STEP, c.number) not in kinds_for(office[D.QA])
    c = Complaint.get_by_id(c.id)
    svc.take_step(
        sales, complaint_id=c.id, step="customer_rejected", version=c.version,
        reason="Burrs still on the flange",
    )  # fmt: skip
    (line,) = [i for i in my_work.my_work(office[D.QA]) if i.number == c.number]
    assert line.kind == WorkKind.COMPLAINT_STEP and line.detail == "Burrs still on the flange"
    assert CustomerResponse.select().count() == 1


def test_a_countermeasure_waits_for_its_department_then_for_an_independent_verifier(office):
    product = admin.add_product(Actor.system(), part_number="PN-1", name="Bracket")
    c = bring_to(S.COUNTERMEASURES, office, office["customer"], product)
    qa, qa2, mfg = office[D.QA], office["qa2"], office[D.MANUFACTURING]
    action = svc.add_action(
        qa,
        complaint_id=c.id,
        action_type="mould_equipment",
        description="Replace the bending die",
        department="manufacturing",
        owner_id=mfg.user_id,
        due_date=clock.today(None) + timedelta(days=5),
    )
    (line,) = [i for i in my_work.my_work(mfg) if i.kind == WorkKind.ACTION_TO_CARRY_OUT]
    assert line.number == c.number and line.mine and not line.overdue
    svc.record_execution(
        qa, action_id=action.id, version=action.version, note="Die replaced",
        executed_at=clock.utcnow(),
    )  # fmt: skip
    assert not [i for i in my_work.my_work(mfg) if i.kind == WorkKind.ACTION_TO_CARRY_OUT]
    # qa recorded the execution, so only another QA user may verify it.
    assert not [i for i in my_work.my_work(qa) if i.kind == WorkKind.ACTION_TO_VERIFY]
    assert [i.number for i in my_work.my_work(qa2) if i.kind == WorkKind.ACTION_TO_VERIFY] == [
        c.number
    ]


def test_counts_give_all_and_overdue(office):
    fb = feedback.register_feedback(
        office[D.SALES],
        customer_id=office["customer"].id,
        channel="phone",
        description="Late delivery",
        received_at=clock.utcnow() - timedelta(days=5),
    )
    items = my_work.my_work(office[D.SALES])
    assert [(i.number, i.overdue) for i in items] == [(fb.number, True)]
    assert my_work.counts(items) == (1, 1)


def test_feedback_not_forwarded_within_the_setting_is_overdue(office, frozen_clock):
    """5.1.2 "immediately": overdue after forward_within_hours (default 4), not ack days."""
    sales = office[D.SALES]
    fb = feedback.register_feedback(
        sales,
        customer_id=office["customer"].id,
        channel="phone",
        description="Scratches",
        received_at=clock.utcnow() - timedelta(hours=3),
    )

    def line():
        (item,) = [i for i in my_work.my_work(sales) if i.kind == WorkKind.FEEDBACK_TO_FORWARD]
        return item

    assert not line().overdue
    frozen_clock.advance(timedelta(hours=1, seconds=1))
    assert line().overdue
    admin.update_settings(Actor.system(), {"forward_within_hours": 24})
    assert not line().overdue
    assert Feedback.get_by_id(fb.id).status == "open"
