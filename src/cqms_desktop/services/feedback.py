"""5.1.2 the feedback register: the Customer Quality Feedback Form (《顾客质量反馈单》).

Anyone in any department who takes a customer's call, letter, e-mail, fax or visit registers it
in a minute (customer, channel, who called, what they said, urgency); Sales completes it (type
and details), forwards it to the departments concerned for circulation (传阅), and closes it
with its result. A quality problem is sent to QA and becomes a customer complaint (5.2.1),
whose closure then closes the feedback. A feedback keeps its source: the visit or the
satisfaction survey it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from ..domain import validation as v
from ..domain.clock import to_local, utcnow
from ..domain.enums import Channel, Department, FeedbackStatus, FeedbackType, Severity
from ..domain.errors import TransitionError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.input_limits import naive_utc, record_number
from ..store import audit
from ..store.counters import next_number
from ..store.db import retry_transient
from ..store.models import Complaint, Feedback, Survey, User, Visit
from . import circulation, complaints
from .base import Actor, require, unit_of_work
from .complaint_feedback import close_by_complaint as close_by_complaint  # re-exported
from .lookup import load_record
from .normalise import checked_input
from .parent_lock import children_changed, lock_parent
from .visits import existing_customer

#: Sales completes, routes and closes feedback (4.1).
EDITORS = (Department.SALES,)

_CLOSED_STATES = (FeedbackStatus.CLOSED.value, FeedbackStatus.COMPLAINT.value)


def _received_at(value: datetime | None, now: datetime) -> datetime:
    """A UTC receipt time, not in the future (a minute's slack for PC clocks)."""
    if value is None:
        return now
    if not isinstance(value, datetime):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be a date and time."), field="received_at"
        )
    # An offset is converted to UTC, not dropped; years no backend holds are refused.
    stamp = naive_utc(value, "received_at")
    if (stamp - now).total_seconds() > 60:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be in the future."), field="received_at"
        )
    return stamp


def _source_ids(visit_id: Any, survey_id: Any, customer_id: int) -> dict[str, int | None]:
    """Check the visit / survey the feedback comes from (same customer)."""
    out: dict[str, int | None] = {"visit": None, "survey": None}
    for key, model, field in (("visit", Visit, "visit_id"), ("survey", Survey, "survey_id")):
        value = visit_id if key == "visit" else survey_id
        if value in (None, ""):
            continue
        number = record_number(value)
        source = None if number is None else model.get_or_none(model.id == number)
        if source is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field}: the record does not exist."), field=field
            )
        if source.customer_id != customer_id:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} belongs to another customer."), field=field
            )
        out[key] = source.id
    return out


def create_feedback_row(
    username: str,
    user_id: int | None,
    *,
    customer_id: int | None,  # None or blank are refused here, with the field named
    channel: str | None,
    description: str,
    caller: str = "",
    urgent: bool = False,
    type: str = FeedbackType.OTHER.value,
    received_at: datetime | None = None,
    visit_id: int | None = None,
    survey_id: int | None = None,
) -> Feedback:
    """Validate and insert a feedback inside the caller's transaction (surveys use this too)."""
    now = utcnow()
    customer = existing_customer(customer_id)
    values: dict[str, Any] = {
        "customer": customer.id,
        "channel": v.choice(
            v.required_text(channel, "channel"), "channel", [c.value for c in Channel]
        ),
        "description": v.required_text(description, "description", 8000),
        "caller": v.optional_text(caller, "caller", 100),
        "urgent": bool(urgent),
        "type": v.choice(type, "type", [t.value for t in FeedbackType]),
        "received_at": _received_at(received_at, now),
        **_source_ids(visit_id, survey_id, customer.id),
    }
    registered_by = User.get_or_none(User.id == user_id) if user_id else None
    year = to_local(values["received_at"]).year
    return audit.create(
        Feedback,
        username,
        number=next_number("feedback", year),
        status=FeedbackStatus.OPEN.value,
        registered_by=registered_by.id if registered_by else None,
        **values,
    )


@checked_input
@retry_transient
def register_feedback(
    actor: Actor,
    *,
    customer_id: int | None,
    channel: str | None,
    description: str,
    caller: str = "",
    urgent: bool = False,
    type: str = FeedbackType.OTHER.value,
    received_at: datetime | None = None,
    visit_id: int | None = None,
    survey_id: int | None = None,
    departments: Iterable[str] = (),
) -> Feedback:
    """Quick registration by anyone (5.1.2: any department that takes a call notifies Sales).

    *received_at* is UTC (default: now). *visit_id* / *survey_id* link the feedback to the
    visit or survey it came from. Sales registering it may forward it to *departments* at
    once, in the same transaction.
    """
    require(actor)
    departments = list(departments)
    if departments:
        require(actor, admin=True, departments=EDITORS)
    with unit_of_work("feedback", "circulation"):
        record = create_feedback_row(
            actor.username,
            actor.user_id,
            customer_id=customer_id,
            channel=channel,
            description=description,
            caller=caller,
            urgent=urgent,
            type=type,
            received_at=received_at,
            visit_id=visit_id,
            survey_id=survey_id,
        )
        if departments:
            _route(actor, record, departments)
            record = Feedback.get_by_id(record.id)
        return record


