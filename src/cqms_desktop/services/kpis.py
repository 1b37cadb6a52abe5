"""The management review's key figures (KPIs), computed with SQL aggregates.

A review covers a :class:`Period` — a month ``2026-11``, a quarter ``2026Q4`` / ``2026-Q4``
or a year ``2026`` — and optionally one customer. Every figure is a ``COUNT``/``SUM`` in
the database (the median: ``ORDER BY … LIMIT`` on the middle rows; averages are sums ÷
counts, exact on every backend), no table is loaded into memory, and every figure is
defined by one SQL predicate below, the same predicate that sets the yes/no columns of the
workbook's Data sheets, so each number can be traced to its records.

Definitions (times are stored in UTC; period bounds are local calendar days):

- *received*: ``received_at`` within the period.
- *handled on time*: received in the period and ``handled_at <= due_at`` (the 2/7-day limit
  fixed when it was registered); *handled late*: ``handled_at > due_at``; *overdue, not
  handled*: no ``handled_at`` and ``due_at`` already past at the moment of the review. The
  on-time rate is on time ÷ (on time + late + overdue); complaints neither handled nor yet
  due are not judged.
- *closed in the period*: ``closed_at`` within the period; days to close =
  ``closed_at − received_at`` in days (mean and median).
- *open at period end*: received before the cut-off and not closed before it, where the
  cut-off is the end of the period or now, whichever is earlier (nothing is open at the
  end of a period that has not begun); *open over 30 days*: of those, received more than
  30 days before the cut-off.
- *corrective actions*: opened (``created_at``), carried out (``executed_at``) and verified
  (``verified_at``) within the period; overdue: due before the cut-off day and not carried
  out by the cut-off.
- *repeat complaint*: received in the period with ``repeat_of`` set.
- *visit compliance* per month: active customers (created by the month's end) visited that
  month ÷ those customers; months after the cut-off are not counted.
- *surveys*: those of the quarters overlapping the period (``2026-Q4``); sent = sent or
  returned, returned = returned; average scores over the returned ones; a customer is
  *below target* when its average overall score or any item's average is below the
  satisfaction target (满意度目标) setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import peewee as pw

from ..domain import enums as E
from ..domain.clock import to_local, utcnow
from ..domain.errors import NotFoundError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import settings as store_settings
from ..store.db import database_proxy
from ..store.models import (
    Complaint,
    CorrectiveAction,
    Customer,
    Feedback,
    Survey,
    Visit,
)
from .registers import Column, local_day_start_utc

#: Years a review period may name; anything else is a typing mistake.
MIN_YEAR, MAX_YEAR = 2000, 2099
#: "Open over N days" in the review.
OPEN_LONG_DAYS = 30
#: Months shown in the trend.
TREND_MONTHS = 12
SECONDS_PER_DAY = 86400

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


# ====================================================================== scope and predicates
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


def complaint_received(scope: Scope) -> Any:
    """SQL: received within the period."""
    return scope.within(Complaint.received_at)


def complaint_on_time() -> Any:
    """SQL: handled within its 2/7-day limit."""
    return Complaint.handled_at.is_null(False) & (Complaint.handled_at <= Complaint.due_at)


def complaint_late() -> Any:
    """SQL: handled, but after its limit."""
    return Complaint.handled_at.is_null(False) & (Complaint.handled_at > Complaint.due_at)


def complaint_overdue_unhandled(scope: Scope) -> Any:
    """SQL: not handled and its limit already past at the moment of the review."""
    return Complaint.handled_at.is_null() & (Complaint.due_at < scope.now)


def complaint_closed_in(scope: Scope) -> Any:
    """SQL: closed within the period."""
    return scope.within(Complaint.closed_at)


def complaint_open_at_end(scope: Scope) -> Any:
    """SQL: received before the cut-off and not closed before it."""
    if not scope.begun:
        return NEVER
    cutoff = scope.cutoff_utc
    not_closed = (
        (Complaint.status != E.ComplaintStatus.CLOSED.value)
        | Complaint.closed_at.is_null()
        | (Complaint.closed_at >= cutoff)
    )
    return (Complaint.received_at < cutoff) & not_closed


def complaint_open_long(scope: Scope, days: int = OPEN_LONG_DAYS) -> Any:
    """SQL: open at the cut-off and received more than *days* days before it."""
    old = Complaint.received_at < scope.cutoff_utc - timedelta(days=days)
    return complaint_open_at_end(scope) & old


def complaint_repeat() -> Any:
    """SQL: marked as a repeat of an earlier complaint."""
    return Complaint.repeat_of.is_null(False)


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


def close_seconds() -> Any:
    """SQL: seconds from receipt to closure."""
    return seconds_between(Complaint.received_at, Complaint.closed_at)


def action_opened(scope: Scope) -> Any:
    """SQL: corrective action opened within the period."""
    return scope.within(CorrectiveAction.created_at)


def action_completed(scope: Scope) -> Any:
    """SQL: corrective action carried out within the period."""
    return scope.within(CorrectiveAction.executed_at)


def action_verified(scope: Scope) -> Any:
    """SQL: corrective action verified within the period."""
    return scope.within(CorrectiveAction.verified_at)


def action_overdue(scope: Scope) -> Any:
    """SQL: due before the cut-off day and not carried out by the cut-off."""
    if not scope.begun:
        return NEVER
    cutoff = scope.cutoff_utc
    return (
        (CorrectiveAction.created_at < cutoff)
        & (CorrectiveAction.due_date < scope.cutoff_day)
        & (CorrectiveAction.executed_at.is_null() | (CorrectiveAction.executed_at >= cutoff))
    )


def _customer_filter(query: pw.ModelSelect, model_field: Any, scope: Scope) -> pw.ModelSelect:
    return query if scope.customer_id is None else query.where(model_field == scope.customer_id)


def _int(value: Any) -> int:
    return int(value or 0)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def ratio(part: int, whole: int) -> float | None:
    """*part* ÷ *whole*, or ``None`` when there is nothing to divide by."""
    return part / whole if whole else None


# ====================================================================== results
@dataclass
class ComplaintFigures:
    """The complaint KPIs of one scope."""

    received: int = 0
    urgent: int = 0
    normal: int = 0
    on_time: int = 0
    late: int = 0
    overdue_unhandled: int = 0
    closed: int = 0
    open_at_end: int = 0
    open_long: int = 0
    repeat: int = 0
    mean_days_to_close: float | None = None
    median_days_to_close: float | None = None

    @property
    def judged(self) -> int:
        """Complaints whose timeliness is decided: handled, or past their limit."""
        return self.on_time + self.late + self.overdue_unhandled

    @property
    def on_time_rate(self) -> float | None:
        """Handled on time ÷ judged."""
        return ratio(self.on_time, self.judged)


@dataclass
class ActionFigures:
    """Corrective actions of one scope."""

    opened: int = 0
    completed: int = 0
    verified: int = 0
    overdue: int = 0


@dataclass
class MonthVisits:
    """Visit compliance of one month."""

    month: str
    visited: int
    active: int

    @property
    def rate(self) -> float | None:
        """Customers visited ÷ active customers."""
        return ratio(self.visited, self.active)


@dataclass
class SurveyFigures:
    """The satisfaction surveys of the period's quarters."""

    quarters: list[str]
    target: float
    total: int = 0
    sent: int = 0
    returned: int = 0
    item_averages: dict[str, float | None] = field(default_factory=dict)
    overall_average: float | None = None
    below_target: list[str] = field(default_factory=list)  # customer codes


