"""What a review covers (:class:`Scope`) and the SQL building blocks every KPI is made of.

Counting with ``SUM(CASE …)``, yes/no flags, durations in seconds on each backend, the
optional one-customer filter and the safe division used for every rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

import peewee as pw

from ...domain.clock import to_local, utcnow
from ...store.db import database_proxy
from .period import Period

SECONDS_PER_DAY = 86400


@dataclass(frozen=True, slots=True)
class Scope:
    """What a review covers: the period, one customer or all, and the moment of the review."""

    period: Period
    customer_id: int | None = None
    now: datetime = field(default_factory=utcnow)  # naive UTC

    @property
    def start_utc(self) -> datetime:
        """Start of the period (naive UTC)."""
        return self.period.start_utc

    @property
    def end_utc(self) -> datetime:
        """End of the period, exclusive (naive UTC)."""
        return self.period.end_utc

    @property
    def cutoff_utc(self) -> datetime:
        """The end of the period, or now if the period has not ended yet."""
        return min(self.end_utc, self.now)

    @property
    def cutoff_day(self) -> date:
        """The local calendar day of the cut-off (actions due before it are overdue)."""
        return to_local(self.cutoff_utc).date()

    @property
    def begun(self) -> bool:
        """False for a period still to come: nothing can be open or overdue at its end yet."""
        return self.now > self.start_utc

    def within(self, fld: Any) -> Any:
        """SQL: the time *fld* lies within the period."""
        return fld.is_null(False) & (fld >= self.start_utc) & (fld < self.end_utc)

    def for_month(self, month: Period) -> Scope:
        """The same customer and moment for another period."""
        return Scope(month, self.customer_id, self.now)


#: SQL: a condition no row satisfies (the same on every backend).
NEVER = pw.SQL("1 = 0")


def count_if(condition: Any) -> Any:
    """SQL: how many rows satisfy *condition* (``SUM(CASE WHEN … THEN 1 ELSE 0 END)``)."""
    return pw.fn.COALESCE(pw.fn.SUM(pw.Case(None, [(condition, 1)], 0)), 0)


def flag(condition: Any) -> Any:
    """SQL: 1 where *condition* holds, else 0 (a yes/no column of a Data sheet)."""
    return pw.Case(None, [(condition, 1)], 0)


def seconds_between(earlier: Any, later: Any) -> Any:
    """SQL: whole seconds from *earlier* to *later*, on whichever backend is open."""
    database = database_proxy.obj
    if isinstance(database, pw.PostgresqlDatabase):
        return pw.fn.EXTRACT(pw.NodeList((pw.SQL("EPOCH FROM"), later - earlier)))
    if isinstance(database, pw.MySQLDatabase):
        return pw.fn.TIMESTAMPDIFF(pw.SQL("SECOND"), earlier, later)
    return pw.fn.strftime("%s", later).cast("INTEGER") - pw.fn.strftime("%s", earlier).cast(
        "INTEGER"
    )


_Query = TypeVar("_Query", bound="pw.ModelSelect[Any]")


def _customer_filter(query: _Query, model_field: Any, scope: Scope) -> _Query:
    return query if scope.customer_id is None else query.where(model_field == scope.customer_id)


def _int(value: Any) -> int:
    return int(value or 0)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def ratio(part: int, whole: int) -> float | None:
    """*part* ÷ *whole*, or ``None`` when there is nothing to divide by."""
    return part / whole if whole else None
