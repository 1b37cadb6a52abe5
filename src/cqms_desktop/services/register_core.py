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
from ..store import search_index
from ..store.models import BaseModel

#: MariaDB: up to how many candidate ids of a text search go into the query as a list.
MAX_LISTED_IDS = 5000


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
    #: How the joined tables of :attr:`text_fields` hang on this one: ``(local field, key of
    #: the other table)`` pairs, so the text search can look words up in their indexes too.
    search_links: Callable[[], list[tuple[Any, Any]]] = lambda: []

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
        for word in flt.text.split():  # every word must match somewhere
            candidates = self._candidate_ids(word)
            if candidates is not None:
                query = query.where(self.model.id.in_(candidates))
            query = query.where(self._text_match(word))
        if flt.status:
            # Only registers of records with a status offer this filter.
            query = query.where(self.model.status.in_(list(flt.status)))  # type: ignore[attr-defined]
        if flt.customer_id is not None:
            # Only registers of a customer's records offer this filter.
            query = query.where(self.model.customer == flt.customer_id)  # type: ignore[attr-defined]
        if flt.date_from is not None or flt.date_to is not None:
            query = self._date_range(query, flt.date_from, flt.date_to)
        return self.apply_extra(query, flt)

    def _text_match(self, word: str, fields: Sequence[Any] | None = None) -> Any:
        """SQL: *word* occurs in one of *fields* (default: every text field), ``LIKE '%word%'``."""
        cond = None
        for f in self.text_fields() if fields is None else fields:
            c = f.contains(word)
            cond = c if cond is None else (cond | c)
        return cond

    def _text_candidates(self, word: str) -> pw.SelectBase | None:
        """A subquery of the ids of the records that may contain *word*, found through the
        search indexes (:mod:`cqms_desktop.store.search_index`): a superset of what
        :meth:`_text_match` finds, which still decides. ``None`` when an index cannot tell
        (a word of one or two characters, an index missing): then the match scans."""
        fields = self.text_fields()
        own = [f for f in fields if f.model is self.model]
        ids = self._indexed(self.model, own, word, self.model.id)
        if ids is None:
            return None
        parts: list[pw.SelectBase] = [ids]
        linked = {self.model}
        for local, key in self.search_links():
            remote = key.model
            linked.add(remote)
            theirs = [f for f in fields if f.model is remote]
            if not theirs:
                continue
            found = self._indexed(remote, theirs, word, key)
            if found is None:  # a small table without an index (defect categories)
                found = remote.select(key).where(self._text_match(word, theirs))
            parts.append(self.model.select(self.model.id).where(local.in_(found)))
        if any(f.model not in linked for f in fields):
            return None  # a text field the index cannot reach: scan
        if len(parts) == 1:
            return parts[0]
        union = parts[0]
        for part in parts[1:]:
            union = union | part
        # As a derived table: MariaDB then materializes the union once instead of probing it
        # for each row.
        found_ids = union.alias("found")
        return pw.Select([found_ids], [pw.SQL("found.id")])

    def _candidate_ids(self, word: str) -> pw.SelectBase | list[int] | None:
        """:meth:`_text_candidates`; on MariaDB read first when there are few of them.

        Its optimizer joins every record with its customer and probes the candidates last
        (20 ms for 2,570 complaints with no candidate at all); a list of ids in the query
        makes it start from them."""
        found = self._text_candidates(word)
        database = self.model._meta.database
        if isinstance(database, pw.DatabaseProxy):
            database = database.obj
        if found is None or not isinstance(database, pw.MySQLDatabase):
            return found
        ids = [row[0] for row in database.execute(found.limit(MAX_LISTED_IDS + 1))]
        return ids if len(ids) <= MAX_LISTED_IDS else found

    @staticmethod
    def _indexed(model: Any, fields: list[Any], word: str, key: Any) -> pw.SelectBase | None:
        """The index's candidates for *word* in *fields* of *model*, if it covers them all."""
        if not fields:
            return None
        covered = search_index.INDEXED.get(model._meta.table_name, ())
        if any(f.column_name not in covered for f in fields):
            return None
        return search_index.candidates(model, word, key)

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

    def _walked_index(self, flt: Filter, sort: str | None) -> str | None:
        """On MariaDB, the index of the sort column, when the page should walk it.

        MariaDB's optimizer starts from the small customer table and sorts every joined row
        (26 ms for 8,000 feedback, growing with the table) instead of walking the date index
        backwards and stopping after a page. Only for the whole list or a date range: with a
        text search, a customer, a status or another filter the walk could read most of the
        index to fill a page, and other indexes choose those rows better."""
        database = self.model._meta.database
        if isinstance(database, pw.DatabaseProxy):
            database = database.obj
        if not isinstance(database, pw.MySQLDatabase):
            return None
        narrowed = (
            flt.text.strip(),
            flt.status,
            flt.customer_id is not None,
            flt.overdue,
            flt.due_soon,
            flt.open_only,
            any(flt.extra.values()),
        )
        if any(narrowed):
            return None
        column = self.column(sort or self.default_sort)
        expr = column.expr()
        if column.sort_terms or not isinstance(expr, pw.Field) or expr.model is not self.model:
            return None
        return _leading_indexes(database, self.model._meta.table_name).get(expr.column_name)

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
        query = self._ordered(self._filtered(flt, self._select_list()), sort, desc)
        index = self._walked_index(flt, sort)
        if index is not None:
            _walk_index_first(query, index)
        return query.dicts()

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

    def page_and_count(
        self,
        flt: Filter,
        *,
        sort: str | None = None,
        descending: bool | None = None,
        offset: int = 0,
        limit: int = 200,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of rows and how many records match, as the register tabs show them.

        With a text search both come from one query (``COUNT(*) OVER ()``): the search is the
        expensive part and runs once. Without one, the count is a cheap ``COUNT(*)`` on the
        table alone and the page walks the sort order's index, so they stay apart."""
        if not flt.text.strip():
            return self.page(
                flt, sort=sort, descending=descending, offset=offset, limit=limit
            ), self.count(flt)
        desc = self.default_descending if descending is None else descending
        total_column = pw.fn.COUNT(pw.SQL("*")).over().alias("_total")
        query = self._ordered(self._filtered(flt, [*self._select_list(), total_column]), sort, desc)
        rows = list(query.dicts().offset(offset).limit(limit))
        if not rows:
            return rows, 0 if offset == 0 else self.count(flt)
        total = int(rows[0]["_total"])
        for row in rows:
            del row["_total"]
        return rows, total

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


_INDEXES: dict[tuple[int, str], dict[str, str]] = {}


def _leading_indexes(database: pw.Database, table: str) -> dict[str, str]:
    """column → the name of an index of *table* starting with it (read once per database)."""
    key = (id(database), table)
    if key not in _INDEXES:
        found: dict[str, str] = {}
        for index in database.get_indexes(table):
            found.setdefault(index.columns[0], str(index.name))
        _INDEXES[key] = found
    return _INDEXES[key]


def _walk_index_first(query: pw.ModelSelect[Any], index: str) -> None:
    """MariaDB: read *query*'s own table first (``STRAIGHT_JOIN``: the tables in the order
    written) through *index* (``FORCE INDEX``): the same rows, found by walking the index."""
    from_list: list[Any] = query._from_list  # type: ignore[attr-defined]  # peewee internals
    for position, item in enumerate(from_list):
        node, parent = item, None
        while isinstance(node, pw.Join):
            if node.join_type == pw.JOIN.INNER:
                node.join_type = "STRAIGHT_JOIN"
            node, parent = node.lhs, node
        forced = pw.NodeList((node, pw.SQL(f"FORCE INDEX ({index})")))
        if parent is None:
            from_list[position] = forced
        else:
            parent.lhs = forced
