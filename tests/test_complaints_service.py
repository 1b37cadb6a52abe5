"""Complaint handling (5.2) through the services: the whole lifecycle on every backend, the
refusal and reopen loops, role and state checks for every step, and bad input."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from cqms_desktop.domain import clock
from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.complaint_workflow import STEPS
from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.errors import (
    ConflictError,
    PermissionDenied,
    TransitionError,
    ValidationError,
)
from cqms_desktop.services import admin, auth, calendar
from cqms_desktop.services import complaints as svc
from cqms_desktop.services.base import Actor
from cqms_desktop.store import audit
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import (
    Attachment,
    AuditLog,
    Complaint,
    CustomerResponse,
    Feedback,
    User,
)
from tests.complaint_steps import (
    bring_to,
    carry_out_and_verify,
    communicate,
    investigate,
    register,
    step,
    update,
)
from tests.users import make_user


@pytest.fixture
def master_data():
    """A customer and a product on whichever database the test uses."""
    sys_actor = Actor.system()
    customer = admin.add_customer(
        sys_actor, code="C100", name="Müller Automotive GmbH", language="de"
    )
    product = admin.add_product(sys_actor, part_number="PN-4711", name="Steckergehäuse")
    return customer, product


@pytest.mark.backends
def test_whole_lifecycle_with_refusal_and_reopen_loops(any_actors, master_data):
    a = any_actors
    sales, qa, gm, mfg = a[D.SALES], a[D.QA], a[D.GENERAL_MANAGER], a[D.MANUFACTURING]
    customer, product = master_data
    with write_transaction():
        fb = audit.create(
            Feedback,
            sales.username,
            number="FB-2026-0001",
            customer=customer.id,
            received_at=utcnow() - timedelta(hours=3),
            channel="email",
            description="Connector housing has burrs",
            type="other",
            status="routed",
        )
    c = register(sales, customer, product, feedback_id=fb.id)
    year = utcnow().year
    assert c.number == f"CC-{year}-0001"
    assert c.status == S.REGISTERED
    assert c.due_at > c.received_at
    assert Feedback.get_by_id(fb.id).status == "complaint"
    assert Feedback.get_by_id(fb.id).type == "quality"

    step(qa, c.id, "start_investigation")
    assert Complaint.get_by_id(c.id).qa_owner_id == qa.user_id
    investigate(qa, c.id)
    c = step(qa, c.id, "feed_back_plan")
    assert c.status == S.COUNTERMEASURES and c.handled_at is not None
    first_handled = c.handled_at
    verifier = make_user(D.QA, "qa_verifier")
    carry_out_and_verify(qa, mfg, c.id, verifier)
    c = step(qa, c.id, "release_to_sales")
    assert c.status == S.CUSTOMER_NOTICE

    # The customer refuses: back to QA with the reason, and the loop runs again.
    communicate(sales, c.id, minutes_ago=5)
    c = step(sales, c.id, "customer_rejected", reason="Wants a dimensional report as well")
    assert c.status == S.INVESTIGATING
    responses = list(CustomerResponse.select().where(CustomerResponse.complaint == c.id))
    assert [(r.accepted, r.reason) for r in responses] == [
        (False, "Wants a dimensional report as well")
    ]
    update(qa, c.id, evidence="Dimensional report DR-88 attached")
    c = step(qa, c.id, "feed_back_plan")
    assert c.handled_at == first_handled  # the deadline was met once; it stays met
    c = step(qa, c.id, "release_to_sales")
    # The old notice is from before the refusal: the new round needs a new one.
    with pytest.raises(ValidationError) as err:
        step(sales, c.id, "customer_accepted")
    assert err.value.field == "oral_notice_at"
    communicate(sales, c.id)
    c = step(sales, c.id, "customer_accepted")
    assert c.status == S.AWAITING_APPROVAL and c.customer_accepted_at is not None
    c = step(gm, c.id, "approve_close")
    assert c.status == S.CLOSED
    assert c.approved_by == gm.username and c.closed_at is not None
    feedback = Feedback.get_by_id(fb.id)
    assert feedback.status == "closed" and c.number in feedback.result

    # Closed is read-only; only the General Manager reopens, with a reason.
    with pytest.raises(TransitionError):
        update(qa, c.id, cause="changed after closure")
    with pytest.raises(ValidationError) as err:
        step(gm, c.id, "reopen")
    assert err.value.field == "reason"
    c = step(gm, c.id, "reopen", reason="Same defect found at the customer's line")
    assert c.status == S.INVESTIGATING and c.closed_at is None
    assert c.reopen_reason == "Same defect found at the customer's line"
    assert Feedback.get_by_id(fb.id).status == "complaint"

    rows = audit.history("complaint", c.id)
    statuses = [(r.old_value, r.new_value, r.username) for r in rows if r.field == "status"]
    assert statuses == [
        (None, "registered", sales.username),
        ("registered", "investigating", qa.username),
        ("investigating", "countermeasures", qa.username),
        ("countermeasures", "customer_notice", qa.username),
        ("customer_notice", "investigating", sales.username),
        ("investigating", "countermeasures", qa.username),
        ("countermeasures", "customer_notice", qa.username),
        ("customer_notice", "awaiting_approval", sales.username),
        ("awaiting_approval", "closed", gm.username),
        ("closed", "investigating", gm.username),
    ]
    assert any(r.field == "reopen_reason" and r.username == gm.username for r in rows)
    action_rows = AuditLog.select().where(AuditLog.table_name == "corrective_action")
    assert {r.username for r in action_rows} >= {qa.username, mfg.username, verifier.username}


def test_numbers_follow_a_yearly_sequence_and_repeats_are_linked(actors, master_data):
    sales = actors[D.SALES]
    customer, product = master_data
    first = register(sales, customer, product, received_at=utcnow() - timedelta(days=40))
    second = register(sales, customer, product)
    other_defect = register(sales, customer, product, defect_category="scratch")
    year = utcnow().year
    assert [first.number, second.number, other_defect.number] == [
        f"CC-{year}-0001",
        f"CC-{year}-0002",
        f"CC-{year}-0003",
    ]
    assert first.repeat_of_id is None
    assert second.repeat_of_id == first.id
    assert other_defect.repeat_of_id is None


@pytest.mark.backends
def test_an_earlier_complaint_registered_later_marks_the_later_one_a_repeat(
    any_actors, master_data
):
    """Issue #11 item 11: the repeat rule works both ways. A letter received before a complaint
    already in the program, but registered after it, makes that complaint its repeat; moving
    it out of the window (another product) undoes the link; equal receipt times never link
    two complaints to each other."""
    sales = any_actors[D.SALES]
    customer, product = master_data
    other_product = admin.add_product(Actor.system(), part_number="PN-0815", name="Deckel")
    later = register(sales, customer, product, received_at=utcnow() - timedelta(days=2))
    assert later.repeat_of_id is None
    earlier = register(sales, customer, product, received_at=utcnow() - timedelta(days=20))
    assert earlier.repeat_of_id is None
    assert Complaint.get_by_id(later.id).repeat_of_id == earlier.id
    relinked = AuditLog.select().where(
        (AuditLog.table_name == "complaint")
        & (AuditLog.record_id == later.id)
        & (AuditLog.field == "repeat_of")
    )
    assert relinked.count() == 1
    earlier = Complaint.get_by_id(earlier.id)
    update(sales, earlier.id, product=other_product.id)
    assert Complaint.get_by_id(later.id).repeat_of_id is None
    at = utcnow() - timedelta(days=1)
    first = register(sales, customer, other_product, received_at=at)
    second = register(sales, customer, other_product, received_at=at)
    assert Complaint.get_by_id(second.id).repeat_of_id == first.id
    assert Complaint.get_by_id(first.id).repeat_of_id == earlier.id


def test_repeat_window_comes_from_the_settings(actors, master_data):
    sales = actors[D.SALES]
    customer, product = master_data
    old = register(sales, customer, product, received_at=utcnow() - timedelta(days=100))
    with write_transaction():
        settings_store.put("repeat_window_months", 2)
    assert register(sales, customer, product).repeat_of_id is None
    with write_transaction():
        settings_store.put("repeat_window_months", 12)
    assert register(sales, customer, product).repeat_of_id is not None
    assert old.repeat_of_id is None


def test_deadline_follows_severity_and_settings(actors, master_data):
    sales = actors[D.SALES]
    customer, product = master_data
    urgent = register(sales, customer, product, severity="urgent")
    normal = register(sales, customer, product, severity="normal")
    assert normal.due_at - urgent.due_at == timedelta(days=5)
    with write_transaction():
        settings_store.put("timezone", "Asia/Shanghai")
    received = datetime(2026, 1, 30, 15, 50)  # 23:50 in Shanghai, 30 January
    c = register(sales, customer, product, severity="urgent", received_at=received)
    assert c.due_at == datetime(2026, 2, 1, 15, 59, 59)  # end of 1 February in Shanghai


def test_sales_changes_severity_and_the_deadline_follows(actors, master_data):
    sales = actors[D.SALES]
    customer, product = master_data
    c = register(sales, customer, product, severity="normal")
    c2 = update(sales, c.id, severity="urgent")
    assert c2.due_at == c.due_at - timedelta(days=5)
    assert c2.version == c.version + 1


def test_a_stale_save_is_refused(actors, master_data):
    sales, qa = actors[D.SALES], actors[D.QA]
    customer, product = master_data
    c = register(sales, customer, product)
    update(sales, c.id, lot="L-1")
    with pytest.raises(ConflictError):
        svc.update_complaint(sales, complaint_id=c.id, version=c.version, lot="L-2")
    with pytest.raises(ConflictError):
        svc.take_step(qa, complaint_id=c.id, version=c.version, step="start_investigation")


# ------------------------------------------------------------------ roles and states
@pytest.mark.parametrize("code", sorted(STEPS))
def test_every_step_is_refused_for_the_wrong_role_and_the_wrong_state(actors, master_data, code):
    customer, product = master_data
    definition = STEPS[code]
    source = sorted(definition.sources)[0]
    c = bring_to(source, actors, customer, product)
    for department in D:
        if department in definition.departments:
            continue
        with pytest.raises(PermissionDenied):
            step(actors[department], c.id, code, reason="because")
    assert Complaint.get_by_id(c.id).status == source
    allowed = next(iter(definition.departments))
    wrong_state = next(s for s in S if s not in definition.sources)
    other = bring_to(wrong_state, actors, customer, product)
    with pytest.raises(TransitionError):
        step(actors[allowed], other.id, code, reason="because")
    assert Complaint.get_by_id(other.id).status == wrong_state


def test_only_sales_registers(actors, master_data):
    customer, product = master_data
    for department in D:
        if department == D.SALES:
            continue
        with pytest.raises(PermissionDenied):
            register(actors[department], customer, product)
    assert Complaint.select().count() == 0


def test_sections_are_edited_by_their_department_in_their_state(actors, master_data):
    sales, qa = actors[D.SALES], actors[D.QA]
    customer, product = master_data
    c = register(sales, customer, product)
    # The registration is Sales' while registered; QA completes it from its first step on.
    with pytest.raises(TransitionError) as err:
        update(qa, c.id, lot="QA-LOT")
    assert err.value.field == "lot"
    with pytest.raises(PermissionDenied) as err:
        update(qa, c.id, severity="normal")
    assert err.value.field == "severity"
    with pytest.raises(TransitionError) as err:
        update(qa, c.id, cause="too early")  # QA starts the investigation first
    assert err.value.field == "cause"
    step(qa, c.id, "start_investigation")
    with pytest.raises(TransitionError):
        update(sales, c.id, lot="too late")
    with pytest.raises(PermissionDenied):
        update(sales, c.id, investigation="Sales must not write QA's analysis")
    update(qa, c.id, investigation="Analysis")
    update(sales, c.id, cost_freight="120.50")
    assert Complaint.get_by_id(c.id).cost_freight == Decimal("120.50")
    with pytest.raises(TransitionError):
        update(sales, c.id, oral_notice_to="too early")


# ------------------------------------------------------------------ step requirements
def test_feed_back_plan_needs_investigation_responsibility_and_plan_or_explanation(
    actors, master_data
):
    sales, qa = actors[D.SALES], actors[D.QA]
    customer, product = master_data
    c = register(sales, customer, product)
    step(qa, c.id, "start_investigation")
    with pytest.raises(ValidationError) as err:
        step(qa, c.id, "feed_back_plan")
    assert err.value.field == "investigation"
    update(qa, c.id, investigation="Analysis", responsibility="company")
    with pytest.raises(ValidationError) as err:
        step(qa, c.id, "feed_back_plan")
    assert err.value.field == "preliminary_plan"
    update(qa, c.id, responsibility="transport")
    with pytest.raises(ValidationError) as err:
        step(qa, c.id, "feed_back_plan")
    assert err.value.field == "explanation"
    update(qa, c.id, explanation="Damaged in transport; carrier informed.")
    c = step(qa, c.id, "feed_back_plan")
    # Not the company's fault: no long-term countermeasure is required.
    assert step(qa, c.id, "release_to_sales").status == S.CUSTOMER_NOTICE


def test_release_needs_a_verified_long_term_action_for_company_responsibility(actors, master_data):
    customer, product = master_data
    qa, mfg = actors[D.QA], actors[D.MANUFACTURING]
    c = bring_to(S.COUNTERMEASURES, actors, customer, product)
    with pytest.raises(ValidationError) as err:
        step(qa, c.id, "release_to_sales")
    assert err.value.field == "actions"
    action = svc.add_action(
        qa,
        complaint_id=c.id,
        action_type="inspection",
        description="Go/no-go gauge for the edge",
        department="manufacturing",
        owner_id=mfg.user_id,
    )
    with pytest.raises(ValidationError) as err:
        step(qa, c.id, "release_to_sales")
    assert "not been verified" in str(err.value)
    assert action.due_date > clock.today()


def test_verification_rules(actors, master_data):
    customer, product = master_data
    qa, mfg, sales = actors[D.QA], actors[D.MANUFACTURING], actors[D.SALES]
    c = bring_to(S.COUNTERMEASURES, actors, customer, product)
    action = svc.add_action(
        qa,
        complaint_id=c.id,
        action_type="process",
        description="Deburring after every tool change",
        department="manufacturing",
        owner_id=qa.user_id,
    )
    with pytest.raises(ValidationError) as err:  # not carried out yet
        svc.verify_action(other_qa(), action_id=action.id, version=action.version, result="ok")
    assert err.value.field == "verified_at"
    with pytest.raises(PermissionDenied):  # Sales is not the responsible department
        svc.record_execution(sales, action_id=action.id, version=action.version, note="done")
    with pytest.raises(ValidationError) as err:
        svc.record_execution(mfg, action_id=action.id, version=action.version, note="  ")
    assert err.value.field == "execution_note"
    executed = utcnow() - timedelta(minutes=1)
    action = svc.record_execution(
        mfg, action_id=action.id, version=action.version, note="Done", executed_at=executed
    )
    with pytest.raises(ValidationError) as err:  # the owner may not verify
        svc.verify_action(qa, action_id=action.id, version=action.version, result="ok")
    assert err.value.field == "verified_by"
    with pytest.raises(ValidationError) as err:  # not before execution
        svc.verify_action(
            other_qa(),
            action_id=action.id,
            version=action.version,
            result="ok",
            verified_at=executed - timedelta(minutes=5),
        )
    assert err.value.field == "verified_at"
    with pytest.raises(PermissionDenied):
        svc.verify_action(mfg, action_id=action.id, version=action.version, result="ok")
    not_effective = svc.verify_action(
        other_qa(),
        action_id=action.id,
        version=action.version,
        result="Burrs again",
        effective=False,
    )
    assert not_effective.status == "open"
    again = svc.record_execution(
        mfg, action_id=action.id, version=not_effective.version, note="New tool"
    )
    done = svc.verify_action(other_qa(), action_id=action.id, version=again.version, result="ok")
    assert done.status == "verified" and done.verified_by == "qa_other"


def other_qa() -> Actor:
    """A second QA person (made on first use: every service call checks the account)."""
    user = User.get_or_none(User.username == "qa_other")
    return auth.actor_for(user) if user is not None else make_user(D.QA, "qa_other")


def test_approval_needs_acceptance_and_refusal_needs_a_reason(actors, master_data):
    customer, product = master_data
    sales = actors[D.SALES]
    c = bring_to(S.CUSTOMER_NOTICE, actors, customer, product)
    with pytest.raises(ValidationError) as err:
        step(sales, c.id, "customer_accepted")
    assert err.value.field == "oral_notice_at"
    communicate(sales, c.id)
    with pytest.raises(ValidationError) as err:
        step(sales, c.id, "customer_rejected", reason=" ")
    assert err.value.field == "reason"
    assert CustomerResponse.select().count() == 0


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"severity": "very"}, "severity"),
        ({"qty_affected": -1}, "qty_affected"),
        ({"qty_delivered": "many"}, "qty_delivered"),
        ({"qty_affected": 10, "qty_delivered": 5}, "qty_affected"),
        ({"received_at": None}, "received_at"),
        # A callable value is worked out when the test runs, on the test's clock.
        ({"received_at": lambda: utcnow() + timedelta(days=2)}, "received_at"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"received_via": "pigeon"}, "received_via"),
        ({"customer_id": 999999}, "customer"),
        ({"product_id": 999999}, "product"),
        ({"feedback_id": 999999}, "feedback"),
    ],
)
def test_bad_registration_input_names_the_field_and_saves_nothing(
    actors, master_data, overrides, field
):
    customer, product = master_data
    overrides = {key: value() if callable(value) else value for key, value in overrides.items()}
    with pytest.raises(ValidationError) as err:
        register(actors[D.SALES], customer, product, **overrides)
    assert err.value.field == field
    assert Complaint.select().count() == 0
    assert AuditLog.select().where(AuditLog.table_name == "complaint").count() == 0


def test_bad_section_input_saves_nothing(actors, master_data):
    customer, product = master_data
    qa = actors[D.QA]
    c = bring_to(S.INVESTIGATING, actors, customer, product)
    before = Complaint.get_by_id(c.id)
    with pytest.raises(ValidationError) as err:
        update(qa, c.id, investigation="Analysis", fg_checked=10, fg_nonconforming=11)
    assert err.value.field == "fg_nonconforming"
    with pytest.raises(ValidationError) as err:
        update(qa, c.id, investigation="Analysis", onsite_on="2001-01-01")
    assert err.value.field == "onsite_on"
    with pytest.raises(ValidationError) as err:
        update(qa, c.id, wip_held="-3")
    assert err.value.field == "wip_held"
    with pytest.raises(ValidationError) as err:
        update(qa, c.id, cost_scrap="abc")
    assert err.value.field == "cost_scrap"
    with pytest.raises(ValidationError) as err:
        update(qa, c.id, responsibility="nobody")
    assert err.value.field == "responsibility"
    after = Complaint.get_by_id(c.id)
    assert (after.version, after.investigation) == (before.version, before.investigation)


def test_attachments_are_stored_opened_and_saved(actors, master_data, tmp_path):
    customer, product = master_data
    sales = actors[D.SALES]
    c = register(sales, customer, product)
    photo = tmp_path / "burr.jpg"
    photo.write_bytes(b"\xff\xd8jpeg-bytes")
    att = svc.add_attachment(sales, complaint_id=c.id, path=photo)
    assert (att.filename, att.size, att.content_type) == ("burr.jpg", 12, "image/jpeg")
    copy = svc.open_attachment_copy(attachment_id=att.id, folder=tmp_path / "opened")
    assert copy.name == "burr.jpg" and copy.read_bytes() == photo.read_bytes()
    with pytest.raises(ValidationError) as err:
        svc.save_attachment(attachment_id=att.id, target=tmp_path / "no" / "such" / "dir.jpg")
    assert err.value.field == "attachment"
    history = [r for r in audit.history("complaint", c.id) if r.field == "attachment"]
    assert [(r.new_value, r.username) for r in history] == [("burr.jpg", sales.username)]


def test_attachment_from_bytes_dropped_or_pasted(actors, master_data):
    """Bytes from a mail program's drop or a pasted screenshot are stored like a file; an
    oversized or executable one is refused naming the file, nothing stored."""
    customer, product = master_data
    sales = actors[D.SALES]
    c = register(sales, customer, product)
    att = svc.add_attachment_data(
        sales, complaint_id=c.id, filename="screenshot-20261205-131500.png", data=b"\x89PNG"
    )
    assert (att.filename, att.size, att.content_type) == (
        "screenshot-20261205-131500.png",
        4,
        "image/png",
    )
    with write_transaction():
        settings_store.put("attachment_max_mb", 1)
    with pytest.raises(ValidationError) as err:
        svc.add_attachment_data(
            sales, complaint_id=c.id, filename="clip.mp4", data=b"\0" * (1024 * 1024 + 1)
        )
    assert err.value.field == "attachment" and "clip.mp4" in str(err.value)
    with pytest.raises(ValidationError):
        svc.add_attachment_data(sales, complaint_id=c.id, filename="run.exe", data=b"MZ")
    history = [r for r in audit.history("complaint", c.id) if r.field == "attachment"]
    assert [r.new_value for r in history] == ["screenshot-20261205-131500.png"]


def test_attachment_errors(actors, master_data, tmp_path, monkeypatch):
    customer, product = master_data
    sales = actors[D.SALES]
    c = register(sales, customer, product)
    with write_transaction():
        settings_store.put("attachment_max_mb", 1)
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as err:
        svc.add_attachment(sales, complaint_id=c.id, path=big)
    assert err.value.field == "attachment" and "video.mp4" in str(err.value)
    with pytest.raises(ValidationError) as err:
        svc.add_attachment(sales, complaint_id=c.id, path=tmp_path / "missing.pdf")
    assert "missing.pdf" in str(err.value)
    with pytest.raises(ValidationError):
        svc.add_attachment(sales, complaint_id=c.id, path=tmp_path)
    locked = tmp_path / "locked.msg"
    locked.write_bytes(b"mail")
    real_open = Path.open

    def refuse(self, *args, **kwargs):  # tests run as root, where chmod 000 still reads
        if self.name == "locked.msg":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(ValidationError) as err:
        svc.add_attachment(sales, complaint_id=c.id, path=locked)
    assert "locked.msg" in str(err.value) and "Permission denied" in str(err.value)
    assert Attachment.select().count() == 0
    assert not [r for r in audit.history("complaint", c.id) if r.field == "attachment"]


def test_detail_history_and_overdue_lists(actors, master_data, tmp_path):
    from cqms_desktop.domain.deadlines import DeadlineState
    from cqms_desktop.services import complaint_queries as q

    customer, product = master_data
    qa, mfg = actors[D.QA], actors[D.MANUFACTURING]
    late = register(actors[D.SALES], customer, product, received_at=utcnow() - timedelta(days=5))
    on_time = bring_to(
        S.COUNTERMEASURES,
        actors,
        customer,
        product,
        severity="normal",
        received_at=utcnow() - timedelta(days=3),
    )
    action = svc.add_action(
        qa,
        complaint_id=on_time.id,
        action_type="process",
        description="Late action",
        department="manufacturing",
        owner_id=mfg.user_id,
        due_date=clock.today() - timedelta(days=1),
    )
    removed = svc.add_action(
        qa,
        complaint_id=on_time.id,
        action_type="inspection",
        description="Decided by mistake",
        department="technical",
    )
    svc.remove_action(qa, action_id=removed.id, version=removed.version)
    photo = tmp_path / "p.png"
    photo.write_bytes(b"png")
    svc.add_attachment(qa, complaint_id=on_time.id, path=photo)

    assert [c.id for c in q.overdue_complaints()] == [late.id]
    assert [a.id for a in q.overdue_actions()] == [action.id]
    detail = q.load_detail(on_time.id)
    assert detail.deadline == DeadlineState.HANDLED
    assert q.load_detail(late.id).deadline == DeadlineState.OVERDUE
    assert [(v.action.id, v.overdue, v.owner_name) for v in detail.actions] == [
        (action.id, True, "Manufacturing User")
    ]
    assert [a.filename for a in detail.attachments] == ["p.png"]
    assert detail.repeat_of_number == late.number  # same customer, product and defect
    assert q.load_detail(late.id).repeats == [on_time.number]
    rows = q.history(on_time.id)
    tables = {(r.table_name, r.record_id) for r in rows}
    assert ("corrective_action", removed.id) in tables  # deleted, still in the history
    assert ("corrective_action", action.id) in tables
    assert any(t == "attachment" for t, _ in tables)
    assert all(r.record_id == on_time.id for r in rows if r.table_name == "complaint")
    assert not any(r.record_id == late.id for r in rows if r.table_name == "complaint")


def test_holidays_move_unhandled_deadlines_under_the_working_day_calendar(
    actors, master_data, system
):
    customer, product = master_data
    with write_transaction():
        settings_store.put("deadline_working_days", True)
        settings_store.put("timezone", "Asia/Shanghai")
    # Monday 2 November 2026, 10:00 in Shanghai: urgent → Wednesday 4 November.
    received = datetime(2026, 11, 2, 2, 0)
    c = register(actors[D.SALES], customer, product, received_at=received)
    handled = bring_to(S.COUNTERMEASURES, actors, customer, product, received_at=received)
    assert c.due_at == datetime(2026, 11, 4, 15, 59, 59)
    calendar.add_day(system, day=date(2026, 11, 3), kind="closed", note="Company anniversary")
    assert Complaint.get_by_id(c.id).due_at == datetime(2026, 11, 5, 15, 59, 59)
    assert Complaint.get_by_id(handled.id).due_at == handled.due_at  # judged already
    assert [h.day for h in calendar.calendar_days(2026)] == [date(2026, 11, 3)]
    with pytest.raises(ValidationError) as err:
        calendar.add_day(system, day=date(2026, 11, 3), kind="closed")
    assert err.value.field == "day"
    with pytest.raises(PermissionDenied):
        calendar.add_day(actors[D.QA], day=date(2026, 12, 24), kind="closed")
    calendar.remove_day(system, day=date(2026, 11, 3))
    assert Complaint.get_by_id(c.id).due_at == datetime(2026, 11, 4, 15, 59, 59)
    rows = [r for r in audit.history("complaint", c.id) if r.field == "due_at"]
    assert [r.username for r in rows] == ["sales_user", "system", "system"]


def test_countermeasures_are_changed_only_while_open(actors, master_data):
    customer, product = master_data
    qa, mfg = actors[D.QA], actors[D.MANUFACTURING]
    c = bring_to(S.COUNTERMEASURES, actors, customer, product)
    action = svc.add_action(
        qa,
        complaint_id=c.id,
        action_type="process",
        description="First idea",
        department="manufacturing",
    )
    action = svc.update_action(
        qa,
        action_id=action.id,
        version=action.version,
        description="Better idea",
        owner=mfg.user_id,
        due_date=clock.today() + timedelta(days=10),
    )
    assert (action.description, action.owner_id) == ("Better idea", mfg.user_id)
    for bad, field in [
        ({"action_type": "magic"}, "action_type"),
        ({"description": " "}, "description"),
        ({"due_date": ""}, "due_date"),
        ({"owner": 99999}, "owner"),
        ({"status": "verified"}, "status"),
    ]:
        with pytest.raises(ValidationError) as err:
            svc.update_action(qa, action_id=action.id, version=action.version, **bad)
        assert err.value.field == field, bad
    with pytest.raises(PermissionDenied):
        svc.update_action(mfg, action_id=action.id, version=action.version, description="x")
    done = svc.record_execution(mfg, action_id=action.id, version=action.version, note="Done")
    with pytest.raises(TransitionError):
        svc.update_action(qa, action_id=action.id, version=done.version, description="late")
    with pytest.raises(TransitionError):
        svc.remove_action(qa, action_id=action.id, version=done.version)
    with pytest.raises(ConflictError):
        svc.record_execution(mfg, action_id=action.id, version=action.version, note="again")


def test_customer_of_a_complaint_from_feedback_stays_the_feedbacks(actors, master_data):
    customer, product = master_data
    sales = actors[D.SALES]
    other = admin.add_customer(Actor.system(), code="C999", name="Other Ltd")
    with write_transaction():
        fb = audit.create(
            Feedback,
            sales.username,
            number="FB-2026-0009",
            customer=customer.id,
            received_at=utcnow() - timedelta(hours=3),
            channel="phone",
            description="Noise",
        )
    with pytest.raises(ValidationError) as err:
        register(sales, other, product, feedback_id=fb.id)
    assert err.value.field == "customer"
    c = register(sales, customer, product, feedback_id=fb.id)
    with pytest.raises(ValidationError) as err:
        update(sales, c.id, customer=other.id)
    assert err.value.field == "customer"
    with pytest.raises(TransitionError):  # one feedback becomes one complaint
        register(sales, customer, product, feedback_id=fb.id)


@pytest.mark.backends
def test_a_complaint_registered_directly_gets_its_feedback_form(any_actors, master_data):
    """5.2.1: a complaint starts from a Customer Quality Feedback Form. Registered without
    one, the complaint's form is created with it — same customer, time, channel and text, a
    quality problem already handed to QA — and numbered in the feedback's own sequence."""
    customer, product = master_data
    sales = any_actors[D.SALES]
    received = utcnow() - timedelta(hours=5)
    c = register(
        sales, customer, product, severity="urgent", received_at=received, received_via="email"
    )
    fb = Feedback.get_by_id(c.feedback_id)
    assert fb.customer_id == customer.id
    assert fb.channel == "email" and fb.description == c.description
    assert fb.urgent and fb.type == "quality" and fb.status == "complaint"
    assert abs(fb.received_at.replace(tzinfo=None) - received.replace(tzinfo=None)) < timedelta(
        seconds=1
    )
    assert fb.number.startswith("FB-") and fb.registered_by_id == sales.user_id
    created = AuditLog.select().where(
        (AuditLog.table_name == "feedback") & (AuditLog.record_id == fb.id)
    )
    assert {row.action for row in created} == {"create"}
    # Nothing is left half: a refused registration creates no feedback either.
    with pytest.raises(ValidationError):
        register(sales, customer, product, description="")
    assert Feedback.select().count() == 1
    # A complaint from an existing feedback does not get a second one.
    second = register(sales, customer, product)
    assert Feedback.select().count() == 2 and second.feedback_id != c.feedback_id
