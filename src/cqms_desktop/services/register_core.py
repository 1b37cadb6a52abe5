"""The machinery of a register: columns as SQL expressions, a filter, paging and sorting.

:mod:`cqms_desktop.services.registers` defines the registers of each kind with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import peewee as pw

from ..domain import enums as E
from ..domain.clock import to_utc
from ..store.models import BaseModel


@dataclass(frozen=True)
class Column:
    """One column of a register: a key, a translatable header, and how to compute it."""

    key: str
    label: str
    expr: Callable[[], Any]  # built lazily: some expressions depend on "now"
    kind: str = "text"  # text | date | datetime | int | decimal | bool | enum
    enum: type[E.LabeledEnum] | None = None
    sortable: bool = True
    width: int = 120  # default width in pixels, also used for Excel column widths
    #: The SQL terms the column sorts by, when not simply its value (record numbers).
    sort_terms: Callable[[Any], list[Any]] | None = None


@dataclass
class Filter:
    """What a user narrowed a list down to. Dates are local calendar dates, inclusive."""

    text: str = ""
    status: Sequence[str] = ()
    customer_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    due_soon: bool = False
    open_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def local_day_start_utc(day: date) -> datetime:
    """Midnight at the start of *day* in the company's time zone, as naive UTC."""
    return to_utc(datetime.combine(day, time.min))


@dataclass
class Register:
    """A list of one kind of record."""

    kind: str
    model: type[BaseModel]
    title: str
    columns: list[Column]
    date_field: Any
    text_fields: Callable[[], list[Any]]
    joins: Callable[[pw.ModelSelect[Any]], pw.ModelSelect[Any]] = lambda q: q
    default_sort: str = "number"
    default_descending: bool = True
    apply_extra: Callable[[pw.ModelSelect[Any], Filter], pw.ModelSelect[Any]] = lambda q, f: q

    def column(self, key: str) -> Column:
        """The column named *key*."""
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    # -------------------------------------------------------------- query building
    def _filtered(
        self, flt: Filter, select: Sequence[Any], joined: bool = True
    ) -> pw.ModelSelect[Any]:
        query = self.model.select(*select)
        if joined:
            query = self.joins(query)
        if flt.text.strip():
            words = flt.text.split()
            for word in words:  # every word must match somewhere
                cond = None
                for f in self.text_fields():
                    c = f.contains(word)
                    cond = c if cond is None else (cond | c)
                query = query.where(cond)
        if flt.status:
            # Only registers of records with a status offer this filter.
            query = query.where(self.model.status.in_(list(flt.status)))  # type: ignore[attr-defined]
        if flt.customer_id is not None:
            # Only registers of a customer's records offer this filter.
            query = query.where(self.model.customer == flt.customer_id)  # type: ignore[attr-defined]
        if flt.date_from is not None or flt.date_to is not None:
            query = self._date_range(query, flt.date_from, flt.date_to)
        return self.apply_extra(query, flt)

    def _date_range(
        self, query: pw.ModelSelect[Any], start: date | None, end: date | None
    ) -> pw.ModelSelect[Any]:
        fld = self.date_field
        is_datetime = isinstance(fld, pw.DateTimeField)
        if start is not None:
            query = query.where(fld >= (local_day_start_utc(start) if is_datetime else start))
        if end is not None:
            if is_datetime:
                query = query.where(fld < local_day_start_utc(end + timedelta(days=1)))
            else:
                query = query.where(fld <= end)
        return query

    def _select_list(self) -> list[Any]:
        return [self.model.id.alias("id")] + [c.expr().alias(c.key) for c in self.columns]

    def _ordered(
        self, query: pw.ModelSelect[Any], sort: str | None, descending: bool
    ) -> pw.ModelSelect[Any]:
        key = sort or self.default_sort
        col = self.column(key)
        expr = col.expr()
        terms = col.sort_terms(expr) if col.sort_terms else [expr]
        terms.append(self.model.id)  # a stable order for equal values
        return query.order_by(*(t.desc() if descending else t.asc() for t in terms))

    # -------------------------------------------------------------- public API
    def count(self, flt: Filter) -> int:
        """How many records match *flt* (``COUNT(*)`` in SQL)."""
        # The joins (customer, product, owner) never change how many rows there are: the
        # customer is required and the others are outer joins. Only a text search needs them.
        return self._filtered(flt, [self.model.id], joined=bool(flt.text.strip())).count()

    def query(
        self, flt: Filter, sort: str | None = None, descending: bool | None = None
    ) -> pw.ModelSelect[Any]:
        """The filtered, sorted query returning dict rows (``id`` plus every column key)."""
        desc = self.default_descending if descending is None else descending
        return self._ordered(self._filtered(flt, self._select_list()), sort, desc).dicts()

    def page(
        self,
        flt: Filter,
        *,
        sort: str | None = None,
        descending: bool | None = None,
        offset: int = 0,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        """One page of rows."""
        return list(self.query(flt, sort, descending).offset(offset).limit(limit))

    def iterate(
        self,
        flt: Filter,
        sort: str | None = None,
        descending: bool | None = None,
        chunk: int = 2000,
    ) -> Iterator[dict[str, Any]]:
        """All matching rows, fetched in chunks (exports, ``cqms list``)."""
        offset = 0
        while True:
            rows = self.page(flt, sort=sort, descending=descending, offset=offset, limit=chunk)
            yield from rows
            if len(rows) < chunk:
                return
            offset += chunk
