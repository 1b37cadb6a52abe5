"""The review workbook's analysis sheets, each with native Excel charts.

- **Pareto defects** / **Pareto responsibility** — counts, shares and cumulative shares with
  a bar-and-line chart.
- **Visits** — visit compliance month by month.
- **Per customer** — one line per customer, charting the customers with most complaints.
- **Trend** — the 12 months ending with the period.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter

from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import kpis as K
from .register_xlsx import Translate
from .review_cells import (
    COUNT_FORMAT,
    CTX,
    RATE_FORMAT,
    SCORE_FORMAT,
    bar_chart,
    header_row,
    styled_cell,
    table_sheet,
)

#: Customers shown in the per-customer chart.
TOP_CUSTOMERS = 15
SHEET_PARETO_DEFECTS = QT_TRANSLATE_NOOP("Review", "Pareto defects")
SHEET_PARETO_RESPONSIBILITY = QT_TRANSLATE_NOOP("Review", "Pareto responsibility")
SHEET_VISITS = QT_TRANSLATE_NOOP("Review", "Visits")
SHEET_CUSTOMERS = QT_TRANSLATE_NOOP("Review", "Per customer")
SHEET_TREND = QT_TRANSLATE_NOOP("Review", "Trend")
DEFECT_CATEGORY = QT_TRANSLATE_NOOP("Review", "Defect category")
RESPONSIBILITY = QT_TRANSLATE_NOOP("Review", "Responsibility")


def write_pareto(
    wb: Workbook,
    title: str,
    first: str,
    rows: list[K.ParetoRow],
    enum_labels: bool,
    tr: Translate,
) -> None:
    """A Pareto sheet of *rows* (enum labels translated if *enum_labels*) with its chart."""
    ws = table_sheet(wb, tr(CTX, title), [34, 14, 12, 16])
    headers = [
        first,
        QT_TRANSLATE_NOOP("Review", "Complaints"),
        QT_TRANSLATE_NOOP("Review", "Share"),
        QT_TRANSLATE_NOOP("Review", "Cumulative share"),
    ]
    ws.append(header_row(ws, [tr(CTX, h) for h in headers]))
    for row in rows:
        if not row.key:  # "(not categorised)" / "(not yet determined)"
            label = tr("Kpis", row.label)
        elif enum_labels:
            label = tr("Enums", row.label)
        else:  # a defect category as typed by users
            label = row.label
        ws.append(
            [
                styled_cell(ws, label),
                styled_cell(ws, row.count, COUNT_FORMAT),
                styled_cell(ws, row.share, RATE_FORMAT),
                styled_cell(ws, row.cumulative, RATE_FORMAT),
            ]
        )
    if not rows:
        ws.append(
            [
                styled_cell(
                    ws,
                    tr(
                        CTX,
                        QT_TRANSLATE_NOOP("Review", "No complaints were received in this period."),
                    ),
                )
            ]
        )
        return
    bars = bar_chart(
        tr(CTX, title), tr(CTX, QT_TRANSLATE_NOOP("Review", "Complaints")), ws, 2, len(rows), "F2"
    )
    line = LineChart()
    line.add_data(Reference(ws, min_col=4, min_row=1, max_row=len(rows) + 1), titles_from_data=True)
    line.y_axis.axId = 200
    line.y_axis.title = tr(CTX, QT_TRANSLATE_NOOP("Review", "Cumulative share"))
    line.y_axis.number_format = "0%"
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, 1
    line.y_axis.crosses = "max"
    bars += line


def write_visits(wb: Workbook, k: K.ReviewKpis, tr: Translate) -> None:
    """The Visits sheet: visit compliance month by month, with a chart."""
    ws = table_sheet(wb, tr(CTX, SHEET_VISITS), [12, 20, 20, 18])
    ws.append(
        header_row(
            ws,
            [
                tr(CTX, QT_TRANSLATE_NOOP("Review", "Month")),
                tr(CTX, QT_TRANSLATE_NOOP("Review", "Customers visited")),
                tr(CTX, QT_TRANSLATE_NOOP("Review", "Active customers")),
                tr(CTX, QT_TRANSLATE_NOOP("Review", "Visit compliance")),
            ],
        )
    )
    for m in k.visits_by_month:
        ws.append(
            [
                styled_cell(ws, m.month),
                styled_cell(ws, m.visited, COUNT_FORMAT),
                styled_cell(ws, m.active, COUNT_FORMAT),
                styled_cell(ws, m.rate, RATE_FORMAT),
            ]
        )
    if not k.visits_by_month:
        ws.append(
            [
                styled_cell(
                    ws,
                    tr(CTX, QT_TRANSLATE_NOOP("Review", "No month of this period has begun yet.")),
                )
            ]
        )
        return
    chart = bar_chart(
        tr(CTX, QT_TRANSLATE_NOOP("Review", "Visit compliance")),
        tr(CTX, QT_TRANSLATE_NOOP("Review", "Visit compliance")),
        ws,
        4,
        len(k.visits_by_month),
        "F2",
    )
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1


CUSTOMER_HEADERS = [
    QT_TRANSLATE_NOOP("Review", "Customer code"),
    QT_TRANSLATE_NOOP("Review", "Customer"),
    QT_TRANSLATE_NOOP("Review", "Complaints"),
    QT_TRANSLATE_NOOP("Review", "Urgent"),
    QT_TRANSLATE_NOOP("Review", "Handled on time"),
    QT_TRANSLATE_NOOP("Review", "Handled late"),
    QT_TRANSLATE_NOOP("Review", "Overdue, not handled"),
    QT_TRANSLATE_NOOP("Review", "On-time rate"),
    QT_TRANSLATE_NOOP("Review", "Open at period end"),
    QT_TRANSLATE_NOOP("Review", "Repeat complaints"),
    QT_TRANSLATE_NOOP("Review", "Feedback"),
    QT_TRANSLATE_NOOP("Review", "Visits"),
    QT_TRANSLATE_NOOP("Review", "Months visited"),
    QT_TRANSLATE_NOOP("Review", "Surveys returned"),
    QT_TRANSLATE_NOOP("Review", "Average overall score"),
    QT_TRANSLATE_NOOP("Review", "Below target"),
]


def write_customers(wb: Workbook, k: K.ReviewKpis, tr: Translate) -> None:
    """The Per customer sheet, charting the customers with most complaints."""
    ws = table_sheet(wb, tr(CTX, SHEET_CUSTOMERS), [14, 30] + [12] * (len(CUSTOMER_HEADERS) - 2))
    ws.append(header_row(ws, [tr(CTX, h) for h in CUSTOMER_HEADERS]))
    for r in k.customers:
        c = r.complaints
        values = [
            styled_cell(ws, r.code),
            styled_cell(ws, r.name),
            *(
                styled_cell(ws, v, COUNT_FORMAT)
                for v in (c.received, c.urgent, c.on_time, c.late, c.overdue_unhandled)
            ),
            styled_cell(ws, c.on_time_rate, RATE_FORMAT),
            *(
                styled_cell(ws, v, COUNT_FORMAT)
                for v in (
                    c.open_at_end,
                    c.repeat,
                    r.feedback,
                    r.visits,
                    r.months_visited,
                    r.surveys_returned,
                )
            ),
            styled_cell(ws, r.survey_overall, SCORE_FORMAT),
            r.below_target,
        ]
        ws.append(values)
    last = get_column_letter(len(CUSTOMER_HEADERS))
    ws.auto_filter.ref = f"A1:{last}{len(k.customers) + 1}"
    shown = min(TOP_CUSTOMERS, sum(1 for r in k.customers if r.complaints.received))
    if shown:
        bar_chart(
            tr(CTX, QT_TRANSLATE_NOOP("Review", "Customers with most complaints")),
            tr(CTX, QT_TRANSLATE_NOOP("Review", "Complaints")),
            ws,
            3,
            shown,
            "B" + str(len(k.customers) + 4),
        )


TREND_HEADERS = [
    QT_TRANSLATE_NOOP("Review", "Month"),
    QT_TRANSLATE_NOOP("Review", "Complaints"),
    QT_TRANSLATE_NOOP("Review", "Urgent"),
    QT_TRANSLATE_NOOP("Review", "Handled on time"),
    QT_TRANSLATE_NOOP("Review", "Judged"),
    QT_TRANSLATE_NOOP("Review", "On-time rate"),
    QT_TRANSLATE_NOOP("Review", "Closed"),
    QT_TRANSLATE_NOOP("Review", "Feedback"),
    QT_TRANSLATE_NOOP("Review", "Customers visited"),
    QT_TRANSLATE_NOOP("Review", "Active customers"),
    QT_TRANSLATE_NOOP("Review", "Visit compliance"),
]


def write_trend(wb: Workbook, k: K.ReviewKpis, tr: Translate) -> None:
    """The Trend sheet: the 12 months ending with the period, with two charts."""
    ws = table_sheet(wb, tr(CTX, SHEET_TREND), [10] + [14] * (len(TREND_HEADERS) - 1))
    ws.append(header_row(ws, [tr(CTX, h) for h in TREND_HEADERS]))
    for r in k.trend:
        c = r.complaints
        ws.append(
            [
                styled_cell(ws, r.month),
                *(
                    styled_cell(ws, v, COUNT_FORMAT)
                    for v in (c.received, c.urgent, c.on_time, c.judged)
                ),
                styled_cell(ws, c.on_time_rate, RATE_FORMAT),
                *(
                    styled_cell(ws, v, COUNT_FORMAT)
                    for v in (c.closed, r.feedback, r.visits.visited, r.visits.active)
                ),
                styled_cell(ws, r.visits.rate, RATE_FORMAT),
            ]
        )
    n = len(k.trend)
    bar_chart(
        tr(CTX, QT_TRANSLATE_NOOP("Review", "Complaints per month")),
        tr(CTX, QT_TRANSLATE_NOOP("Review", "Complaints")),
        ws,
        2,
        n,
        "A15",
    )
    rates = LineChart()
    rates.title = tr(CTX, QT_TRANSLATE_NOOP("Review", "On-time handling and visit compliance"))
    rates.y_axis.number_format = "0%"
    rates.y_axis.scaling.min, rates.y_axis.scaling.max = 0, 1
    for col in (6, 11):
        rates.add_data(Reference(ws, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True)
    rates.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
    rates.height, rates.width = 8, 18
    ws.add_chart(rates, "H15")
