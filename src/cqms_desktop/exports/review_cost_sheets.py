"""The review workbook's cost of poor quality (不良质量成本) sheets.

- **Cost of poor quality** — the period's totals per cost category, then the same split per
  customer, per product, per defect category and per responsibility (largest first).
- **Cost Pareto** — the cost per defect category with its share and running share, charted.
- **Cost trend** — the 12 months ending with the period, charted.

Amounts are exact to the cent (``Decimal``) and formatted with thousands separators; the
currency is the ``currency`` setting, named in the headers.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference

from ..domain.costs import COST_CATEGORIES
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import kpis as K
from .register_xlsx import Translate
from .review_cells import (
    COUNT_FORMAT,
    CTX,
    RATE_FORMAT,
    TITLE_FONT,
    bar_chart,
    header_row,
    styled_cell,
    table_sheet,
)

MONEY_FORMAT = "#,##0.00"
SHEET_COSTS = QT_TRANSLATE_NOOP("Review", "Cost of poor quality")
SHEET_COST_PARETO = QT_TRANSLATE_NOOP("Review", "Cost Pareto")
SHEET_COST_TREND = QT_TRANSLATE_NOOP("Review", "Cost trend")
_TOTAL = QT_TRANSLATE_NOOP("Review", "Total ({currency})")
_WITH_COST = QT_TRANSLATE_NOOP("Review", "Complaints with costs")
_BLOCKS = (
    ("by_customer", QT_TRANSLATE_NOOP("Review", "Per customer"), False),
    ("by_product", QT_TRANSLATE_NOOP("Review", "Per product"), False),
    ("by_defect_category", QT_TRANSLATE_NOOP("Review", "Per defect category"), False),
    ("by_responsibility", QT_TRANSLATE_NOOP("Review", "Per responsibility"), True),
)


def _money(ws: object, value: Decimal) -> object:
    return styled_cell(ws, value, MONEY_FORMAT)


def _label(row: K.CostRow, enum_label: bool, tr: Translate) -> str:
    if not row.key:  # "(no product)", "(not categorised)", "(not yet determined)"
        return tr("Kpis", row.label)
    return tr("Enums", row.label) if enum_label else row.label


def write_costs(wb: Workbook, costs: K.CostFigures, tr: Translate) -> None:
    """The three cost sheets of the review workbook."""
    total_header = tr(CTX, _TOTAL).format(currency=costs.currency)
    categories = [tr("Costs", label) for label in COST_CATEGORIES.values()]
    ws = table_sheet(wb, tr(CTX, SHEET_COSTS), [16, 34, *[14] * 6, 12])
    ws.append([styled_cell(ws, tr(CTX, SHEET_COSTS), font=TITLE_FONT)])
    ws.append(header_row(ws, ["", "", *categories, total_header, tr(CTX, _WITH_COST)]))
    ws.append(
        [
            styled_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "Period"))),
            styled_cell(ws, tr(CTX, QT_TRANSLATE_NOOP("Review", "All complaints received"))),
            *[_money(ws, costs.totals[name]) for name in COST_CATEGORIES],
            _money(ws, costs.total),
            styled_cell(ws, costs.complaints, COUNT_FORMAT),
        ]
    )
    for attribute, title, enum_label in _BLOCKS:
        rows: list[K.CostRow] = getattr(costs, attribute)
        ws.append([])
        ws.append([styled_cell(ws, tr(CTX, title), font=TITLE_FONT)])
        code = QT_TRANSLATE_NOOP("Review", "Code")
        name = QT_TRANSLATE_NOOP("Review", "Name")
        ws.append(
            header_row(
                ws, [tr(CTX, code), tr(CTX, name), *categories, total_header, tr(CTX, _WITH_COST)]
            )
        )
        for row in rows:
            ws.append(
                [
                    styled_cell(ws, row.key),
                    styled_cell(ws, _label(row, enum_label, tr)),
                    *[_money(ws, row.by_category[n]) for n in COST_CATEGORIES],
                    _money(ws, row.total),
                    styled_cell(ws, row.complaints, COUNT_FORMAT),
                ]
            )
        if not rows:
            no_costs = QT_TRANSLATE_NOOP("Review", "No costs were recorded in this period.")
            ws.append([styled_cell(ws, tr(CTX, no_costs))])
    _write_pareto(wb, costs, total_header, tr)
    _write_trend(wb, costs, total_header, tr)


def _write_pareto(wb: Workbook, costs: K.CostFigures, total_header: str, tr: Translate) -> None:
    ws = table_sheet(wb, tr(CTX, SHEET_COST_PARETO), [34, 16, 12, 16])
    headers = [
        tr(CTX, QT_TRANSLATE_NOOP("Review", "Defect category")),
        total_header,
        tr(CTX, QT_TRANSLATE_NOOP("Review", "Share")),
        tr(CTX, QT_TRANSLATE_NOOP("Review", "Cumulative share")),
    ]
    ws.append(header_row(ws, headers))
    for row in costs.pareto:
        label = tr("Kpis", row.label) if not row.key else row.label
        ws.append(
            [
                styled_cell(ws, label),
                _money(ws, row.total),
                styled_cell(ws, row.share, RATE_FORMAT),
                styled_cell(ws, row.cumulative, RATE_FORMAT),
            ]
        )
    if not costs.pareto:
        no_costs = QT_TRANSLATE_NOOP("Review", "No costs were recorded in this period.")
        ws.append([styled_cell(ws, tr(CTX, no_costs))])
        return
    title = tr(CTX, SHEET_COST_PARETO)
    bars = bar_chart(title, total_header, ws, 2, len(costs.pareto), "F2")
    line = LineChart()
    line.add_data(
        Reference(ws, min_col=4, min_row=1, max_row=len(costs.pareto) + 1), titles_from_data=True
    )
    line.y_axis.axId = 200
    line.y_axis.title = headers[3]
    line.y_axis.number_format = "0%"
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, 1
    line.y_axis.crosses = "max"
    bars += line


def _write_trend(wb: Workbook, costs: K.CostFigures, total_header: str, tr: Translate) -> None:
    ws = table_sheet(wb, tr(CTX, SHEET_COST_TREND), [12, 16])
    ws.append(header_row(ws, [tr(CTX, QT_TRANSLATE_NOOP("Review", "Month")), total_header]))
    for month, amount in costs.trend:
        ws.append([styled_cell(ws, month), _money(ws, amount)])
    bar_chart(tr(CTX, SHEET_COST_TREND), total_header, ws, 2, len(costs.trend), "D2")
