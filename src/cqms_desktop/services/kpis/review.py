"""The whole management review for a period (and optionally one customer): :func:`review_kpis`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ...domain.clock import utcnow
from ...domain.errors import NotFoundError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store.models import (
    Customer,
)
from .breakdowns import customer_rows, pareto_defects, pareto_responsibility, trend
from .complaints import action_figures, complaint_figures
from .costs import cost_figures
from .customer_service import (
    counted_months,
    feedback_by_type,
    month_visits,
    survey_figures,
    survey_target,
)
from .period import Period, parse_period
from .results import ReviewKpis
from .scope import Scope


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
        lambda: cost_figures(scope),
    ]
    results = []
    for index, step in enumerate(steps, 1):
        results.append(step())
        if progress is not None:
            progress(index, len(steps))
    kpis = ReviewKpis(
        scope,
        customer.code if customer else None,
        customer.name if customer else None,
        *results[:-1],
    )
    kpis.costs = results[-1]
    return kpis
