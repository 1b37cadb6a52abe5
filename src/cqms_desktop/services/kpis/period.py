"""Review periods: a month ``2026-11``, a quarter ``2026Q4`` / ``2026-Q4`` or a year ``2026``.

:class:`Period` gives a period's local calendar days and UTC bounds; :func:`parse_period`
reads what the user typed and names the problem when it is not a period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ...domain.errors import ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ..registers import local_day_start_utc

#: Years a review period may name; anything else is a typing mistake.
MIN_YEAR, MAX_YEAR = 2000, 2099
#: Months shown in the trend.
TREND_MONTHS = 12

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(r"^(\d{4})\s*-?\s*[Qq](\d+)$")
_YEAR_RE = re.compile(r"^(\d{4})$")


# ====================================================================== periods
@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A month, quarter or year of the calendar (local dates, both ends inclusive)."""

    year: int
    kind: str  # "year" | "quarter" | "month"
    number: int = 0  # the month (1–12) or quarter (1–4); 0 for a year

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The month *month* of *year*."""
        return cls(year, "month", month)

    @property
    def code(self) -> str:
        """``2026-11``, ``2026-Q4`` or ``2026``."""
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @property
    def start(self) -> date:
        """The first day."""
        if self.kind == "month":
            return date(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The last day."""
        last = self.months()[-1]
        after = (
            date(last.year + 1, 1, 1) if last.number == 12 else date(last.year, last.number + 1, 1)
        )
        return after - timedelta(days=1)

    @property
    def start_utc(self) -> datetime:
        """The first local midnight, as naive UTC (stored times compare against it)."""
        return local_day_start_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """The local midnight after the last day, as naive UTC (exclusive bound)."""
        return local_day_start_utc(self.end + timedelta(days=1))

    def months(self) -> list[Period]:
        """The months of the period, in order."""
        if self.kind == "month":
            return [self]
        first = 1 if self.kind == "year" else 3 * self.number - 2
        count = 12 if self.kind == "year" else 3
        return [Period.month(self.year, m) for m in range(first, first + count)]

    def quarter_codes(self) -> list[str]:
        """The survey quarters (``2026-Q4``) the period overlaps."""
        codes = [f"{m.year:04d}-Q{(m.number - 1) // 3 + 1}" for m in self.months()]
        return list(dict.fromkeys(codes))

    def trend_months(self, count: int = TREND_MONTHS) -> list[Period]:
        """The *count* months ending with the period's last month, oldest first."""
        last = self.months()[-1]
        index = last.year * 12 + last.number - 1
        return [Period.month(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]

    def __str__(self) -> str:
        return self.code


def _period_error(message: str, **params: Any) -> ValidationError:
    return ValidationError(message, field="period", **params)


def parse_period(text: Any) -> Period:
    """``2026-11`` (month), ``2026Q4`` or ``2026-Q4`` (quarter), ``2026`` (year).

    Raises :class:`ValidationError` naming the problem for anything else, including months
    and quarters that do not exist (``2026-13``, ``2026Q5``).
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise _period_error(
            QT_TRANSLATE_NOOP(
                "Errors",
                "A period is required: write 2026-11 (a month), 2026Q4 (a quarter) or 2026 "
                "(a year).",
            )
        )
    month = _MONTH_RE.match(raw)
    quarter = _QUARTER_RE.match(raw)
    year = _YEAR_RE.match(raw)
    match = month or quarter or year
    if match is None:
        raise _period_error(
            QT_TRANSLATE_NOOP(
                "Errors",
                "“{value}” is not a period: write 2026-11 (a month), 2026Q4 (a quarter) or "
                "2026 (a year).",
            ),
            value=raw,
        )
    number = int(match.group(1))
    if not MIN_YEAR <= number <= MAX_YEAR:
        raise _period_error(
            QT_TRANSLATE_NOOP("Errors", "The year {year} is out of range ({min}–{max})."),
            year=number,
            min=MIN_YEAR,
            max=MAX_YEAR,
        )
    if month is not None:
        m = int(month.group(2))
        if not 1 <= m <= 12:
            raise _period_error(
                QT_TRANSLATE_NOOP(
                    "Errors", "The month {month} of “{value}” does not exist (01 to 12)."
                ),
                month=m,
                value=raw,
            )
        return Period(number, "month", m)
    if quarter is not None:
        q = int(quarter.group(2))
        if not 1 <= q <= 4:
            raise _period_error(
                QT_TRANSLATE_NOOP(
                    "Errors", "The quarter Q{quarter} of “{value}” does not exist (Q1 to Q4)."
                ),
                quarter=q,
                value=raw,
            )
        return Period(number, "quarter", q)
    return Period(number, "year")
