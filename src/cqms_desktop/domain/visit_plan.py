"""5.1.1 visit compliance: every active customer is visited at least once a month.

The plan of one year is a matrix of customers × months. Each cell is computed from plain data
(the customers and how many visits each had per month), so the rule can be checked by hand:

* ``visited`` — at least one visit in that month;
* ``covered`` — no visit this month, but one within the visit interval (the setting
  ``visit_interval_months``; with the default of 1 this never happens);
* ``not_yet`` — the month in progress, no visit so far (not missed: it has not ended);
* ``missed`` — a past month without a visit;
* ``future`` — a month that has not started;
* ``not_required`` — the month ended before the customer was taken on.

A cell is *due* when it is visited, covered, not yet or missed; it *complies* when visited
or covered. The compliance rate (per month, per Sales person, overall) is compliant ÷ due,
over the months that have **ended** (:func:`month_has_ended`). The month that has begun but
not ended is *in progress*: its customers can still be visited, so it is neither missed nor
counted in any rate until its last day is over (on 1 December the plan does not drop to 0 %
because nobody was visited yet in December). Its progress — customers visited so far out of
those due — is reported apart (:attr:`VisitPlan.progress`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .i18n import QT_TRANSLATE_NOOP

MONTHS = tuple(range(1, 13))


class CellState(StrEnum):
    """The state of one customer × month cell."""

    VISITED = "visited"
    COVERED = "covered"
    NOT_YET = "not_yet"
    MISSED = "missed"
    FUTURE = "future"
    NOT_REQUIRED = "not_required"

    @property
    def label(self) -> str:
        """The untranslated English label (translate in context ``VisitPlan``)."""
        return _CELL_LABELS[self]

    @property
    def due(self) -> bool:
        """True if a visit was (or is) required in this cell."""
        return self in _DUE

    @property
    def complies(self) -> bool:
        """True if the monthly-visit rule is met in this cell."""
        return self in _COMPLIES


_CELL_LABELS = {
    CellState.VISITED: QT_TRANSLATE_NOOP("VisitPlan", "Visited"),
    CellState.COVERED: QT_TRANSLATE_NOOP("VisitPlan", "Covered by an earlier visit"),
    CellState.NOT_YET: QT_TRANSLATE_NOOP("VisitPlan", "In progress: not yet visited"),
    CellState.MISSED: QT_TRANSLATE_NOOP("VisitPlan", "Missed"),
    CellState.FUTURE: QT_TRANSLATE_NOOP("VisitPlan", "Not started"),
    CellState.NOT_REQUIRED: QT_TRANSLATE_NOOP("VisitPlan", "Not yet a customer"),
}
_DUE = frozenset({CellState.VISITED, CellState.COVERED, CellState.NOT_YET, CellState.MISSED})
_COMPLIES = frozenset({CellState.VISITED, CellState.COVERED})


@dataclass(frozen=True, slots=True)
class PlanCustomer:
    """An active customer as the plan needs it."""

    id: int
    code: str
    name: str
    sales_person: str = ""  # the responsible Sales person's name; "" when nobody is assigned
    since: date | None = None  # the day the customer was taken on; None: always a customer


@dataclass(frozen=True, slots=True)
class Rate:
    """Compliant cells out of due cells."""

    compliant: int = 0
    due: int = 0

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, two decimals (half up); ``None`` when nothing was due."""
        if self.due == 0:
            return None
        value = Decimal(100 * self.compliant) / Decimal(self.due)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.compliant + other.compliant, self.due + other.due)


def month_has_ended(year: int, month: int, today: date) -> bool:
    """True once the last day of *month* is over: only then does it count in the rates."""
    return today > month_end(year, month)


def month_in_progress(year: int, month: int, today: date) -> bool:
    """True for the month of *today*: begun, not ended (shown as "in progress")."""
    return date(year, month, 1) <= today <= month_end(year, month)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One customer's twelve months."""

    customer: PlanCustomer
    cells: tuple[CellState, ...]  # index 0 = January
    visits: tuple[int, ...]  # how many visits in each month
    #: Which months have ended and so count in the rates (index 0 = January).
    ended: tuple[bool, ...] = (True,) * 12

    @property
    def rate(self) -> Rate:
        """This customer's compliance over the months of the year that have ended."""
        return _rate(cell for cell, ended in zip(self.cells, self.ended, strict=True) if ended)


