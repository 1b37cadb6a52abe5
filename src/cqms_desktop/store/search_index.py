"""Trigram indexes for the registers' text search, one kind per backend.

A register's search box matches ``LIKE '%word%'`` over several text columns. A plain scan reads
every row; these indexes find the few rows that can match first:

* **SQLite**: an FTS5 table ``search_<table>`` with the ``trigram`` tokenizer (SQLite 3.34+),
  one row per record (``rowid`` = the record's id) holding its text columns, kept in step by
  triggers.
* **PostgreSQL**: a GIN ``pg_trgm`` expression index ``<table>_search_trgm`` on the text
  columns joined together; the search query repeats that expression, so no extra table and no
  trigger are needed.
* **MariaDB** (no n-gram full-text parser): a side table ``search_gram`` of (table, trigram,
  record id), kept in step by triggers. The grams are compared with the table's collation, the
  same one ``LIKE`` uses, so case and accents fold the same way.

Each index answers a *superset* of the rows ``LIKE`` would find (the columns are searched
joined together; FTS5 folds all of Unicode's case, SQLite's ``LIKE`` only ASCII): the register
still applies its ``LIKE`` terms to the candidates, so the results are exactly those of the
scan. Words of one or two characters have no trigram: :func:`candidates` returns ``None`` for
them and the register scans as before. Where the index cannot be made (SQLite without FTS5 or
its trigram tokenizer, ``pg_trgm`` not installable) :func:`install` leaves it out with a
warning in the log and the search scans.
"""

from __future__ import annotations

import logging
from typing import Any

import peewee as pw

log = logging.getLogger(__name__)

#: The indexed tables and their text columns (a register searches a subset of them).
INDEXED: dict[str, tuple[str, ...]] = {
    "complaint": ("number", "description", "lot", "defect_category"),
    "feedback": ("number", "description", "caller"),
    "visit": ("number", "purpose", "discussion", "requests", "sales_people"),
    "survey": ("number", "quarter", "respondent", "comments"),
    "service_record": ("number", "subject", "details", "part_number"),
    "customer": ("code", "name", "contacts", "address"),
    "product": ("part_number", "name", "description"),
}

#: The shortest word a trigram index can find.
MIN_LENGTH = 3
#: MariaDB: how many of a word's trigrams the lookup intersects (the rest is left to LIKE).
MAX_GRAMS = 4
GRAM_TABLE = "search_gram"
#: The PostgreSQL extension the trigram indexes need.
PG_EXTENSION = "pg_trgm"
_STATE = "_cqms_search_tables"


# ------------------------------------------------------------------ names
def fts_table(table: str) -> str:
    """The SQLite FTS5 table indexing *table*."""
    return f"search_{table}"


def pg_index(table: str) -> str:
    """The PostgreSQL trigram index on *table*."""
    return f"{table}_search_trgm"


def _triggers(table: str) -> list[str]:
    return [f"{table}_search_{op}" for op in ("ai", "au", "ad")]


def _pg_expression(table: str) -> str:
    """The text the PostgreSQL index covers; :func:`_pg_text` builds the same in peewee."""
    parts = [f"COALESCE({col}, '')" for col in INDEXED[table]]
    return " || ' ' || ".join(parts)


def _pg_text(model: type[pw.Model]) -> Any:
    """The indexed expression of :func:`_pg_expression`, with the model's columns."""
    expr: Any = None
    for col in INDEXED[model._meta.table_name]:
        term = pw.fn.COALESCE(getattr(model, _field_name(model, col)), pw.SQL("''"))
        expr = term if expr is None else pw.NodeList((expr, pw.SQL("|| ' ' ||"), term))
    return expr


def _field_name(model: type[pw.Model], column: str) -> str:
    for field in model._meta.sorted_fields:
        if field.column_name == column:
            return str(field.name)
    raise KeyError(column)


