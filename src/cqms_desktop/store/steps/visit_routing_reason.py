"""Schema step "visit routing reason": ``visit.routing_reason``, why a visit's requests do not
go to all four departments of 5.1.1 (blank when they do).

Re-runnable: the column is added only where it is missing.
"""

from __future__ import annotations

import peewee as pw


def upgrade(database: pw.Database) -> None:
    """Add ``visit.routing_reason`` (blank for every existing visit) where it is missing."""
    if "routing_reason" not in {c.name for c in database.get_columns("visit")}:
        database.execute_sql("ALTER TABLE visit ADD COLUMN routing_reason TEXT NOT NULL DEFAULT ''")
