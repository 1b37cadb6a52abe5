"""Export a register — exactly what a list shows, its filter and its sort — to an xlsx file.

The rows come from :meth:`services.registers.Register.page`, the query the UI's list and
``cqms list`` use, fetched in chunks and streamed into an openpyxl *write-only* workbook, so
100,000 rows need neither the rows nor the sheet in memory. The sheet has a header row of
the translated column labels, frozen panes under it, an autofilter over the data and column
widths from :attr:`Column.width`. Dates and times are real Excel dates (times converted from
the stored UTC to the PC's local time), numbers are numbers, yes/no columns are booleans and
enumerated codes appear as their labels. User text goes through :mod:`.xlsx_safe`.

Long exports report ``progress(done, total)`` and poll ``cancelled()`` between chunks; on
cancel the partial file is removed and :class:`ExportCancelled` is raised. The workbook is
written to a temporary file next to the target and renamed at the end, so an existing file
is never left half-overwritten.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..domain.clock import to_local
from ..domain.errors import CqmsError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services.registers import Column, Filter, Register
from .xlsx_safe import safe_value, text_cell

Translate = Callable[[str, str], str]
ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]

#: Rows fetched per query; progress and cancellation are checked between chunks.
CHUNK_ROWS = 2000
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: Pixels per character of Excel's default font, to turn list widths into Excel widths.
PIXELS_PER_CHAR = 7
HEADER_FONT = Font(bold=True)
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class ExportCancelled(CqmsError):
    """The user cancelled an export; no file was written."""


def identity_translate(_context: str, text: str) -> str:
    """The default translator: the English source text unchanged."""
    return text


def sheet_title(text: str) -> str:
    """*text* made acceptable as a worksheet name (no ``[]:*?/\\``, at most 31 characters)."""
    title = _SHEET_TITLE_FORBIDDEN.sub(" ", text).strip() or "Sheet"
    return title[:31]


def excel_width(pixels: int) -> float:
    """An Excel column width (in characters) for a list column *pixels* wide."""
    return max(6.0, round(pixels / PIXELS_PER_CHAR, 1))


def local_naive(value: datetime) -> datetime:
    """A stored UTC time as the company's wall-clock time without zone (what Excel holds)."""
    return to_local(value).replace(tzinfo=None)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_number(value: Any, kind: str) -> int | Decimal | None:
    if value is None or value == "":
        return None
    if kind == "int":
        return int(value)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _formatted(ws: Any, value: Any, number_format: str) -> Any:
    cell = WriteOnlyCell(ws, value)
    cell.number_format = number_format
    return cell


def header_cell(ws: Any, text: str) -> Any:
    """A bold header cell holding *text* as a string."""
    cell = text_cell(ws, text)
    cell.font = HEADER_FONT
    return cell


def cell_value(ws: Any, column: Column, value: Any, translate: Translate) -> Any:
    """The value of one register cell, typed for Excel (a plain value or a write-only cell)."""
    kind = column.kind
    if value is None:
        return None
    if kind == "datetime":
        moment = _as_datetime(value)
        return None if moment is None else _formatted(ws, local_naive(moment), DATETIME_FORMAT)
    if kind == "date":
        day = _as_date(value)
        return None if day is None else _formatted(ws, day, DATE_FORMAT)
    if kind in ("int", "decimal"):
        return _as_number(value, kind)
    if kind == "bool":
        return bool(int(value)) if not isinstance(value, bool) else value
    if kind == "enum" and column.enum is not None:
        try:
            return translate("Enums", column.enum(value).label)
        except ValueError:  # a code this program version does not know: show it as stored
            return safe_value(ws, str(value))
    return safe_value(ws, str(value))


def discard_workbook(wb: Workbook) -> None:
    """Close and delete the temporary files of an unsaved write-only workbook."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        # Close the row stream first, or the garbage collector closes it later on a closed
        # file and Python reports an ignored exception.
        rows = getattr(ws, "_rows", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        with contextlib.suppress(Exception):  # the stream may be half-written: just drop it
            writer.xf.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def save_atomically(wb: Workbook, output: Path) -> None:
    """Save *wb* to a temporary file beside *output*, then move it into place."""
    output = Path(output)
    partial = output.with_name(f".{output.name}.part")
    try:
        wb.save(partial)
        os.replace(partial, output)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def check_writable(output: Path) -> Path:
    """*output* as a path whose folder exists, or a clear error naming it."""
    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The export file “{path}” must end in .xlsx."),
            field="output",
            path=str(output),
        )
    if not output.parent.is_dir():
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The folder “{path}” does not exist."),
            field="output",
            path=str(output.parent),
        )
    return output


def _chunks(
    register: Register, flt: Filter, sort: str | None, descending: bool | None, size: int
) -> Iterator[list[dict[str, Any]]]:
    offset = 0
    while True:
        rows = register.page(flt, sort=sort, descending=descending, offset=offset, limit=size)
        if rows:
            yield rows
        if len(rows) < size:
            return
        offset += size


def _shown_columns(register: Register, keys: Sequence[str] | None) -> list[Column]:
    if keys is None:
        return list(register.columns)
    known = {c.key: c for c in register.columns}
    unknown = [k for k in keys if k not in known]
    if unknown or not keys:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The list has no column “{column}” to export."),
            field="columns",
            column=unknown[0] if unknown else "",
        )
    return [known[k] for k in keys]


def export_register(
    register: Register,
    flt: Filter,
    *,
    sort: str | None = None,
    descending: bool | None = None,
    output: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    lang: str = "en",
    translate: Translate = identity_translate,
    chunk: int = CHUNK_ROWS,
    columns: Sequence[str] | None = None,
) -> int:
    """Write the rows of *register* matching *flt*, in the list's sort order, to *output*.

    *columns* lists the column keys in the order the list shows them (hidden columns left
    out); by default every column of the register. Returns the number of data rows written.
    Raises :class:`ExportCancelled` (and leaves no file) when ``cancelled()`` turns true;
    *lang* is recorded as the workbook's language.
    """
    output = check_writable(output)
    total = register.count(flt)
    shown = _shown_columns(register, columns)
    wb = Workbook(write_only=True)
    wb.properties.language = lang
    wb.properties.title = translate("Registers", register.title)
    ws = wb.create_sheet(sheet_title(translate("Registers", register.title)))
    try:
        # Column widths and the frozen header must be set before the first row is streamed.
        for index, column in enumerate(shown, 1):
            ws.column_dimensions[get_column_letter(index)].width = excel_width(column.width)
        ws.freeze_panes = "A2"
        ws.append([header_cell(ws, translate("Columns", c.label)) for c in shown])
        done = 0
        if progress is not None:
            progress(0, total)
        for rows in _chunks(register, flt, sort, descending, chunk):
            if cancelled is not None and cancelled():
                raise ExportCancelled(QT_TRANSLATE_NOOP("Errors", "The export was cancelled."))
            for row in rows:
                ws.append([cell_value(ws, c, row[c.key], translate) for c in shown])
            done += len(rows)
            if progress is not None:
                progress(done, max(total, done))
        if cancelled is not None and cancelled():
            raise ExportCancelled(QT_TRANSLATE_NOOP("Errors", "The export was cancelled."))
        last = get_column_letter(len(shown))
        ws.auto_filter.ref = f"A1:{last}{done + 1}"
        save_atomically(wb, output)
    except BaseException:
        discard_workbook(wb)
        raise
    return done
