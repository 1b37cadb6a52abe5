"""Record numbers: ``CC-2026-0042`` — a yearly sequence per kind, never reused.

The counter row is created or incremented by one statement, an upsert (``INSERT … ON CONFLICT
DO UPDATE`` on PostgreSQL and SQLite, ``INSERT … ON DUPLICATE KEY UPDATE`` on MariaDB), inside
the caller's write transaction, and then read back. The row lock the upsert takes (server
backends) or the write lock (SQLite, ``BEGIN IMMEDIATE``) serialises PCs that number records at
the same moment, including the first record of a year, whose counter row does not exist yet:
an UPDATE-then-INSERT there let two PCs both insert (a unique violation) or deadlock. A
rolled-back transaction gives its number back.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from .models import Counter

PREFIXES = {
    "complaint": "CC",
    "feedback": "FB",
    "visit": "VS",
    "survey": "SV",
    "service": "SR",
    "scar": "SC",
}


def _upsert(name: str, value: int, update: dict[Any, Any]) -> None:
    """Insert counter *name* at *value*, or apply *update* to the existing row, atomically."""
    query = Counter.insert(name=name, value=value)
    if isinstance(Counter._meta.database.obj, pw.MySQLDatabase):
        query = query.on_conflict(update=update)  # MySQL names no conflict target
    else:
        query = query.on_conflict(conflict_target=[Counter.name], update=update)
    query.execute()


def next_value(name: str) -> int:
    """Increment counter *name* and return its new value (creates it at 1)."""
    _upsert(name, 1, {Counter.value: Counter.value + 1})
    value: int = Counter.select(Counter.value).where(Counter.name == name).scalar()
    return value


def next_number(kind: str, year: int) -> str:
    """The next record number of *kind* for *year*, e.g. ``CC-2026-0042``."""
    prefix = PREFIXES[kind]
    value = next_value(f"{prefix}-{year}")
    return f"{prefix}-{year}-{value:04d}"


def advance_to(name: str, value: int) -> None:
    """Make counter *name* at least *value*: records imported with their own numbers
    (``CC-2025-0137``) must not be numbered again by the next new record."""
    bigger = pw.Case(None, [(Counter.value < value, value)], Counter.value)
    _upsert(name, value, {Counter.value: bigger})
