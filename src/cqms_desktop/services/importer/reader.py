"""Reading the legacy Excel workbook for an import: the container checks (not an xlsx,
empty, an old ``.xls``), the first worksheet's heading row and data rows (streaming,
``read_only``), and what only the raw sheet XML reveals (merged cells, formulas without a
saved result)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

from ...domain.i18n import QT_TRANSLATE_NOOP
from .mapping import normalise
from .report import (
    PROGRESS_EVERY,
    CancelledFn,
    ImportCancelled,
    ImportFileError,
    ProgressFn,
)

_OLD_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


def _file_error(message: str, path: Path, **params: Any) -> ImportFileError:
    return ImportFileError(message, field="file", path=str(path), **params)


@dataclass
class Sheet:
    """A worksheet read for import: headings, data rows and what the raw XML revealed."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, tuple[Any, ...]]]
    #: Merged ranges below the heading row ("A5:A7").
    merged: list[str] = field(default_factory=list)
    #: (row, column) → formula text of formula cells that have no saved result.
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)


def _check_container(path: Path) -> None:
    if not path.is_file():
        raise _file_error(QT_TRANSLATE_NOOP("Errors", "The file “{path}” does not exist."), path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise _file_error(QT_TRANSLATE_NOOP("Errors", "The file “{path}” is empty."), path)
    if head.startswith(_OLD_XLS_MAGIC):
        raise _file_error(
            QT_TRANSLATE_NOOP(
                "Errors",
                "“{path}” is an old Excel 97–2003 (.xls) file. Open it in Excel or LibreOffice, "
                "save it as an Excel workbook (.xlsx) and import that.",
            ),
            path,
        )
    if not head.startswith(b"PK") or not zipfile.is_zipfile(path):
        raise _file_error(
            QT_TRANSLATE_NOOP(
                "Errors",
                "“{path}” is not an Excel workbook (.xlsx); it may be a text or CSV file "
                "with another name. Save it from Excel as .xlsx and import that.",
            ),
            path,
        )


def _scan_xml(path: Path, member: str) -> tuple[list[str], dict[tuple[int, int], str]]:
    """Merged ranges and formula cells without a saved result, from the sheet's raw XML.

    Read-only worksheets expose neither; a byte scan finds both cheaply, and the slower
    element parse runs only when the sheet holds formulas at all.
    """
    merged: dict[str, None] = {}
    has_formula = False
    with zipfile.ZipFile(path) as archive, archive.open(member) as fh:
        tail = b""
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            has_formula = has_formula or bool(_FORMULA_TAG.search(data))
            for ref in _MERGE_REF.findall(data):
                merged[ref.decode()] = None
            tail = data[-200:]
    uncached: dict[tuple[int, int], str] = {}
    if has_formula:
        with zipfile.ZipFile(path) as archive, archive.open(member) as fh:
            for _event, elem in ET.iterparse(fh, events=("end",)):
                tag = elem.tag.rsplit("}", 1)[-1]
                if tag == "c":
                    formula = value = None
                    for child in elem:
                        name = child.tag.rsplit("}", 1)[-1]
                        if name == "f":
                            formula = child
                        elif name == "v":
                            value = child
                    ref = elem.get("r")
                    if formula is not None and ref and (value is None or not value.text):
                        uncached[coordinate_to_tuple(ref)] = "=" + (formula.text or "…")
                    elem.clear()
                elif tag == "row":
                    elem.clear()
    return list(merged), uncached


def _open_workbook(path: Path) -> Any:
    """*path* opened read-only with cached formula results, or :class:`ImportFileError`."""
    _check_container(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise _file_error(
            QT_TRANSLATE_NOOP(
                "Errors", "“{path}” cannot be read as an Excel workbook (.xlsx): {reason}"
            ),
            path,
            reason=str(exc) or type(exc).__name__,
        ) from exc


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(
    path: Path,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Sheet:
    """Read the first worksheet of *path*: the heading row (the first non-empty row) and the
    data rows after it. Raises :class:`ImportFileError` for a file that cannot be imported."""
    path = Path(path)
    wb = _open_workbook(path)
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None or not hasattr(ws, "iter_rows"):
            raise _file_error(
                QT_TRANSLATE_NOOP("Errors", "“{path}” has no worksheet to import."), path
            )
        estimate = ws.max_row or 0
        member = getattr(ws, "_worksheet_path", None)
        merged, uncached = _scan_xml(path, member) if member else ([], {})
        ws.reset_dimensions()  # some programs write a wrong size; read every row there is
        header_row = 0
        headers: list[str] = []
        rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if number % PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled(QT_TRANSLATE_NOOP("Errors", "The import was cancelled."))
                if progress is not None:
                    progress(number, max(estimate, number))
            if not header_row:
                if all(_blank(x) for x in values):
                    continue
                header_row = number
                headers = ["" if _blank(x) else str(x).strip() for x in values]
                continue
            if all(_blank(x) for x in values) and not any(
                (number, c) in uncached for c in range(1, len(headers) + 1)
            ):
                continue
            rows.append((number, tuple(values)))
    finally:
        wb.close()
    if not header_row:
        raise _file_error(QT_TRANSLATE_NOOP("Errors", "“{path}” has no rows to import."), path)
    _check_headers(path, headers, header_row, merged)
    data_merged = [r for r in merged if merged_rows(r)[1] > header_row]
    sheet = Sheet(headers, header_row, rows, data_merged, uncached)
    if not rows:
        raise _file_error(
            QT_TRANSLATE_NOOP(
                "Errors", "“{path}” has headings in row {row} but no data rows below them."
            ),
            path,
            row=header_row,
        )
    return sheet


def merged_rows(ref: str) -> tuple[int, int]:
    """The first and last row of a merged range such as ``A3:B4`` (a merged range always
    names its cells; openpyxl's types allow whole columns, whose rows would be ``None``)."""
    _c1, first, _c2, last = range_boundaries(ref)
    top = first if first is not None else 1
    return top, last if last is not None else top


def _check_headers(path: Path, headers: list[str], header_row: int, merged: list[str]) -> None:
    for ref in merged:
        r1, r2 = merged_rows(ref)
        if r1 <= header_row <= r2 or r2 < header_row:
            raise _file_error(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The headings of “{path}” are in merged cells ({cells}). Unmerge them and "
                    "give every column one heading in a single row, then import again.",
                ),
                path,
                cells=ref,
            )
    seen: dict[str, int] = {}
    for index, header in enumerate(headers, start=1):
        if not header:
            continue
        key = normalise(header)
        if key in seen:
            raise _file_error(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The heading “{heading}” appears twice in “{path}” (columns {first} and "
                    "{second}); rename one of them.",
                ),
                path,
                heading=header,
                first=get_column_letter(seen[key]),
                second=get_column_letter(index),
            )
        seen[key] = index


def read_headers(path: Path) -> list[str]:
    """The non-empty headings of *path*'s first sheet (the first non-empty row), for the
    mapping step; reads no further than that row. Raises :class:`ImportFileError`."""
    path = Path(path)
    wb = _open_workbook(path)
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is not None and hasattr(ws, "iter_rows"):
            ws.reset_dimensions()
            for values in ws.iter_rows(values_only=True):
                if not all(_blank(x) for x in values):
                    return [str(x).strip() for x in values if not _blank(x)]
    finally:
        wb.close()
    raise _file_error(QT_TRANSLATE_NOOP("Errors", "“{path}” has no rows to import."), path)
