"""The company's working-day calendar: which days the office works.

A day is a working day unless it falls on the weekend; the company's calendar overrides that
for single days in both directions, as Chinese offices need:

- a **closed** day (a public holiday such as the National Day week, or the company's own
  closing day) is not worked even on a weekday;
- a **working** day (a make-up working day, 调休上班, such as the Sunday before the National
  Day week, or an extra working day the company decides) is worked even on a weekend.

The days themselves are stored in the database (the ``holiday`` table) and come from the
State Council's yearly schedule (loaded from the ``holidays`` library by the services) or
from the company; this module only answers questions about them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .i18n import QT_TRANSLATE_NOOP


class DayKind(StrEnum):
    """What a calendar entry makes of its day."""

    CLOSED = "closed"
    WORKING = "working"

    @property
    def label(self) -> str:
        """English label (translate in context ``Enums``)."""
        return _KIND_LABELS[self]


class DaySource(StrEnum):
    """Where a calendar entry comes from: the public schedule or the company itself."""

    PUBLIC = "public"
    COMPANY = "company"

    @property
    def label(self) -> str:
        """English label (translate in context ``Enums``)."""
        return _SOURCE_LABELS[self]


_KIND_LABELS = {
    DayKind.CLOSED: QT_TRANSLATE_NOOP("Enums", "Closed (holiday)"),
    DayKind.WORKING: QT_TRANSLATE_NOOP("Enums", "Working day (make-up / extra)"),
}
_SOURCE_LABELS = {
    DaySource.PUBLIC: QT_TRANSLATE_NOOP("Enums", "Public holiday schedule"),
    DaySource.COMPANY: QT_TRANSLATE_NOOP("Enums", "Company"),
}

#: Saturday and Sunday (``date.weekday()``).
WEEKEND: frozenset[int] = frozenset({5, 6})


@dataclass(frozen=True, slots=True)
class CompanyCalendar:
    """Weekends plus the company's closed days and (make-up) working days."""

    closed: frozenset[date] = frozenset()
    working: frozenset[date] = frozenset()
    weekend: frozenset[int] = WEEKEND

    @classmethod
    def from_days(cls, days: Iterable[tuple[date, str]]) -> CompanyCalendar:
        """The calendar of ``(day, kind)`` pairs (kinds as :class:`DayKind` codes)."""
        closed: set[date] = set()
        working: set[date] = set()
        for day, kind in days:
            (working if kind == DayKind.WORKING else closed).add(day)
        return cls(closed=frozenset(closed), working=frozenset(working))

    def is_working_day(self, day: date) -> bool:
        """True if the office works on *day*.

        A make-up working day wins over the weekend; a closed day wins over a weekday. A date
        listed as both (which the store does not allow) counts as worked, so no deadline is
        ever pushed out by a contradiction.
        """
        if day in self.working:
            return True
        if day in self.closed:
            return False
        return day.weekday() not in self.weekend

    def add_working_days(self, start: date, days: int) -> date:
        """The *days*-th working day after *start* (*start* itself does not count)."""
        day = start
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days lie in ``first … last`` (both included)."""
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count
