"""Writing demonstration rows: batched ``INSERT``s in dependency order, and record numbers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import peewee as pw

from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store import counters
from ...store.models import (
    BaseModel,
    Circulation,
    Complaint,
    CorrectiveAction,
    Counter,
    Customer,
    CustomerResponse,
    Feedback,
    Product,
    ServiceRecord,
    Survey,
    User,
    Visit,
)
from .builder_base import Cancelled, DemoCancelled, Progress

BATCH_PARAMETERS = 30000  # stay well below SQLite's and PostgreSQL's parameter limits
INSERT_ORDER: list[type[BaseModel]] = [
    User,
    Customer,
    Product,
    Visit,
    Survey,
    Feedback,
    Complaint,
    CustomerResponse,
    CorrectiveAction,
    ServiceRecord,
    Circulation,
]


def _field_default(fld: pw.Field) -> Any:
    default = fld.default
    return default() if callable(default) else default


def _resolve(value: Any) -> Any:
    """Rows refer to each other as dicts until ids are known; a dict stands for its id."""
    return value["id"] if isinstance(value, dict) else value


def insert_all(
    rows: dict[type[BaseModel], list[dict[str, Any]]],
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[str, int]:
    """Insert *rows* table by table in :data:`INSERT_ORDER`, in batches; returns the row count
    per table name. Reports to *progress* and stops with :class:`DemoCancelled` when asked."""
    total = sum(len(r) for r in rows.values())
    done = 0
    counts: dict[str, int] = {}
    if progress:
        progress(0, total)
    for model in INSERT_ORDER:
        model_rows = rows.get(model, [])
        if not model_rows:
            continue
        fields = [f for f in model._meta.sorted_fields]
        batch = max(1, BATCH_PARAMETERS // len(fields))
        for start in range(0, len(model_rows), batch):
            if cancelled and cancelled():
                raise DemoCancelled(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Loading the demonstration data was cancelled; nothing saved."
                    )
                )
            chunk = model_rows[start : start + batch]
            tuples = [
                tuple(_resolve(row[f.name]) if f.name in row else _field_default(f) for f in fields)
                for row in chunk
            ]
            model.insert_many(tuples, fields=fields).execute()
            done += len(chunk)
            if progress:
                progress(done, total)
        counts[model._meta.table_name] = len(model_rows)
    return counts


def number_records(
    kind: str, records: list[dict[str, Any]], year_of: Callable[[dict[str, Any]], int]
) -> None:
    """Give *records* (already in date order) their numbers: a block per year reserved
    through :func:`counters.next_number`, so the counters stay right for later records."""
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        by_year[year_of(rec)].append(rec)
    for year in sorted(by_year):
        group = by_year[year]
        first = counters.next_number(kind, year)
        prefix, _, value = first.rpartition("-")
        start = int(value)
        if len(group) > 1:
            name = prefix  # "CC-2026", the counter's name
            Counter.update(value=Counter.value + (len(group) - 1)).where(
                Counter.name == name
            ).execute()
        for offset, rec in enumerate(group):
            rec["number"] = f"{prefix}-{start + offset:04d}"
