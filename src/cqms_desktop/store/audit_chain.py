"""The audit trail's hash chain, its head row and the triggers that make it append-only.

Each audit row stores ``prev_hash`` (the previous row's ``row_hash``, :data:`GENESIS` for the
first) and ``row_hash`` = SHA-256 over ``prev_hash`` and a canonical serialisation of every
other column, id included. Appends are serialised on the chain head row (``SELECT … FOR
UPDATE`` on the servers, SQLite's write lock), so the rows of several PCs form one chain, and
the head (last id, last hash, row count) is updated in the same transaction — cutting rows off
the end or truncating the table leaves a head that no longer matches.

The same functions hash rows read back from a database, from a backup file and in the upgrade
step, so the serialisation here is a stored format: change it only with a schema step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import peewee as pw

GENESIS = "0" * 64
HEAD_ID = 1
#: The audit columns a row hash covers, in this order (``prev_hash`` is hashed first).
HASHED_COLUMNS = (
    "id",
    "at",
    "username",
    "table_name",
    "record_id",
    "action",
    "field",
    "old_value",
    "new_value",
)
TABLE = "audit_log"
HEAD_TABLE = "audit_chain"


def _at_text(value: Any) -> str:
    """The row time as text, the same whether a driver gives a datetime or a string."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(f"audit time {value!r}")
    return value.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")


def row_hash(prev_hash: str, values: Sequence[Any]) -> str:
    """The hash of one audit row: *values* in :data:`HASHED_COLUMNS` order."""
    row_id, at, username, table, record_id, action, field, old, new = values
    canonical = [
        int(row_id),
        _at_text(at),
        username,
        table,
        int(record_id),
        action,
        field,
        old,
        new,
    ]
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    row_id: int
    reason: str  # "link" (prev_hash is not the previous row's hash) | "hash" (row changed)


@dataclass
class ChainState:
    """Where a walk along the chain ended."""

    last_id: int = 0
    last_hash: str = GENESIS
    rows: int = 0
    first_break: Break | None = None

    def add(self, values: Sequence[Any], prev_hash: str | None, stored_hash: str | None) -> None:
        """Walk one row (columns in :data:`HASHED_COLUMNS` order); remember the first break."""
        row_id = int(values[0])
        if self.first_break is None:
            if prev_hash != self.last_hash:
                self.first_break = Break(row_id, "link")
            elif row_hash(self.last_hash, values) != stored_hash:
                self.first_break = Break(row_id, "hash")
        self.last_id = row_id
        self.last_hash = stored_hash or ""
        self.rows += 1


def walk(rows: Iterable[Sequence[Any]]) -> ChainState:
    """Verify rows ``(*HASHED_COLUMNS, prev_hash, row_hash)`` in id order."""
    state = ChainState()
    for row in rows:
        state.add(row[:-2], row[-2], row[-1])
    return state


def select_chain_rows(database: pw.Database) -> Iterable[Sequence[Any]]:
    """Every audit row as ``(*HASHED_COLUMNS, prev_hash, row_hash)``, in id order (raw SQL, so
    the upgrade step and the check read the same thing whatever the models say)."""
    columns = ", ".join((*HASHED_COLUMNS, "prev_hash", "row_hash"))
    cursor = database.execute_sql(f"SELECT {columns} FROM {TABLE} ORDER BY id")
    while batch := cursor.fetchmany(2000):
        yield from batch


# ------------------------------------------------------------------ the keyed digest
def new_key() -> str:
    """A fresh random key for the keyed digest of backups (hex)."""
    return secrets.token_hex(32)


def key_id(key: str) -> str:
    """A short public name of a key (never the key): which key a backup was signed with."""
    return hashlib.sha256(b"cqms-backup-key-id\n" + key.encode()).hexdigest()[:16]


def digest(key: str, payload: bytes) -> str:
    """HMAC-SHA256 of *payload* with *key*."""
    return hmac.new(bytes.fromhex(key), payload, hashlib.sha256).hexdigest()


# ------------------------------------------------------------------ the append-only guard
def _trigger_names(database: pw.Database) -> list[str]:
    if isinstance(database, pw.PostgresqlDatabase):
        return [f"{TABLE}_append_only", f"{TABLE}_no_truncate"]
    return [f"{TABLE}_no_update", f"{TABLE}_no_delete"]


def expected_triggers(database: pw.Database) -> list[str]:
    """The names of the triggers that keep the audit table append-only on *database*."""
    return _trigger_names(database)


def remove_guard(database: pw.Database) -> None:
    """Drop the append-only triggers (the upgrade step re-hashes old rows in place)."""
    for name in _trigger_names(database):
        if isinstance(database, pw.PostgresqlDatabase):
            database.execute_sql(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}")
        else:
            database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")


def install_guard(database: pw.Database) -> None:
    """Make the audit table append-only in the database itself, not only in our code.

    Re-runnable: existing triggers are replaced. On PostgreSQL the triggers fire ALWAYS (also
    with ``session_replication_role = replica``) and a statement trigger refuses ``TRUNCATE``,
    which row triggers do not see. MariaDB has no truncate trigger: the chain head notices it.
    """
    remove_guard(database)
    if isinstance(database, pw.SqliteDatabase):
        for op in ("UPDATE", "DELETE"):
            database.execute_sql(
                f"CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END"
            )
    elif isinstance(database, pw.PostgresqlDatabase):
        database.execute_sql(
            "CREATE OR REPLACE FUNCTION cqms_audit_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit rows are append-only'; END; $$ LANGUAGE plpgsql"
        )
        database.execute_sql(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION cqms_audit_append_only()"
        )
        database.execute_sql(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION cqms_audit_append_only()"
        )
        for name in _trigger_names(database):
            database.execute_sql(f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {name}")
    elif isinstance(database, pw.MySQLDatabase):
        for op in ("UPDATE", "DELETE"):
            database.execute_sql(
                f"CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} FOR EACH ROW "
                f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit rows are append-only'"
            )


def guard_problems(database: pw.Database) -> list[tuple[str, str]]:
    """``(trigger, "missing" | "disabled" | "altered")`` for each guard trigger not in force
    (altered: a trigger of that name that no longer refuses the change)."""
    names = _trigger_names(database)
    found: dict[str, str] = {}  # name → "ok" | "disabled" | "altered"
    if isinstance(database, pw.SqliteDatabase):
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"
        for name, text in database.execute_sql(sql, (TABLE,)).fetchall():
            found[name] = "ok" if "RAISE(ABORT" in (text or "").upper() else "altered"
    elif isinstance(database, pw.PostgresqlDatabase):
        sql = (
            "SELECT t.tgname, t.tgenabled, p.prosrc FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE c.relname = %s AND c.relnamespace = to_regnamespace(current_schema()) "
            "AND NOT t.tgisinternal"
        )
        for name, enabled, source in database.execute_sql(sql, (TABLE,)).fetchall():
            if "RAISE EXCEPTION" not in (source or "").upper():
                found[name] = "altered"
            # 'O' fires normally, 'A' always; 'D' is disabled and 'R' fires only on replicas.
            elif str(enabled) not in ("O", "A"):
                found[name] = "disabled"
            else:
                found[name] = "ok"
    else:
        sql = (
            "SELECT trigger_name, action_statement FROM information_schema.triggers "
            "WHERE event_object_schema = DATABASE() AND event_object_table = %s"
        )
        for name, text in database.execute_sql(sql, (TABLE,)).fetchall():
            found[name] = "ok" if "SIGNAL" in (text or "").upper() else "altered"
    return [(n, found.get(n, "missing")) for n in names if found.get(n) != "ok"]
