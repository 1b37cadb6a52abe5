"""Create, update and delete with an append-only audit trail and optimistic locking.

Services call these inside their transaction. Every changed field becomes one
:class:`~.models.AuditLog` row (who, when in UTC, table, record, field, old, new), appended to
the hash chain of :mod:`.audit_chain` just before the transaction commits (one chain for
every PC: appends wait for the chain head's row lock). A creation records every stored field,
defaults included; a password hash is never written, only "password changed" with a short
fingerprint (see :func:`trail_text`). An update
names the version the user opened; if the record has moved on since, the save is refused with
a :class:`ConflictError` that says who changed it and when — never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import threading
from collections.abc import Mapping
from typing import Any, TypeVar

import peewee as pw

from ..domain.clock import utcnow
from ..domain.errors import ConflictError, DatabaseError, NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from . import audit_chain
from . import db as dbmod
from .models import AuditChain, AuditLog, BaseModel, VersionedModel

M = TypeVar("M", bound=BaseModel)

_BOOKKEEPING = frozenset({"version", "created_at", "created_by", "updated_at", "updated_by"})

#: ``(table, field)`` whose values are secrets: the trail says that they changed, never what to.
SECRET_FIELDS = frozenset({("user", "password_hash")})
#: What the trail holds for a secret: this text and a fingerprint of the stored value.
SECRET_CHANGED = "password changed"

#: An audit row before it is chained: at, username, table, record id, action, field, old, new.
AuditRow = tuple[dt.datetime, str, str, int, str, str | None, str | None, str | None]


def audit_text(value: Any) -> str | None:
    """How a value is written into the audit trail (stable across backends)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, BaseModel):
        return str(value.get_id())
    if isinstance(value, bytes | memoryview):
        # The content's hash, so a file swapped for another of the same size is noticed.
        data = bytes(value)
        return f"<{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}>"
    return str(value)


def secret_fingerprint(value: Any) -> str:
    """A short fingerprint of a stored secret (an argon2 hash: salted, so it reveals nothing
    about the password) — enough to tell that the stored value is the one last audited."""
    return hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:16]


def trail_text(table: str, field: str | None, value: Any) -> str | None:
    """How *value* of ``table.field`` is written into the trail: :func:`audit_text`, except a
    secret, which becomes ``password changed [fingerprint]``."""
    if (table, field) in SECRET_FIELDS:
        return None if value is None else f"{SECRET_CHANGED} [{secret_fingerprint(value)}]"
    return audit_text(value)


def _lock_head() -> AuditChain:
    """The chain head row, locked until the transaction ends: appends from every PC queue here.

    SQLite has no row locks: a no-op ``UPDATE`` takes the database's write lock first (a
    transaction that already wrote holds it), so the head read next is the newest one.
    """
    where = AuditChain.id == audit_chain.HEAD_ID
    query = AuditChain.select().where(where)
    if isinstance(AuditChain._meta.database.obj, pw.SqliteDatabase):
        AuditChain.update(row_count=AuditChain.row_count).where(where).execute()
    else:
        query = query.for_update()
    head: AuditChain | None = query.first()
    if head is None:
        raise DatabaseError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The audit trail's chain head is missing, so nothing can be saved. An "
                "administrator should run “cqms check”.",
            )
        )
    return head


_AUDIT_COLUMNS = (*audit_chain.HASHED_COLUMNS, "prev_hash", "row_hash")


def _insert_chained(rows: list[tuple[Any, ...]]) -> None:
    """Insert ready rows with the driver's ``executemany``: peewee builds SQL for every value
    and spent seconds on the 100,000 rows of the demonstration data."""
    database = AuditLog._meta.database.obj
    marks = ", ".join([database.param] * len(_AUDIT_COLUMNS))
    sql = f"INSERT INTO {audit_chain.TABLE} ({', '.join(_AUDIT_COLUMNS)}) VALUES ({marks})"
    cursor = database.cursor()
    try:
        for start in range(0, len(rows), 1000):
            cursor.executemany(sql, rows[start : start + 1000])
    finally:
        cursor.close()


