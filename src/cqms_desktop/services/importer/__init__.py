"""Import the office's legacy Excel registers: customers, products, complaints, feedback.

Callers import from here. The entry points (:func:`check_file`, :func:`import_file`) are in
:mod:`.use_cases`; the work is split by step: :mod:`.reader` reads the workbook,
:mod:`.mapping` matches its headings to the fields, :mod:`.checks` checks the rows (with
:mod:`.values` for the cells) into the :mod:`.report`, and :mod:`.writer` writes them.
"""

from __future__ import annotations

from .use_cases import (
    DATE_FORMATS,
    FUTURE_SLACK,
    PERMISSIONS,
    PROGRESS_EVERY,
    TIME_FORMATS,
    CancelledFn,
    ImportCancelled,
    ImportFileError,
    ImportRefused,
    ImportReport,
    Problem,
    ProgressFn,
    Sheet,
    Translate,
    check_file,
    guess_mapping,
    import_file,
    iter_problem_rows,
    key_missing,
    parse_datetime,
    read_headers,
    read_sheet,
)

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
