"""Handling deadlines of 5.2.3 a/b: urgent within 2 days, normal within 7 days of receipt.

A complaint received on day *d* (in the company's local time) is due at the end of day
*d + n*, counted in calendar days, or in working days when a working-day calendar is used
(weekends and the company's holidays skipped). All arguments are timezone-aware or all naive
local times; the caller converts from UTC with the company's time zone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .enums import Severity

DEFAULT_LIMIT_DAYS = {Severity.URGENT: 2, Severity.NORMAL: 7}
DUE_SOON = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """The deadline settings (stored in the database's settings table)."""

    urgent_days: int = 2
    normal_days: int = 7
    working_days: bool = False
    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday (date.weekday())

    def limit(self, severity: Severity) -> int:
        """Days allowed for a complaint of *severity*."""
        return self.urgent_days if severity == Severity.URGENT else self.normal_days

    def is_working_day(self, day: date) -> bool:
        """True if *day* is neither a weekend day nor a holiday."""
        return day.weekday() not in self.weekend and day not in self.holidays


def add_days(start: date, days: int, rules: DeadlineRules) -> date:
    """*start* plus *days* calendar days, or working days under a working-day calendar."""
    if not rules.working_days:
        return start + timedelta(days=days)
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if rules.is_working_day(day):
            remaining -= 1
    return day


def due_at(received: datetime, severity: Severity, rules: DeadlineRules) -> datetime:
    """The moment a complaint received at *received* must have been handled.

    The result is the last instant of the due day (23:59:59) in *received*'s time zone.
    """
    due_day = add_days(received.date(), rules.limit(severity), rules)
    return datetime.combine(due_day, time(23, 59, 59), tzinfo=received.tzinfo)


def is_overdue(due: datetime, now: datetime, handled: datetime | None) -> bool:
    """Overdue: not handled by *due*, judged at *now* (or at the time it was handled)."""
    moment = handled if handled is not None else now
    return moment > due


def is_due_soon(due: datetime, now: datetime, handled: datetime | None) -> bool:
    """Not yet handled, not yet overdue, and due within a day."""
    return handled is None and now <= due <= now + DUE_SOON


def holidays_from(days: Collection[date]) -> frozenset[date]:
    """A frozen set of holiday dates (helper for building :class:`DeadlineRules`)."""
    return frozenset(days)
