"""Replay the audit trail and compare it with the records as they are now.

Every stored field of every audited record must equal what its audit rows say it was last set
to; a record changed, added or deleted behind the program's back (no audit row) shows up as a
:class:`Difference`. Fields the trail never mentions count as empty. The six departments the
schema seeds are the one exception: their starting values are the seed's.

:func:`adopt_baseline` writes the missing rows once, as the program's own ("system") entries,
where a database legitimately predates the complete trail (a version-1 database, whose log-in
bookkeeping and defaults were not audited, or demonstration data inserted in bulk).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..domain.clock import utcnow
from ..domain.enums import Department as DepartmentCode
from . import audit
from .models import (
    ALL_MODELS,
    AuditLog,
    BaseModel,
    Counter,
    Department,
    SchemaVersion,
    Setting,
)

#: Tables with their own audit trail, record by record.
AUDITED: list[type[BaseModel]] = [
    m for m in ALL_MODELS if m not in (SchemaVersion, Setting, Counter, AuditLog)
]
#: Settings that are never audited (none yet; the backup key lives in the chain head).
_UNAUDITED_SETTINGS: frozenset[str] = frozenset()
_DELETED = "deleted"

Kind = str  # "field" | "no trail" | "deleted in trail" | "deleted without trail"


@dataclass(frozen=True)
class Difference:
    """One place where the database and its replayed audit trail disagree."""

    kind: Kind
    table: str
    record_id: int
    field: str | None = None
    current: str | None = None
    trail: str | None = None
    #: For a record without (a live) trail: its stored fields as the trail writes them.
    values: tuple[tuple[str, str | None], ...] = ()


def _empty(value: str | None) -> bool:
    return value is None or value == ""


def _replay() -> tuple[dict[tuple[str, int], dict[str, str | None] | str], dict[str, str | None]]:
    """``(table, id) → {field: last value}`` (or ``"deleted"``) and ``setting → last value``."""
    tables = {m._meta.table_name: m for m in AUDITED}
    records: dict[tuple[str, int], dict[str, str | None] | str] = {}
    settings: dict[str, str | None] = {}
    query = (
        AuditLog.select(
            AuditLog.table_name,
            AuditLog.record_id,
            AuditLog.action,
            AuditLog.field,
            AuditLog.new_value,
        )
        .order_by(AuditLog.id)
        .tuples()
    )
    for table, record_id, action, field, new in query.iterator():
        if table == "setting":
            if field is not None:
                settings[field] = new
            continue
        model = tables.get(table)
        if model is None or not record_id:
            continue  # a marker row (demonstration data) or a table without records
        key = (table, record_id)
        state = records.get(key)
        if action == "delete":
            records[key] = _DELETED
            continue
        if not isinstance(state, dict):  # first row, or created again after a delete
            state = records[key] = {}
        if field in model._meta.fields:
            state[field] = new
    return records, settings


def _seeded(table: str, values: dict[str, Any]) -> dict[str, str | None] | None:
    """The starting values of a department row the schema seeded (no audit rows of its own)."""
    if table != Department._meta.table_name:
        return None
    try:
        code = DepartmentCode(str(values.get("code")))
    except ValueError:
        return None
    return {"code": code.value, "name": code.label, "email": None, "active": "true"}


def _compared_fields(model: type[BaseModel]) -> list[str]:
    return [
        f.name
        for f in model._meta.sorted_fields
        if f.name != "id" and f.name not in audit._BOOKKEEPING
    ]


def _current_text(table: str, field: str, value: Any) -> str | None:
    return audit.trail_text(table, field, value)


def differences() -> Iterator[Difference]:
    """Every difference between the records and their replayed trail."""
    records, settings = _replay()
    for model in AUDITED:
        table = model._meta.table_name
        names = _compared_fields(model)
        columns = [model._meta.primary_key] + [model._meta.fields[n] for n in names]
        for row in model.select(*columns).order_by(model._meta.primary_key).tuples().iterator():
            record_id, values = row[0], dict(zip(names, row[1:], strict=True))
            state = records.pop((table, record_id), None)
            seed = _seeded(table, values)
            if seed is not None and (
                state is None or (isinstance(state, dict) and "code" not in state)
            ):
                state = {**seed, **(state or {})}  # a seeded department: the seed, then edits
            if state is None or state == _DELETED:
                kind = "no trail" if state is None else "deleted in trail"
                texts = tuple((n, _current_text(table, n, values[n])) for n in names)
                yield Difference(kind, table, record_id, values=texts)
                continue
            assert isinstance(state, dict)
            for name in names:
                current = _current_text(table, name, values[name])
                trail = state.get(name)
                if _empty(current) and _empty(trail):
                    continue
                if current != trail:
                    yield Difference("field", table, record_id, name, current, trail)
    for (table, record_id), state in sorted(records.items()):
        if state != _DELETED:
            yield Difference("deleted without trail", table, record_id)
    for key, text in Setting.select(Setting.key, Setting.value).tuples().iterator():
        if key in _UNAUDITED_SETTINGS:
            continue
        current = audit.audit_text(json.loads(text))
        if current != settings.get(key) and not (_empty(current) and _empty(settings.get(key))):
            yield Difference("field", "setting", 0, key, current, settings.get(key))


def adopt_baseline(username: str, missing_action: str = "baseline") -> int:
    """Append audit rows that make the trail agree with the records as they are (in the
    caller's transaction); returns how many rows were written. A record without any trail
    gets a row per stored field with *missing_action* (``create`` for bulk-inserted data)."""
    audit.flush_pending()  # the replay reads the trail: rows queued in this transaction too
    now = utcnow()
    rows: list[audit.AuditRow] = []
    for diff in list(differences()):
        if diff.kind == "field":
            rows.append(
                (now, username, diff.table, diff.record_id, "baseline", diff.field, diff.trail,
                 diff.current)
            )  # fmt: skip
        elif diff.kind in ("no trail", "deleted in trail"):
            for name, text in diff.values:
                if not _empty(text):
                    rows.append(
                        (now, username, diff.table, diff.record_id, missing_action, name, None,
                         text)
                    )  # fmt: skip
        else:  # deleted without an audit row: record that it is gone
            rows.append((now, username, diff.table, diff.record_id, "delete", None, None, None))
    audit.append_rows(rows)
    return len(rows)