@dataclass
class ParetoRow:
    """One bar of a Pareto chart."""

    key: str
    label: str
    count: int
    share: float
    cumulative: float


@dataclass
class CustomerRow:
    """One line of the per-customer table."""

    customer_id: int
    code: str
    name: str
    complaints: ComplaintFigures
    feedback: int = 0
    visits: int = 0
    months_visited: int = 0
    surveys_returned: int = 0
    survey_overall: float | None = None
    below_target: bool = False


@dataclass
class TrendRow:
    """One month of the 12-month trend."""

    month: str
    complaints: ComplaintFigures
    feedback: int
    visits: MonthVisits


@dataclass
class ReviewKpis:
    """Everything the management review shows for one scope."""

    scope: Scope
    customer_code: str | None
    customer_name: str | None
    complaints: ComplaintFigures
    actions: ActionFigures
    feedback_by_type: dict[str, int]
    visits_by_month: list[MonthVisits]
    surveys: SurveyFigures
    pareto_defects: list[ParetoRow]
    pareto_responsibility: list[ParetoRow]
    customers: list[CustomerRow]
    trend: list[TrendRow]

    @property
    def feedback_total(self) -> int:
        """All feedback received in the period."""
        return sum(self.feedback_by_type.values())

    @property
    def visit_compliance(self) -> float | None:
        """Customer-months visited ÷ customer-months due, over the period's months."""
        return ratio(
            sum(m.visited for m in self.visits_by_month),
            sum(m.active for m in self.visits_by_month),
        )

    @property
    def is_empty(self) -> bool:
        """No record of any kind falls in the period."""
        c, a, s = self.complaints, self.actions, self.surveys
        return not (
            c.received
            or c.closed
            or c.open_at_end
            or a.opened
            or a.completed
            or a.verified
            or a.overdue
            or self.feedback_total
            or any(m.visited for m in self.visits_by_month)
            or s.total
        )


