"""Complaint handling (procedure 5.2): registration, section edits, workflow steps,
long-term countermeasures, attachments.

Every use case is keyword-only, checks the actor's department first, runs in one
:func:`~.base.unit_of_work` and writes through :mod:`cqms_desktop.store.audit`. Which
department takes which step from which state is :mod:`..domain.complaint_workflow`; what a
step requires and who edits which section is :mod:`..domain.complaint_rules`.

Times passed in are naive UTC (as stored) or timezone-aware (converted); calendar days
(deadlines, "today") are counted in the company's time zone (setting ``timezone``).
"""

from __future__ import annotations

import math
import mimetypes
import os
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from ..domain import complaint_rules as rules
from ..domain import validation as v
from ..domain.clock import utcnow
from ..domain.complaint_workflow import check_step
from ..domain.deadlines import DeadlineRules, company_zone, complaint_due_utc
from ..domain.enums import ActionStatus, FeedbackStatus, FeedbackType, Severity
from ..domain.enums import ComplaintStatus as S
from ..domain.enums import Department as D
from ..domain.errors import NotFoundError, PermissionDenied, TransitionError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.settings import deadline_rules
from ..store import audit
from ..store import settings as settings_store
from ..store.counters import next_number
from ..store.models import (
    Attachment,
    Complaint,
    CorrectiveAction,
    Customer,
    CustomerResponse,
    Feedback,
    Holiday,
    Product,
    User,
)
from .base import Actor, require, unit_of_work

ATTACHMENT_KIND = "complaint"


# ---------------------------------------------------------------------------- settings
def current_rules(settings: dict[str, Any] | None = None) -> DeadlineRules:
    """The deadline rules from the shared settings, with the company's holidays."""
    settings = settings if settings is not None else settings_store.get_all()
    holidays: frozenset[date] = frozenset()
    if settings.get("deadline_working_days"):
        holidays = frozenset(h.day for h in Holiday.select(Holiday.day))
    base = deadline_rules(settings, holidays)
    hours = int(settings.get("due_soon_hours") or 24)
    return replace(base, due_soon=timedelta(hours=hours))


def current_zone(settings: dict[str, Any] | None = None) -> tzinfo | None:
    """The company's time zone (``None``: the PC's own)."""
    settings = settings if settings is not None else settings_store.get_all()
    return company_zone(settings.get("timezone") or "")


def company_today(now: datetime | None = None, zone: tzinfo | None = None) -> date:
    """Today's date in the company's zone (*now* naive UTC)."""
    now = now or utcnow()
    return now.replace(tzinfo=UTC).astimezone(zone).date()


def compute_due(received_at: datetime, severity: str, settings: dict[str, Any]) -> datetime:
    """The handling deadline (naive UTC) for a complaint received at *received_at*."""
    return complaint_due_utc(
        received_at, Severity(severity), current_rules(settings), current_zone(settings)
    )


# ---------------------------------------------------------------------------- holidays
def holidays(year: int | None = None) -> list[Holiday]:
    """The company's holidays (of *year*), in date order."""
    query = Holiday.select().order_by(Holiday.day)
    if year is not None:
        query = query.where((Holiday.day >= date(year, 1, 1)) & (Holiday.day <= date(year, 12, 31)))
    return list(query)


def add_holiday(actor: Actor, *, day: date, name: str = "") -> Holiday:
    """Add a company holiday to the working-day calendar; unhandled deadlines follow."""
    require(actor, admin=True)
    when = rules.as_date(day, "day")
    if when is None:
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field="day")
    label = v.optional_text(name, "name", 100)
    with unit_of_work("settings", "complaint"):
        if Holiday.get_or_none(Holiday.day == when) is not None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} “{value}” is already in use."),
                field="day",
                value=when.isoformat(),
            )
        holiday = audit.create(Holiday, actor.username, day=when, name=label)
        recompute_deadlines(actor.username)
        return holiday


def remove_holiday(actor: Actor, *, holiday_id: int) -> None:
    """Remove a company holiday; unhandled deadlines follow."""
    require(actor, admin=True)
    with unit_of_work("settings", "complaint"):
        audit.delete(Holiday, holiday_id, actor.username, None)
        recompute_deadlines(actor.username)


def recompute_deadlines(username: str) -> int:
    """Recompute the due time of every open complaint not yet handled (after the deadline
    settings or the holidays changed); runs in the caller's transaction. Returns how many
    changed. Handled complaints keep the deadline they were judged by."""
    settings = settings_store.get_all()
    changed = 0
    for record in Complaint.select().where(
        Complaint.handled_at.is_null() & (Complaint.status != S.CLOSED.value)
    ):
        due = compute_due(record.received_at, record.severity, settings)
        if due != record.due_at:
            audit.update(Complaint, record.id, username, {"due_at": due})
            changed += 1
    return changed


