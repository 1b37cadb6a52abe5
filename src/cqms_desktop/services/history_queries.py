"""Reading the audit trail for the history views: one record's rows (with the circulation
rows of a routed record), and the number, code or name a changed reference stood for.

Read-only; any logged-in user may read a record's history, like the record itself, so these
reads take no actor, like the other record reads.
"""

from __future__ import annotations

from typing import Any

from ..store import audit
from ..store.models import AuditLog, Circulation, Complaint, Customer, Feedback, Product, User
from . import circulation

#: Foreign-key fields: the table and column whose value names the referenced record.
REFERENCES: dict[str, tuple[Any, str]] = {
    "customer": (Customer, "code"),
    "product": (Product, "part_number"),
    "qa_owner": (User, "full_name"),
    "owner": (User, "full_name"),
    "sales_rep": (User, "full_name"),
    "visitor": (User, "full_name"),
    "registered_by": (User, "full_name"),
    "complaint": (Complaint, "number"),
    "repeat_of": (Complaint, "number"),
    "feedback": (Feedback, "number"),
}


def record_history(table: str, record_id: int) -> list[AuditLog]:
    """The audit rows of one record of *table*, oldest first."""
    return audit.history(table, record_id)


def history_with_routing(table: str, record_id: int, routing_kind: str | None) -> list[AuditLog]:
    """The record's own audit rows plus, for a routed record (*routing_kind*), those of its
    circulation rows, in time order."""
    rows = audit.history(table, record_id)
    if not routing_kind:
        return rows
    ids = [r.id for r in circulation.routing_rows(routing_kind, record_id)]
    if not ids:
        return rows
    extra = AuditLog.select().where(
        (AuditLog.table_name == Circulation._meta.table_name) & AuditLog.record_id.in_(ids)
    )
    return sorted([*rows, *extra], key=lambda r: (r.at, r.id))


def is_reference(field: str) -> bool:
    """Whether *field* holds the id of another record (see :data:`REFERENCES`)."""
    return field in REFERENCES


def reference_text(field: str, record_id: int) -> str:
    """The number / code / name of the record the reference *field* points to (its id as
    ``#id`` if it no longer exists)."""
    model, column = REFERENCES[field]
    row = model.select(getattr(model, column)).where(model.id == record_id).first()
    return str(getattr(row, column)) if row is not None else f"#{record_id}"
