"""Cells, column widths, table sheets and bar charts shared by the review workbook's sheets.

Also the number formats and the translation context (``Review``) every sheet uses, so the
sheets format counts, rates, days and scores alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .register_xlsx import HEADER_FONT, sheet_title
from .xlsx_safe import text_cell

CTX = "Review"
COUNT_FORMAT = "0"
RATE_FORMAT = "0.0%"
DAYS_FORMAT = "0.00"
SCORE_FORMAT = "0.00"
TITLE_FONT = Font(bold=True, size=14)


def styled_cell(
    ws: Any, value: Any, number_format: str | None = None, font: Font | None = None
) -> Any:
    """A write-only cell: user text made safe, numbers with *number_format*, optional *font*."""
    if isinstance(value, str):
        cell = text_cell(ws, value)
    else:
        cell = WriteOnlyCell(ws, value)
        if number_format and value is not None:
            cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def header_row(ws: Any, labels: list[str]) -> list[Any]:
    """Bold header cells for *labels*."""
    return [styled_cell(ws, label, font=HEADER_FONT) for label in labels]


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    """Set the widths of the first columns of *ws*, in order."""
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def table_sheet(wb: Workbook, title: str, widths: Sequence[float]) -> Any:
    """A new sheet with column *widths* and its header row frozen."""
    ws = wb.create_sheet(sheet_title(title))
    set_widths(ws, widths)
    ws.freeze_panes = "A2"
    return ws


def bar_chart(title: str, y_title: str, ws: Any, col: int, rows: int, anchor: str) -> BarChart:
    """A bar chart of column *col* (header in row 1, *rows* values, categories in column A)."""
    chart = BarChart()
    chart.title = title
    chart.y_axis.title = y_title
    chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, anchor)
    return chart
