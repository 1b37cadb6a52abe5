"""Writing an import: the checked rows inserted in chunks with their audit rows (inside the
caller's one transaction), and the yearly number counters moved past the imported numbers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import peewee as pw

from ...domain.clock import utcnow
from ...domain.errors import ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store import audit, counters
from ..base import Actor
from .checks import _TARGETS, _Row
from .mapping import ImportSpec
from .report import CancelledFn, ImportCancelled, ProgressFn


def _insert(
    actor: Actor,
    spec: ImportSpec,
    rows: list[_Row],
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
    offset: int,
    total: int,
) -> int:
    """Insert *rows* in chunks with their audit rows; returns how many were inserted."""
    model = _TARGETS[spec.kind][0]
    table = model._meta.table_name
    key_column = model._meta.fields[spec.key_field]
    now = utcnow()
    stamp = {
        "version": 1,
        "created_at": now,
        "created_by": actor.username,
        "updated_at": now,
        "updated_by": actor.username,
    }
    # Whole rows as tuples in one column order: peewee builds a multi-row INSERT from tuples
    # several times faster than from dicts (50,000 rows spent most of their time there).
    columns = [f for f in model._meta.sorted_fields if f.name != "id"]
    defaults = {f.name: (f.default() if callable(f.default) else f.default) for f in columns}
    # SQLite allows 32,766 bound values per statement; stay well below for every backend.
    chunk = max(1, min(500, 10000 // len(columns)))
    inserted = 0
    for start in range(0, len(rows), chunk):
        if cancelled is not None and cancelled():
            raise ImportCancelled(QT_TRANSLATE_NOOP("Errors", "The import was cancelled."))
        part = rows[start : start + chunk]
        values = [{**defaults, **r.values, **stamp} for r in part]
        try:
            model.insert_many(
                [tuple(v[f.name] for f in columns) for v in values], fields=columns
            ).as_rowcount().execute()
        except pw.IntegrityError as exc:  # another PC added the same key since the check
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Records with the same numbers were added meanwhile (rows {first}–{last}); "
                    "nothing was imported. Check the file again.",
                ),
                first=part[0].row,
                last=part[-1].row,
            ) from exc
        keys = [r.values[spec.key_field] for r in part]
        # .tuples() rows are (key, id); the peewee stubs type a query's rows as models.
        query = model.select(key_column, model._meta.primary_key).where(key_column.in_(keys))
        ids = dict(cast(Iterable[tuple[str, int]], query.tuples()))
        # Every stored field, the model's defaults included, onto the audit chain.
        audit_rows: list[audit.AuditRow] = [
            (
                now,
                actor.username,
                table,
                ids[v[spec.key_field]],
                "create",
                name,
                None,
                audit.trail_text(table, name, value),
            )
            for v in values
            for name, value in v.items()
            if name not in stamp and value not in (None, "")
        ]
        audit.append_rows(audit_rows)
        inserted += len(part)
        if progress is not None:
            progress(offset + inserted, total)
    _advance_counters(spec.kind, rows)
    return inserted


def _advance_counters(kind: str, rows: list[_Row]) -> None:
    """Move the yearly number counters past the imported numbers."""
    prefix = _TARGETS[kind][2]
    if not prefix:
        return
    highest: dict[int, int] = {}
    for r in rows:
        _prefix, year, serial = r.key.split("-")
        highest[int(year)] = max(highest.get(int(year), 0), int(serial))
    for number_year, top in highest.items():
        counters.advance_to(f"{prefix}-{number_year}", top)
