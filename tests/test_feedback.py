"""5.1.2 the feedback register: quick registration by anyone, completion, routing and
acknowledgement, closure, and the 5.2.1 hand-over of a quality problem to QA."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import Department, FeedbackStatus, FeedbackType
from cqms_desktop.domain.errors import (
    ConflictError,
    PermissionDenied,
    TransitionError,
    ValidationError,
)
from cqms_desktop.services import admin, circulation, feedback, surveys
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Circulation, Complaint, Counter, Feedback

pytestmark = pytest.mark.backends


def _register(actor, customer, **kw):
    values = {
        "customer_id": customer.id,
        "channel": "phone",
        "caller": "Herr Müller",
        "description": "Kratzer auf den Gehäusen der Lieferung 2611",
        "urgent": True,
        **kw,
    }
    return feedback.register_feedback(actor, **values)


def test_any_department_registers_quickly_and_sales_completes(any_actors, customer):
    fb = _register(any_actors[Department.MANUFACTURING], customer)
    assert fb.number.startswith("FB-") and fb.number.endswith("-0001")
    assert (fb.status, fb.type, fb.urgent) == (FeedbackStatus.OPEN, FeedbackType.OTHER, True)
    assert fb.registered_by_id == any_actors[Department.MANUFACTURING].user_id
    with pytest.raises(PermissionDenied):
        feedback.update_feedback(
            any_actors[Department.MANUFACTURING],
            feedback_id=fb.id,
            version=fb.version,
            type="price",
        )
    done = feedback.update_feedback(
        any_actors[Department.SALES], feedback_id=fb.id, version=fb.version, type="delivery"
    )
    assert done.type == FeedbackType.DELIVERY
    assert any(
        r.field == "type" and r.new_value == "delivery" for r in audit.history("feedback", fb.id)
    )


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"customer_id": None}, "customer", "Customer is required."),
        ({"channel": ""}, "channel", "Channel is required."),
        ({"channel": None}, "channel", "Channel is required."),
        ({"channel": "pigeon"}, "channel", "not one of the allowed values"),
        ({"description": " "}, "description", "Description is required."),
        # A callable value is worked out when the test runs, on the test's clock.
        ({"received_at": lambda: utcnow() + timedelta(days=1)}, "received_at", "in the future"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(any_actors, customer, kw, field, message):
    kw = {key: value() if callable(value) else value for key, value in kw.items()}
    with pytest.raises(ValidationError) as err:
        _register(any_actors[Department.QA], customer, **kw)
    assert err.value.field == field
    assert message in str(err.value)
    assert Feedback.select().count() == 0
    assert Counter.select().count() == 0


def test_routing_acknowledgement_and_overdue_flag(any_actors, customer):
    sales = any_actors[Department.SALES]
    fb = _register(sales, customer, type="service")
    with pytest.raises(PermissionDenied):
        feedback.route_feedback(any_actors[Department.QA], feedback_id=fb.id, departments=["qa"])
    routed = feedback.route_feedback(sales, feedback_id=fb.id, departments=["qa", "technical"])
    assert routed.status == FeedbackStatus.ROUTED
    qa_line, tech_line = feedback.feedback_routing(fb.id)
    assert (qa_line.department, tech_line.department) == (Department.QA, Department.TECHNICAL)
    assert qa_line.sent_by == sales.username
    circulation.respond(
        any_actors[Department.QA], circulation_id=qa_line.id, response="Checked stock: OK"
    )
    later = utcnow() + timedelta(days=3)
    lines = circulation.routing_lines("feedback", fb.id, later)
    assert [(x.acknowledged_by, x.response, x.overdue) for x in lines] == [
        (any_actors[Department.QA].username, "Checked stock: OK", False),
        ("", "", True),
    ]
    assert feedback.overdue_feedback_ids(later) == {fb.id}
    assert feedback.overdue_feedback_ids(utcnow()) == set()
    # QA has acknowledged: its line cannot be dropped; Technical's unacknowledged one can.
    with pytest.raises(ValidationError):
        feedback.route_feedback(sales, feedback_id=fb.id, departments=[])
    feedback.route_feedback(sales, feedback_id=fb.id, departments=["qa"])
    assert Circulation.select().where(Circulation.record_kind == "feedback").count() == 1


def test_sales_registers_and_routes_in_one_step_or_not_at_all(any_actors, customer):
    sales = any_actors[Department.SALES]
    fb = _register(sales, customer, departments=["qa", "manufacturing"])
    assert fb.status == FeedbackStatus.ROUTED
    assert [x.department.value for x in feedback.feedback_routing(fb.id)] == [
        "qa",
        "manufacturing",
    ]
    with pytest.raises(ValidationError) as err:
        _register(sales, customer, departments=["qa", "nowhere"])
    assert err.value.field == "departments"
    assert Feedback.select().count() == 1  # the refused one left nothing behind
    with pytest.raises(PermissionDenied):
        _register(any_actors[Department.QA], customer, departments=["technical"])


def test_close_with_result_then_read_only(any_actors, customer):
    sales = any_actors[Department.SALES]
    fb = _register(sales, customer, type="price")
    with pytest.raises(ValidationError) as err:
        feedback.close_feedback(sales, feedback_id=fb.id, version=fb.version, result="")
    assert err.value.field == "result"
    closed = feedback.close_feedback(
        sales, feedback_id=fb.id, version=fb.version, result="Price list explained"
    )
    assert (closed.status, closed.result) == (FeedbackStatus.CLOSED, "Price list explained")
    assert closed.closed_at is not None
    with pytest.raises(TransitionError):
        feedback.update_feedback(sales, feedback_id=fb.id, version=closed.version, caller="x")
    with pytest.raises(ConflictError):
        feedback.reopen_feedback(sales, feedback_id=fb.id, version=fb.version)
    reopened = feedback.reopen_feedback(sales, feedback_id=fb.id, version=closed.version)
    assert (reopened.status, reopened.closed_at) == (FeedbackStatus.OPEN, None)


def test_a_feedback_from_a_survey_keeps_its_customer(any_actors, customer):
    sales = any_actors[Department.SALES]
    survey = surveys.create_survey(sales, customer_id=customer.id, quarter="2026-Q3")
    fb = _register(sales, customer, channel="survey", survey_id=survey.id)
    assert fb.survey_id == survey.id
    other = admin.add_customer(sales, code="K2", name="Andere AG")
    with pytest.raises(ValidationError) as err:
        feedback.update_feedback(sales, feedback_id=fb.id, version=fb.version, customer_id=other.id)
    assert err.value.field == "survey_id"
    assert Feedback.get_by_id(fb.id).customer_id == customer.id


def test_a_stale_version_is_refused(any_actors, customer):
    sales = any_actors[Department.SALES]
    fb = _register(sales, customer)
    feedback.update_feedback(sales, feedback_id=fb.id, version=fb.version, caller="Frau Schmidt")
    with pytest.raises(ConflictError):
        feedback.update_feedback(sales, feedback_id=fb.id, version=fb.version, caller="Herr X")
    assert Feedback.get_by_id(fb.id).caller == "Frau Schmidt"


def test_quality_problem_is_handed_to_qa_as_a_complaint(any_actors, customer):
    sales = any_actors[Department.SALES]
    fb = _register(any_actors[Department.MANUFACTURING], customer)
    fb = feedback.update_feedback(sales, feedback_id=fb.id, version=fb.version, type="quality")
    with pytest.raises(PermissionDenied):
        feedback.send_to_qa(any_actors[Department.QA], feedback_id=fb.id, version=fb.version)
    complaint = feedback.send_to_qa(
        sales, feedback_id=fb.id, version=fb.version, lot="2611", qty_affected=40
    )
    assert isinstance(complaint, Complaint)
    assert complaint.feedback_id == fb.id
    assert complaint.customer_id == customer.id
    assert complaint.severity == "urgent"  # the feedback was urgent
    assert complaint.received_via == "phone"
    assert complaint.description == fb.description
    assert (complaint.lot, complaint.qty_affected) == ("2611", 40)
    after = Feedback.get_by_id(fb.id)
    assert after.status == FeedbackStatus.COMPLAINT
    with pytest.raises(TransitionError):
        feedback.send_to_qa(sales, feedback_id=fb.id, version=after.version)
    assert Complaint.select().count() == 1


def test_only_a_quality_problem_goes_to_qa_and_nothing_is_saved_otherwise(any_actors, customer):
    sales = any_actors[Department.SALES]
    fb = _register(sales, customer, type="delivery")
    with pytest.raises(ValidationError) as err:
        feedback.send_to_qa(sales, feedback_id=fb.id, version=fb.version)
    assert err.value.field == "type"
    assert Complaint.select().count() == 0
    assert Feedback.get_by_id(fb.id).status == FeedbackStatus.OPEN
    with pytest.raises(ConflictError):
        feedback.send_to_qa(sales, feedback_id=fb.id, version=fb.version + 5)


def test_the_complaint_closure_closes_the_feedback(any_actors, customer):
    sales = any_actors[Department.SALES]
    fb = _register(sales, customer, type="quality")
    complaint = feedback.send_to_qa(sales, feedback_id=fb.id, version=fb.version)
    # The complaint service calls this inside its own transaction on approval.
    with write_transaction():
        feedback.close_by_complaint(fb.id, "gm_user", f"{complaint.number}: solved")
    closed = Feedback.get_by_id(fb.id)
    assert (closed.status, closed.result) == (FeedbackStatus.CLOSED, f"{complaint.number}: solved")
