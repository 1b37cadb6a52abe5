"""Customer-service figures of a scope: feedback by type, visit compliance per month and the
satisfaction surveys of the period's quarters (averages, customers below target).
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from ...domain import enums as E
from ...domain.visit_plan import month_has_ended
from ...store import settings as store_settings
from ...store.models import (
    Customer,
    Feedback,
    Survey,
    Visit,
)
from .as_of import as_of
from .period import Period
from .results import MonthVisits, SurveyFigures
from .scope import Scope, _customer_filter, _int, count_if


def _feedback_query(scope: Scope, *select: Any) -> pw.ModelSelect[Feedback]:
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


def _active_customers(scope: Scope, month: Period) -> pw.ModelSelect[Customer]:
    """Customers taken on before *month* ended and active at its end (or now, if it has not
    ended): deactivating a customer later does not change a past month's visits due."""
    active = as_of(Customer.active, scope.for_month(month))
    query = Customer.select(Customer.id).where(
        (active == True)  # noqa: E712 (SQL, not Python)
        & (Customer.created_at < month.end_utc)
    )
    return _customer_filter(query, Customer.id, scope)


def _visited_in(scope: Scope, month: Period) -> pw.ModelSelect[Visit]:
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
    """The period's months that have ended by the cut-off: only they count in visit compliance.

    The same rule as the visit plan (:func:`domain.visit_plan.month_has_ended`): the month in
    progress can still be visited, so it is neither due nor missed yet (a review exported on
    5 December does not show December at 3 %).
    """
    day = scope.cutoff_day
    return [m for m in scope.period.months() if month_has_ended(m.start.year, m.start.month, day)]


def survey_target() -> float:
    """The satisfaction target setting (满意度目标)."""
    return float(store_settings.get("survey_target"))


_ITEMS = ("quality", "service", "price", "delivery")


def _survey_query(scope: Scope, *select: Any) -> pw.ModelSelect[Survey]:
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