# ------------------------------------------------------------------ install / remove
def install(database: pw.Database) -> list[str]:
    """Create the indexes (and the triggers keeping them in step) and fill them from the
    tables; returns the tables indexed. Re-runnable: what exists is dropped and made again.
    Where the backend cannot make them, logs a warning and returns ``[]``."""
    remove(database)
    done: list[str] = []
    try:
        if isinstance(database, pw.SqliteDatabase):
            with database.atomic():  # a savepoint: a refused CREATE leaves the caller's work
                for table in INDEXED:
                    _install_sqlite(database, table)
        elif isinstance(database, pw.PostgresqlDatabase):
            with database.atomic():  # a refused CREATE EXTENSION must not abort the caller
                database.execute_sql(f"CREATE EXTENSION IF NOT EXISTS {PG_EXTENSION}")
                for table in INDEXED:
                    database.execute_sql(
                        f"CREATE INDEX {pg_index(table)} ON {table} "
                        f"USING gin (({_pg_expression(table)}) gin_trgm_ops)"
                    )
        elif isinstance(database, pw.MySQLDatabase):
            _install_mariadb(database)  # DDL commits at once there: no savepoint to go back to
        else:
            return []
        done = list(INDEXED)
    except pw.DatabaseError as exc:
        log.warning("Text search index not available, searching by scan: %s", exc)
        if isinstance(database, pw.MySQLDatabase):  # what was made is committed: take it away
            remove(database)
    forget(database)
    return done


def remove(database: pw.Database) -> None:
    """Drop every search index, table and trigger (re-runnable)."""
    if isinstance(database, pw.SqliteDatabase):
        for table in INDEXED:
            for trigger in _triggers(table):
                database.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
            database.execute_sql(f"DROP TABLE IF EXISTS {fts_table(table)}")
    elif isinstance(database, pw.PostgresqlDatabase):
        for table in INDEXED:
            database.execute_sql(f"DROP INDEX IF EXISTS {pg_index(table)}")
    elif isinstance(database, pw.MySQLDatabase):
        for table in INDEXED:
            for trigger in _triggers(table):
                database.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        database.execute_sql(f"DROP TABLE IF EXISTS {GRAM_TABLE}")
    forget(database)


def _install_sqlite(database: pw.Database, table: str) -> None:
    fts, cols = fts_table(table), INDEXED[table]

    def body(row: str) -> str:
        return " || char(10) || ".join(f"COALESCE({row}.{c}, '')" for c in cols)

    database.execute_sql(f"CREATE VIRTUAL TABLE {fts} USING fts5(body, tokenize='trigram')")
    ai, au, ad = _triggers(table)
    insert = f"INSERT INTO {fts}(rowid, body) VALUES (new.id, {body('new')});"
    delete = f"DELETE FROM {fts} WHERE rowid = old.id;"
    database.execute_sql(f"CREATE TRIGGER {ai} AFTER INSERT ON {table} BEGIN {insert} END")
    database.execute_sql(
        f"CREATE TRIGGER {au} AFTER UPDATE OF id, {', '.join(cols)} ON {table} "
        f"BEGIN {delete} {insert} END"
    )
    database.execute_sql(f"CREATE TRIGGER {ad} AFTER DELETE ON {table} BEGIN {delete} END")
    database.execute_sql(f"INSERT INTO {fts}(rowid, body) SELECT id, {body(table)} FROM {table}")


def _mariadb_text(table: str, row: str) -> str:
    """SQL: *row*'s text columns joined by blanks, line breaks and tabs made blanks."""
    cols = ", ".join(f"{row}{c}" for c in INDEXED[table])
    return f"REPLACE(REPLACE(REPLACE(CONCAT_WS(' ', {cols}), '\\n', ' '), '\\r', ' '), '\\t', ' ')"


