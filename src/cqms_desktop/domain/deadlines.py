"""Handling deadlines of 5.2.3 a/b: urgent within 2 days, normal within 7 days of receipt.

A complaint received on day *d* (in the company's local time) is due at the end of day
*d + n*, counted in calendar days, or in working days when the ``deadline_working_days``
setting says so: then the company's calendar (:mod:`.company_calendar`: weekends, public
holidays and closing days skipped, make-up working days counted) decides which days count.

The pure functions take all-aware or all-naive local times; :func:`complaint_due_utc` does
the round trip from and to the naive UTC values the database stores, in the company's time
zone (the ``timezone`` setting, else the PC's zone).

Corrective actions (5.2.4) have a due *date*; one is overdue when it has not been carried out
by the end of that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .clock import to_local, to_utc
from .company_calendar import CompanyCalendar
from .enums import ActionStatus, Severity
from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP

DEFAULT_LIMIT_DAYS = {Severity.URGENT: 2, Severity.NORMAL: 7}
DUE_SOON = timedelta(days=1)
END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """The deadline settings (stored in the database's settings table)."""

    urgent_days: int = 2
    normal_days: int = 7
    working_days: bool = False
    calendar: CompanyCalendar = field(default_factory=CompanyCalendar)
    due_soon: timedelta = field(default=DUE_SOON)

    def limit(self, severity: Severity) -> int:
        """Days allowed for a complaint of *severity*."""
        return self.urgent_days if severity == Severity.URGENT else self.normal_days

    def is_working_day(self, day: date) -> bool:
        """True if the company works on *day* (see :class:`.CompanyCalendar`)."""
        return self.calendar.is_working_day(day)


class DeadlineState(StrEnum):
    """Where a record stands against its deadline (lists show colour *and* an icon for it)."""

    HANDLED = "handled"  # handled in time
    HANDLED_LATE = "handled_late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"


def add_days(start: date, days: int, rules: DeadlineRules) -> date:
    """*start* plus *days* calendar days, or working days under a working-day calendar."""
    if not rules.working_days:
        return start + timedelta(days=days)
    return rules.calendar.add_working_days(start, days)


def due_at(received: datetime, severity: Severity, rules: DeadlineRules) -> datetime:
    """The moment a complaint received at *received* must have been handled.

    The result is the last instant of the due day (23:59:59) in *received*'s time zone.
    """
    due_day = add_days(received.date(), rules.limit(severity), rules)
    return datetime.combine(due_day, END_OF_DAY, tzinfo=received.tzinfo)


def company_zone(name: str | None) -> tzinfo | None:
    """The company's time zone: an IANA name such as ``Asia/Shanghai``, or ``None`` for the
    PC's own zone when *name* is empty. An unknown name is refused naming the setting."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{value}” is not a known time zone."),
            field="timezone",
            value=name,
        ) from None


def complaint_due_utc(
    received_utc: datetime, severity: Severity, rules: DeadlineRules, zone: tzinfo | None
) -> datetime:
    """The due moment (naive UTC) of a complaint received at *received_utc* (naive UTC).

    The day count runs on the company's calendar in *zone* (``None``: the PC's zone): a
    complaint phoned in at 23:50 local time belongs to that local day, even if it is already
    the next day in UTC.
    """
    local = to_local(received_utc, zone)
    due_day = add_days(local.date(), rules.limit(severity), rules)
    # Build the end of the due day from the zone's rules *for that day*, not the receipt's UTC
    # offset: a summer-time change in between must not move the deadline by an hour. A naive
    # time's astimezone() reads it as the PC's local time with the PC's rules.
    end = datetime.combine(due_day, END_OF_DAY, tzinfo=zone)
    return to_utc(end)


def is_overdue(due: datetime, now: datetime, handled: datetime | None) -> bool:
    """Overdue: not handled by *due*, judged at *now* (or at the time it was handled)."""
    moment = handled if handled is not None else now
    return moment > due


def is_due_soon(
    due: datetime, now: datetime, handled: datetime | None, window: timedelta = DUE_SOON
) -> bool:
    """Not yet handled, not yet overdue, and due within *window* (a day by default)."""
    return handled is None and now <= due <= now + window


def deadline_state(
    due: datetime, now: datetime, handled: datetime | None, window: timedelta = DUE_SOON
) -> DeadlineState:
    """One word for a complaint's deadline: handled (late or not), overdue, due soon, on time."""
    if handled is not None:
        return DeadlineState.HANDLED_LATE if handled > due else DeadlineState.HANDLED
    if now > due:
        return DeadlineState.OVERDUE
    if is_due_soon(due, now, None, window):
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


def action_is_open(status: str) -> bool:
    """An action still waits for its department while it has not been carried out."""
    return status == ActionStatus.OPEN


def action_overdue(due_date: date | None, status: str, today: date) -> bool:
    """A corrective action not yet carried out after the end of its due day."""
    return due_date is not None and action_is_open(status) and today > due_date


def action_due_soon(due_date: date | None, status: str, today: date, days: int = 1) -> bool:
    """A corrective action not yet carried out whose due day is today or within *days*."""
    return (
        due_date is not None
        and action_is_open(status)
        and today <= due_date <= today + timedelta(days=days)
    )
