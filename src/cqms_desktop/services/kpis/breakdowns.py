"""Breakdowns of the review: Pareto charts (defect category, responsibility), the
per-customer table and the 12-month trend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import peewee as pw

from ...domain import enums as E
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store.models import (
    Complaint,
    Customer,
    Feedback,
    Visit,
)
from .. import defect_categories
from .complaints import _complaint_base, _complaint_sums, _figures_from
from .customer_service import (
    _feedback_query,
    _is_below,
    _visited_in,
    counted_months,
    feedback_count,
    month_visits,
    survey_averages_by_customer,
)
from .predicates import complaint_received
from .results import ComplaintFigures, CustomerRow, MonthVisits, ParetoRow, TrendRow
from .scope import Scope, _customer_filter, _float, _int


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
    names = defect_categories.catalogue()
    language = defect_categories.display_language()
    merged: dict[str, tuple[str, int]] = {}
    for key, count in _grouped_received(scope, Complaint.defect_category):
        # Spellings of one category (a legacy "Thread" beside "thread") count as one bar.
        category = names.find(key)
        code = category.code if category is not None else key
        label = category.label(language) if category is not None else (key or NOT_CATEGORISED)
        merged[code] = (label, merged.get(code, ("", 0))[1] + count)
    return _pareto((k, label, n) for k, (label, n) in merged.items())


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


def _by_customer(query: pw.ModelSelect[Any]) -> dict[int, dict[str, Any]]:
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
                below_target=_is_below(survey, target) if survey else False,
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
        # The month in progress has no visits due yet (the visit plan's rule), like months to come.
        visits = month_visits(sub, month) if counted_months(sub) else MonthVisits(month.code, 0, 0)
        rows.append(TrendRow(month.code, figures, feedback_count(sub), visits))
    return rows
