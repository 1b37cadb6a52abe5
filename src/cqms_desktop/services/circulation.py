"""Circulation (传阅) and acknowledgement (签收) of visits' requests and of feedback.

5.1.1: a visit's customer requests are forwarded to QA, the Technical Section, Manufacturing
and Administration. 5.1.2: Sales forwards a feedback to the departments concerned. In both
cases each department addressed acknowledges (who, when) and records what it did; a routing
left unacknowledged longer than the ``ack_overdue_days`` setting is flagged.

The routing rows (:class:`~cqms_desktop.store.models.Circulation`) are the same for both
kinds of record, so this module is the one implementation; ``visits`` and ``feedback`` call
:func:`set_routing` inside their own unit of work and expose :func:`acknowledge` /
:func:`respond` to the departments.

The routing rows are children of their record: every change of them locks the record and
raises its version (:mod:`.parent_lock`), so two users changing one record's routing from the
same opened version cannot both save.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..domain import validation as v
from ..domain import visit_rules
from ..domain.clock import utcnow
from ..domain.enums import Department, FeedbackStatus, VisitStatus
from ..domain.errors import NotFoundError, PermissionDenied, TransitionError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit
from ..store import settings as settings_store
from ..store.db import retry_transient
from ..store.models import Circulation, Feedback, Visit
from .base import Actor, require, unit_of_work
from .normalise import checked_input
from .parent_lock import children_changed, lock_parent

VISIT = "visit"
FEEDBACK = "feedback"
RECORD_KINDS = (VISIT, FEEDBACK)

#: 5.1.1: a visit's requests go to these four departments (the rule is the domain's).
VISIT_DEPARTMENTS = visit_rules.VISIT_DEPARTMENTS

#: 5.1.2: Sales may forward a feedback to any other department.
FEEDBACK_DEPARTMENTS: tuple[Department, ...] = tuple(d for d in Department if d != Department.SALES)


@dataclass(frozen=True, slots=True)
class RoutingLine:
    """One department's line of a record's circulation, as the editors show it."""

    id: int
    department: Department
    sent_at: datetime
    sent_by: str
    acknowledged_at: datetime | None
    acknowledged_by: str
    response: str
    overdue: bool


def allowed_departments(record_kind: str) -> tuple[Department, ...]:
    """The departments a record of *record_kind* may be routed to."""
    return VISIT_DEPARTMENTS if record_kind == VISIT else FEEDBACK_DEPARTMENTS


def overdue_before(now: datetime | None = None, days: int | None = None) -> datetime:
    """Routings sent before this UTC time and still unacknowledged are overdue."""
    days = int(settings_store.get("ack_overdue_days")) if days is None else days
    return (now or utcnow()) - timedelta(days=days)


def _clean_departments(record_kind: str, departments: Iterable[str]) -> list[str]:
    allowed = [d.value for d in allowed_departments(record_kind)]
    clean: list[str] = []
    for code in departments:
        value = v.choice(str(code), "departments", allowed)
        if value not in clean:
            clean.append(value)
    return clean


def parent_model(record_kind: str) -> type[Visit] | type[Feedback]:
    """The table of the records of *record_kind*."""
    return Visit if record_kind == VISIT else Feedback


def set_routing(
    record_kind: str, record_id: int, departments: Iterable[str], username: str
) -> bool:
    """Make a record's circulation list exactly *departments* (inside the caller's transaction,
    which has locked the record with :func:`.parent_lock.lock_parent`).

    New departments get a routing row stamped now; departments dropped from the list lose
    their row unless they already acknowledged it (an acknowledgement is never undone).
    True if the list changed (the caller then raises the record's version).
    """
    wanted = _clean_departments(record_kind, departments)
    changed = False
    existing = {
        row.department: row
        for row in Circulation.select().where(
            (Circulation.record_kind == record_kind) & (Circulation.record_id == record_id)
        )
    }
    for dept, row in existing.items():
        if dept in wanted:
            continue
        if row.acknowledged_at is not None:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{field}: {department} has already acknowledged; it cannot be removed.",
                ),
                field="departments",
                department=Department(dept),
            )
        audit.delete(Circulation, row.id, username, None)
        changed = True
    now = utcnow()
    for dept in wanted:
        if dept not in existing:
            changed = True
            audit.create(
                Circulation,
                username,
                record_kind=record_kind,
                record_id=record_id,
                department=dept,
                sent_at=now,
                sent_by=username,
            )
    return changed


def routing_rows(record_kind: str, record_id: int) -> list[Circulation]:
    """The circulation rows of one record, in the procedure's department order."""
    order = {d.value: i for i, d in enumerate(Department)}
    rows = Circulation.select().where(
        (Circulation.record_kind == record_kind) & (Circulation.record_id == record_id)
    )
    return sorted(rows, key=lambda r: order.get(r.department, 99))


def routing_lines(
    record_kind: str, record_id: int, now: datetime | None = None
) -> list[RoutingLine]:
    """The circulation of one record with each line's overdue flag."""
    limit = overdue_before(now)
    return [
        RoutingLine(
            id=row.id,
            department=Department(row.department),
            sent_at=row.sent_at,
            sent_by=row.sent_by,
            acknowledged_at=row.acknowledged_at,
            acknowledged_by=row.acknowledged_by,
            response=row.response,
            overdue=row.acknowledged_at is None and row.sent_at < limit,
        )
        for row in routing_rows(record_kind, record_id)
    ]


def pending_count(record_kind: str, record_id: int) -> int:
    """How many departments have not acknowledged the record yet."""
    return (
        Circulation.select()
        .where(
            (Circulation.record_kind == record_kind)
            & (Circulation.record_id == record_id)
            & Circulation.acknowledged_at.is_null()
        )
        .count()
    )


def unacknowledged_overdue(
    record_kind: str | None = None,
    department: str | None = None,
    now: datetime | None = None,
    days: int | None = None,
) -> list[Circulation]:
    """Routings still unacknowledged after the set number of days (oldest first)."""
    query = Circulation.select().where(
        Circulation.acknowledged_at.is_null() & (Circulation.sent_at < overdue_before(now, days))
    )
    if record_kind is not None:
        query = query.where(Circulation.record_kind == record_kind)
    if department is not None:
        query = query.where(Circulation.department == department)
    return list(query.order_by(Circulation.sent_at, Circulation.id))


def overdue_record_ids(record_kind: str, now: datetime | None = None) -> set[int]:
    """Ids of the records of *record_kind* with at least one overdue acknowledgement."""
    query = (
        Circulation.select(Circulation.record_id)
        .where(
            (Circulation.record_kind == record_kind)
            & Circulation.acknowledged_at.is_null()
            & (Circulation.sent_at < overdue_before(now))
        )
        .distinct()
    )
    return {row.record_id for row in query}


def _load_for_department(actor: Actor, circulation_id: int) -> Circulation:
    row = audit.get_for_update(Circulation, circulation_id)
    if actor.department.value != row.department and not actor.is_admin:
        raise PermissionDenied(
            QT_TRANSLATE_NOOP("Errors", "Only {departments} may do this."),
            departments=Department(row.department).label,
        )
    return row


def _after_acknowledgement(row: Circulation, username: str) -> None:
    """A visit is open while departments still have to acknowledge its requests."""
    if row.record_kind == VISIT and pending_count(VISIT, row.record_id) == 0:
        visit = Visit.get_by_id(row.record_id)
        if visit.status != VisitStatus.CLOSED:
            audit.update(Visit, visit.id, username, {"status": VisitStatus.CLOSED.value})


@checked_input
@retry_transient
def acknowledge(
    actor: Actor,
    *,
    circulation_id: int,
    response: str | None = None,
    version: int | None = None,
) -> Circulation:
    """签收: the actor's department acknowledges a routing (who, when), optionally answering.

    *version* is the version of the visit or feedback the user opened, if known: a stale one
    is refused. Either way the record's version is raised, as for any change of it.
    """
    require(actor)
    answer = None if response is None else v.optional_text(response, "response", 4000)
    with unit_of_work("circulation", "visit", "feedback"):
        found = Circulation.get_or_none(Circulation.id == circulation_id)
        if found is None:
            raise NotFoundError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The record no longer exists (it may have been deleted)."
                )
            )
        model = parent_model(found.record_kind)
        parent = lock_parent(model, found.record_id, version)
        row = _load_for_department(actor, circulation_id)
        if (
            isinstance(parent, Feedback)
            and parent.status == FeedbackStatus.CLOSED.value
            and row.acknowledged_at is not None
        ):
            # A closed feedback is closed: its routing may still be acknowledged (so nobody's
            # work list keeps it), but what was recorded is not rewritten.
            raise TransitionError(
                QT_TRANSLATE_NOOP("Errors", "The feedback is closed; it is read-only.")
            )
        changes: dict[str, object] = {}
        if row.acknowledged_at is None:
            changes.update(acknowledged_at=utcnow(), acknowledged_by=actor.username)
        if answer is not None:
            changes["response"] = answer
        before = dict(row.__data__)
        row = audit.update(Circulation, row.id, actor.username, changes)
        _after_acknowledgement(row, actor.username)
        if row.__data__ != before:
            children_changed(model, parent, actor.username)
        return row


