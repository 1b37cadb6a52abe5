"""Import the office's legacy Excel registers: customers, products, complaints, feedback.

The file is read once, streaming (openpyxl ``read_only``, so 50,000 rows need no full sheet
in memory), and every row is checked before anything is written. The result is an
:class:`ImportReport`: one :class:`Problem` per bad cell (row, column, value, what is wrong).
:func:`check_file` only checks (the dry run, the dialog's validation step);
:func:`import_file` refuses with :class:`ImportRefused` while any row fails unless
``valid_only`` is chosen, and then writes all the good rows in **one transaction**: a cancel
or an error leaves the database as it was.

* The headings the register export writes (English or the Chinese of the UI) are recognised
  (:mod:`.mapping`), so an exported list imports back; other layouts give a
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

The work is split by step: :mod:`.reader` reads the workbook, :mod:`.checks`
checks the rows (with :mod:`.values` for the cells) into the :mod:`.report`,
and :mod:`.writer` writes them; this module holds the entry points, and the package
``__init__`` re-exports the names callers import.
"""

from __future__ import annotations

from pathlib import Path

from ...domain import enums as E
from ...domain.errors import ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store.db import read_snapshot, refresh_statistics
from ..base import Actor, require, unit_of_work
from ..normalise import checked_input
from .checks import _TARGETS, FUTURE_SLACK, _validate, key_missing
from .mapping import SPECS, ImportSpec, guess_mapping
from .reader import Sheet, read_headers, read_sheet
from .report import (
    PROGRESS_EVERY,
    CancelledFn,
    ImportCancelled,
    ImportFileError,
    ImportRefused,
    ImportReport,
    Problem,
    ProgressFn,
    Translate,
    iter_problem_rows,
)
from .values import DATE_FORMATS, TIME_FORMATS, parse_datetime
from .writer import _insert

__all__ = [
    "DATE_FORMATS",
    "FUTURE_SLACK",
    "PERMISSIONS",
    "PROGRESS_EVERY",
    "TIME_FORMATS",
    "CancelledFn",
    "ImportCancelled",
    "ImportFileError",
    "ImportRefused",
    "ImportReport",
    "Problem",
    "ProgressFn",
    "Sheet",
    "Translate",
    "check_file",
    "guess_mapping",
    "import_file",
    "iter_problem_rows",
    "key_missing",
    "parse_datetime",
    "read_headers",
    "read_sheet",
]

#: Who may import what (administrators always): the departments that create such records.
PERMISSIONS: dict[str, tuple[E.Department, ...]] = {
    "customers": (E.Department.SALES,),
    "products": (E.Department.TECHNICAL, E.Department.QA),
    "complaints": (E.Department.QA,),
    "feedback": (E.Department.SALES,),
}


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


@checked_input
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
    if report.imported:
        refresh_statistics()  # a legacy register can be larger than everything before it
    if progress is not None:
        progress(3 * report.rows, 3 * report.rows)
    return report
