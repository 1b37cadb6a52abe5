"""Schema step: the hash-chained audit trail.

Adds ``prev_hash`` / ``row_hash`` to ``audit_log``, creates the chain head table
``audit_chain`` (with a new random key for the keyed digest of backups), chains the rows the
database already holds in id order, and re-installs the append-only triggers (PostgreSQL gains
a ``TRUNCATE`` trigger; its triggers fire ALWAYS). The triggers are dropped while the old rows
get their hashes — the only time audit rows are ever updated.

Re-runnable: columns and the table are created only if missing, the hashes are recomputed
deterministically, an existing key is kept, and the triggers are dropped before they are
created (MariaDB commits every ``CREATE TRIGGER`` at once, so an interrupted run can leave
them behind).

Version 1 copied the old and new argon2 hashes of a password change into the trail: while the
rows are open for hashing anyway, those values are replaced by what the trail writes now
("password changed" and a fingerprint of the new hash). That is the one edit to history this
step makes, and the reason is that secrets must not stay in it.
"""

from __future__ import annotations

import peewee as pw

from .. import audit_chain as chain
from ..audit import SECRET_FIELDS, trail_text

_BATCH = 2000


def upgrade(database: pw.Database) -> None:
    """Bring a version-1 database's audit trail onto the hash chain."""
    present = {c.name for c in database.get_columns(chain.TABLE)}
    for name in ("prev_hash", "row_hash"):
        if name not in present:  # the same DDL on all three backends
            database.execute_sql(f"ALTER TABLE {chain.TABLE} ADD COLUMN {name} VARCHAR(64)")
    if chain.HEAD_TABLE not in database.get_tables():
        database.execute_sql(
            f"CREATE TABLE {chain.HEAD_TABLE} (id INTEGER NOT NULL PRIMARY KEY, "
            "last_id INTEGER NOT NULL, last_hash VARCHAR(64) NOT NULL, "
            "row_count INTEGER NOT NULL, digest_key VARCHAR(64) NOT NULL)"
        )
    chain.remove_guard(database)
    _redact_secrets(database)
    state = _chain_existing_rows(database)
    p = database.param
    key_row = database.execute_sql(
        f"SELECT digest_key FROM {chain.HEAD_TABLE} WHERE id = {p}", (chain.HEAD_ID,)
    ).fetchone()
    key = key_row[0] if key_row else chain.new_key()
    database.execute_sql(f"DELETE FROM {chain.HEAD_TABLE}")
    database.execute_sql(
        f"INSERT INTO {chain.HEAD_TABLE} (id, last_id, last_hash, row_count, digest_key) "
        f"VALUES ({p}, {p}, {p}, {p}, {p})",
        (chain.HEAD_ID, state.last_id, state.last_hash, state.rows, key),
    )
    chain.install_guard(database)


def _redact_secrets(database: pw.Database) -> None:
    """Replace copies of password hashes in the trail by "password changed [fingerprint]"."""
    p = database.param
    for table, field in sorted(SECRET_FIELDS):
        rows = database.execute_sql(
            f"SELECT id, new_value FROM {chain.TABLE} WHERE table_name = {p} AND field = {p}",
            (table, field),
        ).fetchall()
        for row_id, new in rows:
            text = (
                new
                if str(new or "").startswith("password changed")
                else trail_text(table, field, new)
            )
            database.execute_sql(
                f"UPDATE {chain.TABLE} SET old_value = NULL, new_value = {p} WHERE id = {p}",
                (text, row_id),
            )


def _chain_existing_rows(database: pw.Database) -> chain.ChainState:
    """Hash every audit row in id order, in batches (an old trail can be long)."""
    p = database.param
    columns = ", ".join(chain.HASHED_COLUMNS)
    state = chain.ChainState()
    while True:
        rows = database.execute_sql(
            f"SELECT {columns} FROM {chain.TABLE} WHERE id > {p} ORDER BY id LIMIT {_BATCH}",
            (state.last_id,),
        ).fetchall()
        if not rows:
            return state
        for values in rows:
            digest = chain.row_hash(state.last_hash, values)
            database.execute_sql(
                f"UPDATE {chain.TABLE} SET prev_hash = {p}, row_hash = {p} WHERE id = {p}",
                (state.last_hash, digest, values[0]),
            )
            state.last_id, state.last_hash, state.rows = int(values[0]), digest, state.rows + 1