@dataclass(frozen=True)
class VisitPlan:
    """The visit plan of one year as seen on *today*."""

    year: int
    today: date
    rows: list[PlanRow]
    month_rates: list[Rate]  # index 0 = January; nothing due in months not ended
    sales_rates: dict[str, Rate]
    overall: Rate = field(default_factory=Rate)
    #: The month in progress: customers visited so far (or covered) out of those due.
    progress: Rate | None = None

    @property
    def current_month(self) -> int | None:
        """The month of *today* if it lies in the plan's year (the month in progress)."""
        return self.today.month if self.today.year == self.year else None

    def in_progress(self, month: int) -> bool:
        """True if *month* (1–12) is the month in progress: shown, not yet counted."""
        return month_in_progress(self.year, month, self.today)

    def not_yet_visited(self) -> list[PlanCustomer]:
        """This month's customers still to be visited (highlighted in the view)."""
        month = self.current_month
        if month is None:
            return []
        return [r.customer for r in self.rows if r.cells[month - 1] is CellState.NOT_YET]


def _rate(cells: Iterable[CellState]) -> Rate:
    due = compliant = 0
    for cell in cells:
        if cell.due:
            due += 1
            compliant += cell.complies
    return Rate(compliant, due)


def month_end(year: int, month: int) -> date:
    """The last day of *month*."""
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def _shift(year: int, month: int, back: int) -> tuple[int, int]:
    """The month *back* months before (year, month)."""
    index = year * 12 + (month - 1) - back
    return index // 12, index % 12 + 1


def cell_state(
    customer: PlanCustomer,
    year: int,
    month: int,
    today: date,
    visit_counts: Mapping[tuple[int, int, int], int],
    interval_months: int = 1,
) -> CellState:
    """The state of one cell; *visit_counts* maps (customer id, year, month) → visits."""
    if visit_counts.get((customer.id, year, month), 0) > 0:
        return CellState.VISITED
    if date(year, month, 1) > today:
        return CellState.FUTURE
    if customer.since is not None and customer.since > month_end(year, month):
        return CellState.NOT_REQUIRED
    for back in range(1, max(1, interval_months)):
        if visit_counts.get((customer.id, *_shift(year, month, back)), 0) > 0:
            return CellState.COVERED
    if today <= month_end(year, month):
        return CellState.NOT_YET
    return CellState.MISSED


def build_plan(
    year: int,
    today: date,
    customers: Iterable[PlanCustomer],
    visit_counts: Mapping[tuple[int, int, int], int],
    interval_months: int = 1,
) -> VisitPlan:
    """The plan of *year*: cells per customer, rates per month, per Sales person and overall.

    *visit_counts* should include the ``interval_months - 1`` months before January when the
    interval is longer than a month, so that a December visit can cover January.
    """
    ended = tuple(month_has_ended(year, m, today) for m in MONTHS)
    rows = []
    for customer in sorted(customers, key=lambda c: (c.code, c.id)):
        cells = tuple(
            cell_state(customer, year, m, today, visit_counts, interval_months) for m in MONTHS
        )
        counts = tuple(visit_counts.get((customer.id, year, m), 0) for m in MONTHS)
        rows.append(PlanRow(customer, cells, counts, ended))
    month_rates = [
        _rate(row.cells[m - 1] for row in rows) if ended[m - 1] else Rate() for m in MONTHS
    ]
    sales_rates: dict[str, Rate] = {}
    for row in rows:
        person = row.customer.sales_person
        sales_rates[person] = sales_rates.get(person, Rate()) + row.rate
    overall = sum((row.rate for row in rows), Rate())
    current = [m for m in MONTHS if month_in_progress(year, m, today)]
    progress = _rate(row.cells[current[0] - 1] for row in rows) if current else None
    return VisitPlan(
        year, today, rows, month_rates, dict(sorted(sales_rates.items())), overall, progress
    )
