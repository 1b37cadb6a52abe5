"""Keys that must be unique without case and accents (customer and supplier codes, part
numbers, user names): the check before a save and the unique index's refusal after a race,
both turned into the same message naming the field.

Shared by the master-data services (:mod:`.admin`, :mod:`.suppliers`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import peewee as pw

from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.keys import fold_key
from ..store.db import is_unique_violation


def clash(model: Any, column: Any, value: str, exclude_id: int | None) -> str | None:
    """The existing key of *model* that folds like *value* (see :mod:`..domain.keys`), if any.

    Compared in Python, as no SQL expression folds accents on all three backends; the tables
    of codes and users are small."""
    key = fold_key(value)
    query = model.select(model.id, column)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    for row in query:
        existing: str = getattr(row, column.name)
        if fold_key(existing) == key:
            return existing
    return None


@contextlib.contextmanager
def unique_index_as(error: ValidationError) -> Iterator[None]:
    """Turn a unique-index violation (another PC saved the same key first) into *error*."""
    try:
        yield
    except pw.IntegrityError as exc:
        if is_unique_violation(exc):
            raise error from None
        raise


def key_in_use(field: str, value: str, existing: str | None = None) -> ValidationError:
    """The error for *value* of *field* already taken (by *existing*, when it differs only in
    capitals or accents)."""
    if existing is not None and existing != value:
        return ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field} “{value}” is already in use as “{existing}” (keys differing only in "
                "capitals or accents count as the same).",
            ),
            field=field,
            value=value,
            existing=existing,
        )
    return ValidationError(
        QT_TRANSLATE_NOOP("Errors", "{field} “{value}” is already in use."),
        field=field,
        value=value,
    )


def check_unique(model: Any, column: Any, value: str, field: str, exclude_id: int | None) -> None:
    """Refuse *value* for *column* of *model* if another record (not *exclude_id*) has a key
    that folds like it."""
    existing = clash(model, column, value, exclude_id)
    if existing is not None:
        raise key_in_use(field, value, existing)
