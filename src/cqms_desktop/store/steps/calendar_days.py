"""Schema step: the working-day calendar learns make-up working days.

Schema 1's ``holiday`` table held closed days only. Chinese offices also work on some weekend
days (调休, make-up working days), and the company keeps its own closing and extra working
days next to the public schedule. The step adds two columns:

- ``kind``: ``closed`` or ``working`` (``domain.company_calendar.DayKind``); every existing
  row was a holiday, so ``closed``;
- ``source``: ``public`` (loaded from the public holiday schedule) or ``company``; existing
  rows were typed in by the company, so ``company``.

Re-runnable: a column already there is left alone. Works on SQLite, PostgreSQL and MariaDB
(playhouse.migrate writes each backend's ALTER TABLE).
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

TABLE = "holiday"


def upgrade(database: pw.Database) -> None:
    """Add ``holiday.kind`` and ``holiday.source`` with their defaults for existing rows."""
    existing = {column.name for column in database.get_columns(TABLE)}
    migrator = SchemaMigrator.from_database(database)
    operations = []
    if "kind" not in existing:
        operations.append(
            migrator.add_column(TABLE, "kind", pw.CharField(max_length=16, default="closed"))
        )
    if "source" not in existing:
        operations.append(
            migrator.add_column(TABLE, "source", pw.CharField(max_length=16, default="company"))
        )
    if operations:
        migrate(*operations)
