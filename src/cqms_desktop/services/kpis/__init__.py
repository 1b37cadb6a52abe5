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

The package is split by responsibility; this module re-exports every public name, so
``from cqms_desktop.services.kpis import …`` works as before:

- :mod:`.period` — :class:`Period` and :func:`parse_period`;
- :mod:`.scope` — :class:`Scope` and the SQL building blocks (``count_if``, ``flag``, …);
- :mod:`.predicates` — the SQL predicate of each complaint and corrective-action KPI;
- :mod:`.results` — the data classes the review is made of;
- :mod:`.complaints` — complaint and corrective-action figures;
- :mod:`.customer_service` — feedback, visit and survey figures;
- :mod:`.breakdowns` — Pareto charts, the per-customer table and the 12-month trend;
- :mod:`.review` — :func:`review_kpis`, everything for one review;
- :mod:`.complaint_sheets`, :mod:`.customer_service_sheets` — the Data sheets' records.
"""

from __future__ import annotations

from .breakdowns import (
    NOT_CATEGORISED,
    NOT_DETERMINED,
    customer_rows,
    pareto_defects,
    pareto_responsibility,
    responsibility_label,
    trend,
)
from .complaint_sheets import (
    ReferencedComplaint,
    action_record_columns,
    action_records,
    complaint_record_columns,
    complaint_records,
)
from .complaints import (
    action_figures,
    complaint_figures,
)
from .costs import cost_figures, currency, period_cost
from .customer_service import (
    counted_months,
    feedback_by_type,
    feedback_count,
    month_visits,
    survey_averages_by_customer,
    survey_figures,
    survey_target,
)
from .customer_service_sheets import (
    feedback_record_columns,
    feedback_records,
    survey_record_columns,
    survey_records,
    visit_record_columns,
    visit_records,
)
from .period import (
    MAX_YEAR,
    MIN_YEAR,
    TREND_MONTHS,
    Period,
    parse_period,
)
from .predicates import (
    OPEN_LONG_DAYS,
    action_completed,
    action_opened,
    action_overdue,
    action_verified,
    close_seconds,
    complaint_closed_in,
    complaint_late,
    complaint_on_time,
    complaint_open_at_end,
    complaint_open_long,
    complaint_overdue_unhandled,
    complaint_received,
    complaint_repeat,
)
from .results import (
    ActionFigures,
    ComplaintFigures,
    CostFigures,
    CostParetoRow,
    CostRow,
    CustomerRow,
    MonthVisits,
    ParetoRow,
    ReviewKpis,
    SurveyFigures,
    TrendRow,
)
from .review import (
    find_customer,
    review_kpis,
)
from .scope import (
    NEVER,
    SECONDS_PER_DAY,
    Scope,
    count_if,
    flag,
    ratio,
    seconds_between,
)

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "NEVER",
    "NOT_CATEGORISED",
    "NOT_DETERMINED",
    "OPEN_LONG_DAYS",
    "SECONDS_PER_DAY",
    "TREND_MONTHS",
    "ActionFigures",
    "ComplaintFigures",
    "CostFigures",
    "CostParetoRow",
    "CostRow",
    "CustomerRow",
    "MonthVisits",
    "ParetoRow",
    "Period",
    "ReferencedComplaint",
    "ReviewKpis",
    "Scope",
    "SurveyFigures",
    "TrendRow",
    "action_completed",
    "action_figures",
    "action_opened",
    "action_overdue",
    "action_record_columns",
    "action_records",
    "action_verified",
    "close_seconds",
    "complaint_closed_in",
    "complaint_figures",
    "complaint_late",
    "complaint_on_time",
    "complaint_open_at_end",
    "complaint_open_long",
    "complaint_overdue_unhandled",
    "complaint_received",
    "complaint_record_columns",
    "complaint_records",
    "complaint_repeat",
    "cost_figures",
    "count_if",
    "counted_months",
    "currency",
    "customer_rows",
    "feedback_by_type",
    "feedback_count",
    "feedback_record_columns",
    "feedback_records",
    "find_customer",
    "flag",
    "month_visits",
    "pareto_defects",
    "pareto_responsibility",
    "parse_period",
    "period_cost",
    "ratio",
    "responsibility_label",
    "review_kpis",
    "seconds_between",
    "survey_averages_by_customer",
    "survey_figures",
    "survey_record_columns",
    "survey_records",
    "survey_target",
    "trend",
    "visit_record_columns",
    "visit_records",
]
