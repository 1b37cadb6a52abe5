"""A record's value *as at* the review's cut-off, read back from the audit trail.

A review of a past period must not change when a record changes later: a complaint closed in
September and reopened in October was closed at the end of the third quarter, and a customer
deactivated in October was active during it. Every change of a stored field is in the audit
trail with its old value, so the value a field had at the cut-off is

* the *old* value of the first change made at or after the cut-off, if there is one;
* otherwise the value it has now (nothing changed it since).

For a review of the period in progress (the cut-off is now) that is simply the column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee as pw

from ...store.db import database_proxy
from ...store.models import AuditLog
from .scope import Scope

#: Up to this many changed records are named in the query; more are matched by a subquery.
_LISTED = 500


def _cast_to(column: pw.Field, text: Any) -> Any:
    """SQL: audit text (see ``store.audit.audit_text``) read back as *column*'s type."""
    if isinstance(column, pw.BooleanField):
        return text == "true"
    if isinstance(column, pw.DateTimeField):
        database = database_proxy.obj
        if isinstance(database, pw.PostgresqlDatabase):
            return pw.Cast(text, "TIMESTAMP")
        if isinstance(database, pw.MySQLDatabase):
            return pw.Cast(text, "DATETIME")
        return text  # SQLite keeps datetimes as the same "YYYY-MM-DD HH:MM:SS" text
    return text


def as_of(column: pw.Field, scope: Scope, *, relevant: Callable[[Any], Any] | None = None) -> Any:
    """SQL: the value *column* had at the scope's cut-off (the column itself for the present).

    Only the records changed since the cut-off (found once, before the figure's query, through
    the audit trail's index on table, field, action and time) look their old value up; every
    other row reads its column.
    *relevant* narrows that to the changes whose old value matters to the figure — given the
    audit trail's ``old_value``, a condition: a closing after the cut-off (old value empty)
    changes nothing a figure "as at the end" reads, a reopening (old value set) does.
    """
    if scope.cutoff_utc >= scope.now:
        return column
    model = column.model
    table = model._meta.table_name
    key = model._meta.primary_key

    def changes_since(alias: str) -> Any:
        trail = AuditLog.alias(alias)
        since = (
            (trail.table_name == table)
            & (trail.field == column.name)
            & (trail.action == "update")
            & (trail.at >= scope.cutoff_utc)
        )
        return trail, since

    changed, since = changes_since("changed")
    wanted = since if relevant is None else since & relevant(changed.old_value)
    changed_ids = changed.select(changed.record_id).where(wanted).distinct()
    # Asked once, before the figure's query: usually nothing relevant changed since the
    # cut-off, and then the column is the answer (a CASE per row costs ~20× the plain scan).
    found = [row[0] for row in changed_ids.tuples().limit(_LISTED + 1)]
    if not found:
        return column
    listed: Any = found if len(found) <= _LISTED else changed_ids
    later, since_later = changes_since("later")
    first_change = later.select(pw.fn.MIN(later.id)).where(since_later & (later.record_id == key))
    change = AuditLog.alias("first_change")
    old_value = change.select(change.old_value).where(change.id == first_change)
    return pw.Case(None, [(key.not_in(listed), column)], _cast_to(column, old_value))