# ====================================================================== computations
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


def _complaint_base(scope: Scope, *select: Any) -> pw.ModelSelect:
    # Every predicate implies receipt before the period's end: lets the index narrow it down.
    query = Complaint.select(*select).where(Complaint.received_at < scope.end_utc)
    return _customer_filter(query, Complaint.customer, scope)


def complaint_figures(scope: Scope) -> ComplaintFigures:
    """Complaint KPIs of *scope*, including mean and median days to close."""
    row = _complaint_base(scope, *_complaint_sums(scope)).dicts().get()
    figures = _figures_from(row)
    closed = _complaint_base(scope).where(complaint_closed_in(scope))
    total = closed.select(pw.fn.SUM(close_seconds())).scalar()
    figures.mean_days_to_close = (
        float(total) / figures.closed / SECONDS_PER_DAY if figures.closed else None
    )
    figures.median_days_to_close = _median_days(closed, figures.closed)
    return figures


def _median_days(closed: pw.ModelSelect, n: int) -> float | None:
    """The median of the closing times, picked by ``ORDER BY … LIMIT/OFFSET`` in SQL."""
    if n == 0:
        return None
    seconds = close_seconds()
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


def _feedback_query(scope: Scope, *select: Any) -> pw.ModelSelect:
    query = Feedback.select(*select).where(scope.within(Feedback.received_at))
    return _customer_filter(query, Feedback.customer, scope)


def feedback_by_type(scope: Scope) -> dict[str, int]:
    """Feedback received in the period by type (every type listed, zeros included)."""
    counts = {t.value: 0 for t in E.FeedbackType}
    rows = _feedback_query(scope, Feedback.type, pw.fn.COUNT(Feedback.id).alias("n")).group_by(
        Feedback.type
    )
    for row in rows.dicts():
        counts[row["type"]] = _int(row["n"])
    return counts


def feedback_count(scope: Scope) -> int:
    """How many feedback records were received in the period."""
    return _feedback_query(scope, Feedback.id).count()


def _active_customers(scope: Scope, month: Period) -> pw.ModelSelect:
    query = Customer.select(Customer.id).where(
        (Customer.active == True)  # noqa: E712 (SQL, not Python)
        & (Customer.created_at < month.end_utc)
    )
    return _customer_filter(query, Customer.id, scope)


def _visited_in(scope: Scope, month: Period) -> pw.ModelSelect:
    """Active customers visited in *month*, one row per customer."""
    return (
        Visit.select(Visit.customer)
        .join(Customer)
        .where(
            (Visit.visit_date >= month.start)
            & (Visit.visit_date <= month.end)
            & Customer.id.in_(_active_customers(scope, month))
        )
        .distinct()
    )


def month_visits(scope: Scope, month: Period) -> MonthVisits:
    """Visit compliance of one month."""
    visited = _visited_in(scope, month).count()
    active = _active_customers(scope, month).count()
    return MonthVisits(month.code, visited, active)


def counted_months(scope: Scope) -> list[Period]:
    """The period's months that have begun by the cut-off (later ones are not due yet)."""
    return [m for m in scope.period.months() if m.start_utc < scope.cutoff_utc]


def survey_target() -> float:
    """The satisfaction target setting (满意度目标)."""
    return float(store_settings.get("survey_target"))


_ITEMS = ("quality", "service", "price", "delivery")


def _survey_query(scope: Scope, *select: Any) -> pw.ModelSelect:
    query = Survey.select(*select).where(Survey.quarter.in_(scope.period.quarter_codes()))
    return _customer_filter(query, Survey.customer, scope)


