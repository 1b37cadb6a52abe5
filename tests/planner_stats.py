"""What the database's query planner believes about a table (tests of the statistics refresh)."""

from __future__ import annotations

import peewee as pw

from cqms_desktop.store import db as dbmod


def planner_rows(table: str) -> int:
    """How many rows the backend's query planner believes *table* holds."""
    db = dbmod.database_proxy.obj
    if isinstance(db, pw.SqliteDatabase):
        row = db.execute_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = ?", (table,)).fetchone()
        return int(row[0].split()[0]) if row else 0
    if isinstance(db, pw.PostgresqlDatabase):
        sql = "SELECT reltuples FROM pg_class WHERE relname = %s"
        return int(db.execute_sql(sql, (table,)).fetchone()[0])
    sql = (
        "SELECT n_rows FROM mysql.innodb_table_stats WHERE database_name = DATABASE() "
        "AND table_name = %s"
    )
    row = db.execute_sql(sql, (table,)).fetchone()
    return int(row[0]) if row else 0
