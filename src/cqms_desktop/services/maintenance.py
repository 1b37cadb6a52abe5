"""``cqms check``: is the database sound? Integrity, schema version, references, numbering.

Checks (any failure is a problem; the command exits non-zero):

- the schema version equals the one this program writes (older: run ``cqms init``; newer:
  install the newer program);
- every table exists;
- SQLite: ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``;
  PostgreSQL / MariaDB: every foreign key points at an existing row;
- the audit trail's append-only triggers exist, are enabled and still refuse changes;
- the audit trail's hash chain holds from the first row (the first broken row is named) and
  ends where its chain head says (rows cut off the end or a truncated table are noticed);
- every audited record's current values equal its audit trail replayed (the record and field
  that differ are named), and no record was added or deleted without an audit row;
- the yearly number counters are ahead of every record number in use (or new records would
  collide with old numbers).

Row counts per table are reported as well.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

import peewee as pw

from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit_chain, audit_replay, migrations
from ..store import db as dbmod
from ..store.counters import PREFIXES
from ..store.models import (
    ALL_MODELS,
    AuditChain,
    BaseModel,
    Complaint,
    Counter,
    Feedback,
    ServiceRecord,
    Survey,
    Visit,
)

# The record types that carry a yearly number ("CC-2026-0001").
_NUMBERED: dict[
    str, type[Complaint] | type[Feedback] | type[Visit] | type[Survey] | type[ServiceRecord]
] = {
    "complaint": Complaint,
    "feedback": Feedback,
    "visit": Visit,
    "survey": Survey,
    "service": ServiceRecord,
}
_MAX_REPORTED = 20


@dataclass
class CheckReport:
    """The outcome of :func:`check_database`."""

    backend: str
    display: str
    schema_version: int
    program_schema: int
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def check_database() -> CheckReport:
    """Check the open database (read-only) and report counts and problems."""
    info = dbmod.current()
    database = dbmod.database_proxy.obj
    report = CheckReport(info.backend, info.display, 0, migrations.LATEST)
    try:
        _check(database, report)
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        report.problems.append(
            QT_TRANSLATE_NOOP("Check", "The database cannot be read: {reason}").format(reason=exc)
        )
    return report


def _check(database: pw.Database, report: CheckReport) -> None:
    if isinstance(database, pw.SqliteDatabase):
        _sqlite_integrity(database, report)
        if report.problems:
            return  # a damaged file: further queries would only repeat the error
    version = migrations.current_version(database)
    report.schema_version = version
    if version == 0:
        report.problems.append(
            QT_TRANSLATE_NOOP("Check", "The database has no CQMS schema: run “cqms init”.")
        )
        return
    if version > migrations.LATEST:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Check",
                "Schema version {found} was made by a newer CQMS Desktop (this program knows "
                "up to {latest}): install the newer version.",
            ).format(found=version, latest=migrations.LATEST)
        )
        return
    if version < migrations.LATEST:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Check",
                "Schema version {found} is older than {latest}: run “cqms init” to upgrade.",
            ).format(found=version, latest=migrations.LATEST)
        )
    tables = set(database.get_tables())
    models: list[type[BaseModel]] = [*ALL_MODELS, AuditChain]
    missing = [m._meta.table_name for m in models if m._meta.table_name not in tables]
    for name in missing:
        report.problems.append(
            QT_TRANSLATE_NOOP("Check", "Table “{table}” is missing.").format(table=name)
        )
    if missing:
        return
    for model in ALL_MODELS:
        report.counts[model._meta.table_name] = model.select().count()
    if not isinstance(database, pw.SqliteDatabase):
        _orphans(report)
    _audit_guard(database, report)
    _audit_chain(database, report)
    _audit_replay(report)
    _counters(report)


def _sqlite_integrity(database: pw.SqliteDatabase, report: CheckReport) -> None:
    rows = [r[0] for r in database.execute_sql("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        text = QT_TRANSLATE_NOOP("Check", "Integrity check: {detail}")
        report.problems += [text.format(detail=r) for r in rows[:_MAX_REPORTED]]
        return
    broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    for table, rowid, parent, _fk in broken[:_MAX_REPORTED]:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Check", "Table “{table}” row {rowid} refers to a missing row of “{parent}”."
            ).format(table=table, rowid=rowid, parent=parent)
        )


def _orphans(report: CheckReport) -> None:
    """Rows whose foreign key points nowhere (the servers enforce this, but a restore or a
    hand edit with checks switched off could leave some)."""
    for model in ALL_MODELS:
        for fk in model._meta.refs:
            parent = fk.rel_model.alias("parent")
            target = getattr(parent, fk.rel_field.name)
            count = (
                model.select()
                .join(parent, pw.JOIN.LEFT_OUTER, on=(fk == target))
                .where(fk.is_null(False) & target.is_null())
                .count()
            )
            if count:
                report.problems.append(
                    QT_TRANSLATE_NOOP(
                        "Check",
                        "{count} rows of “{table}” refer to missing rows of “{parent}” ({field}).",
                    ).format(
                        count=count,
                        table=model._meta.table_name,
                        parent=fk.rel_model._meta.table_name,
                        field=fk.name,
                    )
                )


def _audit_guard(database: pw.Database, report: CheckReport) -> None:
    texts = {
        "missing": QT_TRANSLATE_NOOP(
            "Check",
            "The audit trail is not protected against changes: its trigger “{trigger}” is missing.",
        ),
        "disabled": QT_TRANSLATE_NOOP(
            "Check",
            "The audit trail is not protected against changes: its trigger “{trigger}” is "
            "disabled.",
        ),
        "altered": QT_TRANSLATE_NOOP(
            "Check",
            "The audit trail is not protected against changes: its trigger “{trigger}” was "
            "replaced by one that does not refuse changes.",
        ),
    }
    for trigger, state in audit_chain.guard_problems(database):
        report.problems.append(texts[state].format(trigger=trigger))


def _audit_chain(database: pw.Database, report: CheckReport) -> None:
    """Walk the hash chain from the first row and compare its end with the chain head."""
    state = audit_chain.walk(audit_chain.select_chain_rows(database))
    broken = state.first_break
    if broken is not None and broken.reason == "hash":
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Check",
                "The audit trail was tampered with: audit row {row} was changed after it was "
                "written (its hash does not match).",
            ).format(row=broken.row_id)
        )
    elif broken is not None:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Check",
                "The audit trail was tampered with: the chain breaks at audit row {row} (a row "
                "before it was removed, inserted or changed).",
            ).format(row=broken.row_id)
        )
    head = AuditChain.get_or_none(AuditChain.id == audit_chain.HEAD_ID)
    if head is None:
        report.problems.append(
            QT_TRANSLATE_NOOP("Check", "The audit trail's chain head is missing.")
        )
        return
    if (head.last_id, head.last_hash, head.row_count) != (
        state.last_id,
        state.last_hash,
        state.rows,
    ):
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Check",
                "The audit trail was cut short: it ends at row {last} with {rows} rows, but its "
                "chain head records row {head_last} with {head_rows} rows (rows were deleted or "
                "the table was truncated).",
            ).format(
                last=state.last_id,
                rows=state.rows,
                head_last=head.last_id,
                head_rows=head.row_count,
            )
        )


def _audit_replay(report: CheckReport) -> None:
    """Name each record whose current values are not what its audit trail says."""
    texts = {
        "field": QT_TRANSLATE_NOOP(
            "Check",
            "Record {table} {id}: field “{field}” is “{current}” but its audit trail says "
            "“{trail}” (changed without an audit row).",
        ),
        "no trail": QT_TRANSLATE_NOOP(
            "Check", "Record {table} {id} has no audit trail (added without an audit row)."
        ),
        "deleted in trail": QT_TRANSLATE_NOOP(
            "Check", "Record {table} {id} exists although its audit trail says it was deleted."
        ),
        "deleted without trail": QT_TRANSLATE_NOOP(
            "Check", "Record {table} {id} was deleted without an audit row."
        ),
    }
    found = 0
    for diff in audit_replay.differences():
        found += 1
        if found > _MAX_REPORTED:
            continue
        report.problems.append(
            texts[diff.kind].format(
                table=diff.table,
                id=diff.record_id,
                field=diff.field,
                current=_short(diff.current),
                trail=_short(diff.trail),
            )
        )
    if found > _MAX_REPORTED:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Check", "… and {count} more records or fields that differ from the audit trail."
            ).format(count=found - _MAX_REPORTED)
        )


def _short(value: str | None) -> str:
    text = "" if value is None else value
    return text if len(text) <= 60 else text[:57] + "…"


def _counters(report: CheckReport) -> None:
    """Every counter must be at or past the highest number used in its year."""
    values = {c.name: c.value for c in Counter.select()}
    for kind, model in _NUMBERED.items():
        highest: dict[str, int] = defaultdict(int)
        for (number,) in model.select(model.number).tuples().iterator():
            name, _, value = number.rpartition("-")
            if value.isdigit():
                highest[name] = max(highest[name], int(value))
        prefix = PREFIXES[kind]
        for name, top in sorted(highest.items()):
            if not name.startswith(prefix + "-"):
                continue
            if values.get(name, 0) < top:
                report.problems.append(
                    QT_TRANSLATE_NOOP(
                        "Check",
                        "Counter {name} is at {value} but number {number} is already used: "
                        "new records would get duplicate numbers.",
                    ).format(name=name, value=values.get(name, 0), number=f"{name}-{top:04d}")
                )
