"""The figures a management review shows, as plain data classes (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .scope import Scope, ratio


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
class CostRow:
    """The costs of one group of complaints (a customer, a product, a category …)."""

    key: str
    label: str
    by_category: dict[str, Decimal]
    complaints: int  # complaints of the group with any cost recorded

    @property
    def total(self) -> Decimal:
        """All categories together."""
        return sum(self.by_category.values(), Decimal("0.00"))


@dataclass
class CostParetoRow:
    """One bar of the cost Pareto: a defect category's cost, its share and running share."""

    key: str
    label: str
    total: Decimal
    share: float
    cumulative: float


@dataclass
class CostFigures:
    """The cost of poor quality of a scope."""

    currency: str
    totals: dict[str, Decimal] = field(default_factory=dict)  # per category
    complaints: int = 0  # complaints received in the period with any cost recorded
    by_customer: list[CostRow] = field(default_factory=list)
    by_product: list[CostRow] = field(default_factory=list)
    by_defect_category: list[CostRow] = field(default_factory=list)
    by_responsibility: list[CostRow] = field(default_factory=list)
    pareto: list[CostParetoRow] = field(default_factory=list)
    trend: list[tuple[str, Decimal]] = field(default_factory=list)  # (month, total), 12 months

    @property
    def total(self) -> Decimal:
        """The period's cost of poor quality."""
        return sum(self.totals.values(), Decimal("0.00"))


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
    costs: CostFigures | None = None

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