def _mariadb_grams(table: str) -> str:
    """A trigger's statements adding the trigrams of the new row's text (none with a blank)."""
    return (
        f"SET @cqms_s = {_mariadb_text(table, 'NEW.')}; "
        "SET @cqms_i = 1; "
        "WHILE @cqms_i <= CHAR_LENGTH(@cqms_s) - 2 DO "
        "SET @cqms_g = SUBSTRING(@cqms_s, @cqms_i, 3); "
        "IF LOCATE(' ', @cqms_g) = 0 THEN "
        f"INSERT IGNORE INTO {GRAM_TABLE} (tbl, gram, record_id) "
        f"VALUES ('{table}', @cqms_g, NEW.id); "
        "END IF; "
        "SET @cqms_i = @cqms_i + 1; "
        "END WHILE;"
    )


def _install_mariadb(database: pw.Database) -> None:
    database.execute_sql(
        f"CREATE TABLE {GRAM_TABLE} (tbl VARCHAR(20) NOT NULL, gram VARCHAR(3) NOT NULL, "
        "record_id INTEGER NOT NULL, PRIMARY KEY (tbl, gram, record_id), "
        "KEY search_gram_record (tbl, record_id)) ENGINE=InnoDB"
    )
    for table, cols in INDEXED.items():
        ai, au, ad = _triggers(table)
        delete = f"DELETE FROM {GRAM_TABLE} WHERE tbl = '{table}' AND record_id = OLD.id;"
        same = " AND ".join(f"NEW.{c} <=> OLD.{c}" for c in ("id", *cols))
        database.execute_sql(
            f"CREATE TRIGGER {ai} AFTER INSERT ON {table} FOR EACH ROW "
            f"BEGIN {_mariadb_grams(table)} END"
        )
        database.execute_sql(
            f"CREATE TRIGGER {au} AFTER UPDATE ON {table} FOR EACH ROW BEGIN "
            f"IF NOT ({same}) THEN {delete} {_mariadb_grams(table)} END IF; END"
        )
        database.execute_sql(
            f"CREATE TRIGGER {ad} AFTER DELETE ON {table} FOR EACH ROW BEGIN {delete} END"
        )
    rebuild_mariadb(database)


def rebuild_mariadb(database: pw.Database) -> None:
    """Fill ``search_gram`` from the tables in one statement per table (the Sequence engine's
    ``seq_1_to_N`` numbers the character positions)."""
    database.execute_sql(f"DELETE FROM {GRAM_TABLE}")
    for table in INDEXED:
        text = _mariadb_text(table, "")
        longest = database.execute_sql(f"SELECT MAX(CHAR_LENGTH({text})) FROM {table}")
        size = int(longest.fetchone()[0] or 0)
        if size < MIN_LENGTH:
            continue
        database.execute_sql(
            f"INSERT IGNORE INTO {GRAM_TABLE} (tbl, gram, record_id) "
            f"SELECT '{table}', SUBSTRING(t.s, seq, 3) AS g, t.id "
            f"FROM (SELECT id, {text} AS s FROM {table}) t "
            f"JOIN seq_1_to_{size - 2} ON seq <= CHAR_LENGTH(t.s) - 2 "
            f"WHERE LOCATE(' ', SUBSTRING(t.s, seq, 3)) = 0"
        )


def settle(database: pw.Database) -> None:
    """After a bulk load, PostgreSQL: move the GIN indexes' pending entries into the index.

    Rows inserted into a GIN index first go to a pending list that every search reads through
    (up to 4 MB by default, until autovacuum merges it): 7 ms of a 7.3 ms lookup after a
    restore of 5,475 visits, 0.04 ms once merged."""
    if isinstance(database, pw.PostgresqlDatabase):
        for table in indexed_tables(database):
            database.execute_sql(f"SELECT gin_clean_pending_list('{pg_index(table)}')")


# ------------------------------------------------------------------ state
def forget(database: pw.Database | None) -> None:
    """Forget what :func:`indexed_tables` found (after installing or removing)."""
    if database is not None and hasattr(database, _STATE):
        delattr(database, _STATE)


