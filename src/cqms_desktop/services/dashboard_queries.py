"""The figures behind the dashboard's charts, as SQL aggregates.

Each chart is one grouped query (``SUM(CASE …)`` per month or quarter) built from the
predicates of :mod:`services.kpis`, so a month on the dashboard shows exactly what the
management-review workbook's trend shows for it, and no record is loaded into memory:

- complaints received per month by defect category (the 12 months ending this month);
- on-time handling per month, urgent (2-day limit) and normal (7-day limit) apart: handled on
  time ÷ judged (on time + late + overdue not handled), as in the review;
- satisfaction per item (quality, service, price, delivery) per quarter: the average score of
  the returned surveys, against the satisfaction target (满意度目标);
- the customers with the most complaints received in the 12 months.

Defect categories are free text typed by QA: the most frequent ones get a series of their
own, the rest are summed as "other categories", an empty category is "not categorised".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import peewee as pw

from ..domain import enums as E
from ..domain.clock import to_local, utcnow
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import settings as store_settings
from ..store.models import Complaint, Customer, Survey
from . import defect_categories
from .deadline_sql import overdue_actions_query
from .kpis import (
    NOT_CATEGORISED,
    Period,
    Scope,
    complaint_late,
    complaint_on_time,
    complaint_overdue_unhandled,
    count_if,
    ratio,
)
from .kpis.scope import _int

#: Months shown by the monthly charts (the review's trend uses the same number).
CHART_MONTHS = 12
#: Quarters shown by the satisfaction chart (two years).
SURVEY_QUARTERS = 8
#: Defect categories with a series of their own; the rest are summed as "other".
TOP_CATEGORIES = 6
#: Customers in the "most complaints" chart.
TOP_CUSTOMERS = 8
#: Survey items in the order of the form (glossary: quality, service, price, delivery).
SURVEY_ITEMS = ("quality", "service", "price", "delivery")

#: Series key of the summed smaller categories (cannot collide: categories are trimmed text).
OTHER_KEY = "\x00other"
OTHER_CATEGORIES = QT_TRANSLATE_NOOP("DashboardCharts", "Other categories")


# ====================================================================== results
@dataclass
class CategorySeries:
    """One stack level of the category chart: a defect category and its count per month."""

    key: str  # the stored category; "" = not categorised; OTHER_KEY = the rest summed
    label: str  # user text as typed, or an English source text (see ``context``)
    context: str | None  # translation context of ``label``; None: user text, shown as is
    counts: list[int]

    @property
    def total(self) -> int:
        """Complaints of this series over all months."""
        return sum(self.counts)


@dataclass
class CategoryMonths:
    """Complaints received per month, split by defect category."""

    months: list[str]  # "2026-11"
    series: list[CategorySeries] = field(default_factory=list)

    def month_totals(self) -> list[int]:
        """Complaints received in each month (all categories)."""
        return [sum(s.counts[i] for s in self.series) for i in range(len(self.months))]


@dataclass(frozen=True)
class Timeliness:
    """How the complaints received in one month were handled against their limit."""

    on_time: int = 0
    late: int = 0
    overdue_unhandled: int = 0

    @property
    def judged(self) -> int:
        """Complaints whose timeliness is decided (handled, or past the limit)."""
        return self.on_time + self.late + self.overdue_unhandled

    @property
    def rate(self) -> float | None:
        """Handled on time ÷ judged, or ``None`` when nothing is judged yet."""
        return ratio(self.on_time, self.judged)

    def __add__(self, other: Timeliness) -> Timeliness:
        return Timeliness(
            self.on_time + other.on_time,
            self.late + other.late,
            self.overdue_unhandled + other.overdue_unhandled,
        )


@dataclass
class OnTimeMonths:
    """On-time handling per month, urgent and normal complaints apart."""

    months: list[str]
    urgent: list[Timeliness]
    normal: list[Timeliness]
    urgent_days: int  # the handling limits in force (settings), for the legend
    normal_days: int

    @property
    def overall(self) -> list[Timeliness]:
        """Both severities together, per month."""
        return [u + n for u, n in zip(self.urgent, self.normal, strict=True)]


@dataclass
class SatisfactionQuarters:
    """Average score per survey item per quarter, over the returned surveys."""

    quarters: list[str]  # "2026-Q4"
    averages: dict[str, list[float | None]]  # item → per quarter (None: nothing returned)
    returned: list[int]  # returned surveys per quarter
    target: float
    scale_min: int
    scale_max: int


@dataclass
class CustomerCount:
    """One bar of the "most complaints" chart."""

    customer_id: int
    code: str
    name: str
    urgent: int
    total: int

    @property
    def normal(self) -> int:
        """Complaints that were not urgent."""
        return self.total - self.urgent


@dataclass
class DashboardFigures:
    """Everything the dashboard's charts show, computed at one moment."""

    now: datetime  # naive UTC
    categories: CategoryMonths
    on_time: OnTimeMonths
    satisfaction: SatisfactionQuarters
    top_customers: list[CustomerCount]


