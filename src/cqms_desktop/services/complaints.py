"""Complaint handling (procedure 5.2): registration, section edits, workflow steps.

Long-term countermeasures (:mod:`.complaint_actions`), attachments
(:mod:`.complaint_attachments`) and deadlines (:mod:`.complaint_deadlines`) live in their own
modules; every name of theirs is re-exported here, so callers keep one import path. The
working-day calendar the deadlines run on is kept by :mod:`.calendar`.

Every use case is keyword-only, checks the actor's department first, runs in one
:func:`~.base.unit_of_work` and writes through :mod:`cqms_desktop.store.audit`. Which
department takes which step from which state is :mod:`..domain.complaint_workflow`; what a
step requires and who edits which section is :mod:`..domain.complaint_rules`.

Times passed in are naive UTC (as stored) or timezone-aware (converted); calendar days
(deadlines, "today") are counted in the company's time zone (setting ``timezone``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain import complaint_rules as rules
from ..domain import validation as v
from ..domain.clock import utcnow
from ..domain.complaint_workflow import check_step
from ..domain.enums import ComplaintStatus as S
from ..domain.enums import Department as D
from ..domain.enums import FeedbackStatus, FeedbackType
from ..domain.errors import TransitionError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.settings import DEFAULTS
from ..store import audit
from ..store import settings as settings_store
from ..store.counters import next_number
from ..store.db import retry_transient
from ..store.models import Complaint, Customer, CustomerResponse, Feedback, Product, User
from . import defect_categories
from .base import Actor, require, unit_of_work
from .complaint_actions import (
    add_action,
    default_action_due,
    record_execution,
    remove_action,
    update_action,
    verify_action,
)
from .complaint_attachments import (
    ATTACHMENT_KIND,
    add_attachment,
    add_attachment_data,
    open_attachment_copy,
    remove_attachment,
    save_attachment,
)
from .complaint_deadlines import (
    company_today,
    compute_due,
    current_rules,
    current_zone,
    recompute_deadlines,
)
from .complaint_feedback import close_by_complaint, feedback_for_new_complaint
from .complaint_records import _load, _no_such, _today_and_received
from .normalise import checked_input

# The complaint use cases keep one import path: actions, attachments and deadlines live in
# their own modules and are re-exported here.
__all__ = [
    "ATTACHMENT_KIND",
    "add_action",
    "add_attachment",
    "add_attachment_data",
    "company_today",
    "compute_due",
    "current_rules",
    "current_zone",
    "default_action_due",
    "open_attachment_copy",
    "recompute_deadlines",
    "record_execution",
    "register_complaint",
    "remove_action",
    "remove_attachment",
    "save_attachment",
    "take_step",
    "update_action",
    "update_complaint",
    "verify_action",
]


def _check_references(clean: dict[str, Any]) -> None:
    """Referenced records exist (and the QA owner is in QA), naming the field if not."""
    if "customer" in clean and (
        clean["customer"] is None or Customer.get_or_none(Customer.id == clean["customer"]) is None
    ):
        raise _no_such("customer")
    if (
        clean.get("product") is not None
        and Product.get_or_none(Product.id == clean["product"]) is None
    ):
        raise _no_such("product")
    if clean.get("qa_owner") is not None:
        owner = User.get_or_none(User.id == clean["qa_owner"])
        if owner is None:
            raise _no_such("qa_owner")
        if owner.department != D.QA.value:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} must be a user of {department}."),
                field="qa_owner",
                department=D.QA.label,
            )


def _find_repeat(values: dict[str, Any], settings: dict[str, Any]) -> int | None:
    """The id of the earlier complaint the complaint with *values* repeats, if any."""
    if values.get("product") is None:
        return None
    months = int(settings.get("repeat_window_months") or DEFAULTS["repeat_window_months"])
    received = values["received_at"]
    query = Complaint.select(
        Complaint.id,
        Complaint.customer,
        Complaint.product,
        Complaint.defect_category,
        Complaint.received_at,
    ).where(
        (Complaint.customer == values["customer"])
        & (Complaint.product == values["product"])
        & (Complaint.received_at >= rules.months_before(received, months))
        & (Complaint.received_at <= received)
    )
    if values.get("id") is not None:
        query = query.where(Complaint.id != values["id"])
    found = rules.find_repeat(values, list(query.dicts()), months)
    return found["id"] if found is not None else None


def _relink_later_repeats(complaint_id: int, username: str, settings: dict[str, Any]) -> None:
    """Complaints of the same customer and product received *after* complaint *complaint_id*
    (or pointing at it) get their repeat link worked out again.

    The repeat rule looks back from each complaint; without this, an earlier complaint entered
    later (a letter registered a week late, an import) would never mark the later one as its
    repeat, and one moved to another product or date would stay linked. Inside the caller's
    transaction; each changed link is audited as a system update of that complaint."""
    this = Complaint.get_by_id(complaint_id)
    query = Complaint.select().where(
        (
            (Complaint.customer == this.customer_id)
            & (Complaint.product == this.product_id)
            & (Complaint.received_at >= this.received_at)
        )
        | (Complaint.repeat_of == complaint_id)
    )
    for later in query.where(Complaint.id != complaint_id):
        values = {
            "id": later.id,
            "customer": later.customer_id,
            "product": later.product_id,
            "defect_category": later.defect_category,
            "received_at": later.received_at,
        }
        repeat_of = _find_repeat(values, settings)
        if repeat_of != later.repeat_of_id:
            audit.update(Complaint, later.id, username, {"repeat_of": repeat_of})


def _changed(record: Any, clean: dict[str, Any]) -> dict[str, Any]:
    """The entries of *clean* that differ from the stored values (as the audit compares)."""
    data = record.__data__
    return {
        name: value
        for name, value in clean.items()
        if audit.audit_text(data.get(name)) != audit.audit_text(value)
    }


# ---------------------------------------------------------------------------- registration
@checked_input
@retry_transient
def register_complaint(
    actor: Actor,
    *,
    customer_id: int,
    description: str,
    severity: str,
    received_at: datetime,
    feedback_id: int | None = None,
    product_id: int | None = None,
    lot: str = "",
    qty_affected: int | None = None,
    qty_delivered: int | None = None,
    received_via: str = "phone",
    customer_request: str = "",
    defect_category: str = "",
) -> Complaint:
    """5.2.1: Sales registers a customer complaint and sends it to QA.

    The number is the next ``CC-YYYY-NNNN``; the handling deadline follows 5.2.3 a/b and the
    settings; an earlier complaint of the same customer and product (and defect category)
    within ``repeat_window_months`` is linked as ``repeat_of``. A linked feedback becomes a
    quality complaint in the same transaction; without one, the complaint's Customer Quality
    Feedback Form is created with it (5.2.1: a complaint starts from that form).
    """
    require(actor, departments=[D.SALES])
    clean = rules.clean_values(
        {
            "customer": customer_id,
            "product": product_id,
            "description": description,
            "severity": severity,
            "received_at": received_at,
            "received_via": received_via,
            "lot": lot,
            "qty_affected": qty_affected,
            "qty_delivered": qty_delivered,
            "customer_request": customer_request,
            "defect_category": defect_category,
        }
    )
    now = utcnow()
    with unit_of_work("complaint", "feedback"):
        settings = settings_store.get_all()
        clean["defect_category"] = defect_categories.code_for(clean.get("defect_category"))
        _check_references(clean)
        today, received_day = _today_and_received(clean, settings, now)
        rules.check_consistency(clean, now=now, today=today, received_day=received_day)
        feedback = None
        if feedback_id is not None:
            feedback = _feedback_for_complaint(feedback_id, clean["customer"])
        clean["due_at"] = compute_due(clean["received_at"], clean["severity"], settings)
        clean["repeat_of"] = _find_repeat(clean, settings)
        year = company_today(now, current_zone(settings)).year
        if feedback is None:
            feedback_id = feedback_for_new_complaint(
                actor.username,
                _existing_user(actor.user_id),
                customer_id=clean["customer"],
                received_at=clean["received_at"],
                received_via=clean["received_via"],
                description=clean["description"],
                severity=clean["severity"],
                number_year=(received_day or today).year,  # received_at is required
            ).id
        record = audit.create(
            Complaint,
            actor.username,
            number=next_number("complaint", year),
            feedback=feedback_id,
            status=S.REGISTERED.value,
            **clean,
        )
        if feedback is not None:
            audit.update(
                Feedback,
                feedback.id,
                actor.username,
                {"status": FeedbackStatus.COMPLAINT.value, "type": FeedbackType.QUALITY.value},
            )
        if record.product_id is not None:
            _relink_later_repeats(record.id, actor.username, settings)
        return record


def _existing_user(user_id: int | None) -> int | None:
    """*user_id* if that account still exists (an actor's row can be gone in tests/scripts)."""
    if user_id is None:
        return None
    return user_id if User.select().where(User.id == user_id).exists() else None


def _feedback_for_complaint(feedback_id: int, customer_id: int) -> Feedback:
    feedback = Feedback.get_or_none(Feedback.id == feedback_id)
    if feedback is None:
        raise _no_such("feedback")
    if feedback.customer_id != customer_id:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be the customer of the feedback."),
            field="customer",
        )
    if feedback.status == FeedbackStatus.CLOSED.value:
        raise TransitionError(
            QT_TRANSLATE_NOOP("Errors", "The feedback {number} is closed."),
            number=feedback.number,
        )
    existing = Complaint.get_or_none(Complaint.feedback == feedback_id)
    if existing is not None:
        raise TransitionError(
            QT_TRANSLATE_NOOP(
                "Errors", "The feedback {number} has already become complaint {complaint}."
            ),
            number=feedback.number,
            complaint=existing.number,
        )
    return feedback


