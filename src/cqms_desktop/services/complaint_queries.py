"""Reading complaints for the editor: one complaint with everything around it, its history,
the choices for its combo boxes, and the overdue lists shown at start-up.

Read-only; every function reads in one snapshot so the parts fit together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..domain import deadlines
from ..domain.clock import utcnow
from ..domain.complaint_workflow import OPEN_STATES
from ..domain.enums import Department as D
from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import settings as settings_store
from ..store.db import read_snapshot
from ..store.models import (
    Attachment,
    AuditLog,
    Complaint,
    CorrectiveAction,
    Customer,
    CustomerResponse,
    Feedback,
    Product,
    User,
)
from . import complaints
from .deadline_sql import overdue_actions_query


@dataclass(frozen=True)
class ActionView:
    """A corrective action as the editor's table shows it."""

    action: CorrectiveAction
    owner_name: str
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment without its bytes."""

    id: int
    filename: str
    size: int
    content_type: str
    added_at: datetime
    added_by: str


@dataclass
class ComplaintDetail:
    """One complaint and what the editor and the forms show with it."""

    complaint: Complaint
    customer: Customer
    product: Product | None
    feedback_number: str
    repeat_of_number: str
    qa_owner_name: str
    actions: list[ActionView]
    responses: list[CustomerResponse]
    attachments: list[AttachmentInfo]
    deadline: deadlines.DeadlineState
    repeats: list[str] = field(default_factory=list)


def _not_found() -> NotFoundError:
    return NotFoundError(
        QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
    )


def _user_names() -> dict[int, str]:
    return {u.id: u.full_name for u in User.select(User.id, User.full_name)}


def load_detail(complaint_id: int, now: datetime | None = None) -> ComplaintDetail:
    """The complaint *complaint_id* with customer, product, actions, responses, attachments."""
    now = now or utcnow()
    with read_snapshot():
        c = Complaint.get_or_none(Complaint.id == complaint_id)
        if c is None:
            raise _not_found()
        settings = settings_store.get_all()
        rules = complaints.current_rules(settings)
        today = complaints.company_today(now, complaints.current_zone(settings))
        names = _user_names()
        actions = [
            ActionView(
                a,
                names.get(a.owner_id, "") if a.owner_id else "",
                deadlines.action_overdue(a.due_date, a.status, today),
                deadlines.action_due_soon(a.due_date, a.status, today),
            )
            for a in c.actions.order_by(CorrectiveAction.id)
        ]
        responses = list(c.responses.order_by(CustomerResponse.recorded_at, CustomerResponse.id))
        attachments = [
            AttachmentInfo(**row)
            for row in Attachment.select(
                Attachment.id,
                Attachment.filename,
                Attachment.size,
                Attachment.content_type,
                Attachment.added_at,
                Attachment.added_by,
            )
            .where(
                (Attachment.record_kind == complaints.ATTACHMENT_KIND)
                & (Attachment.record_id == c.id)
            )
            .order_by(Attachment.id)
            .dicts()
        ]
        feedback = Feedback.get_or_none(Feedback.id == c.feedback_id) if c.feedback_id else None
        repeat = Complaint.get_or_none(Complaint.id == c.repeat_of_id) if c.repeat_of_id else None
        repeats = [
            x.number
            for x in Complaint.select(Complaint.number)
            .where(Complaint.repeat_of == c.id)
            .order_by(Complaint.id)
        ]
        return ComplaintDetail(
            complaint=c,
            customer=Customer.get_by_id(c.customer_id),
            product=Product.get_or_none(Product.id == c.product_id) if c.product_id else None,
            feedback_number=feedback.number if feedback else "",
            repeat_of_number=repeat.number if repeat else "",
            qa_owner_name=names.get(c.qa_owner_id, "") if c.qa_owner_id else "",
            actions=actions,
            responses=responses,
            attachments=attachments,
            deadline=deadlines.deadline_state(c.due_at, now, c.handled_at, rules.due_soon),
            repeats=repeats,
        )


def related_ids(complaint_id: int) -> dict[str, list[int]]:
    """The ids of the records whose history belongs to a complaint's history: its actions and
    responses (also deleted ones, found through their audit rows) and its attachments."""
    key = str(complaint_id)
    out: dict[str, list[int]] = {}
    for table in ("corrective_action", "customer_response"):
        rows = (
            AuditLog.select(AuditLog.record_id)
            .where(
                (AuditLog.table_name == table)
                & (AuditLog.field == "complaint")
                & ((AuditLog.new_value == key) | (AuditLog.old_value == key))
            )
            .distinct()
        )
        out[table] = sorted(r.record_id for r in rows)
    attachment_ids = (
        AuditLog.select(AuditLog.record_id)
        .where(
            (AuditLog.table_name == "attachment")
            & (AuditLog.field == "record_id")
            & ((AuditLog.new_value == key) | (AuditLog.old_value == key))
        )
        .distinct()
    )
    candidates = [r.record_id for r in attachment_ids]
    kinds = (
        AuditLog.select(AuditLog.record_id)
        .where(
            (AuditLog.table_name == "attachment")
            & (AuditLog.record_id.in_(candidates or [0]))
            & (AuditLog.field == "record_kind")
            & (
                (AuditLog.new_value == complaints.ATTACHMENT_KIND)
                | (AuditLog.old_value == complaints.ATTACHMENT_KIND)
            )
        )
        .distinct()
    )
    out["attachment"] = sorted(r.record_id for r in kinds)
    return out


def history(complaint_id: int) -> list[AuditLog]:
    """The audit rows of a complaint and of its actions, responses and attachments, in order."""
    with read_snapshot():
        cond = (AuditLog.table_name == "complaint") & (AuditLog.record_id == complaint_id)
        for table, ids in related_ids(complaint_id).items():
            if ids:
                cond |= (AuditLog.table_name == table) & (AuditLog.record_id.in_(ids))
        return list(AuditLog.select().where(cond).order_by(AuditLog.at, AuditLog.id))


# ---------------------------------------------------------------------------- choices
def customer_choices() -> list[tuple[int, str]]:
    """Active customers as ``(id, "CODE — name")`` for a combo box."""
    return [
        (c.id, f"{c.code} — {c.name}")
        for c in Customer.select(Customer.id, Customer.code, Customer.name)
        .where(Customer.active)
        .order_by(Customer.code)
    ]


def product_choices() -> list[tuple[int, str]]:
    """Active products as ``(id, "PART — name")``."""
    return [
        (p.id, f"{p.part_number} — {p.name}")
        for p in Product.select(Product.id, Product.part_number, Product.name)
        .where(Product.active)
        .order_by(Product.part_number)
    ]


def user_choices(departments: tuple[D, ...] = ()) -> list[tuple[int, str, str]]:
    """Active users as ``(id, full name, department code)``, optionally of some departments."""
    query = User.select(User.id, User.full_name, User.department).where(User.active)
    if departments:
        query = query.where(User.department.in_([d.value for d in departments]))
    return [(u.id, u.full_name, u.department) for u in query.order_by(User.full_name)]


# ---------------------------------------------------------------------------- overdue lists
def overdue_complaints(now: datetime | None = None) -> list[Complaint]:
    """Open complaints not yet handled after their handling deadline (shown at start-up)."""
    now = now or utcnow()
    return list(
        Complaint.select()
        .where(
            Complaint.status.in_([s.value for s in OPEN_STATES])
            & Complaint.handled_at.is_null()
            & (Complaint.due_at < now)
        )
        .order_by(Complaint.due_at)
    )


def overdue_actions(today: date | None = None) -> list[CorrectiveAction]:
    """Corrective actions of open complaints not carried out by their due date."""
    return list(overdue_actions_query(today).order_by(CorrectiveAction.due_date))