@checked_input
@retry_transient
def update_feedback(
    actor: Actor,
    *,
    feedback_id: int,
    version: int,
    departments: Iterable[str] | None = None,
    **changes: Any,
) -> Feedback:
    """Sales completes or corrects a feedback (type, channel, caller, description, urgency…)
    and optionally sets the departments it circulates to."""
    require(actor, admin=True, departments=EDITORS)
    clean: dict[str, Any] = {}
    if "customer_id" in changes:
        clean["customer"] = existing_customer(changes.pop("customer_id")).id
    if "channel" in changes:
        clean["channel"] = v.choice(
            v.required_text(changes.pop("channel"), "channel"),
            "channel",
            [c.value for c in Channel],
        )
    if "description" in changes:
        clean["description"] = v.required_text(changes.pop("description"), "description", 8000)
    if "caller" in changes:
        clean["caller"] = v.optional_text(changes.pop("caller"), "caller", 100)
    if "urgent" in changes:
        clean["urgent"] = bool(changes.pop("urgent"))
    if "type" in changes:
        clean["type"] = v.choice(changes.pop("type"), "type", [t.value for t in FeedbackType])
    if "received_at" in changes:
        clean["received_at"] = _received_at(changes.pop("received_at"), utcnow())
    if changes:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Unknown field “{key}”."), key=sorted(changes)[0]
        )
    with unit_of_work("feedback", "circulation"):
        current = lock_parent(Feedback, feedback_id, version)
        if current.status in _CLOSED_STATES and clean:
            raise _closed_error(current)
        if "customer" in clean:  # the visit / survey it came from must stay the customer's
            _source_ids(current.visit_id, current.survey_id, clean["customer"])
        record = audit.update(Feedback, feedback_id, actor.username, clean, version)
        if departments is not None and _route(actor, record, departments):
            children_changed(Feedback, current, actor.username)
        return Feedback.get_by_id(feedback_id)


def _closed_error(record: Feedback) -> TransitionError:
    if record.status == FeedbackStatus.COMPLAINT.value:
        return TransitionError(
            QT_TRANSLATE_NOOP(
                "Errors", "The feedback has been handed to QA as a complaint; it is read-only."
            )
        )
    return TransitionError(QT_TRANSLATE_NOOP("Errors", "The feedback is closed; it is read-only."))


def _route(actor: Actor, record: Feedback, departments: Iterable[str]) -> bool:
    """Set the routing of the locked *record*; True if it changed."""
    wanted = list(departments)
    changed = circulation.set_routing(circulation.FEEDBACK, record.id, wanted, actor.username)
    if changed and record.status == FeedbackStatus.CLOSED.value:
        raise _closed_error(record)  # closed is closed: not even the routing changes
    circulation.record_status_after_routing(circulation.FEEDBACK, record.id, actor.username)
    return changed


@checked_input
@retry_transient
def route_feedback(
    actor: Actor, *, feedback_id: int, departments: Iterable[str], version: int | None = None
) -> Feedback:
    """Sales forwards the feedback to exactly *departments* for handling and circulation.

    *version* is the version the user opened: a stale one is refused. A changed routing
    raises the feedback's version, like any other change of it.
    """
    require(actor, admin=True, departments=EDITORS)
    with unit_of_work("feedback", "circulation"):
        current = lock_parent(Feedback, feedback_id, version)
        if _route(actor, current, departments):
            children_changed(Feedback, current, actor.username)
        return Feedback.get_by_id(feedback_id)


@checked_input
@retry_transient
def close_feedback(actor: Actor, *, feedback_id: int, version: int, result: str) -> Feedback:
    """Sales closes the feedback with its result."""
    require(actor, admin=True, departments=EDITORS)
    text = v.required_text(result, "result", 8000)
    with unit_of_work("feedback"):
        record = audit.get_for_update(Feedback, feedback_id)
        if record.version != version:
            raise audit.conflict(record)
        if record.status in _CLOSED_STATES:
            raise _closed_error(record)
        return audit.update(
            Feedback,
            feedback_id,
            actor.username,
            {"status": FeedbackStatus.CLOSED.value, "result": text, "closed_at": utcnow()},
            version,
        )