def _returned() -> Any:
    return Survey.status == E.SurveyStatus.RETURNED.value


def _survey_sums() -> list[Any]:
    """SUM and COUNT of every score: MySQL's AVG of integers keeps only 4 decimals."""
    out = []
    for name in (*_ITEMS, "overall"):
        fld = Survey.overall if name == "overall" else getattr(Survey, f"score_{name}")
        out += [pw.fn.SUM(fld).alias(f"{name}_sum"), pw.fn.COUNT(fld).alias(f"{name}_n")]
    return out


def _averages(row: dict[str, Any]) -> dict[str, float | None]:
    """Average per item and overall from :func:`_survey_sums` (``None`` where unanswered)."""
    return {
        name: (float(row[f"{name}_sum"]) / int(row[f"{name}_n"]) if row[f"{name}_n"] else None)
        for name in (*_ITEMS, "overall")
    }


def _is_below(averages: dict[str, Any], target: float) -> bool:
    values = [averages.get(i) for i in (*_ITEMS, "overall")]
    return any(v is not None and float(v) < target for v in values)


def survey_figures(scope: Scope) -> SurveyFigures:
    """Surveys of the period's quarters: sent, returned, average scores, customers below."""
    target = survey_target()
    figures = SurveyFigures(quarters=scope.period.quarter_codes(), target=target)
    sent = Survey.status.in_([E.SurveyStatus.SENT.value, E.SurveyStatus.RETURNED.value])
    row = (
        _survey_query(
            scope,
            pw.fn.COUNT(Survey.id).alias("total"),
            count_if(sent).alias("sent"),
            count_if(_returned()).alias("returned"),
        )
        .dicts()
        .get()
    )
    figures.total, figures.sent = _int(row["total"]), _int(row["sent"])
    figures.returned = _int(row["returned"])
    row = _survey_query(scope, *_survey_sums()).where(_returned()).dicts().get()
    averages = _averages(row)
    figures.item_averages = {i: averages[i] for i in _ITEMS}
    figures.overall_average = averages["overall"]
    figures.below_target = sorted(
        code for code, avg in survey_averages_by_customer(scope).items() if _is_below(avg, target)
    )
    return figures


def survey_averages_by_customer(scope: Scope) -> dict[str, dict[str, Any]]:
    """Per customer code: returned surveys (``n``) and average item and overall scores."""
    query = (
        _survey_query(
            scope,
            Customer.code.alias("code"),
            pw.fn.COUNT(Survey.id).alias("n"),
            *_survey_sums(),
        )
        .join(Customer)
        .where(_returned())
        .group_by(Customer.code)
    )
    return {row["code"]: {"n": row["n"], **_averages(row)} for row in query.dicts()}


def _pareto(rows: Iterable[tuple[str, str, int]]) -> list[ParetoRow]:
    ordered = sorted(rows, key=lambda r: (-r[2], r[1]))
    total = sum(r[2] for r in ordered)
    out: list[ParetoRow] = []
    running = 0
    for key, label, count in ordered:
        running += count
        out.append(ParetoRow(key, label, count, count / total, running / total))
    return out


NOT_CATEGORISED = QT_TRANSLATE_NOOP("Kpis", "(not categorised)")
NOT_DETERMINED = QT_TRANSLATE_NOOP("Kpis", "(not yet determined)")


def _grouped_received(scope: Scope, column: Any) -> list[tuple[str, int]]:
    query = (
        _complaint_base(scope, column.alias("k"), pw.fn.COUNT(Complaint.id).alias("n"))
        .where(complaint_received(scope))
        .group_by(column)
    )
    return [(row["k"] or "", _int(row["n"])) for row in query.dicts()]


def pareto_defects(scope: Scope) -> list[ParetoRow]:
    """Complaints received in the period by defect category, largest first, with shares."""
    rows = _grouped_received(scope, Complaint.defect_category)
    return _pareto((k, k or NOT_CATEGORISED, n) for k, n in rows)


def responsibility_label(code: str) -> str:
    """The English label of a responsibility code ('' → not yet determined)."""
    if not code:
        return NOT_DETERMINED
    try:
        return E.Responsibility(code).label
    except ValueError:
        return code


def pareto_responsibility(scope: Scope) -> list[ParetoRow]:
    """Complaints received in the period by responsibility (5.2.3 c)."""
    rows = _grouped_received(scope, Complaint.responsibility)
    return _pareto((k, responsibility_label(k), n) for k, n in rows)


