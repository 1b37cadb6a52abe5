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

The sheets are written by :mod:`.review_summary_sheet`, :mod:`.review_analysis_sheets` and
:mod:`.review_data_sheets` with the helpers of :mod:`.review_cells`; this module assembles
them. Every public name of those modules that was defined here before stays importable here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ..services import kpis as K
from .register_xlsx import (
    CancelledFn,
    ProgressFn,
    Translate,
    check_writable,
    discard_workbook,
    identity_translate,
    save_atomically,
)
from .review_analysis_sheets import (
    CUSTOMER_HEADERS,
    DEFECT_CATEGORY,
    RESPONSIBILITY,
    SHEET_CUSTOMERS,
    SHEET_PARETO_DEFECTS,
    SHEET_PARETO_RESPONSIBILITY,
    SHEET_TREND,
    SHEET_VISITS,
    TOP_CUSTOMERS,
    TREND_HEADERS,
    write_customers,
    write_pareto,
    write_trend,
    write_visits,
)
from .review_cells import (
    COUNT_FORMAT,
    CTX,
    DAYS_FORMAT,
    RATE_FORMAT,
    SCORE_FORMAT,
    TITLE_FONT,
)
from .review_cost_sheets import write_costs
from .review_data_sheets import (
    DATA_ACTIONS,
    DATA_CHUNK,
    DATA_COMPLAINTS,
    DATA_FEEDBACK,
    DATA_SURVEYS,
    DATA_VISITS,
    DataSheet,
    StepProgress,
    data_sheets,
    write_data,
)
from .review_summary_sheet import (
    ITEM_LABELS,
    NOTE_ROW,
    S_ACTIONS,
    S_COMPLAINTS,
    S_FEEDBACK,
    S_SURVEYS,
    S_VISITS,
    SHEET_SUMMARY,
    SUMMARY_HEADER_ROW,
    TITLE,
    KpiLine,
    summary_lines,
    write_summary,
)

__all__ = [
    "COUNT_FORMAT",
    "CTX",
    "CUSTOMER_HEADERS",
    "DATA_ACTIONS",
    "DATA_CHUNK",
    "DATA_COMPLAINTS",
    "DATA_FEEDBACK",
    "DATA_SURVEYS",
    "DATA_VISITS",
    "DAYS_FORMAT",
    "DEFECT_CATEGORY",
    "ITEM_LABELS",
    "KPI_STEPS",
    "NOTE_ROW",
    "RATE_FORMAT",
    "RESPONSIBILITY",
    "SCORE_FORMAT",
    "SHEET_CUSTOMERS",
    "SHEET_PARETO_DEFECTS",
    "SHEET_PARETO_RESPONSIBILITY",
    "SHEET_SUMMARY",
    "SHEET_TREND",
    "SHEET_VISITS",
    "SUMMARY_HEADER_ROW",
    "S_ACTIONS",
    "S_COMPLAINTS",
    "S_FEEDBACK",
    "S_SURVEYS",
    "S_VISITS",
    "TITLE",
    "TITLE_FONT",
    "TOP_CUSTOMERS",
    "TREND_HEADERS",
    "DataSheet",
    "KpiLine",
    "export_review",
    "summary_lines",
    "summary_values",
]

KPI_STEPS = 10


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
    return write_review(
        period,
        customer_code=customer_code,
        output=output,
        progress=progress,
        cancelled=cancelled,
        translate=translate,
        now=now,
    )[0]


def write_review(
    period: K.Period | str,
    *,
    customer_code: str | None = None,
    output: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    translate: Translate = identity_translate,
    now: datetime | None = None,
) -> tuple[Path, K.ReviewKpis]:
    """:func:`export_review`, returning the figures the workbook was written from as well."""
    output = check_writable(output)
    if not isinstance(period, K.Period):
        period = K.parse_period(period)
    counter = StepProgress(progress, cancelled)
    counter.total = KPI_STEPS
    kpis = K.review_kpis(
        period,
        customer_code=customer_code,
        now=now,
        progress=lambda _done, _total: counter.advance(),
    )
    sheets = data_sheets(kpis.scope)
    counter.total = KPI_STEPS + sum(s.query.count() for s in sheets)
    wb = Workbook(write_only=True)
    wb.properties.title = f"{translate(CTX, TITLE)} {period.code}"
    try:
        write_summary(wb, kpis, translate)
        write_pareto(
            wb, SHEET_PARETO_DEFECTS, DEFECT_CATEGORY, kpis.pareto_defects, False, translate
        )
        write_pareto(
            wb,
            SHEET_PARETO_RESPONSIBILITY,
            RESPONSIBILITY,
            kpis.pareto_responsibility,
            True,
            translate,
        )
        write_visits(wb, kpis, translate)
        write_customers(wb, kpis, translate)
        write_trend(wb, kpis, translate)
        if kpis.costs is not None:
            write_costs(wb, kpis.costs, translate)
        for sheet in sheets:
            write_data(wb, sheet, translate, counter)
        counter.check()
        save_atomically(wb, output)
    except BaseException:
        discard_workbook(wb)
        raise
    return output, kpis


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
