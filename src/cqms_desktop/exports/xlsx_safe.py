"""Writing user text into Excel cells (and CSV files) so that it stays text: no formula
injection.

Every Excel writer of the program puts user-typed text (customer names, descriptions,
comments…) through :func:`safe_value` (streaming, write-only sheets) or :func:`set_text`
(ordinary sheets). A value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return — the characters a spreadsheet program may read as the start of a formula — or a
value that openpyxl would store as an error code (``#N/A``) is written as an explicit string
cell (``data_type = "s"``) with Excel's "quote prefix" flag, so that even editing the cell
and pressing Enter in Excel keeps it text. Control characters that the xlsx format cannot
hold are dropped and text is cut to Excel's 32,767-character cell limit instead of failing
the whole export.

CSV has no cell types, so :func:`csv_field` puts an apostrophe before such a value — the
usual guard, shown by spreadsheet programs as text and harmless to other readers. A plain
number (``-12``, ``-3.50``) is not user text and is written as it is: a minus sign followed by
digits is never read as a formula.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell

#: First characters that make a spreadsheet program treat typed text as a formula.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: The most characters one Excel cell holds.
MAX_CELL_CHARS = 32767


def clean_text(text: str) -> str:
    """*text* without the control characters xlsx cannot store, cut to the cell limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def needs_guard(text: str) -> bool:
    """True if *text* would (or might, in some spreadsheet program) not be read as text."""
    return text.startswith(FORMULA_TRIGGERS) or text in ERROR_CODES


#: A plain (possibly negative) decimal number: the one value starting with "-" or "+" that a
#: spreadsheet reads as a number, not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def csv_field(value: Any) -> Any:
    """*value* for a CSV cell: text that a spreadsheet would read as a formula gets a leading
    apostrophe (same triggers as the xlsx cells); numbers and other values pass unchanged."""
    if isinstance(value, str) and needs_guard(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def set_text(cell: Cell, text: str) -> Cell:
    """Put *text* into *cell* as a string, never a formula; returns the cell."""
    text = clean_text(text)
    cell.value = text
    # Assigning "=…" makes openpyxl type the cell as a formula ("f") and "#N/A" as an error
    # ("e"); forcing "s" writes it as an inline string whatever it starts with.
    cell.data_type = "s"
    if needs_guard(text):
        cell.quotePrefix = True
    return cell


def text_cell(ws: Any, text: str) -> Cell:
    """A write-only cell for *ws* holding *text* as a string (for ``ws.append``)."""
    return set_text(WriteOnlyCell(ws), text)


def safe_value(ws: Any, value: Any) -> Any:
    """*value* ready for ``ws.append`` on a write-only sheet.

    Harmless strings and non-strings pass through unchanged (cheap: no cell object); risky
    strings become explicit string cells.
    """
    if isinstance(value, str):
        cleaned = clean_text(value)
        return text_cell(ws, cleaned) if needs_guard(cleaned) else cleaned
    return value
