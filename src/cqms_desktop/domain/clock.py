"""The one clock of the program, and the time helpers around it.

Every "now" and every "today" in the program comes from here: no other module calls
``datetime.now()``, ``date.today()`` or Qt's ``currentDateTime()`` (a test walks the sources to
keep it so). The clock is injectable: the application runs on :class:`SystemClock`; tests and
reproducible screenshots install a :class:`ShiftedClock` that starts at a chosen instant (the
first or last day of a month, say) and then runs on with real time, or a :class:`FrozenClock`
that moves only when told to.

The database stores UTC in whole seconds on every backend (MySQL's DATETIME keeps no
fractions), so :func:`utcnow` returns a naive UTC time without microseconds.

"Local" means the **company's** time zone (the ``timezone`` setting, installed with
:func:`set_company_zone` whenever the settings are read), not the PC's: an office PC set to
Berlin time still counts days, periods, filters and yearly numbers as the factory in China
does. Only without that setting is the PC's own zone used.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """A source of the current instant."""

    def now(self) -> datetime:
        """The current instant, as an aware UTC datetime."""
        ...


class SystemClock:
    """The operating system's clock."""

    def now(self) -> datetime:
        """The operating system's current instant in UTC."""
        return datetime.now(UTC)


class ShiftedClock:
    """Starts at *start* and then runs on with real (monotonic) time.

    Tests pin the date this way without stopping time, so ordering by time, "five minutes
    later" and time-outs still behave as in the program.
    """

    def __init__(self, start: datetime) -> None:
        self._start = _aware_utc(start)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        """*start* plus the real time elapsed since the clock was made."""
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


class FrozenClock:
    """Stands still at one instant until :meth:`advance` or :meth:`set` moves it."""

    def __init__(self, at: datetime) -> None:
        self._at = _aware_utc(at)

    def now(self) -> datetime:
        """The instant the clock stands at."""
        return self._at

    def advance(self, delta: timedelta) -> None:
        """Move the clock on by *delta* (back, if negative)."""
        self._at += delta

    def set(self, at: datetime) -> None:
        """Move the clock to *at* (naive means UTC)."""
        self._at = _aware_utc(at)


def _aware_utc(moment: datetime) -> datetime:
    """*moment* as an aware UTC datetime; a naive one is taken as UTC (as stored)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


_current: Clock = SystemClock()


def current_clock() -> Clock:
    """The clock in use."""
    return _current


def set_clock(clock: Clock) -> Clock:
    """Install *clock* for the whole program; returns the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Run a block with *clock* installed, then restore the previous one."""
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant such as ``2026-12-31T23:30`` (naive means UTC) as aware UTC.

    For ``CQMS_NOW`` / ``CQMS_TEST_NOW``; raises ``ValueError`` on anything else.
    """
    return _aware_utc(datetime.fromisoformat(text.strip()))


def clock_for(setting: str | None) -> Clock:
    """The clock a ``CQMS_NOW`` value asks for: the system clock when empty, else a
    :class:`ShiftedClock` starting at that instant (a demonstration, a screenshot or a check
    of "what would the program say on 31 December"). Raises ``ValueError`` on a bad value."""
    if not setting or not setting.strip():
        return SystemClock()
    return ShiftedClock(parse_instant(setting))


def utcnow() -> datetime:
    """Now in UTC, naive, whole seconds: the form the database stores."""
    return _current.now().astimezone(UTC).replace(tzinfo=None, microsecond=0)


#: The company's time zone; ``None``: the PC's own (see the module docstring).
_company_zone: tzinfo | None = None


def set_company_zone(zone: tzinfo | None) -> None:
    """Make *zone* the zone of every local time, date and "today" (``None``: the PC's)."""
    global _company_zone
    _company_zone = zone


def company_zone() -> tzinfo | None:
    """The zone local times are in (``None``: the PC's own)."""
    return _company_zone


def local_now(zone: tzinfo | None = None) -> datetime:
    """Now as an aware time in *zone* (the company's zone when ``None``), whole seconds."""
    return to_local(utcnow(), zone)


def today(zone: tzinfo | None = None) -> date:
    """Today's date in *zone* (the company's zone when ``None``)."""
    return local_now(zone).date()


def to_local(utc_naive: datetime, zone: tzinfo | None = None) -> datetime:
    """A stored UTC time as an aware local time (the company's zone unless *zone* is given;
    the PC's when the company has none)."""
    aware = utc_naive.replace(tzinfo=UTC)
    zone = zone if zone is not None else _company_zone
    return aware.astimezone(zone) if zone is not None else aware.astimezone()


def aware_local(wall: datetime) -> datetime:
    """A wall-clock time as typed or shown (naive) as an aware time in the company's zone
    (the PC's without one); an aware time is returned as it is."""
    if wall.tzinfo is not None:
        return wall
    return wall.replace(tzinfo=_company_zone) if _company_zone else wall.astimezone()


def to_utc(local: datetime) -> datetime:
    """An aware (or naive company-local) time as the naive UTC value the database stores."""
    return aware_local(local).astimezone(UTC).replace(tzinfo=None, microsecond=0)