def append_rows(rows: list[AuditRow]) -> None:
    """Append *rows* to the audit chain as part of the caller's transaction.

    Inside :func:`.db.write_transaction` they are queued and chained just before it commits
    (see :class:`_QueuedRows`); outside one they are chained at once.
    """
    if not rows:
        return
    if dbmod.in_write_transaction():
        _queue.rows().extend(rows)
    else:
        _chain(rows)


def flush_pending() -> None:
    """Chain the rows queued so far (before reading the trail inside a write transaction)."""
    rows = _queue.rows()
    if rows:
        pending = list(rows)
        rows.clear()
        _chain(pending)


def _chain(rows: list[AuditRow]) -> None:
    """Chain *rows* onto the trail and move the chain head (one lock on the head row).

    Ids are given here, after the head's last id (or the largest id present, should a row have
    been slipped in by hand: the check names it; saving must not stop because of it).
    """
    head = _lock_head()
    last_id = max(head.last_id, AuditLog.select(pw.fn.MAX(AuditLog.id)).scalar() or 0)
    last_hash = head.last_hash
    chained = []
    for at, *rest in rows:
        last_id += 1
        values = (last_id, at.replace(microsecond=0, tzinfo=None), *rest)
        digest = audit_chain.row_hash(last_hash, values)
        chained.append((*values, last_hash, digest))
        last_hash = digest
    _insert_chained(chained)
    AuditChain.update(
        last_id=last_id, last_hash=last_hash, row_count=AuditChain.row_count + len(chained)
    ).where(AuditChain.id == audit_chain.HEAD_ID).execute()


class _QueuedRows:
    """The audit rows of the current write transaction, per thread, chained just before it
    commits: the chain head's lock is then the last lock a transaction takes, so a save that
    locks several records cannot deadlock with another waiting for the head. A rolled-back
    (nested) transaction drops the rows it queued."""

    def __init__(self) -> None:
        self._local = threading.local()

    def rows(self) -> list[AuditRow]:
        rows: list[AuditRow] | None = getattr(self._local, "rows", None)
        if rows is None:
            rows = self._local.rows = []
        return rows

    def mark(self) -> object:
        return len(self.rows())

    def before_commit(self) -> None:
        flush_pending()

    def rolled_back(self, mark: object) -> None:
        assert isinstance(mark, int)
        del self.rows()[mark:]


_queue = _QueuedRows()
dbmod.add_commit_hook(_queue)


def _column_values(model: type[BaseModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """Map field names (``customer``) to their stored values (the id for foreign keys)."""
    out = {}
    for name, value in values.items():
        field = model._meta.fields[name]
        if isinstance(field, pw.ForeignKeyField) and isinstance(value, BaseModel):
            value = value.get_id()
        out[name] = value
    return out


def write_audit(
    username: str,
    table: str,
    record_id: int,
    action: str,
    changes: Mapping[str, tuple[Any, Any]],
    at: dt.datetime | None = None,
) -> None:
    """Append audit rows: one per changed field, or one bare row when *changes* is empty."""
    at = at or utcnow()
    rows: list[AuditRow] = [
        (
            at,
            username,
            table,
            record_id,
            action,
            name,
            None if (table, name) in SECRET_FIELDS else trail_text(table, name, old),
            trail_text(table, name, new),
        )
        for name, (old, new) in changes.items()
    ] or [(at, username, table, record_id, action, None, None, None)]
    append_rows(rows)


def create(model: type[M], username: str, /, **values: Any) -> M:
    """Insert a record, stamping who/when and writing its creation to the audit trail."""
    now = utcnow()
    values = _column_values(model, values)
    if issubclass(model, VersionedModel):
        values.update(
            version=1, created_at=now, created_by=username, updated_at=now, updated_by=username
        )
    record = model.create(**values)
    # Every stored field, the model's defaults (active, failed_logins…) included.
    changes = {
        k: (None, v)
        for k, v in record.__data__.items()
        if k not in _BOOKKEEPING and k != "id" and v not in (None, "")
    }
    write_audit(username, model._meta.table_name, record.get_id(), "create", changes, now)
    return record


def get_for_update(model: type[M], record_id: int) -> M:
    """Load a record (locking its row on the server backends) or raise :class:`NotFoundError`."""
    query = model.select().where(model._meta.primary_key == record_id)
    if not isinstance(model._meta.database.obj, pw.SqliteDatabase):
        query = query.for_update()
    record: M | None = query.first()
    if record is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    return record


def conflict(record: VersionedModel) -> ConflictError:
    """The error for a record that someone else saved since it was opened."""
    when = record.updated_at.isoformat(sep=" ", timespec="minutes") + " UTC"
    return ConflictError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "{who} changed this record at {when} after you opened it. Your changes were not "
            "saved: reopen the record to see the new version, then make your changes again.",
        ),
        who=record.updated_by or "?",
        when=when,
    )