# ====================================================================== periods
def chart_months(now: datetime | None = None, count: int = CHART_MONTHS) -> list[Period]:
    """The *count* months ending with the local month of *now* (naive UTC), oldest first."""
    today = to_local(now or utcnow()).date()
    return Period.month(today.year, today.month).trend_months(count)


def chart_quarters(now: datetime | None = None, count: int = SURVEY_QUARTERS) -> list[str]:
    """The *count* survey quarters (``2026-Q4``) ending with the quarter of *now*."""
    today: date = to_local(now or utcnow()).date()
    index = today.year * 4 + (today.month - 1) // 3
    return [f"{i // 4:04d}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def _window(months: list[Period]) -> Any:
    """SQL: received within the months (lets the ``received_at`` index narrow the scan)."""
    return (Complaint.received_at >= months[0].start_utc) & (
        Complaint.received_at < months[-1].end_utc
    )


# ====================================================================== queries
def complaints_by_category(
    now: datetime | None = None, *, top: int = TOP_CATEGORIES
) -> CategoryMonths:
    """Complaints received per month (:func:`chart_months`) by defect category."""
    now = now or utcnow()
    months = chart_months(now)
    buckets = [
        count_if(Scope(m, now=now).within(Complaint.received_at)).alias(f"m{i}")
        for i, m in enumerate(months)
    ]
    query = (
        Complaint.select(Complaint.defect_category.alias("k"), *buckets)
        .where(_window(months))
        .group_by(Complaint.defect_category)
    )
    rows = [
        (row["k"] or "", [_int(row[f"m{i}"]) for i in range(len(months))]) for row in query.dicts()
    ]
    named = sorted((r for r in rows if r[0]), key=lambda r: (-sum(r[1]), r[0]))
    result = CategoryMonths([m.code for m in months])
    # The key stays the stored code (a bar click filters the list by it); the label is the
    # category's in the program's language.
    names = defect_categories.catalogue()
    language = defect_categories.display_language()
    result.series = [
        CategorySeries(k, names.label(k, language), None, counts) for k, counts in named[:top]
    ]
    rest = named[top:]
    if rest:
        summed = [sum(r[1][i] for r in rest) for i in range(len(months))]
        result.series.append(CategorySeries(OTHER_KEY, OTHER_CATEGORIES, "DashboardCharts", summed))
    blank = [counts for k, counts in rows if not k]
    if blank:
        result.series.append(CategorySeries("", NOT_CATEGORISED, "Kpis", blank[0]))
    return result


def on_time_by_month(now: datetime | None = None) -> OnTimeMonths:
    """Handled on time / late / overdue per month of receipt, urgent and normal apart."""
    now = now or utcnow()
    months = chart_months(now)
    overdue = complaint_overdue_unhandled(Scope(months[-1], now=now))
    columns = []
    for i, month in enumerate(months):
        received = Scope(month, now=now).within(Complaint.received_at)
        columns += [
            count_if(received & complaint_on_time()).alias(f"on{i}"),
            count_if(received & complaint_late()).alias(f"late{i}"),
            count_if(received & overdue).alias(f"over{i}"),
        ]
    query = (
        Complaint.select(Complaint.severity.alias("severity"), *columns)
        .where(_window(months))
        .group_by(Complaint.severity)
    )
    empty = [Timeliness() for _ in months]
    found: dict[str, list[Timeliness]] = {}
    for row in query.dicts():
        found[row["severity"]] = [
            Timeliness(_int(row[f"on{i}"]), _int(row[f"late{i}"]), _int(row[f"over{i}"]))
            for i in range(len(months))
        ]
    return OnTimeMonths(
        [m.code for m in months],
        urgent=found.get(E.Severity.URGENT.value, empty),
        normal=found.get(E.Severity.NORMAL.value, empty),
        urgent_days=int(store_settings.get("deadline_urgent_days")),
        normal_days=int(store_settings.get("deadline_normal_days")),
    )


def satisfaction_by_quarter(now: datetime | None = None) -> SatisfactionQuarters:
    """Average score per item per quarter (:func:`chart_quarters`) over returned surveys."""
    quarters = chart_quarters(now)
    sums = []
    for item in SURVEY_ITEMS:
        fld = getattr(Survey, f"score_{item}")
        # SUM and COUNT, not AVG: MySQL's AVG of integers keeps only four decimals.
        sums += [pw.fn.SUM(fld).alias(f"{item}_sum"), pw.fn.COUNT(fld).alias(f"{item}_n")]
    query = (
        Survey.select(Survey.quarter.alias("q"), pw.fn.COUNT(Survey.id).alias("n"), *sums)
        .where(Survey.quarter.in_(quarters) & (Survey.status == E.SurveyStatus.RETURNED.value))
        .group_by(Survey.quarter)
    )
    by_quarter = {row["q"]: row for row in query.dicts()}
    averages: dict[str, list[float | None]] = {item: [] for item in SURVEY_ITEMS}
    returned = []
    for quarter in quarters:
        row = by_quarter.get(quarter)
        returned.append(_int(row["n"]) if row else 0)
        for item in SURVEY_ITEMS:
            n = _int(row[f"{item}_n"]) if row else 0
            averages[item].append(float(row[f"{item}_sum"]) / n if row and n else None)
    settings = store_settings.get_all()
    return SatisfactionQuarters(
        quarters,
        averages,
        returned,
        target=float(settings["survey_target"]),
        scale_min=int(settings["survey_scale_min"]),
        scale_max=int(settings["survey_scale_max"]),
    )


def top_customers(
    now: datetime | None = None, *, limit: int = TOP_CUSTOMERS
) -> list[CustomerCount]:
    """The customers with the most complaints received in :func:`chart_months`, most first."""
    months = chart_months(now)
    total = pw.fn.COUNT(Complaint.id)
    query = (
        Complaint.select(
            Customer.id.alias("cid"),
            Customer.code.alias("code"),
            Customer.name.alias("name"),
            count_if(Complaint.severity == E.Severity.URGENT.value).alias("urgent"),
            total.alias("total"),
        )
        .join(Customer)
        .where(_window(months))
        .group_by(Customer.id, Customer.code, Customer.name)
        .order_by(total.desc(), Customer.code)
        .limit(limit)
    )
    return [
        CustomerCount(row["cid"], row["code"], row["name"], _int(row["urgent"]), _int(row["total"]))
        for row in query.dicts()
    ]


def overdue_action_count(today: date | None = None) -> int:
    """Corrective actions of open complaints past their due day and not carried out (the
    dashboard's note under the counts; 5.2.4), by the rule of the complaints list's filter.
    *today*: the company's calendar day (default: today there, from the program's clock)."""
    return int(overdue_actions_query(today).count())


def dashboard_figures(now: datetime | None = None) -> DashboardFigures:
    """Every chart's figures at the moment *now* (naive UTC; default: the present)."""
    now = now or utcnow()
    return DashboardFigures(
        now,
        complaints_by_category(now),
        on_time_by_month(now),
        satisfaction_by_quarter(now),
        top_customers(now),
    )
