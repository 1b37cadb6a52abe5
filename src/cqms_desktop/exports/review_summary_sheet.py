"""The review workbook's Summary sheet: every KPI with its value, trace and stable code.

Each line names where to trace the figure (a Data sheet and its TRUE columns) and carries a
stable code (``complaints.received`` …) so other tools and the tests can find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from ..domain import enums as E
from ..domain.costs import COST_CATEGORIES
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import kpis as K
from .register_xlsx import (
    DATETIME_FORMAT,
    Translate,
    identity_translate,
    local_naive,
    sheet_title,
)
from .review_analysis_sheets import SHEET_VISITS
from .review_cells import (
    COUNT_FORMAT,
    CTX,
    DAYS_FORMAT,
    RATE_FORMAT,
    SCORE_FORMAT,
    TITLE_FONT,
    header_row,
    set_widths,
    styled_cell,
)
from .review_cost_sheets import MONEY_FORMAT, SHEET_COSTS
from .review_data_sheets import (
    DATA_ACTIONS,
    DATA_COMPLAINTS,
    DATA_FEEDBACK,
    DATA_SURVEYS,
)

#: Row of the Summary sheet where the KPI table's header is (rows above: title, scope, note).
SUMMARY_HEADER_ROW = 8
NOTE_ROW = 6


@dataclass(frozen=True)
class KpiLine:
    """One line of the Summary sheet."""

    code: str
    section: str
    label: str
    value: Any
    number_format: str = COUNT_FORMAT
    trace: str = ""


S_COMPLAINTS = QT_TRANSLATE_NOOP("Review", "Complaints")
S_ACTIONS = QT_TRANSLATE_NOOP("Review", "Corrective actions")
S_FEEDBACK = QT_TRANSLATE_NOOP("Review", "Feedback")
S_VISITS = QT_TRANSLATE_NOOP("Review", "Visits")
S_SURVEYS = QT_TRANSLATE_NOOP("Review", "Satisfaction surveys")
S_COSTS = QT_TRANSLATE_NOOP("Review", "Cost of poor quality ({currency})")
TITLE = QT_TRANSLATE_NOOP("Review", "Management review")
SHEET_SUMMARY = QT_TRANSLATE_NOOP("Review", "Summary")
ITEM_LABELS = {
    "quality": QT_TRANSLATE_NOOP("Review", "Average score: quality"),
    "service": QT_TRANSLATE_NOOP("Review", "Average score: service"),
    "price": QT_TRANSLATE_NOOP("Review", "Average score: price"),
    "delivery": QT_TRANSLATE_NOOP("Review", "Average score: delivery"),
}


def summary_lines(k: K.ReviewKpis, tr: Translate = identity_translate) -> list[KpiLine]:
    """The Summary sheet's KPI lines (labels translated with *tr*)."""
    c, a, s = k.complaints, k.actions, k.surveys

    def traced(sheet: str, *columns: str) -> str:
        cols = ", ".join(f"{tr('Columns', col)} = TRUE" for col in columns)
        return f"{tr(CTX, sheet)}: {cols}" if cols else tr(CTX, sheet)

    dc, da = DATA_COMPLAINTS, DATA_ACTIONS
    received = "Received in period"  # the Data sheet column (context Columns)
    closed = "Closed in period"
    # (code, section, label, value, number format, where to trace it)
    table: list[tuple[str, str, str, Any, str, str]] = [
        ("complaints.received", S_COMPLAINTS, QT_TRANSLATE_NOOP("Review", "Received"),
         c.received, COUNT_FORMAT, traced(dc, received)),
        ("complaints.urgent", S_COMPLAINTS, QT_TRANSLATE_NOOP("Review", "Received, urgent"),
         c.urgent, COUNT_FORMAT, traced(dc, received)),
        ("complaints.normal", S_COMPLAINTS, QT_TRANSLATE_NOOP("Review", "Received, normal"),
         c.normal, COUNT_FORMAT, traced(dc, received)),
        ("complaints.on_time", S_COMPLAINTS,
         QT_TRANSLATE_NOOP("Review", "Handled on time (within the 2/7-day limit)"),
         c.on_time, COUNT_FORMAT, traced(dc, received, "Handled on time")),
        ("complaints.late", S_COMPLAINTS, QT_TRANSLATE_NOOP("Review", "Handled late"),
         c.late, COUNT_FORMAT, traced(dc, received, "Handled late")),
        ("complaints.overdue_unhandled", S_COMPLAINTS,
         QT_TRANSLATE_NOOP("Review", "Overdue, not yet handled"),
         c.overdue_unhandled, COUNT_FORMAT, traced(dc, received, "Overdue, not handled")),
        ("complaints.on_time_rate", S_COMPLAINTS,
         QT_TRANSLATE_NOOP("Review", "On-time rate: on time ÷ (on time + late + overdue)"),
         c.on_time_rate, RATE_FORMAT, ""),
        ("complaints.closed", S_COMPLAINTS, QT_TRANSLATE_NOOP("Review", "Closed in period"),
         c.closed, COUNT_FORMAT, traced(dc, closed)),
        ("complaints.mean_days_to_close", S_COMPLAINTS,
         QT_TRANSLATE_NOOP("Review", "Mean days to close"),
         c.mean_days_to_close, DAYS_FORMAT, traced(dc, closed)),
        ("complaints.median_days_to_close", S_COMPLAINTS,
         QT_TRANSLATE_NOOP("Review", "Median days to close"),
         c.median_days_to_close, DAYS_FORMAT, traced(dc, closed)),
        ("complaints.open_at_end", S_COMPLAINTS,
         QT_TRANSLATE_NOOP("Review", "Open at period end"),
         c.open_at_end, COUNT_FORMAT, traced(dc, "Open at period end")),
        ("complaints.open_long", S_COMPLAINTS,
         QT_TRANSLATE_NOOP("Review", "Open over 30 days at period end"),
         c.open_long, COUNT_FORMAT, traced(dc, "Open over 30 days")),
        ("complaints.repeat", S_COMPLAINTS, QT_TRANSLATE_NOOP("Review", "Repeat complaints"),
         c.repeat, COUNT_FORMAT, traced(dc, received, "Repeat complaint")),
        ("actions.opened", S_ACTIONS, QT_TRANSLATE_NOOP("Review", "Opened"),
         a.opened, COUNT_FORMAT, traced(da, "Opened in period")),
        ("actions.completed", S_ACTIONS, QT_TRANSLATE_NOOP("Review", "Carried out"),
         a.completed, COUNT_FORMAT, traced(da, "Carried out in period")),
        ("actions.verified", S_ACTIONS, QT_TRANSLATE_NOOP("Review", "Verified"),
         a.verified, COUNT_FORMAT, traced(da, "Verified in period")),
        ("actions.overdue", S_ACTIONS, QT_TRANSLATE_NOOP("Review", "Overdue at period end"),
         a.overdue, COUNT_FORMAT, traced(da, "Overdue at period end")),
        ("feedback.total", S_FEEDBACK, QT_TRANSLATE_NOOP("Review", "Received"),
         k.feedback_total, COUNT_FORMAT, traced(DATA_FEEDBACK, received)),
    ]  # fmt: skip
    lines = [
        KpiLine(code, tr(CTX, section), tr(CTX, label), value, fmt, trace)
        for code, section, label, value, fmt, trace in table
    ]
    for ftype in E.FeedbackType:
        count = k.feedback_by_type.get(ftype.value, 0)
        trace = traced(DATA_FEEDBACK, received) + f", {tr('Columns', 'Type')}"
        label = tr("Enums", ftype.label)
        lines.append(KpiLine(f"feedback.{ftype.value}", tr(CTX, S_FEEDBACK), label, count,
                             COUNT_FORMAT, trace))  # fmt: skip
    visited = sum(m.visited for m in k.visits_by_month)
    due = sum(m.active for m in k.visits_by_month)
    surveys = tr(CTX, DATA_SURVEYS)
    table = [
        ("visits.customer_months_visited", S_VISITS,
         QT_TRANSLATE_NOOP("Review", "Customer-months visited"),
         visited, COUNT_FORMAT, tr(CTX, SHEET_VISITS)),
        ("visits.customer_months_due", S_VISITS,
         QT_TRANSLATE_NOOP("Review", "Customer-months due (active customers × months ended)"),
         due, COUNT_FORMAT, tr(CTX, SHEET_VISITS)),
        ("visits.compliance", S_VISITS, QT_TRANSLATE_NOOP("Review", "Visit compliance"),
         k.visit_compliance, RATE_FORMAT, tr(CTX, SHEET_VISITS)),
        ("surveys.total", S_SURVEYS,
         QT_TRANSLATE_NOOP("Review", "Surveys of the period's quarters"),
         s.total, COUNT_FORMAT, surveys),
        ("surveys.sent", S_SURVEYS, QT_TRANSLATE_NOOP("Review", "Sent"),
         s.sent, COUNT_FORMAT, surveys),
        ("surveys.returned", S_SURVEYS, QT_TRANSLATE_NOOP("Review", "Returned"),
         s.returned, COUNT_FORMAT, surveys),
    ]  # fmt: skip
    table += [
        (f"surveys.average.{item}", S_SURVEYS, ITEM_LABELS[item],
         s.item_averages.get(item), SCORE_FORMAT, surveys)
        for item in ITEM_LABELS
    ]  # fmt: skip
    table += [
        ("surveys.average.overall", S_SURVEYS,
         QT_TRANSLATE_NOOP("Review", "Average overall score"),
         s.overall_average, SCORE_FORMAT, surveys),
        ("surveys.target", S_SURVEYS, QT_TRANSLATE_NOOP("Review", "Satisfaction target"),
         s.target, SCORE_FORMAT, ""),
        ("surveys.below_target", S_SURVEYS,
         QT_TRANSLATE_NOOP("Review", "Customers below target"),
         len(s.below_target), COUNT_FORMAT, ", ".join(s.below_target)),
    ]  # fmt: skip
    lines += [
        KpiLine(code, tr(CTX, section), tr(CTX, label), value, fmt, trace)
        for code, section, label, value, fmt, trace in table
    ]
    if k.costs is not None:
        lines += _cost_lines(k.costs, tr)
    return lines


