"""The cost of poor quality in the review: the complaints received in the period, their
recorded costs totalled per category, per customer, per product, per defect category and per
responsibility, a 12-month trend and a Pareto by defect category.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import peewee as pw

from ...domain.costs import COST_CATEGORIES, amount, total
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store import settings as store_settings
from ...store.models import Complaint, Customer, Product
from .. import defect_categories
from .breakdowns import NOT_CATEGORISED, responsibility_label
from .complaints import _complaint_base
from .predicates import complaint_received
from .results import CostFigures, CostParetoRow, CostRow
from .scope import Scope, _int

#: Shown for complaints without a product.
NO_PRODUCT = QT_TRANSLATE_NOOP("Kpis", "(no product)")


def currency() -> str:
    """The currency the amounts are recorded in (the ``currency`` setting)."""
    return str(store_settings.get("currency"))


def _sums() -> list[Any]:
    columns = [getattr(Complaint, name) for name in COST_CATEGORIES]
    sums = [pw.fn.SUM(c).alias(name) for name, c in zip(COST_CATEGORIES, columns, strict=True)]
    any_cost = pw.Case(None, [(c.is_null(False), 1) for c in columns], 0)
    return [*sums, pw.fn.COALESCE(pw.fn.SUM(any_cost), 0).alias("with_cost")]


def _grouped(scope: Scope, *keys: Any) -> list[dict[str, Any]]:
    query = _complaint_base(scope, *keys, *_sums()).where(complaint_received(scope))
    if keys:
        query = query.group_by(*keys)
    return list(query.dicts())


def _row(key: str, label: str, row: dict[str, Any]) -> CostRow:
    return CostRow(
        key, label, {name: amount(row[name]) for name in COST_CATEGORIES}, _int(row["with_cost"])
    )


def _merge(rows: list[CostRow]) -> list[CostRow]:
    """Rows of one key added up (spellings of one category), largest total first."""
    merged: dict[str, CostRow] = {}
    for row in rows:
        if row.key in merged:
            old = merged[row.key]
            for name in COST_CATEGORIES:
                old.by_category[name] += row.by_category[name]
            old.complaints += row.complaints
        else:
            merged[row.key] = row
    costed = [r for r in merged.values() if r.complaints]
    return sorted(costed, key=lambda r: (-r.total, r.label))


def _pareto(rows: list[CostRow]) -> list[CostParetoRow]:
    whole = sum((r.total for r in rows), Decimal("0.00"))
    out: list[CostParetoRow] = []
    running = Decimal("0.00")
    for row in rows:
        if not row.total:
            continue
        running += row.total
        out.append(
            CostParetoRow(
                row.key, row.label, row.total, float(row.total / whole), float(running / whole)
            )
        )
    return out


def period_cost(scope: Scope) -> Decimal:
    """The cost of poor quality of the complaints received in the scope's period (the total
    only: the dashboard's tile)."""
    (row,) = _grouped(scope)
    return total(row[name] for name in COST_CATEGORIES)


def cost_figures(scope: Scope) -> CostFigures:
    """The cost of poor quality of the complaints received in the scope's period."""
    figures = CostFigures(currency())
    (overall,) = _grouped(scope)
    figures.totals = {name: amount(overall[name]) for name in COST_CATEGORIES}
    figures.complaints = _int(overall["with_cost"])

    customers = {
        c.id: (c.code, c.name) for c in Customer.select(Customer.id, Customer.code, Customer.name)
    }
    figures.by_customer = _merge(
        [
            _row(customers[r["cid"]][0], customers[r["cid"]][1], r)
            for r in _grouped(scope, Complaint.customer.alias("cid"))
        ]
    )
    products = {
        p.id: (p.part_number, p.name)
        for p in Product.select(Product.id, Product.part_number, Product.name)
    }
    figures.by_product = _merge(
        [
            _row(*(products.get(r["pid"]) or ("", NO_PRODUCT)), r)
            for r in _grouped(scope, Complaint.product.alias("pid"))
        ]
    )
    names = defect_categories.catalogue()
    language = defect_categories.display_language()
    by_category = []
    for r in _grouped(scope, Complaint.defect_category.alias("k")):
        key = r["k"] or ""
        category = names.find(key)
        code = category.code if category is not None else key
        label = category.label(language) if category is not None else (key or NOT_CATEGORISED)
        by_category.append(_row(code, label, r))
    figures.by_defect_category = _merge(by_category)
    figures.by_responsibility = _merge(
        [
            _row(r["k"] or "", responsibility_label(r["k"] or ""), r)
            for r in _grouped(scope, Complaint.responsibility.alias("k"))
        ]
    )
    figures.pareto = _pareto(figures.by_defect_category)
    for month in scope.period.trend_months():
        (row,) = _grouped(scope.for_month(month))
        figures.trend.append((month.code, total(row[n] for n in COST_CATEGORIES)))
    return figures