@checked_input
@retry_transient
def reopen_feedback(actor: Actor, *, feedback_id: int, version: int) -> Feedback:
    """Sales reopens a feedback it closed by mistake (not one handed over as a complaint)."""
    require(actor, admin=True, departments=EDITORS)
    with unit_of_work("feedback"):
        record = audit.get_for_update(Feedback, feedback_id)
        if record.status != FeedbackStatus.CLOSED.value:
            raise TransitionError(
                QT_TRANSLATE_NOOP("Errors", "Only a closed feedback is reopened.")
            )
        complaint = Complaint.get_or_none(Complaint.feedback == feedback_id)
        if complaint is not None:
            # Closed by its complaint's closure: closed is closed, except through the General
            # Manager's reopening of the complaint (which reopens the feedback with it).
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The feedback was closed with complaint {number}; only the General "
                    "Manager's reopening of the complaint reopens it.",
                ),
                number=complaint.number,
            )
        routed = bool(circulation.routing_rows(circulation.FEEDBACK, feedback_id))
        status = FeedbackStatus.ROUTED if routed else FeedbackStatus.OPEN
        return audit.update(
            Feedback,
            feedback_id,
            actor.username,
            {"status": status.value, "closed_at": None},
            version,
        )


@checked_input
@retry_transient
def send_to_qa(
    actor: Actor,
    *,
    feedback_id: int,
    version: int,
    severity: str | None = None,
    product_id: int | None = None,
    lot: str = "",
    qty_affected: int | None = None,
    qty_delivered: int | None = None,
    customer_request: str = "",
    defect_category: str = "",
    description: str | None = None,
) -> Complaint:
    """5.2.1: Sales sends a quality-problem feedback to QA, where it becomes a complaint.

    The hand-over carries the complaint's registration data Sales knows by then: product,
    lot, quantities, defect category (a code or label of the managed list), the customer's
    request and the description (default: what the customer said on the feedback). The
    severity defaults to the feedback's urgency (urgent → urgent, else normal). The
    complaint service sets the feedback's status to "complaint" in the same transaction.
    """
    require(actor, admin=True, departments=EDITORS)
    with unit_of_work("feedback", "complaint"):
        record = audit.get_for_update(Feedback, feedback_id)
        if record.version != version:
            raise audit.conflict(record)
        if record.status in _CLOSED_STATES:
            raise _closed_error(record)
        # A quick registration is still typed "other"; handing it to QA declares it a quality
        # problem (register_complaint sets the type). Another explicit type is a mistake.
        if record.type not in (FeedbackType.QUALITY.value, FeedbackType.OTHER.value):
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{field}: only a quality problem is sent to QA as a complaint; this "
                    "feedback is typed “{type}”.",
                ),
                field="type",
                type=FeedbackType(record.type).label,
            )
        if severity is None:
            severity = Severity.URGENT.value if record.urgent else Severity.NORMAL.value
        return complaints.register_complaint(
            actor,
            customer_id=record.customer_id,
            description=record.description if description is None else description,
            severity=severity,
            received_at=record.received_at,
            feedback_id=record.id,
            product_id=product_id,
            lot=lot,
            qty_affected=qty_affected,
            qty_delivered=qty_delivered,
            received_via=record.channel,
            customer_request=customer_request,
            defect_category=defect_category,
        )


#: The error :func:`feedback_by_number` gives for a number no feedback has.
_UNKNOWN_NUMBER = QT_TRANSLATE_NOOP("Errors", "There is no feedback “{number}”.")


def get_feedback(feedback_id: int) -> Feedback:
    """One feedback, or :class:`NotFoundError`."""
    return load_record(Feedback, feedback_id, _UNKNOWN_NUMBER)


def feedback_by_number(number: str) -> Feedback:
    """One feedback by its record number (for the command line and the forms)."""
    return load_record(Feedback, number, _UNKNOWN_NUMBER)


def feedback_routing(feedback_id: int) -> list[circulation.RoutingLine]:
    """Who the feedback went to, who acknowledged when, and what each department did."""
    return circulation.routing_lines(circulation.FEEDBACK, feedback_id)


def overdue_feedback_ids(now: datetime | None = None) -> set[int]:
    """Feedback with a routing unacknowledged for longer than ``ack_overdue_days``."""
    return circulation.overdue_record_ids(circulation.FEEDBACK, now)


def received_local_date(record: Feedback) -> date:
    """The local calendar day the feedback was received (forms print this)."""
    return to_local(record.received_at).date()