def _by_customer(query: pw.ModelSelect) -> dict[int, dict[str, Any]]:
    return {row["cid"]: row for row in query.dicts()}


def customer_rows(scope: Scope, target: float) -> list[CustomerRow]:
    """The per-customer table: every active customer and every customer with records."""
    complaints = _by_customer(
        _complaint_base(scope, Complaint.customer.alias("cid"), *_complaint_sums(scope)).group_by(
            Complaint.customer
        )
    )
    feedback = _by_customer(
        _feedback_query(
            scope, Feedback.customer.alias("cid"), pw.fn.COUNT(Feedback.id).alias("n")
        ).group_by(Feedback.customer)
    )
    visit_query = Visit.select(Visit.customer.alias("cid"), pw.fn.COUNT(Visit.id).alias("n"))
    visit_query = visit_query.where(
        (Visit.visit_date >= scope.period.start) & (Visit.visit_date <= scope.period.end)
    ).group_by(Visit.customer)
    visits = _by_customer(_customer_filter(visit_query, Visit.customer, scope))
    months_visited: dict[int, int] = {}
    for month in counted_months(scope):
        for row in _visited_in(scope, month).dicts():
            months_visited[row["customer"]] = months_visited.get(row["customer"], 0) + 1
    surveys = survey_averages_by_customer(scope)
    wanted = set(complaints) | set(feedback) | set(visits)
    customers = Customer.select(Customer.id, Customer.code, Customer.name, Customer.active)
    customers = _customer_filter(customers, Customer.id, scope)
    rows: list[CustomerRow] = []
    for c in customers:
        survey = surveys.get(c.code)
        if not (c.id in wanted or survey or c.active or scope.customer_id is not None):
            continue
        rows.append(
            CustomerRow(
                customer_id=c.id,
                code=c.code,
                name=c.name,
                complaints=_figures_from(complaints.get(c.id, {})),
                feedback=_int(feedback.get(c.id, {}).get("n")),
                visits=_int(visits.get(c.id, {}).get("n")),
                months_visited=months_visited.get(c.id, 0),
                surveys_returned=_int(survey["n"]) if survey else 0,
                survey_overall=_float(survey["overall"]) if survey else None,
                below_target=bool(survey) and _is_below(survey, target),
            )
        )
    rows.sort(key=lambda r: (-r.complaints.received, r.code))
    return rows


def trend(scope: Scope) -> list[TrendRow]:
    """The 12 months ending with the period: complaints, on-time handling, feedback, visits."""
    rows = []
    for month in scope.period.trend_months():
        if month.start_utc >= scope.now:  # a month still to come: nothing to show yet
            rows.append(TrendRow(month.code, ComplaintFigures(), 0, MonthVisits(month.code, 0, 0)))
            continue
        sub = scope.for_month(month)
        figures = _figures_from(_complaint_base(sub, *_complaint_sums(sub)).dicts().get())
        rows.append(TrendRow(month.code, figures, feedback_count(sub), month_visits(sub, month)))
    return rows


def find_customer(code: str) -> Customer:
    """The customer with *code*, or a clear error."""
    customer = Customer.get_or_none(Customer.code == code.strip())
    if customer is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "There is no customer with the code “{code}”."),
            field="customer",
            code=code,
        )
    return customer