def indexed_tables(database: pw.Database) -> frozenset[str]:
    """The tables whose search index is in place in *database* (looked up once, then kept on
    the database object until :func:`forget`)."""
    found: frozenset[str] | None = getattr(database, _STATE, None)
    if found is None:
        found = frozenset(_present(database))
        setattr(database, _STATE, found)
    return found


def _present(database: pw.Database) -> set[str]:
    try:
        if isinstance(database, pw.SqliteDatabase):
            names = {
                row[0]
                for row in database.execute_sql(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
                )
            }
            present = set()
            for table in INDEXED:
                if fts_table(table) in names and set(_triggers(table)) <= names:
                    database.execute_sql(f"SELECT rowid FROM {fts_table(table)} LIMIT 0")
                    present.add(table)
            return present
        if isinstance(database, pw.PostgresqlDatabase):
            rows = database.execute_sql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            )
            names = {row[0] for row in rows}
            return {t for t in INDEXED if pg_index(t) in names}
        if isinstance(database, pw.MySQLDatabase):
            rows = database.execute_sql(
                "SELECT trigger_name FROM information_schema.triggers "
                "WHERE trigger_schema = DATABASE()"
            )
            names = {row[0] for row in rows}
            if GRAM_TABLE not in database.get_tables():
                return set()
            return {t for t in INDEXED if set(_triggers(t)) <= names}
    except pw.DatabaseError as exc:  # SQLite built without FTS5 opening a file that has it
        log.warning("Text search index not usable, searching by scan: %s", exc)
    return set()


# ------------------------------------------------------------------ lookup
def _grams(word: str) -> list[str]:
    grams = [word[i : i + 3] for i in range(len(word) - 2)]
    picks = [grams[0], grams[-1], grams[len(grams) // 2], grams[len(grams) // 3]]
    return list(dict.fromkeys(picks))[:MAX_GRAMS]


def candidates(model: type[pw.Model], word: str, key: Any = None) -> pw.SelectBase | None:
    """A subquery of *key* (default: the id) of the rows of *model* whose indexed text may
    contain *word* — every row whose text does, perhaps a few more — or ``None`` when the
    index cannot tell (a word shorter than three characters, no index on this table).
    *word* holds no blank (the MariaDB index leaves out trigrams with one)."""
    table = model._meta.table_name
    database = model._meta.database
    if isinstance(database, pw.DatabaseProxy):
        database = database.obj
    if len(word) < MIN_LENGTH or any(ch.isspace() for ch in word):
        return None  # no trigram; a register's words never hold a blank (split on them)
    if table not in indexed_tables(database):
        return None
    primary_key: Any = model._meta.primary_key
    key = primary_key if key is None else key
    if isinstance(database, pw.SqliteDatabase):
        fts: Any = pw.Table(fts_table(table), ("rowid", "body"))
        phrase = '"' + word.replace('"', '""') + '"'
        ids = fts.select(fts.rowid.alias("id")).where(pw.Expression(fts.body, "MATCH", phrase))
    elif isinstance(database, pw.PostgresqlDatabase):
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        match = pw.NodeList(
            (
                pw.NodeList((_pg_text(model),), parens=True),
                pw.SQL("ILIKE"),
                pattern,
                pw.SQL("ESCAPE '\\'"),
            )
        )
        return model.select(key).where(match)
    else:
        gram_table: Any = pw.Table(GRAM_TABLE, ("tbl", "gram", "record_id"))
        grams = _grams(word)
        first = gram_table.alias("g0")
        ids = first.select(first.record_id.alias("id")).where(
            (first.tbl == table) & (first.gram == grams[0])
        )
        for n, gram in enumerate(grams[1:], 1):
            other = gram_table.alias(f"g{n}")
            ids = ids.join(
                other,
                on=(other.tbl == table)
                & (other.record_id == first.record_id)
                & (other.gram == gram),
            )
    if key is primary_key:
        found: pw.SelectBase = ids
        return found
    return model.select(key).where(primary_key.in_(ids))
