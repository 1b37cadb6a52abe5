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

from typing import Any

import peewee as pw

from ...store.db import database_proxy
from ...store.models import AuditLog
from .scope import Scope


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


def as_of(column: pw.Field, scope: Scope) -> Any:
    """SQL: the value *column* had at the scope's cut-off (the column itself for the present).

    Only for a cut-off in the past: the correlated look-ups use the audit trail's index on
    (table, record) and run per row, which a review (a background job) can afford.
    """
    if scope.cutoff_utc >= scope.now:
        return column
    model = column.model
    later = AuditLog.alias("later")
    first_change = later.select(pw.fn.MIN(later.id)).where(
        (later.table_name == model._meta.table_name)
        & (later.record_id == model._meta.primary_key)
        & (later.field == column.name)
        & (later.action == "update")
        & (later.at >= scope.cutoff_utc)
    )
    change = AuditLog.alias("first_change")
    old_value = change.select(change.old_value).where(change.id == first_change)
    unchanged_since = pw.NodeList((first_change, pw.SQL("IS NULL")))
    return pw.Case(None, [(unchanged_since, column)], _cast_to(column, old_value))
