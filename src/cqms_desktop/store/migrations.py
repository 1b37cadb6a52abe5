"""Schema versions: create a new database, upgrade an old one step by step, refuse a newer one.

A new (empty) database gets every table of the current models and is stamped
:data:`LATEST`. An existing one runs the steps in :data:`STEPS` from its version + 1 up to
:data:`LATEST`, each in its own transaction with the version row written in the same
transaction. A SQLite file is copied to ``<file>.v<N>-<timestamp>.bak`` before any step runs.
A database stamped with a version newer than this program knows is never touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import peewee as pw

from .. import __version__
from ..domain import clock
from ..domain.clock import utcnow
from ..domain.enums import Department as DepartmentCode
from ..domain.errors import DatabaseError
from ..domain.i18n import QT_TRANSLATE_NOOP
from . import audit_chain, audit_replay, search_index
from . import db as dbmod
from . import settings as settings_store
from .models import ALL_MODELS, AuditChain, BaseModel, Department, SchemaVersion
from .steps import audit_chain as audit_chain_step
from .steps import (
    calendar_days,
    password_change,
    review_signoffs,
    sent_mail_attachments,
    supplier_scar,
    visit_routing_reason,
)
from .steps import defect_categories as defect_categories_step
from .steps import mail as mail_step
from .steps import search_index as search_index_step

#: The schema version this program writes.
LATEST = 11
#: The step that put the audit trail on a hash chain (older databases get a baseline after it).
AUDIT_CHAIN_VERSION = 2
#: The step that made the registers' text search index (tests run it on its own).
SEARCH_INDEX_VERSION = 10

Step = Callable[[pw.Database], None]


#: version → the step that upgrades a database from ``version - 1`` to ``version``.
#: Steps use explicit DDL (playhouse.migrate), never the current models, which move on.
STEPS: dict[int, Step] = {
    AUDIT_CHAIN_VERSION: audit_chain_step.upgrade,
    3: mail_step.upgrade,
    4: calendar_days.upgrade,  # holiday.kind / holiday.source: make-up working days
    5: defect_categories_step.upgrade,  # the managed list of defect categories
    6: review_signoffs.upgrade,  # management reviews kept as signed off
    7: sent_mail_attachments.upgrade,  # a record's attachments sent with its form
    8: password_change.upgrade,  # an administrator asks for a new password at next log-in
    9: visit_routing_reason.upgrade,  # why a visit's requests skip a 5.1.1 department
    SEARCH_INDEX_VERSION: search_index_step.upgrade,  # trigram indexes for text search
    11: supplier_scar.upgrade,  # suppliers and their corrective action requests (5.2.3 c)
}


@dataclass
class MigrationResult:
    """What :func:`migrate` did."""

    from_version: int
    to_version: int
    created: bool
    backup: Path | None = None


def current_version(database: pw.Database | None = None) -> int:
    """The schema version of the open database; 0 for an empty one."""
    database = database or dbmod.database_proxy.obj
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    value = SchemaVersion.select(pw.fn.MAX(SchemaVersion.version)).scalar()
    return int(value or 0)


def _foreign_tables(database: pw.Database) -> list[str]:
    models: list[type[BaseModel]] = [*ALL_MODELS, AuditChain]
    ours = {m._meta.table_name for m in models}
    return [t for t in database.get_tables() if t not in ours]


def _seed(now: datetime) -> None:
    """Rows every database starts with: the six departments of section 4 (those not there
    yet: on MariaDB an interrupted first run may have committed some)."""
    present = {row.code for row in Department.select(Department.code)}
    for code in DepartmentCode:
        if code.value in present:
            continue
        Department.create(
            code=code.value,
            name=code.label,
            version=1,
            created_at=now,
            created_by="system",
            updated_at=now,
            updated_by="system",
        )


def create_schema(database: pw.Database) -> None:
    """Create every table of the current models, the audit guard, the chain head and the seed
    rows (the seeded departments are the replay's starting point, without audit rows, so a
    backup can be restored into a fresh database).

    Re-runnable: on MariaDB each CREATE commits at once, so a first run killed half-way leaves
    some tables and triggers (and no version row); running it again completes the schema
    (tables ``IF NOT EXISTS``, triggers dropped and made again, missing seed rows added)."""
    now = utcnow()
    with database.atomic():
        database.create_tables([*ALL_MODELS, AuditChain])
        audit_chain.install_guard(database)
        # Only if missing: an interrupted first run on MariaDB (DDL commits at once) is run
        # again, and a head left behind already holds the key.
        if not AuditChain.select().where(AuditChain.id == audit_chain.HEAD_ID).exists():
            AuditChain.create(
                id=audit_chain.HEAD_ID,
                last_id=0,
                last_hash=audit_chain.GENESIS,
                row_count=0,
                digest_key=audit_chain.new_key(),
            )
        _seed(now)
        search_index.install(database)
        SchemaVersion.create(version=LATEST, applied_at=now, program_version=__version__)


def backup_sqlite(path: Path, version: int) -> Path:
    """Copy the SQLite file (consistently, through SQLite's backup API) before migrating it."""
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def check_version(version: int, latest: int = LATEST) -> None:
    """Refuse a database made by a newer program."""
    if version > latest:
        raise DatabaseError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This database was made by a newer version of CQMS Desktop (schema {found}; this "
                "program knows up to {latest}). It was not changed. Install the newer version "
                "on this PC.",
            ),
            found=version,
            latest=latest,
        )


def migrate(
    *,
    steps: Mapping[int, Step] | None = None,
    latest: int | None = None,
    backup: bool = True,
) -> MigrationResult:
    """Bring the open database to the latest schema (see the module docstring)."""
    steps = STEPS if steps is None else steps
    latest = LATEST if latest is None else latest
    database = dbmod.database_proxy.obj
    info = dbmod.current()
    version = current_version(database)
    check_version(version, latest)
    if version == 0:
        foreign = _foreign_tables(database)
        if foreign:
            raise DatabaseError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The database is not empty and is not a CQMS database (it has tables such "
                    "as “{table}”). Use an empty database.",
                ),
                table=foreign[0],
            )
        create_schema(database)
        dbmod.refresh_statistics()
        return MigrationResult(0, latest, created=True)
    if version == latest:
        settings_store.follow_company_zone()
        return MigrationResult(version, version, created=False)
    backup_path = None
    if backup and info.is_sqlite and info.path is not None:
        backup_path = backup_sqlite(info.path, version)
    for target in range(version + 1, latest + 1):
        step = steps.get(target)
        if step is None:
            raise DatabaseError(
                QT_TRANSLATE_NOOP("Errors", "No upgrade step to schema version {version}."),
                version=target,
            )
        with database.atomic():
            step(database)
            SchemaVersion.create(version=target, applied_at=utcnow(), program_version=__version__)
    if version < AUDIT_CHAIN_VERSION <= latest and steps.get(AUDIT_CHAIN_VERSION) is STEPS.get(
        AUDIT_CHAIN_VERSION
    ):
        # Older trails lack defaults and log-in bookkeeping: record what the database holds
        # now as the program's own baseline, so from here on every difference is a finding.
        with dbmod.write_transaction():
            audit_replay.adopt_baseline("system")
    dbmod.refresh_statistics()  # a step may have added indexes or moved data
    settings_store.follow_company_zone()
    return MigrationResult(version, latest, created=False, backup=backup_path)
