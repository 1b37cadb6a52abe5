"""Complaint deadlines (procedure 5.2.3 a/b): the deadline rules and the company's time zone
from the settings, the handling deadline of a complaint on the company's working-day calendar
(kept by :mod:`.calendar`), and recomputing the deadlines of unhandled complaints when the
rules or the calendar change.

Re-exported by :mod:`.complaints`, so callers may keep importing from there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from ..domain.clock import to_local, utcnow
from ..domain.company_calendar import CompanyCalendar
from ..domain.deadlines import DeadlineRules, company_zone, complaint_due_utc
from ..domain.enums import ComplaintStatus as S
from ..domain.enums import Severity
from ..domain.settings import deadline_rules
from ..store import audit
from ..store import settings as settings_store
from ..store.models import Complaint, Holiday


# ---------------------------------------------------------------------------- settings
def current_rules(settings: dict[str, Any] | None = None) -> DeadlineRules:
    """The deadline rules from the shared settings, on the company's calendar."""
    settings = settings if settings is not None else settings_store.get_all()
    calendar = None
    if settings.get("deadline_working_days"):
        calendar = CompanyCalendar.from_days(
            (row.day, row.kind) for row in Holiday.select(Holiday.day, Holiday.kind)
        )
    return deadline_rules(settings, calendar)


def current_zone(settings: dict[str, Any] | None = None) -> tzinfo | None:
    """The company's time zone (``None``: the PC's own)."""
    settings = settings if settings is not None else settings_store.get_all()
    return company_zone(settings.get("timezone") or "")


def company_today(now: datetime | None = None, zone: tzinfo | None = None) -> date:
    """Today's date in the company's zone (*now* naive UTC)."""
    return to_local(now or utcnow(), zone).date()


def due_calculator(settings: dict[str, Any]) -> Callable[[datetime, str], datetime]:
    """:func:`compute_due` with the rules, calendar and zone read once: for loops over many
    complaints (recomputing, importing), which would otherwise query the calendar per row."""
    limits, zone = current_rules(settings), current_zone(settings)

    def due(received_at: datetime, severity: str) -> datetime:
        return complaint_due_utc(received_at, Severity(severity), limits, zone)

    return due


def compute_due(received_at: datetime, severity: str, settings: dict[str, Any]) -> datetime:
    """The handling deadline (naive UTC) for a complaint received at *received_at*."""
    return due_calculator(settings)(received_at, severity)


# ---------------------------------------------------------------------------- recomputing
def recompute_deadlines(username: str) -> int:
    """Recompute the due time of every open complaint not yet handled (after the deadline
    settings or the calendar changed); runs in the caller's transaction. Returns how many
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
