"""Import the office's legacy Excel registers: customers, products, complaints, feedback.

The file is read once, streaming (openpyxl ``read_only``, so 50,000 rows need no full sheet
in memory), and every row is checked before anything is written. The result is an
:class:`ImportReport`: one :class:`Problem` per bad cell (row, column, value, what is wrong).
:func:`check_file` only checks (the dry run, the dialog's validation step);
:func:`import_file` refuses with :class:`ImportRefused` while any row fails unless
``valid_only`` is chosen, and then writes all the good rows in **one transaction**: a cancel
or an error leaves the database as it was.

* The headings the register export writes (English or the Chinese of the UI) are recognised
  (:mod:`.import_mapping`), so an exported list imports back; other layouts give a
  ``mapping`` {target field: heading}.
* A record whose number / customer code / part number is already in the database is skipped,
  so importing the same file twice creates no duplicates. A number twice in the file is an
  error in the later row.
* Bad files get a clear message: not an xlsx workbook (an old ``.xls``, a renamed text file),
  empty, headings in merged cells, formulas without a saved result, dates written as text in
  an unknown format, unknown customers / products / users.
* Imported complaints and feedback keep their numbers (``CC-YYYY-NNNN`` / ``FB-YYYY-NNNN``);
  the yearly counters are moved past them so new numbers do not collide.
* Every record created gets its audit rows, as :func:`store.audit.create` writes them.

Times in the sheet are the PC's local wall-clock times (what the export writes) and are
stored as UTC.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import peewee as pw
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.utils.datetime import from_excel

from ..domain import enums as E
from ..domain import validation as v
from ..domain.clock import to_utc, utcnow
from ..domain.errors import CqmsError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit, counters
from ..store import settings as settings_store
from ..store.db import read_snapshot
from ..store.models import AuditLog, BaseModel, Complaint, Customer, Feedback, Product, User
from .base import Actor, require, unit_of_work
from .import_mapping import (
    SPECS,
    ImportSpec,
    TargetField,
    enum_words,
    guess_mapping,
    missing_required,
    normalise,
)

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
Translate = Callable[[str, str], str]

#: Rows between two progress reports / cancel checks.
PROGRESS_EVERY = 500
#: Date (and date-time) formats accepted when a date is written as text.
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y.%m.%d", "%Y年%m月%d日")
TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", "T%H:%M", "T%H:%M:%S")
#: How far in the future a receipt time may lie (PC clocks, time zones).
FUTURE_SLACK = timedelta(days=1)

#: Who may import what (administrators always): the departments that create such records.
PERMISSIONS: dict[str, tuple[E.Department, ...]] = {
    "customers": (E.Department.SALES,),
    "products": (E.Department.TECHNICAL, E.Department.QA),
    "complaints": (E.Department.QA,),
    "feedback": (E.Department.SALES,),
}
#: Import kind → (model, the change-event kind, the record-number prefix or "").
_TARGETS: dict[str, tuple[type[BaseModel], str, str]] = {
    "customers": (Customer, "customer", ""),
    "products": (Product, "product", ""),
    "complaints": (Complaint, "complaint", counters.PREFIXES["complaint"]),
    "feedback": (Feedback, "feedback", counters.PREFIXES["feedback"]),
}

_OLD_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_TRUE_WORDS = {"true", "yes", "y", "1", "x", "✓", "是", "ja", "j", "wahr"}
_FALSE_WORDS = {"false", "no", "n", "0", "否", "nein", "falsch", ""}


# ---------------------------------------------------------------------------- errors / report
class ImportFileError(ValidationError):
    """The file as a whole cannot be imported (not xlsx, empty, merged headings…)."""


class ImportCancelled(CqmsError):
    """The user cancelled the import; nothing was imported."""


@dataclass(frozen=True)
class Problem:
    """One bad cell: spreadsheet row (1-based), the column's heading, the cell, its value."""

    row: int
    column: str
    cell: str
    value: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    field: str | None = None
    #: The target field's label (context ``Columns``), printed for ``{field}``.
    label: str = ""

    def text(self, translate: Translate | None = None) -> str:
        """What is wrong, in the user's language."""
        tr = translate or (lambda _context, text: text)
        if not self.label:
            error = ValidationError(self.message, field=self.field, **self.params)
            return error.translated(tr)
        # The column's own label (as the list and the mapping show it) names the field.
        params = {"field": tr("Columns", self.label), **self.params}
        try:
            return tr("Errors", self.message).format(**params)
        except (KeyError, IndexError, ValueError):  # a broken translation: the English text
            return self.message.format(**params)


