"""The cost of poor quality (不良质量成本) recorded per complaint, and how it is totalled.

Five categories are recorded on the Customer Complaint Handling Form. A complaint's costs
count in the period it was *received* in: the review asks what the complaints of a quarter
cost, wherever the invoices fall. Amounts are summed exactly (``Decimal``, two places).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .i18n import QT_TRANSLATE_NOOP

#: Complaint field → English label (context ``Costs``), in the form's order.
COST_CATEGORIES: dict[str, str] = {
    "cost_compensation": QT_TRANSLATE_NOOP("Costs", "Compensation"),
    "cost_freight": QT_TRANSLATE_NOOP("Costs", "Freight"),
    "cost_scrap": QT_TRANSLATE_NOOP("Costs", "Scrap"),
    "cost_rework": QT_TRANSLATE_NOOP("Costs", "Rework"),
    "cost_replacement": QT_TRANSLATE_NOOP("Costs", "Replacement"),
}

CENT = Decimal("0.01")


def amount(value: object) -> Decimal:
    """A stored amount (``None``, a number or a database's float sum) as exact cents."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)


def total(values: Iterable[object]) -> Decimal:
    """The sum of *values* in exact cents (missing amounts count as nothing)."""
    return sum((amount(v) for v in values), Decimal("0.00"))