def review_kpis(
    period: Period | str,
    *,
    customer_code: str | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReviewKpis:
    """Every KPI of the management review for *period* (and one customer, if given).

    *now* (naive UTC) is the moment the review judges overdue items at; by default the
    present. *progress* is called ``(done, total)`` after each group of queries.
    """
    if not isinstance(period, Period):
        period = parse_period(period)
    customer = find_customer(customer_code) if customer_code else None
    scope = Scope(period, customer.id if customer else None, now or utcnow())
    steps: list[Callable[[], Any]] = [
        lambda: complaint_figures(scope),
        lambda: action_figures(scope),
        lambda: feedback_by_type(scope),
        lambda: [month_visits(scope, m) for m in counted_months(scope)],
        lambda: survey_figures(scope),
        lambda: pareto_defects(scope),
        lambda: pareto_responsibility(scope),
        lambda: customer_rows(scope, survey_target()),
        lambda: trend(scope),
    ]
    results = []
    for index, step in enumerate(steps, 1):
        results.append(step())
        if progress is not None:
            progress(index, len(steps))
    return ReviewKpis(
        scope,
        customer.code if customer else None,
        customer.name if customer else None,
        *results,
    )


# ====================================================================== the traceable records
ReferencedComplaint = Complaint.alias("repeat_of_complaint")


def _kpi_column(key: str, label: str, expr: Callable[[], Any], kind: str = "bool", **kw: Any):
    return Column(key, label, expr, kind, **kw)


#: The customer's code and name, as every Data sheet of a customer's records shows them
#: (the record queries join ``Customer``).
_CUSTOMER_COLUMNS = (
    Column("customer_code", QT_TRANSLATE_NOOP("Columns", "Customer code"), lambda: Customer.code),
    Column("customer", QT_TRANSLATE_NOOP("Columns", "Customer"), lambda: Customer.name),
)


def complaint_record_columns(scope: Scope) -> list[Column]:
    """Columns of the complaints Data sheet: the record and one yes/no column per KPI."""
    received = complaint_received(scope)
    days = close_seconds() / float(SECONDS_PER_DAY)
    return [
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Complaint.number),
        Column(
            "received_at",
            QT_TRANSLATE_NOOP("Columns", "Received"),
            lambda: Complaint.received_at,
            "datetime",
        ),
        *_CUSTOMER_COLUMNS,
        Column(
            "severity",
            QT_TRANSLATE_NOOP("Columns", "Severity"),
            lambda: Complaint.severity,
            "enum",
            enum=E.Severity,
        ),
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: Complaint.status,
            "enum",
            enum=E.ComplaintStatus,
        ),
        Column(
            "defect_category",
            QT_TRANSLATE_NOOP("Columns", "Defect category"),
            lambda: Complaint.defect_category,
        ),
        Column(
            "responsibility",
            QT_TRANSLATE_NOOP("Columns", "Responsibility"),
            lambda: Complaint.responsibility,
            "enum",
            enum=E.Responsibility,
        ),
        Column("due_at", QT_TRANSLATE_NOOP("Columns", "Due"), lambda: Complaint.due_at, "datetime"),
        Column(
            "handled_at",
            QT_TRANSLATE_NOOP("Columns", "Handled"),
            lambda: Complaint.handled_at,
            "datetime",
        ),
        Column(
            "closed_at",
            QT_TRANSLATE_NOOP("Columns", "Closed"),
            lambda: Complaint.closed_at,
            "datetime",
        ),
        Column(
            "days_to_close",
            QT_TRANSLATE_NOOP("Columns", "Days to close"),
            lambda: days,
            "decimal",
        ),
        Column(
            "repeat_of",
            QT_TRANSLATE_NOOP("Columns", "Repeat of"),
            lambda: ReferencedComplaint.number,
        ),
        _kpi_column(
            "in_period", QT_TRANSLATE_NOOP("Columns", "Received in period"), lambda: flag(received)
        ),
        _kpi_column(
            "on_time",
            QT_TRANSLATE_NOOP("Columns", "Handled on time"),
            lambda: flag(complaint_on_time()),
        ),
        _kpi_column(
            "late", QT_TRANSLATE_NOOP("Columns", "Handled late"), lambda: flag(complaint_late())
        ),
        _kpi_column(
            "overdue_unhandled",
            QT_TRANSLATE_NOOP("Columns", "Overdue, not handled"),
            lambda: flag(complaint_overdue_unhandled(scope)),
        ),
        _kpi_column(
            "closed_in_period",
            QT_TRANSLATE_NOOP("Columns", "Closed in period"),
            lambda: flag(complaint_closed_in(scope)),
        ),
        _kpi_column(
            "open_at_end",
            QT_TRANSLATE_NOOP("Columns", "Open at period end"),
            lambda: flag(complaint_open_at_end(scope)),
        ),
        _kpi_column(
            "open_long",
            QT_TRANSLATE_NOOP("Columns", "Open over 30 days"),
            lambda: flag(complaint_open_long(scope)),
        ),
        _kpi_column(
            "repeat",
            QT_TRANSLATE_NOOP("Columns", "Repeat complaint"),
            lambda: flag(complaint_repeat()),
        ),
    ]


