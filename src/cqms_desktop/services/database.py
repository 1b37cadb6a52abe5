"""The database connection as the user interface sees it: open it and bring its schema up to
date at start-up, check a URL in the settings dialog, describe and close it.

The connection-level parts of ``store.db`` and ``store.migrations`` the UI needs are
re-exported here, so that ``ui/`` never imports ``store/`` (the layer rule, checked by
``.importlinter``); the reads the settings dialog makes of a database it does not have open
(:func:`schema_found`) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from ..domain.errors import DatabaseError
from ..store import migrations
from ..store.db import (
    DatabaseInfo,
    backend_of,
    close_database,
    connect_checked,
    current,
    database_proxy,
    describe_url,
    make_database,
    open_database,
    sqlite_url,
)
from ..store.migrations import LATEST, MigrationResult
from ..store.models import SchemaVersion

__all__ = [
    "LATEST",
    "DatabaseInfo",
    "MigrationResult",
    "SchemaFound",
    "backend_of",
    "close_database",
    "connect_checked",
    "connection_lost",
    "current",
    "describe_url",
    "make_database",
    "migrate",
    "open_connection_target",
    "open_database",
    "schema_found",
    "sqlite_url",
]


def open_connection_target() -> peewee.Database | None:
    """The database the program has open now (``None`` before one is opened): a thread that
    keeps a connection compares it to notice that the program switched databases."""
    target: peewee.Database | None = database_proxy.obj
    return target


def migrate() -> MigrationResult:
    """Bring the open database to the latest schema, with a backup of a SQLite file first.

    Looked up in ``store.migrations`` at each call (not bound at import), so that a test can
    stand in for the migration there.
    """
    return migrations.migrate()


@dataclass(frozen=True)
class SchemaFound:
    """What a database holds, as far as CQMS is concerned."""

    tables: tuple[str, ...]  # every table, sorted
    version: int | None  # the CQMS schema version; None when it has no CQMS tables


def schema_found(database: peewee.Database) -> SchemaFound:
    """The tables and the CQMS schema version of the connected *database*.

    Read with plain SQL, not through the models: they stay bound to the database the program
    has open, and *database* is another one (the settings dialog checking a URL).
    """
    table = SchemaVersion._meta.table_name
    tables = tuple(sorted(database.get_tables()))
    if table not in tables:
        return SchemaFound(tables, None)
    version = database.execute_sql(f"SELECT MAX(version) FROM {table}").fetchone()[0] or 0
    return SchemaFound(tables, int(version))


def connection_lost(exc: BaseException) -> bool:
    """True when *exc* says the database could not be reached or used (server down, network
    gone, file share away) rather than that the input was refused."""
    if isinstance(exc, DatabaseError | peewee.OperationalError | peewee.InterfaceError):
        return True
    # peewee's base class itself (drivers raise it for a dropped connection); not its
    # subclasses that mean bad data (IntegrityError, DataError…).
    return type(exc) is peewee.DatabaseError