# ---------------------------------------------------------------------------- section edits
@checked_input
@retry_transient
def update_complaint(actor: Actor, *, complaint_id: int, version: int, **fields: Any) -> Complaint:
    """Save changed fields of the sections *actor* may edit now (optimistic locking).

    Sales edits the registration while the complaint is registered and the customer
    communication while it awaits the customer's answer; QA edits investigation,
    responsibility and emergency countermeasures while it works on the complaint; Sales and
    QA the costs. Nobody edits a closed complaint. Unchanged fields are ignored, so an editor
    may send whole sections.
    """
    require(actor)
    clean = rules.clean_values(fields)
    now = utcnow()
    with unit_of_work("complaint"):
        record = _load(complaint_id, version)
        status = S(record.status)
        if status == S.CLOSED:
            rules.check_edit((), status, actor.department)
        if clean.get("defect_category", record.defect_category) != record.defect_category:
            # A label or another spelling of the stored category is no change.
            clean["defect_category"] = defect_categories.code_for(clean["defect_category"])
        changes = _changed(record, clean)
        if not changes:
            return record
        rules.check_edit(changes, status, actor.department)
        _check_references(changes)
        if "customer" in changes and record.feedback_id is not None:
            feedback = Feedback.get_by_id(record.feedback_id)
            if feedback.customer_id != changes["customer"]:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "{field} must be the customer of the feedback."),
                    field="customer",
                )
        settings = settings_store.get_all()
        merged = {**record.__data__, **changes}
        today, received_day = _today_and_received(merged, settings, now)
        rules.check_consistency(merged, now=now, today=today, received_day=received_day)
        if {"received_at", "severity"} & changes.keys():
            changes["due_at"] = compute_due(merged["received_at"], merged["severity"], settings)
        relink = {"customer", "product", "defect_category", "received_at"} & changes.keys()
        if relink:
            changes["repeat_of"] = _find_repeat(merged, settings)
        updated = audit.update(Complaint, complaint_id, actor.username, changes, version)
        if relink:
            _relink_later_repeats(complaint_id, actor.username, settings)
            updated = Complaint.get_by_id(complaint_id)
        return updated