@dataclass
class ImportReport:
    """The validation report (and, after an import, what was written)."""

    kind: str
    path: Path
    mapping: dict[str, str]
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    new: int = 0
    existing: int = 0
    imported: int = 0
    done: bool = False

    @property
    def failed_rows(self) -> int:
        """How many rows have at least one problem."""
        return len({p.row for p in self.problems})

    @property
    def valid_rows(self) -> int:
        """Rows without problems (new or already in the database)."""
        return self.rows - self.failed_rows

    @property
    def ok(self) -> bool:
        """True if no row has a problem."""
        return not self.problems

    def summary(self, translate: Translate | None = None) -> str:
        """One line: rows read, with problems, new, already there (and imported)."""
        tr = translate or (lambda _c, text: text)
        text = tr(
            "Import",
            QT_TRANSLATE_NOOP(
                "Import",
                "{rows} rows: {failed} with problems, {new} new, {existing} already in the "
                "database.",
            ),
        ).format(rows=self.rows, failed=self.failed_rows, new=self.new, existing=self.existing)
        if self.done:
            done = tr("Import", QT_TRANSLATE_NOOP("Import", "{imported} imported."))
            text += " " + done.format(imported=self.imported)
        return text


class ImportRefused(ValidationError):
    """Rows have problems and "import the valid rows" was not chosen; nothing was imported."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{failed} of {rows} rows have problems; nothing was imported. Correct the file, "
                "or import the valid rows only.",
            ),
            failed=report.failed_rows,
            rows=report.rows,
        )
        self.report = report


def _file_error(message: str, path: Path, **params: Any) -> ImportFileError:
    return ImportFileError(message, field="file", path=str(path), **params)


# ---------------------------------------------------------------------------- reading
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
    data_merged = [r for r in merged if range_boundaries(r)[3] > header_row]
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


def _check_headers(path: Path, headers: list[str], header_row: int, merged: list[str]) -> None:
    for ref in merged:
        _c1, r1, _c2, r2 = range_boundaries(ref)
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


# ---------------------------------------------------------------------------- cell values
class _Bad(Exception):
    """A cell value that does not convert; carries the problem's message."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return "" if value is None else str(value).strip()


def _whole_seconds(value: datetime) -> datetime:
    """*value* rounded to the second: Excel stores times as fractions of a day, which read
    back a few microseconds off (12:00:04.999998)."""
    return (value + timedelta(microseconds=500_000)).replace(microsecond=0)


