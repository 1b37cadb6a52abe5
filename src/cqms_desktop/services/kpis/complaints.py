"""Complaint and corrective-action figures of a scope: counts, mean and median days to close."""

from __future__ import annotations

from typing import Any

import peewee as pw

from ...domain import enums as E
from ...store.models import (
    Complaint,
    CorrectiveAction,
)
from .predicates import (
    action_completed,
    action_opened,
    action_overdue,
    action_verified,
    close_seconds,
    complaint_closed_in,
    complaint_late,
    complaint_on_time,
    complaint_open_at_end,
    complaint_open_long,
    complaint_overdue_unhandled,
    complaint_received,
    complaint_repeat,
)
from .results import ActionFigures, ComplaintFigures
from .scope import SECONDS_PER_DAY, Scope, _customer_filter, _int, count_if


def _complaint_sums(scope: Scope) -> list[Any]:
    received = complaint_received(scope)
    return [
        count_if(received).alias("received"),
        count_if(received & (Complaint.severity == E.Severity.URGENT.value)).alias("urgent"),
        count_if(received & complaint_on_time()).alias("on_time"),
        count_if(received & complaint_late()).alias("late"),
        count_if(received & complaint_overdue_unhandled(scope)).alias("overdue_unhandled"),
        count_if(complaint_closed_in(scope)).alias("closed"),
        count_if(complaint_open_at_end(scope)).alias("open_at_end"),
        count_if(complaint_open_long(scope)).alias("open_long"),
        count_if(received & complaint_repeat()).alias("repeat"),
    ]


def _figures_from(row: dict[str, Any]) -> ComplaintFigures:
    figures = ComplaintFigures(
        received=_int(row.get("received")),
        urgent=_int(row.get("urgent")),
        on_time=_int(row.get("on_time")),
        late=_int(row.get("late")),
        overdue_unhandled=_int(row.get("overdue_unhandled")),
        closed=_int(row.get("closed")),
        open_at_end=_int(row.get("open_at_end")),
        open_long=_int(row.get("open_long")),
        repeat=_int(row.get("repeat")),
    )
    figures.normal = figures.received - figures.urgent
    return figures


def _complaint_base(scope: Scope, *select: Any) -> pw.ModelSelect[Complaint]:
    # Every predicate implies receipt before the period's end: lets the index narrow it down.
    query = Complaint.select(*select).where(Complaint.received_at < scope.end_utc)
    return _customer_filter(query, Complaint.customer, scope)


def complaint_figures(scope: Scope) -> ComplaintFigures:
    """Complaint KPIs of *scope*, including mean and median days to close."""
    row = _complaint_base(scope, *_complaint_sums(scope)).dicts().get()
    figures = _figures_from(row)
    closed = _complaint_base(scope).where(complaint_closed_in(scope))
    total = closed.select(pw.fn.SUM(close_seconds(scope))).scalar()
    figures.mean_days_to_close = (
        float(total) / figures.closed / SECONDS_PER_DAY if figures.closed else None
    )
    figures.median_days_to_close = _median_days(scope, closed, figures.closed)
    return figures


def _median_days(scope: Scope, closed: pw.ModelSelect[Any], n: int) -> float | None:
    """The median of the closing times, picked by ``ORDER BY … LIMIT/OFFSET`` in SQL."""
    if n == 0:
        return None
    seconds = close_seconds(scope)
    middle = closed.select(seconds.alias("s")).order_by(seconds)
    # Odd count: the middle value; even count: the two middle values, averaged.
    first, count = ((n - 1) // 2, 1) if n % 2 else (n // 2 - 1, 2)
    picked = middle.offset(first).limit(count)
    values = [float(r["s"]) for r in picked.dicts()]
    return sum(values) / len(values) / SECONDS_PER_DAY


def action_figures(scope: Scope) -> ActionFigures:
    """Corrective actions opened, carried out, verified and overdue."""
    query = CorrectiveAction.select(
        count_if(action_opened(scope)).alias("opened"),
        count_if(action_completed(scope)).alias("completed"),
        count_if(action_verified(scope)).alias("verified"),
        count_if(action_overdue(scope)).alias("overdue"),
    ).join(Complaint)
    row = _customer_filter(query, Complaint.customer, scope).dicts().get()
    return ActionFigures(
        opened=_int(row["opened"]),
        completed=_int(row["completed"]),
        verified=_int(row["verified"]),
        overdue=_int(row["overdue"]),
    )
