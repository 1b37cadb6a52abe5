"""Create, update and delete with an append-only audit trail and optimistic locking.

Services call these inside their transaction. Every changed field becomes one
:class:`~.models.AuditLog` row (who, when in UTC, table, record, field, old, new). An update
names the version the user opened; if the record has moved on since, the save is refused with
a :class:`ConflictError` that says who changed it and when — never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any, TypeVar

import peewee as pw

from ..domain.clock import utcnow
from ..domain.errors import ConflictError, NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from .models import AuditLog, BaseModel, VersionedModel

M = TypeVar("M", bound=BaseModel)

_BOOKKEEPING = frozenset({"version", "created_at", "created_by", "updated_at", "updated_by"})


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
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


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
    rows = [
        {
            "at": at,
            "username": username,
            "table_name": table,
            "record_id": record_id,
            "action": action,
            "field": name,
            "old_value": audit_text(old),
            "new_value": audit_text(new),
        }
        for name, (old, new) in changes.items()
    ] or [
        {
            "at": at,
            "username": username,
            "table_name": table,
            "record_id": record_id,
            "action": action,
            "field": None,
            "old_value": None,
            "new_value": None,
        }
    ]
    AuditLog.insert_many(rows).execute()


def create(model: type[M], username: str, /, **values: Any) -> M:
    """Insert a record, stamping who/when and writing its creation to the audit trail."""
    now = utcnow()
    values = _column_values(model, values)
    if issubclass(model, VersionedModel):
        values.update(
            version=1, created_at=now, created_by=username, updated_at=now, updated_by=username
        )
    record = model.create(**values)
    changes = {
        k: (None, v) for k, v in values.items() if k not in _BOOKKEEPING and v not in (None, "")
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