def parse_datetime(value: Any) -> datetime | None:
    """A cell as a local date and time: Excel dates, serial numbers, or text in one of
    :data:`DATE_FORMATS` (optionally with a time). ``None`` for an empty cell."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return _whole_seconds(value)
    if isinstance(value, date):
        return datetime.combine(value, time.min)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # the serial numbers Excel shows as 1900-01-01 … 9999-12-31
            return _whole_seconds(from_excel(value))
        raise _Bad(QT_TRANSLATE_NOOP("Errors", "“{value}” is not a date."), value=value)
    text = " ".join(str(value).split())
    for day_format in DATE_FORMATS:
        for time_format in TIME_FORMATS:
            try:
                return datetime.strptime(text, day_format + time_format)
            except ValueError:
                continue
    raise _Bad(
        QT_TRANSLATE_NOOP(
            "Errors",
            "“{value}” is not a date; write it like 2026-11-23, 2026/11/23 or 23.11.2026.",
        ),
        value=text,
    )


def _int(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _Bad(QT_TRANSLATE_NOOP("Errors", "“{value}” is not a whole number."), value=value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace(",", "")
        if not re.fullmatch(r"[+-]?\d+", text):
            raise _Bad(QT_TRANSLATE_NOOP("Errors", "“{value}” is not a whole number."), value=value)
        number = int(text)
    if number < 0:
        raise _Bad(QT_TRANSLATE_NOOP("Errors", "{field} cannot be negative."))
    return number


def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    word = normalise(value)
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False if word else None
    raise _Bad(QT_TRANSLATE_NOOP("Errors", "“{value}” is not yes or no."), value=value)


def _enum(target: TargetField, value: Any) -> str | None:
    if _blank(value):
        return None
    assert target.enum is not None
    code = enum_words(target.enum).get(normalise(value))
    if code is None:
        raise _Bad(
            QT_TRANSLATE_NOOP("Errors", "“{value}” is not one of: {choices}."),
            value=_text(value),
            choices=", ".join(m.label for m in target.enum),
        )
    return code


def _convert(target: TargetField, value: Any) -> Any:
    """The cell *value* converted for *target* (references stay text, resolved later)."""
    if target.type == "datetime":
        return parse_datetime(value)
    if target.type == "int":
        return _int(value)
    if target.type == "bool":
        return _bool(value)
    if target.type == "enum":
        return _enum(target, value)
    text = _text(value)
    if target.max_length is not None and len(text) > target.max_length:
        raise _Bad(
            QT_TRANSLATE_NOOP("Errors", "{field} is too long (at most {max} characters)."),
            max=target.max_length,
        )
    return text


# ---------------------------------------------------------------------------- references
@dataclass
class _Lookups:
    """What rows refer to, loaded once: customers, products, users (casefolded keys)."""

    customer_codes: dict[str, int]
    customer_names: dict[str, list[int]]
    products: dict[str, int]
    usernames: dict[str, int]
    user_names: dict[str, list[int]]

    @classmethod
    def load(cls, spec: ImportSpec) -> _Lookups:
        keys = {f.type for f in spec.fields}
        codes: dict[str, int] = {}
        names: dict[str, list[int]] = {}
        if "customer" in keys:
            for cid, code, name in Customer.select(
                Customer.id, Customer.code, Customer.name
            ).tuples():
                codes[code.casefold()] = cid
                names.setdefault(name.strip().casefold(), []).append(cid)
        products: dict[str, int] = {}
        if "product" in keys:
            products = {
                pn.casefold(): pid
                for pid, pn in Product.select(Product.id, Product.part_number).tuples()
            }
        usernames: dict[str, int] = {}
        user_names: dict[str, list[int]] = {}
        if "user" in keys:
            for uid, username, full in User.select(User.id, User.username, User.full_name).tuples():
                usernames[username.casefold()] = uid
                user_names.setdefault(full.strip().casefold(), []).append(uid)
        return cls(codes, names, products, usernames, user_names)

    def customer(self, code: str, name: str) -> int:
        if code:
            found = self.customer_codes.get(code.casefold())
            if found is None:
                raise _Bad(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "There is no customer with the code “{value}”; add the customer or "
                        "import the customer list first.",
                    ),
                    value=code,
                )
            return found
        ids = self.customer_names.get(name.casefold(), [])
        if not ids:
            raise _Bad(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no customer named “{value}”; add the customer or import the "
                    "customer list first.",
                ),
                value=name,
            )
        if len(ids) > 1:
            raise _Bad(
                QT_TRANSLATE_NOOP(
                    "Errors", "Several customers are named “{value}”; give the customer code."
                ),
                value=name,
            )
        return ids[0]

    def product(self, part_number: str) -> int | None:
        if not part_number:
            return None
        found = self.products.get(part_number.casefold())
        if found is None:
            raise _Bad(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no product with the part number “{value}”; import the products "
                    "first.",
                ),
                value=part_number,
            )
        return found

    def user(self, text: str) -> int | None:
        if not text:
            return None
        found = self.usernames.get(text.casefold())
        if found is not None:
            return found
        ids = self.user_names.get(text.casefold(), [])
        if len(ids) == 1:
            return ids[0]
        raise _Bad(
            QT_TRANSLATE_NOOP(
                "Errors", "There is no single user “{value}”; give the user name or full name."
            ),
            value=text,
        )


# ---------------------------------------------------------------------------- validation
@dataclass
class _Row:
    """A row that passed every check: its spreadsheet row and the values to store."""

    row: int
    key: str
    values: dict[str, Any]


def _columns(spec: ImportSpec, sheet: Sheet, mapping: dict[str, str]) -> dict[str, int]:
    """Target field → 0-based column index, checking the mapping against the headings."""
    positions = {normalise(h): i for i, h in enumerate(sheet.headers) if h}
    out: dict[str, int] = {}
    for key, header in mapping.items():
        if not header:
            continue
        try:
            spec.field(key)
        except KeyError:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "An import of {kind} has no field “{value}”."),
                field="mapping",
                kind=spec.kind,
                value=key,
            ) from None
        index = positions.get(normalise(header))
        if index is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The file has no column headed “{value}”."),
                field="mapping",
                value=header,
            )
        out[key] = index
    missing = missing_required(spec.kind, mapping)
    if missing:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "No column is chosen for “{value}”, which every row needs. Choose the column "
                "in the mapping (headings found: {headings}).",
            ),
            field="mapping",
            value=missing[0].label,
            headings=", ".join(h for h in sheet.headers if h) or "—",
        )
    return out


class _Validator:
    """Checks the rows of one sheet for one import kind against the database."""

    def __init__(self, spec: ImportSpec, sheet: Sheet, mapping: dict[str, str]) -> None:
        self.spec = spec
        self.sheet = sheet
        self.mapping = mapping
        self.columns = _columns(spec, sheet, mapping)
        self.lookups = _Lookups.load(spec)
        self.settings = settings_store.get_all()
        self.now = utcnow()
        self.problems: list[Problem] = []
        self.prefix = _TARGETS[spec.kind][2]
        self.merged_rows = self._merged_rows()

    def _merged_rows(self) -> dict[int, str]:
        rows: dict[int, str] = {}
        for ref in self.sheet.merged:
            _c1, r1, _c2, r2 = range_boundaries(ref)
            for row in range(max(r1, self.sheet.header_row + 1), r2 + 1):
                rows.setdefault(row, ref)
        return rows

    def problem(
        self, row: int, key: str | None, value: Any, message: str, /, **params: Any
    ) -> None:
        column, cell = "", ""
        if key is not None and key in self.columns:
            index = self.columns[key]
            column = self.sheet.headers[index]
            cell = f"{get_column_letter(index + 1)}{row}"
        label = self.spec.field(key).label if key is not None else ""
        self.problems.append(
            Problem(row, column, cell, _text(value), message, params, field=key, label=label)
        )

    def cell(self, values: tuple[Any, ...], key: str) -> Any:
        index = self.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def row(self, row: int, values: tuple[Any, ...]) -> _Row | None:
        """The clean values of one row, or ``None`` after recording its problems."""
        before = len(self.problems)
        if row in self.merged_rows:
            self.problem(
                row,
                None,
                "",
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Merged cells {cells}: every row needs its own values; unmerge the cells.",
                ),
                cells=self.merged_rows[row],
            )
        clean: dict[str, Any] = {}
        for key, index in self.columns.items():
            target = self.spec.field(key)
            formula = self.sheet.uncached.get((row, index + 1))
            if formula is not None:
                self.problem(
                    row,
                    key,
                    formula,
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The cell holds a formula without a saved result. Open the file in "
                        "Excel or LibreOffice, save it, and import again (or type the value).",
                    ),
                )
                continue
            raw = values[index] if index < len(values) else None
            try:
                clean[key] = _convert(target, raw)
                if key == "number" and self.prefix and clean[key]:
                    clean[key] = self._number(clean[key])
            except _Bad as bad:
                params = {k: x for k, x in bad.params.items() if k not in ("key", "raw")}
                self.problem(row, key, raw, bad.message, **params)
        flagged = {p.field for p in self.problems[before:]}
        for target in self.spec.fields:
            key = target.key
            unflagged = key in self.columns and key not in flagged
            if target.required and unflagged and key_missing(clean, key):
                self.problem(row, key, "", QT_TRANSLATE_NOOP("Errors", "{field} is required."))
        if len(self.problems) == before:
            try:
                return self._finish(row, values, clean)
            except _Bad as bad:
                self.problem(
                    row,
                    bad.params.pop("key", None),
                    bad.params.pop("raw", ""),
                    bad.message,
                    **bad.params,
                )
        return None

    def _bad(self, key: str, raw: Any, message: str, **params: Any) -> _Bad:
        return _Bad(message, key=key, raw=raw, **params)

    def _finish(self, row: int, values: tuple[Any, ...], clean: dict[str, Any]) -> _Row:
        """Kind-specific checks and references; raises :class:`_Bad` (with the field)."""
        kind = self.spec.kind
        for target in self.spec.fields:
            if clean.get(target.key) is None and target.default is not None:
                clean[target.key] = target.default
        if kind == "customers":
            try:
                clean["code"] = v.code(clean.get("code"))
            except ValidationError as exc:
                raise self._bad("code", clean.get("code"), exc.message, **exc.params) from None
            rep = clean.pop("sales_rep", "")
            clean["sales_rep"] = self._ref("sales_rep", rep, self.lookups.user)
            return _Row(row, clean["code"], clean)
        if kind == "products":
            return _Row(row, clean["part_number"], clean)
        # complaints and feedback
        number = clean["number"]
        code = clean.pop("customer_code", "") or ""
        name = clean.pop("customer", "") or ""
        if not code and not name:
            raise self._bad(
                "customer_code" if "customer_code" in self.columns else "customer",
                "",
                QT_TRANSLATE_NOOP("Errors", "{field} is required."),
            )
        key = "customer_code" if code else "customer"
        clean["customer"] = self._ref(
            key, code or name, lambda _t: self.lookups.customer(code, name)
        )
        received = to_utc(clean["received_at"])
        if received - self.now > FUTURE_SLACK:
            raise self._bad(
                "received_at",
                clean["received_at"],
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be in the future."),
            )
        clean["received_at"] = received
        for stamp in ("due_at", "handled_at", "closed_at"):
            if clean.get(stamp) is not None:
                clean[stamp] = to_utc(clean[stamp])
        if kind == "complaints":
            self._complaint(clean)
        else:
            if clean.get("status") is None:
                closed = clean.get("closed_at") is not None
                clean["status"] = (
                    E.FeedbackStatus.CLOSED if closed else E.FeedbackStatus.OPEN
                ).value
        return _Row(row, number, clean)

    def _ref(self, key: str, text: str, find: Callable[[str], Any]) -> Any:
        try:
            return find(text)
        except _Bad as bad:
            raise self._bad(key, text, bad.message, **bad.params) from None

    def _number(self, text: str) -> str:
        number = text.strip().upper()
        if not re.fullmatch(rf"{self.prefix}-\d{{4}}-\d{{4,}}", number):
            raise self._bad(
                "number",
                text,
                QT_TRANSLATE_NOOP("Errors", "{field} “{value}” must look like {prefix}-2026-0042."),
                value=text,
                prefix=self.prefix,
            )
        return number

    def _complaint(self, clean: dict[str, Any]) -> None:
        from .complaints import compute_due

        clean["product"] = self._ref(
            "part_number", clean.pop("part_number", ""), self.lookups.product
        )
        clean["qa_owner"] = self._ref("qa_owner", clean.pop("qa_owner", ""), self.lookups.user)
        closed_at = clean.get("closed_at")
        status = clean.get("status")
        if status is None:
            status = (E.ComplaintStatus.CLOSED if closed_at else E.ComplaintStatus.REGISTERED).value
        if status == E.ComplaintStatus.CLOSED.value and closed_at is None:
            raise self._bad(
                "closed_at" if "closed_at" in self.columns else "status",
                "",
                QT_TRANSLATE_NOOP("Errors", "A closed complaint needs the date it was closed."),
            )
        if status != E.ComplaintStatus.CLOSED.value and closed_at is not None:
            raise self._bad(
                "status",
                status,
                QT_TRANSLATE_NOOP(
                    "Errors", "The complaint has a closing date but its status is not closed."
                ),
            )
        clean["status"] = status
        if status == E.ComplaintStatus.CLOSED.value and clean.get("handled_at") is None:
            # A closed complaint was handled; without this the dashboard would count every
            # imported closed complaint as handled late.
            clean["handled_at"] = closed_at
        if clean.get("due_at") is None:
            clean["due_at"] = compute_due(clean["received_at"], clean["severity"], self.settings)
        clean.setdefault("description", "")
        if clean.get("description") is None:
            clean["description"] = ""


def key_missing(clean: dict[str, Any], key: str) -> bool:
    """True if *key* is absent or empty in *clean*."""
    return clean.get(key) in (None, "")


def _existing_keys(model: type[BaseModel], column: Any) -> set[str]:
    """Every key already stored, lower-cased (a code differing only in case is the same
    record: MariaDB's collation would refuse it as a duplicate anyway). One query: even
    100,000 keys are a few megabytes, and a lookup per chunk was far slower on PostgreSQL."""
    return {value.lower() for (value,) in model.select(column).tuples()}


def _validate(
    spec: ImportSpec,
    sheet: Sheet,
    mapping: dict[str, str],
    report: ImportReport,
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
) -> list[_Row]:
    """Check every row; fill *report*; return the new rows that passed."""
    checker = _Validator(spec, sheet, mapping)
    good: list[_Row] = []
    first_seen: dict[str, int] = {}
    total = len(sheet.rows)
    for done, (row, values) in enumerate(sheet.rows, start=1):
        if done % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled(QT_TRANSLATE_NOOP("Errors", "The import was cancelled."))
            if progress is not None:
                progress(total + done, 3 * total)
        checked = checker.row(row, values)
        if checked is None:
            continue
        folded = checked.key.lower()
        if folded in first_seen:
            checker.problem(
                row,
                spec.key_field,
                checked.key,
                QT_TRANSLATE_NOOP(
                    "Errors", "“{value}” appears again in this file (first in row {first})."
                ),
                value=checked.key,
                first=first_seen[folded],
            )
            continue
        first_seen[folded] = row
        good.append(checked)
    model = _TARGETS[spec.kind][0]
    existing = _existing_keys(model, model._meta.fields[spec.key_field])
    report.rows = total
    report.problems = sorted(checker.problems, key=lambda p: (p.row, p.cell))
    report.existing = sum(1 for r in good if r.key.lower() in existing)
    new = [r for r in good if r.key.lower() not in existing]
    report.new = len(new)
    return new


# ---------------------------------------------------------------------------- writing
def _insert(
    actor: Actor,
    spec: ImportSpec,
    rows: list[_Row],
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
    offset: int,
    total: int,
) -> int:
    """Insert *rows* in chunks with their audit rows; returns how many were inserted."""
    model = _TARGETS[spec.kind][0]
    table = model._meta.table_name
    key_column = model._meta.fields[spec.key_field]
    now = utcnow()
    stamp = {
        "version": 1,
        "created_at": now,
        "created_by": actor.username,
        "updated_at": now,
        "updated_by": actor.username,
    }
    # Whole rows as tuples in one column order: peewee builds a multi-row INSERT from tuples
    # several times faster than from dicts (50,000 rows spent most of their time there).
    columns = [f for f in model._meta.sorted_fields if f.name != "id"]
    defaults = {f.name: (f.default() if callable(f.default) else f.default) for f in columns}
    audit_columns = [
        AuditLog.at,
        AuditLog.username,
        AuditLog.table_name,
        AuditLog.record_id,
        AuditLog.action,
        AuditLog.field,
        AuditLog.old_value,
        AuditLog.new_value,
    ]
    # SQLite allows 32,766 bound values per statement; stay well below for every backend.
    chunk = max(1, min(500, 10000 // len(columns)))
    inserted = 0
    for start in range(0, len(rows), chunk):
        if cancelled is not None and cancelled():
            raise ImportCancelled(QT_TRANSLATE_NOOP("Errors", "The import was cancelled."))
        part = rows[start : start + chunk]
        values = [{**defaults, **r.values, **stamp} for r in part]
        try:
            model.insert_many(
                [tuple(v[f.name] for f in columns) for v in values], fields=columns
            ).as_rowcount().execute()
        except pw.IntegrityError as exc:  # another PC added the same key since the check
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Records with the same numbers were added meanwhile (rows {first}–{last}); "
                    "nothing was imported. Check the file again.",
                ),
                first=part[0].row,
                last=part[-1].row,
            ) from exc
        keys = [r.values[spec.key_field] for r in part]
        ids = dict(model.select(key_column, model.id).where(key_column.in_(keys)).tuples())
        audit_rows = [
            (
                now,
                actor.username,
                table,
                ids[r.values[spec.key_field]],
                "create",
                name,
                None,
                audit.audit_text(value),
            )
            for r in part
            for name, value in r.values.items()
            if value not in (None, "")
        ]
        for a in range(0, len(audit_rows), 1000):
            AuditLog.insert_many(
                audit_rows[a : a + 1000], fields=audit_columns
            ).as_rowcount().execute()
        inserted += len(part)
        if progress is not None:
            progress(offset + inserted, total)
    _advance_counters(spec.kind, rows)
    return inserted


def _advance_counters(kind: str, rows: list[_Row]) -> None:
    """Move the yearly number counters past the imported numbers."""
    prefix = _TARGETS[kind][2]
    if not prefix:
        return
    highest: dict[int, int] = {}
    for r in rows:
        _prefix, year, serial = r.key.split("-")
        highest[int(year)] = max(highest.get(int(year), 0), int(serial))
    for year, serial in highest.items():
        counters.advance_to(f"{prefix}-{year}", serial)


# ---------------------------------------------------------------------------- public API
def _spec(kind: str) -> ImportSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Cannot import “{value}”; choose one of {kinds}."),
            field="kind",
            value=kind,
            kinds=", ".join(SPECS),
        ) from None


def _prepare(
    kind: str,
    path: Path,
    mapping: dict[str, str] | None,
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
) -> tuple[ImportSpec, Sheet, ImportReport]:
    spec = _spec(kind)
    path = Path(path)

    def reading(done: int, total: int) -> None:
        if progress is not None:
            progress(done, 3 * total)

    sheet = read_sheet(path, progress=reading, cancelled=cancelled)
    chosen = dict(mapping) if mapping is not None else guess_mapping(kind, sheet.headers)
    chosen = {k: h for k, h in chosen.items() if h}
    return spec, sheet, ImportReport(kind, path, chosen)


def check_file(
    kind: str,
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ImportReport:
    """The validation report of importing *path* as *kind*; writes nothing (the dry run).

    *mapping* is {target field: heading}; ``None`` recognises the headings (the export's
    layout, in English or Chinese). Raises :class:`ImportFileError` for a file that cannot be
    imported at all and :class:`ValidationError` for a mapping that misses a required field.
    """
    spec, sheet, report = _prepare(kind, path, mapping, progress, cancelled)
    with read_snapshot():
        _validate(spec, sheet, report.mapping, report, progress, cancelled)
    return report


def import_file(
    actor: Actor,
    *,
    kind: str,
    path: Path,
    mapping: dict[str, str] | None = None,
    valid_only: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ImportReport:
    """Import *path* as *kind* in one transaction; returns the report with ``imported`` set.

    Raises :class:`ImportRefused` (nothing imported) when rows have problems and *valid_only*
    is false; with *valid_only* the rows without problems are imported and the others are
    listed in the report. Records already in the database are skipped. ``progress(done,
    total)`` and ``cancelled()`` as for the background jobs; a cancel raises
    :class:`ImportCancelled` and leaves the database unchanged.
    """
    require(actor, admin=True, departments=PERMISSIONS.get(kind, ()))
    spec, sheet, report = _prepare(kind, path, mapping, progress, cancelled)
    event = _TARGETS[spec.kind][1]
    with unit_of_work(event):
        new = _validate(spec, sheet, report.mapping, report, progress, cancelled)
        if report.problems and not valid_only:
            raise ImportRefused(report)
        total = 3 * report.rows
        report.imported = _insert(actor, spec, new, progress, cancelled, 2 * report.rows, total)
        report.done = True
    if progress is not None:
        progress(3 * report.rows, 3 * report.rows)
    return report


def iter_problem_rows(
    report: ImportReport, translate: Translate | None = None
) -> Iterator[tuple[str, str, str, str]]:
    """(row, column, value, problem) as text, for the report table and the command line."""
    for p in report.problems:
        column = f"{p.column} ({p.cell})" if p.cell else p.column
        yield str(p.row), column, p.value, p.text(translate)