@checked_input
def respond(
    actor: Actor, *, circulation_id: int, response: str, version: int | None = None
) -> Circulation:
    """Record what the department did about the routing (acknowledging it if not yet done)."""
    return acknowledge(
        actor,
        circulation_id=circulation_id,
        response=v.required_text(response, "response", 4000),
        version=version,
    )


def record_status_after_routing(record_kind: str, record_id: int, username: str) -> None:
    """Keep the record's status in step with its circulation (inside the caller's transaction).

    A visit is open while a routed department has not acknowledged, closed otherwise. A
    feedback that is open becomes "in circulation" once routed, and back to open if the
    routing is emptied before anyone acknowledged.
    """
    pending = pending_count(record_kind, record_id)
    if record_kind == VISIT:
        visit = Visit.get_by_id(record_id)
        wanted = VisitStatus.OPEN if pending else VisitStatus.CLOSED
        if visit.status != wanted:
            audit.update(Visit, record_id, username, {"status": wanted.value})
        return
    feedback = Feedback.get_by_id(record_id)
    routed = bool(routing_rows(FEEDBACK, record_id))
    if feedback.status == FeedbackStatus.OPEN and routed:
        audit.update(Feedback, record_id, username, {"status": FeedbackStatus.ROUTED.value})
    elif feedback.status == FeedbackStatus.ROUTED and not routed:
        audit.update(Feedback, record_id, username, {"status": FeedbackStatus.OPEN.value})