# ---------------------------------------------------------------------------- helpers
def _load(complaint_id: int, version: int | None = None) -> Complaint:
    record = audit.get_for_update(Complaint, complaint_id)
    if version is not None and record.version != version:
        raise audit.conflict(record)
    return record


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


def _no_such(field: str) -> ValidationError:
    return ValidationError(QT_TRANSLATE_NOOP("Errors", "{field}: no such record."), field=field)


def _find_repeat(values: dict[str, Any], settings: dict[str, Any]) -> int | None:
    """The id of the earlier complaint the complaint with *values* repeats, if any."""
    if values.get("product") is None:
        return None
    months = int(settings.get("repeat_window_months") or 12)
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


def _changed(record: Any, clean: dict[str, Any]) -> dict[str, Any]:
    """The entries of *clean* that differ from the stored values (as the audit compares)."""
    data = record.__data__
    return {
        name: value
        for name, value in clean.items()
        if audit.audit_text(data.get(name)) != audit.audit_text(value)
    }


def _today_and_received(
    record_values: dict[str, Any], settings: dict[str, Any], now: datetime
) -> tuple[date, date | None]:
    """Today and the receipt's day, both in the company's zone (for the date rules)."""
    zone = current_zone(settings)
    today = company_today(now, zone)
    received = record_values.get("received_at")
    received_day = company_today(received, zone) if received is not None else None
    return today, received_day


# ---------------------------------------------------------------------------- registration
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
    quality complaint in the same transaction.
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
    kinds = ("complaint", "feedback") if feedback_id is not None else ("complaint",)
    with unit_of_work(*kinds):
        settings = settings_store.get_all()
        _check_references(clean)
        today, received_day = _today_and_received(clean, settings, now)
        rules.check_consistency(clean, now=now, today=today, received_day=received_day)
        feedback = None
        if feedback_id is not None:
            feedback = _feedback_for_complaint(feedback_id, clean["customer"])
        clean["due_at"] = compute_due(clean["received_at"], clean["severity"], settings)
        clean["repeat_of"] = _find_repeat(clean, settings)
        number = next_number("complaint", company_today(now, current_zone(settings)).year)
        record = audit.create(
            Complaint,
            actor.username,
            number=number,
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
        return record


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
        if {"customer", "product", "defect_category", "received_at"} & changes.keys():
            changes["repeat_of"] = _find_repeat(merged, settings)
        return audit.update(Complaint, complaint_id, actor.username, changes, version)


# ---------------------------------------------------------------------------- workflow steps
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
                from . import feedback as feedback_service  # lazy: a sibling use-case module

                feedback_service.close_by_complaint(
                    record.feedback_id, actor.username, _result_text(record)
                )
        elif step == "reopen":
            changes.update(reopen_reason=reason, closed_at=None, approved_at=None, approved_by="")
            if record.feedback_id is not None:
                audit.update(
                    Feedback,
                    record.feedback_id,
                    actor.username,
                    {"status": FeedbackStatus.COMPLAINT.value, "closed_at": None},
                )
        return audit.update(Complaint, complaint_id, actor.username, changes, version)


def _result_text(record: Complaint) -> str:
    """What the linked feedback records as its result: the complaint and how it was solved."""
    outcome = record.preliminary_plan.strip() or record.explanation.strip()
    return f"{record.number}: {outcome}" if outcome else record.number


# ---------------------------------------------------------------------------- actions
def default_action_due(now: datetime | None = None) -> date:
    """The due date a new countermeasure gets: today plus the setting ``action_due_days``."""
    settings = settings_store.get_all()
    today = company_today(now, current_zone(settings))
    return today + timedelta(days=int(settings.get("action_due_days") or 30))


def _action_complaint(complaint_id: int) -> Complaint:
    record = _load(complaint_id)
    if S(record.status) not in rules.ACTION_STATES:
        raise TransitionError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Long-term countermeasures cannot be changed while the complaint is “{status}”.",
            ),
            status=S(record.status).label,
        )
    return record


def _load_action(action_id: int, version: int | None) -> CorrectiveAction:
    action = audit.get_for_update(CorrectiveAction, action_id)
    if version is not None and action.version != version:
        raise audit.conflict(action)
    return action


def _check_owner(owner_id: int | None) -> None:
    if owner_id is not None and User.get_or_none(User.id == owner_id) is None:
        raise _no_such("owner")