def update(
    model: type[M],
    record_id: int,
    username: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> M:
    """Apply *changes* to a record if it is still at *expected_version*; audit what changed.

    ``expected_version=None`` is for system steps that must not conflict (e.g. counters);
    user edits always pass the version they opened.
    """
    record = get_for_update(model, record_id)
    versioned = record if isinstance(record, VersionedModel) else None
    if versioned and expected_version is not None and versioned.version != expected_version:
        raise conflict(versioned)
    new_values = _column_values(model, changes)
    diff: dict[str, tuple[Any, Any]] = {}
    for name, new in new_values.items():
        field = model._meta.fields[name]
        old = record.__data__.get(field.name)
        if _normalise(old) != _normalise(new):
            diff[name] = (old, new)
    if not diff:
        return record
    now = utcnow()
    update_values: dict[Any, Any] = {model._meta.fields[k]: v for k, (_, v) in diff.items()}
    where = model._meta.primary_key == record_id
    # The record is a *model*; the issubclass test only tells the type checker so.
    if versioned and issubclass(model, VersionedModel):
        update_values.update(
            {
                model.version: versioned.version + 1,
                model.updated_at: now,
                model.updated_by: username,
            }
        )
        where &= model.version == versioned.version
    if model.update(update_values).where(where).execute() != 1:
        # Another writer slipped in between our read and write (SQLite without row locks).
        latest = get_for_update(model, record_id)
        # Only the version check can miss a row that still exists: it is a VersionedModel.
        assert isinstance(latest, VersionedModel)
        raise conflict(latest)
    write_audit(username, model._meta.table_name, record_id, "update", diff, now)
    return get_for_update(model, record_id)


def side_effect(model: type[M], record_id: int, username: str, changes: Mapping[str, Any]) -> None:
    """Store and audit a change the program makes by itself (log-in bookkeeping such as
    ``failed_logins``): no new version, so it never conflicts with someone's open edit."""
    record = get_for_update(model, record_id)
    new_values = _column_values(model, changes)
    diff = {
        name: (record.__data__.get(name), new)
        for name, new in new_values.items()
        if _normalise(record.__data__.get(name)) != _normalise(new)
    }
    if not diff:
        return
    update_values: dict[Any, Any] = {model._meta.fields[k]: v for k, (_, v) in diff.items()}
    model.update(update_values).where(model._meta.primary_key == record_id).execute()
    write_audit(username, model._meta.table_name, record_id, "update", diff)


def delete(model: type[M], record_id: int, username: str, expected_version: int | None) -> None:
    """Delete a record that is still at *expected_version*, auditing its last values."""
    record = get_for_update(model, record_id)
    if (
        isinstance(record, VersionedModel)
        and expected_version is not None
        and record.version != expected_version
    ):
        raise conflict(record)
    old = {k: (v, None) for k, v in record.__data__.items() if k not in _BOOKKEEPING and k != "id"}
    model.delete().where(model._meta.primary_key == record_id).execute()
    write_audit(username, model._meta.table_name, record_id, "delete", old)


def _normalise(value: Any) -> Any:
    """Compare values as stored: Decimal('1.0') equals 1, aware vs naive does not matter."""
    if isinstance(value, decimal.Decimal):
        return value.normalize()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return decimal.Decimal(str(value)).normalize()
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None)
    return value


def history(table: str, record_id: int) -> list[AuditLog]:
    """The audit rows of one record, oldest first."""
    return list(
        AuditLog.select()
        .where((AuditLog.table_name == table) & (AuditLog.record_id == record_id))
        .order_by(AuditLog.at, AuditLog.id)
    )