def _cost_lines(costs: K.CostFigures, tr: Translate) -> list[KpiLine]:
    """The cost of poor quality: the total and each category (amounts as numbers)."""
    section = tr(CTX, S_COSTS).format(currency=costs.currency)
    trace = tr(CTX, SHEET_COSTS)
    lines = [
        KpiLine("costs.total", section, tr(CTX, QT_TRANSLATE_NOOP("Review", "Total")),
                float(costs.total), MONEY_FORMAT, trace),
        KpiLine("costs.complaints", section,
                tr(CTX, QT_TRANSLATE_NOOP("Review", "Complaints with costs")),
                costs.complaints, COUNT_FORMAT, trace),
    ]  # fmt: skip
    lines += [
        KpiLine(f"costs.{name.removeprefix('cost_')}", section, tr("Costs", label),
                float(costs.totals[name]), MONEY_FORMAT, trace)
        for name, label in COST_CATEGORIES.items()
    ]  # fmt: skip
    return lines


def write_summary(wb: Workbook, k: K.ReviewKpis, tr: Translate) -> None:
    """The Summary sheet: title, scope, note, then the KPI table at :data:`SUMMARY_HEADER_ROW`."""
    ws = wb.create_sheet(sheet_title(tr(CTX, SHEET_SUMMARY)))
    set_widths(ws, [24, 52, 14, 60, 34])
    ws.freeze_panes = f"A{SUMMARY_HEADER_ROW + 1}"  # write-only: before the first row
    period = k.scope.period
    ws.append([styled_cell(ws, f"{tr(CTX, TITLE)} {period.code}", font=TITLE_FONT)])
    ws.append(
        [
            styled_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Period"))),
            styled_cell(ws, period.code),
            styled_cell(ws, f"{period.start.isoformat()} – {period.end.isoformat()}"),
        ]
    )
    who = (
        f"{k.customer_code} {k.customer_name}"
        if k.customer_code
        else tr(CTX, QT_TRANSLATE_NOOP("Review", "All customers"))
    )
    ws.append(
        [styled_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Customer"))), styled_cell(ws, who)]
    )
    ws.append(
        [
            styled_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Judged at (overdue items)"))),
            styled_cell(ws, local_naive(k.scope.now), DATETIME_FORMAT),
        ]
    )
    ws.append(
        [
            styled_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Satisfaction target"))),
            styled_cell(ws, k.surveys.target, SCORE_FORMAT),
        ]
    )
    note = ""
    if k.is_empty:
        note = tr(
            CTX, "No records fall in this period: every count is zero and rates are left empty."
        )
    ws.append(
        [styled_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Note"))), styled_cell(ws, note)]
        if note
        else []
    )
    ws.append([])
    labels = ["Section", "Indicator", "Value", "Traced in", "Code"]
    ws.append(header_row(ws, [tr(CTX, label) for label in labels]))
    for line in summary_lines(k, tr):
        ws.append(
            [
                styled_cell(ws, line.section),
                styled_cell(ws, line.label),
                styled_cell(ws, line.value, line.number_format),
                styled_cell(ws, line.trace),
                styled_cell(ws, line.code),
            ]
        )