def add_action(
    actor: Actor,
    *,
    complaint_id: int,
    action_type: str,
    description: str,
    department: str,
    owner_id: int | None = None,
    due_date: date | None = None,
) -> CorrectiveAction:
    """5.2.3 e: QA decides a long-term countermeasure (due by default after the setting
    ``action_due_days``)."""
    require(actor, departments=[D.QA])
    clean = rules.clean_action_values(
        {
            "action_type": action_type,
            "description": description,
            "department": department,
            "owner": owner_id,
            "due_date": due_date,
        },
        partial=False,
    )
    now = utcnow()
    with unit_of_work("complaint"):
        record = _action_complaint(complaint_id)
        _check_owner(clean.get("owner"))
        settings = settings_store.get_all()
        _today, received_day = _today_and_received(record.__data__, settings, now)
        if clean.get("due_date") is None:
            clean["due_date"] = default_action_due(now)
        v.ordered(received_day, clean["due_date"], "due_date", rules.label_of("received_at"))
        return audit.create(
            CorrectiveAction,
            actor.username,
            complaint=record.id,
            status=ActionStatus.OPEN.value,
            **clean,
        )


def update_action(actor: Actor, *, action_id: int, version: int, **fields: Any) -> CorrectiveAction:
    """QA changes a countermeasure that has not been carried out yet."""
    require(actor, departments=[D.QA])
    clean = rules.clean_action_values(fields, partial=True)
    unknown = set(fields) - {"action_type", "description", "department", "owner", "due_date"}
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be changed here."), field=min(unknown)
        )
    with unit_of_work("complaint"):
        action = _load_action(action_id, version)
        _action_complaint(action.complaint_id)
        if action.status != ActionStatus.OPEN.value:
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors", "A countermeasure that has been carried out cannot be changed."
                )
            )
        if "due_date" in clean and clean["due_date"] is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} is required."), field="due_date"
            )
        _check_owner(clean.get("owner"))
        return audit.update(CorrectiveAction, action_id, actor.username, clean, version)


def remove_action(actor: Actor, *, action_id: int, version: int) -> None:
    """QA removes a countermeasure decided by mistake (only before it is carried out)."""
    require(actor, departments=[D.QA])
    with unit_of_work("complaint"):
        action = _load_action(action_id, version)
        _action_complaint(action.complaint_id)
        if action.status != ActionStatus.OPEN.value:
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors", "A countermeasure that has been carried out cannot be removed."
                )
            )
        audit.delete(CorrectiveAction, action_id, actor.username, version)


def record_execution(
    actor: Actor,
    *,
    action_id: int,
    version: int,
    note: str,
    executed_at: datetime | None = None,
) -> CorrectiveAction:
    """5.2.4: the responsible department (or QA for it) records what it did."""
    require(actor)
    text = v.required_text(note, "execution_note", 4000)
    now = utcnow()
    when = rules.as_utc(executed_at, "executed_at") or now
    with unit_of_work("complaint"):
        action = _load_action(action_id, version)
        if actor.department not in (D(action.department), D.QA):
            raise _only(D(action.department), D.QA)
        record = _action_complaint(action.complaint_id)
        if action.status == ActionStatus.VERIFIED.value:
            raise TransitionError(
                QT_TRANSLATE_NOOP("Errors", "This countermeasure has already been verified.")
            )
        rules.check_execution(when, record.received_at, now)
        return audit.update(
            CorrectiveAction,
            action_id,
            actor.username,
            {
                "status": ActionStatus.DONE.value,
                "execution_note": text,
                "executed_at": when,
                "executed_by": actor.username,
            },
            version,
        )


def verify_action(
    actor: Actor,
    *,
    action_id: int,
    version: int,
    result: str,
    verified_at: datetime | None = None,
    effective: bool = True,
) -> CorrectiveAction:
    """5.2.4: QA tracks and verifies a carried-out countermeasure (not its own owner).

    An action found not effective goes back to its department (status open) with the result
    recorded, and must be carried out and verified again.
    """
    require(actor, departments=[D.QA])
    text = v.required_text(result, "verification_result", 4000)
    now = utcnow()
    when = rules.as_utc(verified_at, "verified_at") or now
    with unit_of_work("complaint"):
        action = _load_action(action_id, version)
        _action_complaint(action.complaint_id)
        if action.status == ActionStatus.VERIFIED.value:
            raise TransitionError(
                QT_TRANSLATE_NOOP("Errors", "This countermeasure has already been verified.")
            )
        rules.check_verifier(action.owner_id, actor.user_id)
        rules.check_verification(
            action.executed_at if action.status == ActionStatus.DONE.value else None, when, now
        )
        status = ActionStatus.VERIFIED if effective else ActionStatus.OPEN
        return audit.update(
            CorrectiveAction,
            action_id,
            actor.username,
            {
                "status": status.value,
                "verification_result": text,
                "verified_by": actor.username,
                "verified_at": when,
            },
            version,
        )


