"""Complaint deadlines (procedure 5.2.3 a/b): the deadline rules and the company's time zone
from the settings, the handling deadline of a complaint, the company's holidays of the
working-day calendar, and recomputing the deadlines of unhandled complaints when the rules or
the holidays change.

Re-exported by :mod:`.complaints`, so callers may keep importing from there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from ..domain import complaint_rules as rules
from ..domain import validation as v
from ..domain.clock import to_local, utcnow
from ..domain.deadlines import DeadlineRules, company_zone, complaint_due_utc
from ..domain.enums import ComplaintStatus as S
from ..domain.enums import Severity
from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.settings import deadline_rules
from ..store import audit
from ..store import settings as settings_store
from ..store.db import retry_transient
from ..store.models import Complaint, Holiday
from .base import Actor, require, unit_of_work
from .normalise import checked_input


# ---------------------------------------------------------------------------- settings
def current_rules(settings: dict[str, Any] | None = None) -> DeadlineRules:
    """The deadline rules from the shared settings, with the company's holidays."""
    settings = settings if settings is not None else settings_store.get_all()
    holidays: frozenset[date] = frozenset()
    if settings.get("deadline_working_days"):
        holidays = frozenset(h.day for h in Holiday.select(Holiday.day))
    return deadline_rules(settings, holidays)


def current_zone(settings: dict[str, Any] | None = None) -> tzinfo | None:
    """The company's time zone (``None``: the PC's own)."""
    settings = settings if settings is not None else settings_store.get_all()
    return company_zone(settings.get("timezone") or "")


def company_today(now: datetime | None = None, zone: tzinfo | None = None) -> date:
    """Today's date in the company's zone (*now* naive UTC)."""
    return to_local(now or utcnow(), zone).date()


def due_calculator(settings: dict[str, Any]) -> Callable[[datetime, str], datetime]:
    """:func:`compute_due` with the rules, holidays and zone read once: for loops over many
    complaints (recomputing, importing), which would otherwise query the holidays per row."""
    limits, zone = current_rules(settings), current_zone(settings)

    def due(received_at: datetime, severity: str) -> datetime:
        return complaint_due_utc(received_at, Severity(severity), limits, zone)

    return due


def compute_due(received_at: datetime, severity: str, settings: dict[str, Any]) -> datetime:
    """The handling deadline (naive UTC) for a complaint received at *received_at*."""
    return due_calculator(settings)(received_at, severity)


# ---------------------------------------------------------------------------- holidays
def holidays(year: int | None = None) -> list[Holiday]:
    """The company's holidays (of *year*), in date order."""
    query = Holiday.select().order_by(Holiday.day)
    if year is not None:
        query = query.where((Holiday.day >= date(year, 1, 1)) & (Holiday.day <= date(year, 12, 31)))
    return list(query)


@checked_input
@retry_transient
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


@checked_input
@retry_transient
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
    compute = due_calculator(settings_store.get_all())
    changed = 0
    for record in Complaint.select().where(
        Complaint.handled_at.is_null() & (Complaint.status != S.CLOSED.value)
    ):
        due = compute(record.received_at, record.severity)
        if due != record.due_at:
            audit.update(Complaint, record.id, username, {"due_at": due})
            changed += 1
    return changed
