"""Reading the audit trail for the history views: one record's rows (with the circulation
rows of a routed record), and the names the rows stand for — record numbers
(``CC-2026-0012``, not ``Complaint #258``), users' full names (``周军 (zhou.jun)``, not
``zhou.jun``), the number, code or name a changed reference points to.

:func:`history_names` resolves all of them for a whole history in a fixed number of queries
(one per kind of name), never one per row.

Read-only; any logged-in user may read a record's history, like the record itself, so these
reads take no actor, like the other record reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import audit
from ..store.models import (
    Attachment,
    AuditLog,
    Circulation,
    Complaint,
    CorrectiveAction,
    Customer,
    CustomerResponse,
    Department,
    Feedback,
    Product,
    ServiceRecord,
    Survey,
    User,
    Visit,
)
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


#: Fields that hold a user's log-in name (shown with the full name).
USER_NAME_FIELDS = frozenset(
    {
        "approved_by",
        "executed_by",
        "verified_by",
        "recorded_by",
        "sent_by",
        "acknowledged_by",
        "added_by",
        "created_by",
        "updated_by",
    }
)
#: Tables whose records are named by a column of their own: table → (model, column).
RECORD_NAMES: dict[str, tuple[Any, str]] = {
    "complaint": (Complaint, "number"),
    "feedback": (Feedback, "number"),
    "visit": (Visit, "number"),
    "survey": (Survey, "number"),
    "service_record": (ServiceRecord, "number"),
    "customer": (Customer, "code"),
    "product": (Product, "part_number"),
    "user": (User, "username"),
    "department": (Department, "code"),
    "attachment": (Attachment, "filename"),
}
#: Tables whose records belong to a complaint: named by the complaint's number.
COMPLAINT_PARTS: dict[str, Any] = {
    "corrective_action": CorrectiveAction,
    "customer_response": CustomerResponse,
}
#: Record kinds a circulation row may route (named by their number).
_ROUTED: dict[str, Any] = {"visit": Visit, "feedback": Feedback}


def user_label(full_name: str, username: str) -> str:
    """How a user is named in a history: ``周军 (zhou.jun)``."""
    return f"{full_name} ({username})" if full_name and full_name != username else username


@dataclass
class HistoryNames:
    """What the ids and log-in names of some audit rows stand for (see :func:`history_names`)."""

    users: dict[str, str] = field(default_factory=dict)  # log-in name → "Full (login)"
    records: dict[tuple[str, int], str] = field(default_factory=dict)  # (table, id) → number
    references: dict[tuple[str, int], str] = field(default_factory=dict)  # (field, id) → text

    def who(self, username: str) -> str:
        """``Full name (login)`` of *username* (the login itself if no such user)."""
        return self.users.get(username, username)

    def record(self, table: str, record_id: int) -> str | None:
        """The number / code / name of a record (``None`` if not known)."""
        return self.records.get((table, record_id))

    def value(self, field_name: str | None, value: str | None) -> str | None:
        """A changed value as a name (a reference or a user), or ``None`` if it is not one."""
        if field_name is None or value is None:
            return None
        if field_name in USER_NAME_FIELDS and value:
            return self.who(value)
        if field_name in REFERENCES and value.isdigit():
            return self.references.get((field_name, int(value)), f"#{value}")
        return None


def _names_from_audit(table: str, column: str, ids: Iterable[int]) -> dict[int, str]:
    """Names of records that are gone, as their audit rows recorded them (one query)."""
    ids = list(ids)
    if not ids:
        return {}
    query = (
        AuditLog.select(AuditLog.record_id, AuditLog.new_value)
        .where(
            (AuditLog.table_name == table)
            & AuditLog.record_id.in_(ids)
            & (AuditLog.field == column)
            & AuditLog.new_value.is_null(False)
        )
        .order_by(AuditLog.id)
        .tuples()
    )
    return {int(record_id): str(value) for record_id, value in query}  # the latest wins


def _names(model: Any, column: str, ids: Iterable[int]) -> dict[int, str]:
    """id → *column* of *model* for *ids* (one query)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    query = model.select(model.id, getattr(model, column)).where(model.id.in_(ids)).tuples()
    return {int(record_id): str(value) for record_id, value in query}