def _only(*departments: D) -> PermissionDenied:
    return PermissionDenied(
        QT_TRANSLATE_NOOP("Errors", "Only {departments} may do this."),
        departments=", ".join(d.label for d in departments),
    )


# ---------------------------------------------------------------------------- attachments
def _read_file(path: Path, max_mb: int) -> bytes:
    """The file's bytes, or a clear error naming the file (missing, a folder, unreadable,
    too large). The size is checked before reading, so a huge file is never loaded."""
    name = path.name or str(path)
    try:
        if not path.is_file():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” is not a file that can be read."),
                field="attachment",
                name=name,
            )
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "{field}: “{name}” is {size} MB; at most {max} MB are allowed."
                ),
                field="attachment",
                name=name,
                # Rounded up, so a file just over the limit never reads as "1.0 MB of 1 MB".
                size=f"{math.ceil(size * 10 / 1024 / 1024) / 10:.1f}",
                max=max_mb,
            )
        with path.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” cannot be read ({error})."),
            field="attachment",
            name=name,
            error=exc.strerror or type(exc).__name__,
        ) from None


def add_attachment(actor: Actor, *, complaint_id: int, path: str | os.PathLike[str]) -> Attachment:
    """Store a photo, document or e-mail with the complaint (size limit ``attachment_max_mb``)."""
    require(actor)
    source = Path(path)
    filename = v.required_text(source.name, "attachment", 255)
    max_mb = int(settings_store.get("attachment_max_mb") or 20)
    data = _read_file(source, max_mb)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    with unit_of_work("complaint"):
        record = _load(complaint_id)
        if S(record.status) == S.CLOSED:
            rules.check_edit((), S.CLOSED, actor.department)
        attachment = audit.create(
            Attachment,
            actor.username,
            record_kind=ATTACHMENT_KIND,
            record_id=record.id,
            filename=filename,
            content_type=content_type,
            size=len(data),
            data=data,
            added_at=utcnow(),
            added_by=actor.username,
        )
        # The complaint's own history shows the attachment too.
        audit.write_audit(
            actor.username, "complaint", record.id, "update", {"attachment": (None, filename)}
        )
        return attachment


def remove_attachment(actor: Actor, *, attachment_id: int) -> None:
    """Remove an attachment (whoever added it, or QA) while the complaint is open."""
    require(actor)
    with unit_of_work("complaint"):
        attachment = _attachment(attachment_id)
        record = _load(attachment.record_id)
        if S(record.status) == S.CLOSED:
            rules.check_edit((), S.CLOSED, actor.department)
        if actor.username != attachment.added_by and actor.department != D.QA:
            raise _only(D.QA)
        audit.delete(Attachment, attachment_id, actor.username, None)
        audit.write_audit(
            actor.username,
            "complaint",
            record.id,
            "update",
            {"attachment": (attachment.filename, None)},
        )


def _attachment(attachment_id: int) -> Attachment:
    attachment = Attachment.get_or_none(
        (Attachment.id == attachment_id) & (Attachment.record_kind == ATTACHMENT_KIND)
    )
    if attachment is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    return attachment


def save_attachment(*, attachment_id: int, target: str | os.PathLike[str]) -> Path:
    """Write an attachment's bytes to *target* (a file path); returns the path."""
    attachment = _attachment(attachment_id)
    out = Path(target)
    try:
        out.write_bytes(bytes(attachment.data))
    except OSError as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” cannot be written ({error})."),
            field="attachment",
            name=str(out),
            error=exc.strerror or type(exc).__name__,
        ) from None
    return out


def open_attachment_copy(
    *, attachment_id: int, folder: str | os.PathLike[str] | None = None
) -> Path:
    """A temporary copy of an attachment under its own name, for the desktop to open."""
    attachment = _attachment(attachment_id)
    if folder is None:
        base = Path(tempfile.mkdtemp(prefix="cqms-"))
    else:
        base = Path(folder)
        base.mkdir(parents=True, exist_ok=True)
    safe_name = Path(attachment.filename).name or f"attachment-{attachment.id}"
    return save_attachment(attachment_id=attachment_id, target=base / safe_name)
