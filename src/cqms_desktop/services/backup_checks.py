"""What a backup's rows must be before a restore writes any of them.

The checksums of a backup only prove that the file is what its header says; a file edited by
hand (or forged, checksums recomputed) passes them. :class:`RowChecker` therefore checks every
row against this program's models while the file is verified, before the target is touched:

- the row has one value per column, each of the column's type (text, whole number, boolean,
  ISO date or time, decimal string, base64) and ``null`` only where the column allows it;
- values lie within what every backend stores (:mod:`..domain.input_limits`): no NUL or lone
  surrogate, text within the column's length, whole numbers within 32 bits, decimals within
  the column's digits, dates and times in the allowed years, times without an offset;
- primary keys and unique columns (and unique indexes) hold no duplicates;
- every foreign key names a row of the referenced table in the same backup.

A problem is reported as a short English reason naming table, line and column; the caller
(:func:`.backup.verify_file`) turns it into "damaged or not a CQMS backup … Nothing was
restored."
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
from typing import Any

import peewee as pw

from ..domain.errors import ValidationError
from ..domain.input_limits import INT_MAX, INT_MIN, MAX_YEAR, MIN_YEAR, check_text
from ..store.models import BaseModel


class RowProblem(Exception):
    """One value of a backup that cannot be restored; ``str()`` is the reason."""


def _text(field: pw.Field, value: Any) -> None:
    if not isinstance(value, str):
        raise RowProblem("not text")
    try:
        check_text(value, field.column_name)
    except ValidationError as err:
        raise RowProblem(
            f"holds a character that cannot be stored ({err.params['code']})"
        ) from None
    limit = getattr(field, "max_length", None)
    if isinstance(field, pw.CharField) and limit is not None and len(value) > limit:
        raise RowProblem(f"longer than {limit} characters")


def _year(value: dt.date) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise RowProblem(f"year {value.year} outside {MIN_YEAR}-{MAX_YEAR}")


def _whole(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RowProblem("not a whole number")
    if not INT_MIN <= value <= INT_MAX:
        raise RowProblem("whole number out of range")


def check_value(field: pw.Field, value: Any) -> None:
    """Raise :class:`RowProblem` unless *value* (as encoded in a backup) fits *field*."""
    if value is None:
        if not field.null or field.primary_key:
            raise RowProblem("empty but required")
        return
    if isinstance(field, pw.BlobField):
        if not isinstance(value, str):
            raise RowProblem("not base64 text")
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise RowProblem("not base64 text") from None
    elif isinstance(field, pw.DateTimeField):
        if not isinstance(value, str):
            raise RowProblem("not a date and time")
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise RowProblem("not a date and time") from None
        if moment.tzinfo is not None or moment.microsecond:
            raise RowProblem("not a UTC time in whole seconds")
        _year(moment)
    elif isinstance(field, pw.DateField):
        if not isinstance(value, str) or len(value) != 10:
            raise RowProblem("not a date")
        try:
            _year(dt.date.fromisoformat(value))
        except ValueError:
            raise RowProblem("not a date") from None
    elif isinstance(field, pw.DecimalField):
        _decimal(field, value)
    elif isinstance(field, pw.BooleanField):
        if not isinstance(value, bool):
            raise RowProblem("not true or false")
    elif isinstance(field, pw.IntegerField | pw.ForeignKeyField):
        _whole(value)
    else:
        _text(field, value)


def _decimal(field: pw.DecimalField, value: Any) -> None:
    if not isinstance(value, str):
        raise RowProblem("not a decimal number")
    try:
        number = decimal.Decimal(value)
    except (decimal.InvalidOperation, ValueError):
        raise RowProblem("not a decimal number") from None
    places = field.decimal_places or 0
    digits = (field.max_digits or 10) - places
    if not number.is_finite() or abs(number) >= decimal.Decimal(10) ** digits:
        raise RowProblem("decimal number out of range")
    if number.as_tuple().exponent != -places:
        raise RowProblem(f"not written with {places} decimal places")


def _unique_groups(model: type[BaseModel], columns: list[str]) -> list[tuple[int, ...]]:
    """The column positions that must be unique together: the primary key, unique columns,
    unique indexes."""
    position = {name: i for i, name in enumerate(columns)}
    by_name = {f.name: f.column_name for f in model._meta.sorted_fields}
    groups: list[tuple[int, ...]] = []
    for fld in model._meta.sorted_fields:
        if fld.primary_key or fld.unique:
            groups.append((position[fld.column_name],))
    for index in model._meta.indexes:
        names, unique = index
        if unique:
            groups.append(tuple(position[by_name[n]] for n in names))
    return groups


class _Table:
    """What is known of one table while its rows stream past."""

    def __init__(self, model: type[BaseModel], columns: list[str]) -> None:
        by_column = {f.column_name: f for f in model._meta.sorted_fields}
        self.model = model
        self.fields = [by_column[c] for c in columns]
        self.groups = _unique_groups(model, columns)
        self.seen: list[set[tuple[Any, ...]]] = [set() for _ in self.groups]
        pk = model._meta.primary_key
        self.pk_index = next((i for i, f in enumerate(self.fields) if f is pk), None)
        self.keys: set[Any] = set()
        self.self_refs: list[tuple[int, str, Any]] = []  # (line, column, key) checked at the end


class RowChecker:
    """Checks the rows of a backup table by table (see the module)."""

    def __init__(self, tables: list[tuple[type[BaseModel], list[str]]]) -> None:
        self._columns = {m._meta.table_name: (m, c) for m, c in tables}
        self._order = [m._meta.table_name for m, _ in tables]
        self._done: dict[str, _Table] = {}
        self._current: _Table | None = None

    def start(self, table: str) -> None:
        """The rows of *table* follow; tables come once each, in the header's (foreign-key)
        order, so every reference points back at rows already checked."""
        self.finish()
        expected = self._order[len(self._done)] if len(self._done) < len(self._order) else None
        if table != expected:
            raise RowProblem(f"table {table} out of order or repeated")
        model, columns = self._columns[table]
        self._current = _Table(model, columns)

    def row(self, row: list[Any], line: int) -> None:
        """Check one row; raises :class:`RowProblem` naming line and column."""
        table = self._current
        assert table is not None
        name = table.model._meta.table_name
        if len(row) != len(table.fields):
            raise RowProblem(
                f"table {name}, line {line}: {len(row)} values for {len(table.fields)} columns"
            )
        for fld, value in zip(table.fields, row, strict=True):
            try:
                check_value(fld, value)
            except RowProblem as problem:
                raise RowProblem(
                    f"table {name}, line {line}, column {fld.column_name}: {problem}"
                ) from None
            if isinstance(fld, pw.ForeignKeyField) and value is not None:
                target = fld.rel_model._meta.table_name
                if fld.rel_model is table.model:
                    table.self_refs.append((line, fld.column_name, value))
                elif target not in self._done or value not in self._done[target].keys:
                    raise RowProblem(
                        f"table {name}, line {line}, column {fld.column_name}: "
                        f"no row {value} in table {target}"
                    )
        for group, seen in zip(table.groups, table.seen, strict=True):
            # NULLs never collide in a unique index (SQL), so a key with one is not recorded.
            key = tuple(row[i] for i in group)
            if any(k is None for k in key):
                continue
            if key in seen:
                columns = ", ".join(table.fields[i].column_name for i in group)
                raise RowProblem(f"table {name}, line {line}: {columns} repeated")
            seen.add(key)
        if table.pk_index is not None:
            table.keys.add(row[table.pk_index])

    def finish(self) -> None:
        """The current table is complete: check its references to itself."""
        table = self._current
        if table is None:
            return
        for line, column, key in table.self_refs:
            if key not in table.keys:
                raise RowProblem(
                    f"table {table.model._meta.table_name}, line {line}, column {column}: "
                    f"no row {key} in the same table"
                )
        table.seen = []  # the unique values are no longer needed, the keys are
        self._done[table.model._meta.table_name] = table
        self._current = None

    def finish_all(self) -> None:
        """The file is complete: every table was there."""
        self.finish()
        missing = self._order[len(self._done) :]
        if missing:
            raise RowProblem(f"table {missing[0]} missing")
