"""The SQL side of the 5.1.1 visit plan: visits are counted per customer and month in SQL.

The database returns at most one row per customer and month (``GROUP BY``), never the visits
themselves; :func:`cqms_desktop.domain.visit_plan.build_plan` turns those counts and the
active customers into the matrix and the compliance rates.
"""

from __future__ import annotations

from datetime import date

import peewee as pw

from ..domain.clock import to_local
from ..domain.clock import today as clock_today
from ..domain.settings import DEFAULTS
from ..domain.visit_plan import PlanCustomer, VisitPlan, _shift, build_plan
from ..store import settings as settings_store
from ..store.db import read_snapshot
from ..store.models import Customer, User, Visit

SalesRep = User.alias("plan_sales_rep")


def active_customers() -> list[PlanCustomer]:
    """The active customers with their responsible Sales person and the day they were added."""
    query = (
        Customer.select(
            Customer.id, Customer.code, Customer.name, Customer.created_at, SalesRep.full_name
        )
        .join_from(Customer, SalesRep, pw.JOIN.LEFT_OUTER, on=(Customer.sales_rep == SalesRep.id))
        .where(Customer.active)
        .order_by(Customer.code)
        .dicts()
    )
    return [
        PlanCustomer(
            id=row["id"],
            code=row["code"],
            name=row["name"],
            sales_person=row["full_name"] or "",
            since=to_local(row["created_at"]).date() if row["created_at"] else None,
        )
        for row in query
    ]


def visit_counts(first: date, last: date) -> dict[tuple[int, int, int], int]:
    """Visits per (customer id, year, month) with a visit date from *first* to *last*."""
    year = Visit.visit_date.year
    month = Visit.visit_date.month
    query = (
        Visit.select(
            Visit.customer.alias("customer_id"),
            year.alias("y"),
            month.alias("m"),
            pw.fn.COUNT(Visit.id).alias("n"),
        )
        .where((Visit.visit_date >= first) & (Visit.visit_date <= last))
        .group_by(Visit.customer, year, month)
        .dicts()
    )
    return {(int(r["customer_id"]), int(r["y"]), int(r["m"])): int(r["n"]) for r in query}


def visit_plan(year: int, today: date | None = None, *, use_since: bool = True) -> VisitPlan:
    """The visit plan of *year* as of *today* (local date; default: today).

    With *use_since*, months that ended before a customer was added to the database are not
    required; without it every active customer is expected every month of the year.
    """
    today = today or clock_today()
    interval = max(
        1, int(settings_store.get("visit_interval_months") or DEFAULTS["visit_interval_months"])
    )
    # Visits up to interval-1 months before January can still cover January.
    first = date(*_shift(year, 1, interval - 1), 1)
    with read_snapshot():
        customers = active_customers()
        counts = visit_counts(first, date(year, 12, 31))
    if not use_since:
        customers = [PlanCustomer(c.id, c.code, c.name, c.sales_person, None) for c in customers]
    return build_plan(year, today, customers, counts, interval)


def not_visited_this_month(today: date | None = None) -> list[PlanCustomer]:
    """Active customers without a visit so far this month (for the dashboard and reminders)."""
    today = today or clock_today()
    return visit_plan(today.year, today).not_yet_visited()
