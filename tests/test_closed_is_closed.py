"""Closed is closed (issue #15 item 10): once a complaint is closed, the feedback it came from
is neither reopened nor rewritten on its own; only the General Manager's reopening of the
complaint reopens it."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.enums import FeedbackStatus
from cqms_desktop.domain.errors import TransitionError
from cqms_desktop.services import admin, circulation, feedback
from cqms_desktop.services.base import Actor
from cqms_desktop.store.models import Feedback
from tests.complaint_steps import bring_to, step


@pytest.fixture
def closed(actors):
    """A complaint made from a routed feedback, taken to closure (which closed the feedback)."""
    system = Actor.system()
    customer = admin.add_customer(system, code="C100", name="Müller Automotive GmbH")
    product = admin.add_product(system, part_number="PN-4711", name="Steckergehäuse")
    sales = actors[D.SALES]
    fb = feedback.register_feedback(
        sales,
        customer_id=customer.id,
        channel="phone",
        description="Burrs",
        departments=["qa", "technical"],
    )
    complaint = bring_to(S.CLOSED, actors, customer, product, feedback_id=fb.id)
    assert Feedback.get_by_id(fb.id).status == FeedbackStatus.CLOSED
    return complaint, Feedback.get_by_id(fb.id)


def test_the_feedback_of_a_closed_complaint_is_not_reopened_on_its_own(actors, closed):
    complaint, fb = closed
    with pytest.raises(TransitionError, match=complaint.number):
        feedback.reopen_feedback(actors[D.SALES], feedback_id=fb.id, version=fb.version)
    assert Feedback.get_by_id(fb.id).status == FeedbackStatus.CLOSED


def test_its_routing_and_recorded_answers_are_not_rewritten(actors, closed):
    _complaint, fb = closed
    with pytest.raises(TransitionError, match="closed"):
        feedback.route_feedback(actors[D.SALES], feedback_id=fb.id, departments=["qa"])
    qa_line, _tech_line = feedback.feedback_routing(fb.id)
    # A department may still acknowledge (so it leaves their work list) …
    circulation.acknowledge(actors[D.QA], circulation_id=qa_line.id, response="Checked")
    # … but what was recorded is not rewritten afterwards.
    with pytest.raises(TransitionError, match="closed"):
        circulation.respond(actors[D.QA], circulation_id=qa_line.id, response="Rewritten")
    assert feedback.feedback_routing(fb.id)[0].response == "Checked"
    assert [line.department.value for line in feedback.feedback_routing(fb.id)] == [
        "qa",
        "technical",
    ]


def test_the_general_managers_reopening_reopens_it(actors, closed):
    complaint, fb = closed
    step(actors[D.GENERAL_MANAGER], complaint.id, "reopen", reason="Customer found more burrs")
    assert Feedback.get_by_id(fb.id).status == FeedbackStatus.COMPLAINT


def test_a_reopened_complaint_needs_a_new_notice_before_the_customer_accepts(actors, closed):
    """After the General Manager reopens a complaint and QA releases it again, the oral notice
    and copy sent of the closed round do not count: Sales records the new round's notice
    first (as after a refusal); the old one stays in the history."""
    from cqms_desktop.domain.errors import ValidationError
    from cqms_desktop.store import audit
    from cqms_desktop.store.models import Complaint
    from tests.complaint_steps import communicate

    complaint, _feedback = closed
    gm, sales, qa = actors[D.GENERAL_MANAGER], actors[D.SALES], actors[D.QA]
    before = Complaint.get_by_id(complaint.id)
    old_notice = before.oral_notice_at
    assert old_notice is not None and before.copy_sent_at is not None
    reopened = step(gm, complaint.id, "reopen", reason="The burr is back at the customer's line")
    assert reopened.oral_notice_at is None and reopened.copy_sent_at is None
    assert reopened.customer_accepted_at is None
    # Back to Sales through QA's steps; the old notice is gone, so acceptance is refused …
    step(qa, complaint.id, "feed_back_plan")
    step(qa, complaint.id, "release_to_sales")
    with pytest.raises(ValidationError) as refused:
        step(sales, complaint.id, "customer_accepted")
    assert refused.value.field == "oral_notice_at"
    # … until the new notice is recorded.
    communicate(sales, complaint.id)
    assert step(sales, complaint.id, "customer_accepted").status == S.AWAITING_APPROVAL
    kept = [r for r in audit.history("complaint", complaint.id) if r.field == "oral_notice_at"]
    assert any(r.new_value is None for r in kept)  # cleared by the reopening, old value kept