def complaint_records(scope: Scope) -> pw.ModelSelect:
    """Complaints behind the review: received in the trend's 12 months, closed in the
    period or open at its end (the trend window always contains the period)."""
    window_start = scope.period.trend_months()[0].start_utc
    cols = complaint_record_columns(scope)
    query = (
        Complaint.select(*[c.expr().alias(c.key) for c in cols])
        .join_from(Complaint, Customer)
        .join_from(
            Complaint,
            ReferencedComplaint,
            pw.JOIN.LEFT_OUTER,
            on=(Complaint.repeat_of == ReferencedComplaint.id),
        )
        .where(
            (Complaint.received_at < scope.end_utc)
            & (
                (Complaint.received_at >= window_start)
                | complaint_closed_in(scope)
                | complaint_open_at_end(scope)
            )
        )
        .order_by(Complaint.received_at, Complaint.id)
    )
    return _customer_filter(query, Complaint.customer, scope)


def action_record_columns(scope: Scope) -> list[Column]:
    """Columns of the corrective-actions Data sheet."""
    return [
        Column("complaint", QT_TRANSLATE_NOOP("Columns", "Complaint"), lambda: Complaint.number),
        Column(
            "customer_code", QT_TRANSLATE_NOOP("Columns", "Customer code"), lambda: Customer.code
        ),
        Column(
            "action_type",
            QT_TRANSLATE_NOOP("Columns", "Action type"),
            lambda: CorrectiveAction.action_type,
            "enum",
            enum=E.ActionType,
        ),
        Column(
            "description",
            QT_TRANSLATE_NOOP("Columns", "Description"),
            lambda: CorrectiveAction.description,
        ),
        Column(
            "department",
            QT_TRANSLATE_NOOP("Columns", "Department"),
            lambda: CorrectiveAction.department,
            "enum",
            enum=E.Department,
        ),
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: CorrectiveAction.status,
            "enum",
            enum=E.ActionStatus,
        ),
        Column(
            "created_at",
            QT_TRANSLATE_NOOP("Columns", "Opened"),
            lambda: CorrectiveAction.created_at,
            "datetime",
        ),
        Column(
            "due_date",
            QT_TRANSLATE_NOOP("Columns", "Due date"),
            lambda: CorrectiveAction.due_date,
            "date",
        ),
        Column(
            "executed_at",
            QT_TRANSLATE_NOOP("Columns", "Carried out"),
            lambda: CorrectiveAction.executed_at,
            "datetime",
        ),
        Column(
            "verified_at",
            QT_TRANSLATE_NOOP("Columns", "Verified"),
            lambda: CorrectiveAction.verified_at,
            "datetime",
        ),
        _kpi_column(
            "opened_in_period",
            QT_TRANSLATE_NOOP("Columns", "Opened in period"),
            lambda: flag(action_opened(scope)),
        ),
        _kpi_column(
            "completed_in_period",
            QT_TRANSLATE_NOOP("Columns", "Carried out in period"),
            lambda: flag(action_completed(scope)),
        ),
        _kpi_column(
            "verified_in_period",
            QT_TRANSLATE_NOOP("Columns", "Verified in period"),
            lambda: flag(action_verified(scope)),
        ),
        _kpi_column(
            "overdue",
            QT_TRANSLATE_NOOP("Columns", "Overdue at period end"),
            lambda: flag(action_overdue(scope)),
        ),
    ]


def action_records(scope: Scope) -> pw.ModelSelect:
    """Corrective actions opened, carried out or verified in the period, or overdue."""
    cols = action_record_columns(scope)
    query = (
        CorrectiveAction.select(*[c.expr().alias(c.key) for c in cols])
        .join(Complaint)
        .join(Customer)
        .where(
            action_opened(scope)
            | action_completed(scope)
            | action_verified(scope)
            | action_overdue(scope)
        )
        .order_by(CorrectiveAction.created_at, CorrectiveAction.id)
    )
    return _customer_filter(query, Complaint.customer, scope)


