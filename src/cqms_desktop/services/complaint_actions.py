"""Long-term countermeasures of a complaint (procedure 5.2.3 e, 5.2.4): QA decides,
changes or removes them; the responsible department records their execution; QA verifies
their effect.

Re-exported by :mod:`.complaints`, so callers may keep importing from there.

Countermeasures are children of their complaint: every change of one locks the complaint first
(then the action, in that order everywhere) and raises the complaint's version
(:mod:`.parent_lock`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from ..domain import complaint_rules as rules
from ..domain import validation as v
from ..domain.clock import utcnow
from ..domain.enums import ActionStatus
from ..domain.enums import ComplaintStatus as S
from ..domain.enums import Department as D
from ..domain.errors import TransitionError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.settings import DEFAULTS
from ..store import audit
from ..store import settings as settings_store
from ..store.db import retry_transient
from ..store.models import Complaint, CorrectiveAction, User
from .base import Actor, require, unit_of_work
from .complaint_deadlines import company_today, current_zone
from .complaint_records import _load, _no_such, _only, _today_and_received
from .normalise import checked_input
from .parent_lock import children_changed


def default_action_due(now: datetime | None = None) -> date:
    """The due date a new countermeasure gets: today plus the setting ``action_due_days``."""
    settings = settings_store.get_all()
    today = company_today(now, current_zone(settings))
    return today + timedelta(
        days=int(settings.get("action_due_days") or DEFAULTS["action_due_days"])
    )


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


def _load_action(action_id: int, version: int | None) -> tuple[CorrectiveAction, Complaint]:
    """The action at *version* and its complaint, both locked: the complaint first."""
    found = CorrectiveAction.get_or_none(CorrectiveAction.id == action_id)
    complaint = _load(found.complaint_id) if found is not None else None
    action = audit.get_for_update(CorrectiveAction, action_id)  # "no longer exists" if gone
    if version is not None and action.version != version:
        raise audit.conflict(action)
    assert complaint is not None
    return action, complaint


def _check_owner(owner_id: int | None) -> None:
    if owner_id is not None and User.get_or_none(User.id == owner_id) is None:
        raise _no_such("owner")


@checked_input
@retry_transient
def add_action(
    actor: Actor,
    *,
    complaint_id: int,
    action_type: str,
    description: str,
    department: str,
    owner_id: int | None = None,
    due_date: date | None = None,
    complaint_version: int | None = None,
) -> CorrectiveAction:
    """5.2.3 e: QA decides a long-term countermeasure (due by default after the setting
    ``action_due_days``). *complaint_version*, the version of the complaint the user opened,
    is refused when stale; the complaint's version is raised."""
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
        if complaint_version is not None and record.version != complaint_version:
            raise audit.conflict(record)
        _check_owner(clean.get("owner"))
        settings = settings_store.get_all()
        _today, received_day = _today_and_received(record.__data__, settings, now)
        if clean.get("due_date") is None:
            clean["due_date"] = default_action_due(now)
        v.ordered(received_day, clean["due_date"], "due_date", rules.label_of("received_at"))
        action = audit.create(
            CorrectiveAction,
            actor.username,
            complaint=record.id,
            status=ActionStatus.OPEN.value,
            **clean,
        )
        children_changed(Complaint, record, actor.username)
        return action


@checked_input
@retry_transient
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
        action, complaint = _load_action(action_id, version)
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
        updated = audit.update(CorrectiveAction, action_id, actor.username, clean, version)
        if updated.version != action.version:
            children_changed(Complaint, complaint, actor.username)
        return updated


@checked_input
@retry_transient
def remove_action(actor: Actor, *, action_id: int, version: int) -> None:
    """QA removes a countermeasure decided by mistake (only before it is carried out)."""
    require(actor, departments=[D.QA])
    with unit_of_work("complaint"):
        action, complaint = _load_action(action_id, version)
        _action_complaint(action.complaint_id)
        if action.status != ActionStatus.OPEN.value:
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors", "A countermeasure that has been carried out cannot be removed."
                )
            )
        audit.delete(CorrectiveAction, action_id, actor.username, version)
        children_changed(Complaint, complaint, actor.username)


@checked_input
@retry_transient
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
        action, complaint = _load_action(action_id, version)
        if actor.department not in (D(action.department), D.QA):
            raise _only(D(action.department), D.QA)
        record = _action_complaint(action.complaint_id)
        if action.status == ActionStatus.VERIFIED.value:
            raise TransitionError(
                QT_TRANSLATE_NOOP("Errors", "This countermeasure has already been verified.")
            )
        rules.check_execution(when, record.received_at, now)
        children_changed(Complaint, complaint, actor.username)
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


@checked_input
@retry_transient
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
        action, complaint = _load_action(action_id, version)
        _action_complaint(action.complaint_id)
        if action.status == ActionStatus.VERIFIED.value:
            raise TransitionError(
                QT_TRANSLATE_NOOP("Errors", "This countermeasure has already been verified.")
            )
        rules.check_verifier(
            action.owner_id,
            actor.user_id,
            action.executed_by,
            actor.username,
            preparer_id=complaint.qa_owner_id,
        )
        rules.check_verification(
            action.executed_at if action.status == ActionStatus.DONE.value else None, when, now
        )
        status = ActionStatus.VERIFIED if effective else ActionStatus.OPEN
        children_changed(Complaint, complaint, actor.username)
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
