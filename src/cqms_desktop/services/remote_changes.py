"""What other PCs changed: read from the audit trail, the one change sequence every backend
already keeps (issue #15 item 14).

Every write of every PC appends hash-chained rows to ``audit_log`` in its transaction, and
the rows' ids only grow, so ``MAX(id)`` is a change counter that costs one primary-key lookup
to poll, on SQLite, PostgreSQL and MariaDB alike. A PC remembers the last id it has seen and
asks for the rows after it: which records changed, who changed them and when. The window turns
those into the same change events its own saves produce (lists, dashboard and My work
refresh), and an open editor whose record changed says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import peewee as pw

from ..store.models import AuditLog, User

#: Audit-trail table → the change kinds the services announce for it (``unit_of_work``).
KINDS_OF_TABLE: dict[str, frozenset[str]] = {
    "complaint": frozenset({"complaint"}),
    "corrective_action": frozenset({"complaint"}),
    "customer_response": frozenset({"complaint"}),
    "attachment": frozenset({"complaint"}),
    "feedback": frozenset({"feedback"}),
    "visit": frozenset({"visit"}),
    "circulation": frozenset({"circulation", "visit", "feedback"}),
    "survey": frozenset({"survey"}),
    "service_record": frozenset({"service"}),
    "customer": frozenset({"customer"}),
    "product": frozenset({"product"}),
    "department": frozenset({"department"}),
    "user": frozenset({"user"}),
    "setting": frozenset({"settings", "complaint"}),
    "holiday": frozenset({"settings", "complaint"}),
    "defect_category": frozenset({"defect_category"}),
    "sent_mail": frozenset({"mail"}),
    "review_signoff": frozenset({"review_signoff"}),
}
#: At most this many audit rows are read per poll (a bulk import elsewhere: refresh all).
BATCH = 2000


@dataclass(frozen=True)
class RemoteChange:
    """One record changed elsewhere: its table and id, who changed it last and when (UTC)."""

    table: str
    record_id: int
    username: str
    full_name: str
    at: datetime


@dataclass(frozen=True)
class ChangesSince:
    """The rows after a known id: the id to remember next, the records, the kinds to tell."""

    last_id: int
    changes: list[RemoteChange]
    kinds: frozenset[str]


def change_head() -> int:
    """The newest audit row's id (0 for an empty trail): where a PC starts watching."""
    return int(AuditLog.select(pw.fn.MAX(AuditLog.id)).scalar() or 0)


def changes_since(last_id: int, *, except_user: str | None = None) -> ChangesSince:
    """What changed after audit row *last_id*, one entry per record (the latest change),
    leaving out the changes of *except_user* (this PC's user: announced here already).

    Much more than :data:`BATCH` rows (an import elsewhere) is reported as "everything"
    (kind ``*``) from the newest id on, rather than read row by row.
    """
    head = change_head()
    if head <= last_id:
        return ChangesSince(last_id, [], frozenset())
    if head - last_id > BATCH:
        return ChangesSince(head, [], frozenset({"*"}))
    rows = (
        AuditLog.select(AuditLog.table_name, AuditLog.record_id, AuditLog.username, AuditLog.at)
        .where((AuditLog.id > last_id) & (AuditLog.id <= head))
        .order_by(AuditLog.id)
        .tuples()
    )
    latest: dict[tuple[str, int], tuple[str, datetime]] = {}
    kinds: set[str] = set()
    for table, record_id, username, at in rows:
        if except_user is not None and username == except_user:
            continue
        latest[(table, int(record_id))] = (username, at)
        kinds |= KINDS_OF_TABLE.get(table, frozenset({"*"}))
    names = _full_names({username for username, _ in latest.values()})
    changes = [
        RemoteChange(table, record_id, username, names.get(username, ""), at)
        for (table, record_id), (username, at) in latest.items()
    ]
    return ChangesSince(head, changes, frozenset(kinds))


def _full_names(usernames: set[str]) -> dict[str, str]:
    if not usernames:
        return {}
    query = User.select(User.username, User.full_name).where(User.username.in_(usernames))
    return {u.username: u.full_name for u in query}