def feedback_record_columns(scope: Scope) -> list[Column]:
    """Columns of the feedback Data sheet."""
    return [
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Feedback.number),
        Column(
            "received_at",
            QT_TRANSLATE_NOOP("Columns", "Received"),
            lambda: Feedback.received_at,
            "datetime",
        ),
        *_CUSTOMER_COLUMNS,
        Column(
            "channel",
            QT_TRANSLATE_NOOP("Columns", "Channel"),
            lambda: Feedback.channel,
            "enum",
            enum=E.Channel,
        ),
        Column(
            "type",
            QT_TRANSLATE_NOOP("Columns", "Type"),
            lambda: Feedback.type,
            "enum",
            enum=E.FeedbackType,
        ),
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: Feedback.status,
            "enum",
            enum=E.FeedbackStatus,
        ),
        Column(
            "description", QT_TRANSLATE_NOOP("Columns", "Description"), lambda: Feedback.description
        ),
        _kpi_column(
            "in_period",
            QT_TRANSLATE_NOOP("Columns", "Received in period"),
            lambda: flag(scope.within(Feedback.received_at)),
        ),
    ]


def feedback_records(scope: Scope) -> pw.ModelSelect:
    """Feedback received in the trend's 12 months (which contain the period)."""
    window = scope.for_month(scope.period.trend_months()[0])
    cols = feedback_record_columns(scope)
    query = (
        Feedback.select(*[c.expr().alias(c.key) for c in cols])
        .join(Customer)
        .where((Feedback.received_at >= window.start_utc) & (Feedback.received_at < scope.end_utc))
        .order_by(Feedback.received_at, Feedback.id)
    )
    return _customer_filter(query, Feedback.customer, scope)


def visit_record_columns(scope: Scope) -> list[Column]:
    """Columns of the visits Data sheet."""
    period = scope.period
    return [
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Visit.number),
        Column(
            "visit_date",
            QT_TRANSLATE_NOOP("Columns", "Visit date"),
            lambda: Visit.visit_date,
            "date",
        ),
        *_CUSTOMER_COLUMNS,
        Column(
            "customer_active",
            QT_TRANSLATE_NOOP("Columns", "Customer active"),
            lambda: Customer.active,
            "bool",
        ),
        Column("purpose", QT_TRANSLATE_NOOP("Columns", "Purpose"), lambda: Visit.purpose),
        _kpi_column(
            "in_period",
            QT_TRANSLATE_NOOP("Columns", "Visited in period"),
            lambda: flag((Visit.visit_date >= period.start) & (Visit.visit_date <= period.end)),
        ),
    ]


def visit_records(scope: Scope) -> pw.ModelSelect:
    """Visits of the trend's 12 months (which contain the period)."""
    window = scope.period.trend_months()[0]
    cols = visit_record_columns(scope)
    query = (
        Visit.select(*[c.expr().alias(c.key) for c in cols])
        .join(Customer)
        .where((Visit.visit_date >= window.start) & (Visit.visit_date <= scope.period.end))
        .order_by(Visit.visit_date, Visit.id)
    )
    return _customer_filter(query, Visit.customer, scope)


def survey_record_columns(scope: Scope) -> list[Column]:
    """Columns of the surveys Data sheet."""
    columns = [
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Survey.number),
        Column("quarter", QT_TRANSLATE_NOOP("Columns", "Quarter"), lambda: Survey.quarter),
        *_CUSTOMER_COLUMNS,
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: Survey.status,
            "enum",
            enum=E.SurveyStatus,
        ),
        Column("sent_on", QT_TRANSLATE_NOOP("Columns", "Sent"), lambda: Survey.sent_on, "date"),
        Column(
            "returned_on",
            QT_TRANSLATE_NOOP("Columns", "Returned"),
            lambda: Survey.returned_on,
            "date",
        ),
    ]
    labels = {
        "quality": QT_TRANSLATE_NOOP("Columns", "Quality"),
        "service": QT_TRANSLATE_NOOP("Columns", "Service"),
        "price": QT_TRANSLATE_NOOP("Columns", "Price"),
        "delivery": QT_TRANSLATE_NOOP("Columns", "Delivery"),
    }
    for item in _ITEMS:
        fld = getattr(Survey, f"score_{item}")
        columns.append(Column(f"score_{item}", labels[item], lambda fld=fld: fld, "int"))
    columns.append(
        Column(
            "overall",
            QT_TRANSLATE_NOOP("Columns", "Overall score"),
            lambda: Survey.overall,
            "decimal",
        )
    )
    return columns


def survey_records(scope: Scope) -> pw.ModelSelect:
    """The surveys of the period's quarters."""
    cols = survey_record_columns(scope)
    query = (
        _survey_query(scope, *[c.expr().alias(c.key) for c in cols])
        .join(Customer)
        .order_by(Survey.quarter, Customer.code, Survey.id)
    )
    return query
