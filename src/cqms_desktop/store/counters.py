"""Record numbers: ``CC-2026-0042`` — a yearly sequence per kind, never reused.

The counter row is incremented with a single UPDATE inside the caller's write transaction; the
row lock (server backends) or the write lock (SQLite, ``BEGIN IMMEDIATE``) serialises PCs that
number records at the same moment, and a rolled-back transaction gives its number back.
"""

from __future__ import annotations

from .models import Counter

PREFIXES = {
    "complaint": "CC",
    "feedback": "FB",
    "visit": "VS",
    "survey": "SV",
    "service": "SR",
}


def next_value(name: str) -> int:
    """Increment counter *name* and return its new value (creates it at 1)."""
    if Counter.update(value=Counter.value + 1).where(Counter.name == name).execute() == 0:
        Counter.insert(name=name, value=1).execute()
        return 1
    return Counter.get_by_id(name).value


def next_number(kind: str, year: int) -> str:
    """The next record number of *kind* for *year*, e.g. ``CC-2026-0042``."""
    prefix = PREFIXES[kind]
    value = next_value(f"{prefix}-{year}")
    return f"{prefix}-{year}-{value:04d}"


def advance_to(name: str, value: int) -> None:
    """Make counter *name* at least *value*: records imported with their own numbers
    (``CC-2025-0137``) must not be numbered again by the next new record."""
    updated = (
        Counter.update(value=value)
        .where((Counter.name == name) & (Counter.value < value))
        .execute()
    )
    if not updated and not Counter.select().where(Counter.name == name).exists():
        Counter.insert(name=name, value=value).execute()