# ---------------------------------------------------------------------------- workflow steps
@checked_input
@retry_transient
def take_step(
    actor: Actor, *, complaint_id: int, version: int, step: str, reason: str = ""
) -> Complaint:
    """Take a workflow step (see :data:`..domain.complaint_workflow.STEPS`).

    Refused for the wrong state or department, and when what the step requires is missing.
    Stamps: ``handled_at`` (first time) and ``plan_fed_back_at`` on feeding the plan back; a
    customer-response row on the customer's answer (a refusal with its reason); approval and
    closure (and the linked feedback closed with the result); the reason of a reopening.
    """
    require(actor)
    reason = v.optional_text(reason, "reason", 4000)
    now = utcnow()
    with unit_of_work("complaint", "feedback"):
        record = _load(complaint_id, version)
        definition = check_step(step, S(record.status), actor.department)
        actions = [a.__data__ for a in record.actions]
        responses = [r.__data__ for r in record.responses]
        rules.check_step_requirements(
            step, record.__data__, actions, responses, now=now, reason=reason
        )
        changes: dict[str, Any] = {"status": definition.target.value}
        if step == "start_investigation" and record.qa_owner_id is None:
            changes["qa_owner"] = actor.user_id
        elif step == "feed_back_plan":
            changes["plan_fed_back_at"] = now
            if record.handled_at is None:
                changes["handled_at"] = now
        elif step in ("customer_accepted", "customer_rejected"):
            accepted = step == "customer_accepted"
            audit.create(
                CustomerResponse,
                actor.username,
                complaint=record.id,
                accepted=accepted,
                reason=reason,
                recorded_at=now,
                recorded_by=actor.username,
            )
            if accepted:
                changes["customer_accepted_at"] = now
        elif step == "approve_close":
            changes.update(approved_by=actor.username, approved_at=now, closed_at=now)
            if record.feedback_id is not None:
                close_by_complaint(record.feedback_id, actor.username, _result_text(record))
        elif step == "reopen":
            changes.update(reopen_reason=reason, closed_at=None, approved_at=None, approved_by="")
            # A new round: the customer is told anew and accepts anew (as after a refusal);
            # the closed round's notice stays in the history (the audit trail).
            changes.update(REOPEN_CLEARS)
            if record.feedback_id is not None:
                audit.update(
                    Feedback,
                    record.feedback_id,
                    actor.username,
                    {"status": FeedbackStatus.COMPLAINT.value, "closed_at": None},
                )
        return audit.update(Complaint, complaint_id, actor.username, changes, version)


#: What a reopening clears: the notice, the copy sent and the acceptance of the closed round.
REOPEN_CLEARS: dict[str, Any] = {
    "oral_notice_at": None,
    "oral_notice_by": "",
    "oral_notice_to": "",
    "copy_sent_at": None,
    "copy_sent_via": "",
    "copy_sent_to": "",
    "customer_accepted_at": None,
}


def _result_text(record: Complaint) -> str:
    """What the linked feedback records as its result: the complaint and how it was solved."""
    outcome = record.preliminary_plan.strip() or record.explanation.strip()
    return f"{record.number}: {outcome}" if outcome else record.number
