"""The management-review workbook: KPIs, Paretos, per-customer table, trend, charts, data.

Sheets, in order:

- **Summary** — every KPI of :mod:`services.kpis` with its value, where to trace it and a
  stable code (``complaints.received`` …) so other tools and the tests can find it.
- **Pareto defects** / **Pareto responsibility** — counts, shares and cumulative shares with
  a native Excel bar-and-line chart.
- **Visits** — visit compliance month by month, with a chart.
- **Per customer** — one line per customer, with a chart of the customers with most
  complaints.
- **Trend** — the 12 months ending with the period, with charts.
- **Data …** — the records behind the figures, with one yes/no column per KPI predicate, so
  filtering a column on TRUE shows exactly the records a figure counts.

The workbook is streamed (openpyxl write-only mode) so a year with many records does not
fill the memory; progress is reported and Cancel honoured between steps and chunks. An empty
period gives the same workbook with zeros and a note, never an error. Text entered by users
goes through :mod:`.xlsx_safe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee as pw
from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..domain import enums as E
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import kpis as K
from ..services.registers import Column
from .register_xlsx import (
    DATETIME_FORMAT,
    HEADER_FONT,
    CancelledFn,
    ExportCancelled,
    ProgressFn,
    Translate,
    cell_value,
    check_writable,
    discard_workbook,
    identity_translate,
    local_naive,
    save_atomically,
    sheet_title,
)
from .xlsx_safe import safe_value, text_cell

CTX = "Review"
COUNT_FORMAT = "0"
RATE_FORMAT = "0.0%"
DAYS_FORMAT = "0.00"
SCORE_FORMAT = "0.00"
TITLE_FONT = Font(bold=True, size=14)
#: Customers shown in the per-customer chart.
TOP_CUSTOMERS = 15
DATA_CHUNK = 2000
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
DATA_COMPLAINTS = QT_TRANSLATE_NOOP("Review", "Data complaints")
DATA_ACTIONS = QT_TRANSLATE_NOOP("Review", "Data actions")
DATA_FEEDBACK = QT_TRANSLATE_NOOP("Review", "Data feedback")
DATA_VISITS = QT_TRANSLATE_NOOP("Review", "Data visits")
DATA_SURVEYS = QT_TRANSLATE_NOOP("Review", "Data surveys")
TITLE = QT_TRANSLATE_NOOP("Review", "Management review")
SHEET_SUMMARY = QT_TRANSLATE_NOOP("Review", "Summary")
SHEET_PARETO_DEFECTS = QT_TRANSLATE_NOOP("Review", "Pareto defects")
SHEET_PARETO_RESPONSIBILITY = QT_TRANSLATE_NOOP("Review", "Pareto responsibility")
SHEET_VISITS = QT_TRANSLATE_NOOP("Review", "Visits")
SHEET_CUSTOMERS = QT_TRANSLATE_NOOP("Review", "Per customer")
SHEET_TREND = QT_TRANSLATE_NOOP("Review", "Trend")
DEFECT_CATEGORY = QT_TRANSLATE_NOOP("Review", "Defect category")
RESPONSIBILITY = QT_TRANSLATE_NOOP("Review", "Responsibility")
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
         QT_TRANSLATE_NOOP("Review", "Customer-months due (active customers × months begun)"),
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
    return lines


# ====================================================================== sheet helpers
def _cell(ws: Any, value: Any, number_format: str | None = None, font: Font | None = None) -> Any:
    if isinstance(value, str):
        cell = text_cell(ws, value)
    else:
        cell = WriteOnlyCell(ws, value)
        if number_format and value is not None:
            cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _header(ws: Any, labels: list[str]) -> list[Any]:
    return [_cell(ws, label, font=HEADER_FONT) for label in labels]


def _widths(ws: Any, widths: list[float]) -> None:
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _table_sheet(wb: Workbook, title: str, widths: list[float]) -> Any:
    ws = wb.create_sheet(sheet_title(title))
    _widths(ws, widths)
    ws.freeze_panes = "A2"
    return ws


def _bar_chart(title: str, y_title: str, ws: Any, col: int, rows: int, anchor: str) -> BarChart:
    chart = BarChart()
    chart.title = title
    chart.y_axis.title = y_title
    chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, anchor)
    return chart


# ====================================================================== the sheets
def _write_summary(wb: Workbook, k: K.ReviewKpis, tr: Translate) -> None:
    ws = wb.create_sheet(sheet_title(tr(CTX, SHEET_SUMMARY)))
    _widths(ws, [24, 52, 14, 60, 34])
    ws.freeze_panes = f"A{SUMMARY_HEADER_ROW + 1}"  # write-only: before the first row
    period = k.scope.period
    ws.append([_cell(ws, f"{tr(CTX, TITLE)} {period.code}", font=TITLE_FONT)])
    ws.append(
        [
            _cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Period"))),
            _cell(ws, period.code),
            _cell(ws, f"{period.start.isoformat()} – {period.end.isoformat()}"),
        ]
    )
    who = (
        f"{k.customer_code} {k.customer_name}"
        if k.customer_code
        else tr(CTX, QT_TRANSLATE_NOOP("Review", "All customers"))
    )
    ws.append([_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Customer"))), _cell(ws, who)])
    ws.append(
        [
            _cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Judged at (overdue items)"))),
            _cell(ws, local_naive(k.scope.now), DATETIME_FORMAT),
        ]
    )
    ws.append(
        [
            _cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Satisfaction target"))),
            _cell(ws, k.surveys.target, SCORE_FORMAT),
        ]
    )
    note = ""
    if k.is_empty:
        note = tr(
            CTX, "No records fall in this period: every count is zero and rates are left empty."
        )
    ws.append(
        [_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Note"))), _cell(ws, note)] if note else []
    )
    ws.append([])
    labels = ["Section", "Indicator", "Value", "Traced in", "Code"]
    ws.append(_header(ws, [tr(CTX, label) for label in labels]))
    for line in summary_lines(k, tr):
        ws.append(
            [
                _cell(ws, line.section),
                _cell(ws, line.label),
                _cell(ws, line.value, line.number_format),
                _cell(ws, line.trace),
                _cell(ws, line.code),
            ]
        )


def _write_pareto(
    wb: Workbook,
    title: str,
    first: str,
    rows: list[K.ParetoRow],
    enum_labels: bool,
    tr: Translate,
) -> None:
    ws = _table_sheet(wb, tr(CTX, title), [34, 14, 12, 16])
    headers = [
        first,
        QT_TRANSLATE_NOOP("Review", "Complaints"),
        QT_TRANSLATE_NOOP("Review", "Share"),
        QT_TRANSLATE_NOOP("Review", "Cumulative share"),
    ]
    ws.append(_header(ws, [tr(CTX, h) for h in headers]))
    for row in rows:
        if not row.key:  # "(not categorised)" / "(not yet determined)"
            label = tr("Kpis", row.label)
        elif enum_labels:
            label = tr("Enums", row.label)
        else:  # a defect category as typed by users
            label = row.label
        ws.append(
            [
                _cell(ws, label),
                _cell(ws, row.count, COUNT_FORMAT),
                _cell(ws, row.share, RATE_FORMAT),
                _cell(ws, row.cumulative, RATE_FORMAT),
            ]
        )
    if not rows:
        ws.append(
            [
                _cell(
                    ws,
                    tr(
                        CTX,
                        QT_TRANSLATE_NOOP("Review", "No complaints were received in this period."),
                    ),
                )
            ]
        )
        return
    bars = _bar_chart(
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


def _write_visits(wb: Workbook, k: K.ReviewKpis, tr: Translate) -> None:
    ws = _table_sheet(wb, tr(CTX, SHEET_VISITS), [12, 20, 20, 18])
    ws.append(
        _header(
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
                _cell(ws, m.month),
                _cell(ws, m.visited, COUNT_FORMAT),
                _cell(ws, m.active, COUNT_FORMAT),
                _cell(ws, m.rate, RATE_FORMAT),
            ]
        )
    if not k.visits_by_month:
        ws.append(
            [
                _cell(
                    ws,
                    tr(CTX, QT_TRANSLATE_NOOP("Review", "No month of this period has begun yet.")),
                )
            ]
        )
        return
    chart = _bar_chart(
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


def _write_customers(wb: Workbook, k: K.ReviewKpis, tr: Translate) -> None:
    ws = _table_sheet(wb, tr(CTX, SHEET_CUSTOMERS), [14, 30] + [12] * (len(CUSTOMER_HEADERS) - 2))
    ws.append(_header(ws, [tr(CTX, h) for h in CUSTOMER_HEADERS]))
    for r in k.customers:
        c = r.complaints
        values = [
            _cell(ws, r.code),
            _cell(ws, r.name),
            *(
                _cell(ws, v, COUNT_FORMAT)
                for v in (c.received, c.urgent, c.on_time, c.late, c.overdue_unhandled)
            ),
            _cell(ws, c.on_time_rate, RATE_FORMAT),
            *(
                _cell(ws, v, COUNT_FORMAT)
                for v in (
                    c.open_at_end,
                    c.repeat,
                    r.feedback,
                    r.visits,
                    r.months_visited,
                    r.surveys_returned,
                )
            ),
            _cell(ws, r.survey_overall, SCORE_FORMAT),
            r.below_target,
        ]
        ws.append(values)
    last = get_column_letter(len(CUSTOMER_HEADERS))
    ws.auto_filter.ref = f"A1:{last}{len(k.customers) + 1}"
    shown = min(TOP_CUSTOMERS, sum(1 for r in k.customers if r.complaints.received))
    if shown:
        _bar_chart(
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


def _write_trend(wb: Workbook, k: K.ReviewKpis, tr: Translate) -> None:
    ws = _table_sheet(wb, tr(CTX, SHEET_TREND), [10] + [14] * (len(TREND_HEADERS) - 1))
    ws.append(_header(ws, [tr(CTX, h) for h in TREND_HEADERS]))
    for r in k.trend:
        c = r.complaints
        ws.append(
            [
                _cell(ws, r.month),
                *(_cell(ws, v, COUNT_FORMAT) for v in (c.received, c.urgent, c.on_time, c.judged)),
                _cell(ws, c.on_time_rate, RATE_FORMAT),
                *(
                    _cell(ws, v, COUNT_FORMAT)
                    for v in (c.closed, r.feedback, r.visits.visited, r.visits.active)
                ),
                _cell(ws, r.visits.rate, RATE_FORMAT),
            ]
        )
    n = len(k.trend)
    _bar_chart(
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


@dataclass(frozen=True)
class DataSheet:
    """A Data sheet: its title, columns and the query behind it."""

    title: str
    columns: list[Column]
    query: pw.ModelSelect


def _data_sheets(scope: K.Scope) -> list[DataSheet]:
    return [
        DataSheet(DATA_COMPLAINTS, K.complaint_record_columns(scope), K.complaint_records(scope)),
        DataSheet(DATA_ACTIONS, K.action_record_columns(scope), K.action_records(scope)),
        DataSheet(DATA_FEEDBACK, K.feedback_record_columns(scope), K.feedback_records(scope)),
        DataSheet(DATA_VISITS, K.visit_record_columns(scope), K.visit_records(scope)),
        DataSheet(DATA_SURVEYS, K.survey_record_columns(scope), K.survey_records(scope)),
    ]


class _Progress:
    """Counts steps and rows towards one total; polls Cancel."""

    def __init__(self, progress: ProgressFn | None, cancelled: CancelledFn | None) -> None:
        self.progress, self.cancelled = progress, cancelled
        self.done, self.total = 0, 0

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled(QT_TRANSLATE_NOOP("Errors", "The export was cancelled."))

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done))
        self.check()


def _write_data(wb: Workbook, sheet: DataSheet, tr: Translate, counter: _Progress) -> None:
    ws = _table_sheet(wb, tr(CTX, sheet.title), [max(10.0, c.width / 7) for c in sheet.columns])
    ws.append(_header(ws, [tr("Columns", c.label) for c in sheet.columns]))
    written = 0
    while True:
        rows = list(sheet.query.offset(written).limit(DATA_CHUNK).dicts())
        for row in rows:
            ws.append([cell_value(ws, c, row[c.key], tr) for c in sheet.columns])
        written += len(rows)
        counter.advance(len(rows))
        if len(rows) < DATA_CHUNK:
            break
    if not written:
        ws.append([safe_value(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "No records.")))])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{written + 1}"


KPI_STEPS = 9


def export_review(
    period: K.Period | str,
    *,
    customer_code: str | None = None,
    output: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    translate: Translate = identity_translate,
    now: datetime | None = None,
) -> Path:
    """Write the management-review workbook for *period* (one customer if *customer_code*).

    *now* (naive UTC) is the moment overdue items are judged at (default: the present).
    Returns the path written. Raises ``ValidationError`` for a period that does not exist,
    ``NotFoundError`` for an unknown customer, :class:`ExportCancelled` on cancel (no file).
    """
    output = check_writable(output)
    if not isinstance(period, K.Period):
        period = K.parse_period(period)
    counter = _Progress(progress, cancelled)
    counter.total = KPI_STEPS
    kpis = K.review_kpis(
        period,
        customer_code=customer_code,
        now=now,
        progress=lambda _done, _total: counter.advance(),
    )
    sheets = _data_sheets(kpis.scope)
    counter.total = KPI_STEPS + sum(s.query.count() for s in sheets)
    wb = Workbook(write_only=True)
    wb.properties.title = f"{translate(CTX, TITLE)} {period.code}"
    try:
        _write_summary(wb, kpis, translate)
        _write_pareto(
            wb, SHEET_PARETO_DEFECTS, DEFECT_CATEGORY, kpis.pareto_defects, False, translate
        )
        _write_pareto(
            wb,
            SHEET_PARETO_RESPONSIBILITY,
            RESPONSIBILITY,
            kpis.pareto_responsibility,
            True,
            translate,
        )
        _write_visits(wb, kpis, translate)
        _write_customers(wb, kpis, translate)
        _write_trend(wb, kpis, translate)
        for sheet in sheets:
            _write_data(wb, sheet, translate, counter)
        counter.check()
        save_atomically(wb, output)
    except BaseException:
        discard_workbook(wb)
        raise
    return output


def summary_values(path: Path) -> dict[str, Any]:
    """Read back a review workbook's Summary: KPI code → value (for checks and the CLI)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        ws = wb.worksheets[0]
        values: dict[str, Any] = {}
        for row in ws.iter_rows(min_row=SUMMARY_HEADER_ROW + 1, values_only=True):
            if len(row) >= 5 and row[4]:
                values[str(row[4])] = row[2]
        return values
    finally:
        wb.close()