def _user_labels(usernames: Iterable[str], ids: Iterable[int] = ()) -> dict[str, str]:
    """Log-in name → ``Full name (login)`` for *usernames* and the users with *ids*."""
    usernames, ids = set(usernames), set(ids)
    if not usernames and not ids:
        return {}
    cond = User.username.in_(sorted(usernames)) if usernames else None
    if ids:
        by_id = User.id.in_(sorted(ids))
        cond = by_id if cond is None else (cond | by_id)
    query = User.select(User.username, User.full_name).where(cond).tuples()
    return {login: user_label(full, login) for login, full in query}


def history_names(rows: Sequence[AuditLog]) -> HistoryNames:
    """Resolve the record numbers, users and references of *rows* in one go.

    A fixed number of queries whatever the number of rows: one for the users, one per kind
    of record shown and one per kind of reference (plus one per kind for records deleted
    since, named from their own audit rows).
    """
    names = HistoryNames()
    ids_of: dict[str, set[int]] = defaultdict(set)
    logins: set[str] = set()
    referenced: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        ids_of[row.table_name].add(row.record_id)
        logins.add(row.username)
        for value in (row.old_value, row.new_value):
            if not row.field or not value:
                continue
            if row.field in USER_NAME_FIELDS:
                logins.add(value)
            elif row.field in REFERENCES and value.isdigit():
                referenced[row.field].add(int(value))
    # References: grouped by the table they point to (one query per table).
    by_model: dict[Any, set[int]] = defaultdict(set)
    for name, ids in referenced.items():
        by_model[REFERENCES[name][0]] |= ids
    user_ids = by_model.pop(User, set())
    model_names = {
        model: _names(model, next(c for m, c in REFERENCES.values() if m is model), ids)
        for model, ids in by_model.items()
    }
    if user_ids:
        query = User.select(User.id, User.username).where(User.id.in_(sorted(user_ids)))
        login_of = {int(i): str(u) for i, u in query.tuples()}
        logins |= set(login_of.values())
        model_names[User] = login_of
    names.users = _user_labels(logins)
    for name, ids in referenced.items():
        model = REFERENCES[name][0]
        for ref_id in ids:
            text = model_names.get(model, {}).get(ref_id)
            if text is not None:
                names.references[(name, ref_id)] = names.who(text) if model is User else text
    # The records themselves.
    for table, ids in ids_of.items():
        found: dict[int, str] = {}
        if table in RECORD_NAMES:
            model, column = RECORD_NAMES[table]
            found = _names(model, column, ids)
            found |= _names_from_audit(table, column, ids - set(found))
            if table == "user":
                found = {i: names.users.get(login, login) for i, login in found.items()}
        elif table in COMPLAINT_PARTS:
            model = COMPLAINT_PARTS[table]
            query = (
                model.select(model.id, Complaint.number)
                .join(Complaint)
                .where(model.id.in_(sorted(ids)))
                .tuples()
            )
            found = {int(i): str(number) for i, number in query}
        elif table == Circulation._meta.table_name:
            found = _circulation_names(ids)
        names.records |= {(table, record_id): text for record_id, text in found.items()}
    return names


def _circulation_names(ids: set[int]) -> dict[int, str]:
    """A circulation row is named by the visit or feedback it routes (two queries at most)."""
    rows = list(
        Circulation.select(Circulation.id, Circulation.record_kind, Circulation.record_id)
        .where(Circulation.id.in_(sorted(ids)))
        .tuples()
    )
    numbers = {
        kind: _names(model, "number", [rid for _i, k, rid in rows if k == kind])
        for kind, model in _ROUTED.items()
    }
    return {
        int(i): numbers[kind][rid]
        for i, kind, rid in rows
        if kind in numbers and rid in numbers[kind]
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
