"""The review workbook's Data sheets: the records behind the figures, streamed in chunks.

Each Data sheet has one yes/no column per KPI predicate, so filtering a column on TRUE shows
exactly the records a figure counts. :class:`StepProgress` counts the export's steps and rows
and polls Cancel between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee as pw
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import kpis as K
from ..services.registers import Column
from .register_xlsx import (
    CancelledFn,
    ExportCancelled,
    ProgressFn,
    Translate,
    cell_value,
)
from .review_cells import CTX, header_row, table_sheet
from .xlsx_safe import safe_value

DATA_CHUNK = 2000
DATA_COMPLAINTS = QT_TRANSLATE_NOOP("Review", "Data complaints")
DATA_ACTIONS = QT_TRANSLATE_NOOP("Review", "Data actions")
DATA_FEEDBACK = QT_TRANSLATE_NOOP("Review", "Data feedback")
DATA_VISITS = QT_TRANSLATE_NOOP("Review", "Data visits")
DATA_SURVEYS = QT_TRANSLATE_NOOP("Review", "Data surveys")


@dataclass(frozen=True)
class DataSheet:
    """A Data sheet: its title, columns and the query behind it."""

    title: str
    columns: list[Column]
    query: pw.ModelSelect[Any]


def data_sheets(scope: K.Scope) -> list[DataSheet]:
    """The Data sheets of *scope*, in workbook order."""
    return [
        DataSheet(DATA_COMPLAINTS, K.complaint_record_columns(scope), K.complaint_records(scope)),
        DataSheet(DATA_ACTIONS, K.action_record_columns(scope), K.action_records(scope)),
        DataSheet(DATA_FEEDBACK, K.feedback_record_columns(scope), K.feedback_records(scope)),
        DataSheet(DATA_VISITS, K.visit_record_columns(scope), K.visit_records(scope)),
        DataSheet(DATA_SURVEYS, K.survey_record_columns(scope), K.survey_records(scope)),
    ]


class StepProgress:
    """Counts steps and rows towards one total; polls Cancel."""

    def __init__(self, progress: ProgressFn | None, cancelled: CancelledFn | None) -> None:
        self.progress, self.cancelled = progress, cancelled
        self.done, self.total = 0, 0

    def check(self) -> None:
        """Raise :class:`ExportCancelled` if the user asked to cancel."""
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled(QT_TRANSLATE_NOOP("Errors", "The export was cancelled."))

    def advance(self, amount: int = 1) -> None:
        """Count *amount* steps or rows done, report progress and poll Cancel."""
        self.done += amount
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done))
        self.check()


def write_data(wb: Workbook, sheet: DataSheet, tr: Translate, counter: StepProgress) -> None:
    """Stream *sheet*'s records into a new sheet, :data:`DATA_CHUNK` rows at a time."""
    ws = table_sheet(wb, tr(CTX, sheet.title), [max(10.0, c.width / 7) for c in sheet.columns])
    ws.append(header_row(ws, [tr("Columns", c.label) for c in sheet.columns]))
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
