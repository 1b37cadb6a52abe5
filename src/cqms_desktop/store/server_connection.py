"""Connections to a PostgreSQL or MariaDB server that survive an outage (issue #15 item 1).

* **Timeouts.** Connecting gives up after :data:`TIMEOUTS` ``.connect`` seconds; on
  PostgreSQL a statement the server works on longer than ``.statement`` seconds is cancelled
  by the server (``statement_timeout``); and a server (or network) that stops answering
  altogether is given up on after ``.read`` seconds on the client side (PostgreSQL: psycopg's
  wait with a timeout, TCP keepalives and ``tcp_user_timeout``; MariaDB: the driver's socket
  read and write timeouts, which also bound a slow statement). The window never waits on
  any of it: every call runs on the one database worker (``ui/operations``).
* **Reconnect on next use.** A connection the server dropped (restarted, network gone, killed)
  is noticed by the driver's own state and thrown away; the next statement outside a
  transaction connects again. A statement that fails that way outside a transaction (a read)
  is tried once more on a fresh connection; inside a transaction nothing is retried here —
  the transaction is lost, :class:`~..domain.errors.DatabaseUnavailable` says so, and
  :func:`.db.retry_transient` runs the whole unit of work again once.
* **A commit whose answer was lost** raises :class:`~..domain.errors.SaveOutcomeUnknown`:
  the server may have committed. Nothing repeats it; the caller re-reads the record.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import peewee

from ..domain.errors import DatabaseUnavailable, SaveOutcomeUnknown
from ..domain.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection, for a statement (server side) and for any answer."""

    connect: float = 8.0
    statement: float = 30.0
    read: float = 45.0


#: The timeouts new connections get (tests shorten them before opening a database).
TIMEOUTS = Timeouts()
#: The PostgreSQL channel every write transaction notifies (live refresh on other PCs).
CHANNEL = "cqms_changes"

LOST = QT_TRANSLATE_NOOP(
    "Errors",
    "The connection to the database server was lost ({reason}). Nothing of this change was "
    "saved; the program connects again on the next try.",
)
LOST_READ = QT_TRANSLATE_NOOP(
    "Errors",
    "The connection to the database server was lost ({reason}). The program connects again "
    "on the next try.",
)
COMMIT_LOST = QT_TRANSLATE_NOOP(
    "Errors",
    "The connection to the database server was lost while the change was being saved; it may "
    "or may not have been saved ({reason}).",
)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


# ---------------------------------------------------------------- PostgreSQL (psycopg 3)
def _timed_connection_class() -> Any:
    """psycopg's Connection whose every wait for the server ends after ``TIMEOUTS.read``."""
    import psycopg
    from psycopg import errors as pg_errors

    wait_timeout = getattr(pg_errors, "_WaitTimeout", None)

    class TimedConnection(psycopg.Connection):
        read_timeout: float = TIMEOUTS.read

        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            limit = self.read_timeout if timeout is None else timeout
            try:
                return super().wait(gen, interval=interval, timeout=limit)
            except Exception as exc:
                if wait_timeout is not None and isinstance(exc, wait_timeout):
                    # The connection is mid-conversation: unusable. Drop it so the next use
                    # connects again, and say what happened.
                    with contextlib.suppress(Exception):
                        self.pgconn.finish()
                    raise psycopg.OperationalError(
                        f"the server did not answer within {limit:g} seconds"
                    ) from exc
                raise

    return TimedConnection


def postgres_params(params: dict[str, Any]) -> dict[str, Any]:
    """Connection parameters with the timeouts and keepalives (the URL's own win)."""
    out = dict(params)
    out.setdefault("connect_timeout", max(1, round(TIMEOUTS.connect)))
    out.setdefault("keepalives", 1)
    out.setdefault("keepalives_idle", 10)
    out.setdefault("keepalives_interval", 5)
    out.setdefault("keepalives_count", 3)
    out.setdefault("tcp_user_timeout", int(TIMEOUTS.read * 1000))
    statement = f"-c statement_timeout={int(TIMEOUTS.statement * 1000)}"
    out["options"] = f"{out['options']} {statement}" if out.get("options") else statement
    return out


def mysql_params(params: dict[str, Any]) -> dict[str, Any]:
    """Connection parameters with the timeouts (the URL's own win)."""
    out = dict(params)
    out.setdefault("connect_timeout", max(1, round(TIMEOUTS.connect)))
    out.setdefault("read_timeout", max(1, round(TIMEOUTS.read)))
    out.setdefault("write_timeout", max(1, round(TIMEOUTS.read)))
    return out


class _OutageAware:
    """The reconnect-on-next-use behaviour shared by both server databases (a mixin placed
    before peewee's database class).

    The domain's errors are raised only here, outside peewee's exception wrapper (which maps
    any exception by the names in its class hierarchy, and would turn ours into its own
    ``DatabaseError``); a failed connect surfaces as peewee's error with no connection.
    """

    _state: Any

    def _raw_is_lost(self) -> bool:
        """True when the driver's connection is closed or broken (the server is gone)."""
        raise NotImplementedError

    def _drop_lost_connection(self) -> None:
        """Forget a dead connection outside any transaction: the next use connects again."""
        conn = self._state.conn
        with contextlib.suppress(Exception):
            if conn is not None:
                conn.close()
        self._state.reset()

    def _lost_outside_transaction(self) -> bool:
        return self._state.conn is not None and not self._state.transactions and self._raw_is_lost()

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        """Run *sql*; a connection found dead outside a transaction is replaced first, and a
        read that loses its connection is tried once more on a fresh one."""
        if self._lost_outside_transaction():
            self._drop_lost_connection()
        had_connection = self._state.conn is not None
        try:
            return super().execute_sql(sql, params)  # type: ignore[misc]
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if self._state.conn is not None and not self._raw_is_lost():
                raise  # the server answered with an error: not an outage
            if self._state.transactions:
                raise DatabaseUnavailable(LOST, reason=_reason(exc)) from exc
            self._drop_lost_connection()
            if not had_connection:  # connecting failed: trying at once again waits twice
                raise DatabaseUnavailable(LOST_READ, reason=_reason(exc)) from exc
            try:
                return super().execute_sql(sql, params)  # type: ignore[misc]
            except (peewee.OperationalError, peewee.InterfaceError) as again:
                if self._state.conn is not None and not self._raw_is_lost():
                    raise
                self._drop_lost_connection()
                raise DatabaseUnavailable(LOST_READ, reason=_reason(again)) from again

    def begin(self, *args: Any, **kwargs: Any) -> Any:
        """Begin a transaction, on a fresh connection if the old one died meanwhile."""
        if self._lost_outside_transaction():
            self._drop_lost_connection()
        try:
            return super().begin(*args, **kwargs)  # type: ignore[misc]
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if self._state.conn is not None and not self._raw_is_lost():
                raise
            raise DatabaseUnavailable(LOST, reason=_reason(exc)) from exc

    def commit(self) -> Any:
        """Commit; a connection lost while committing leaves the outcome unknown."""
        try:
            return super().commit()  # type: ignore[misc]
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if self._state.conn is not None and not self._raw_is_lost():
                raise
            raise SaveOutcomeUnknown(COMMIT_LOST, reason=_reason(exc)) from exc

    def rollback(self) -> Any:
        """Roll back; on a dead connection there is nothing to roll back (the server did)."""
        if self._state.conn is not None and self._raw_is_lost():
            return None
        try:
            return super().rollback()  # type: ignore[misc]
        except (peewee.OperationalError, peewee.InterfaceError):
            if self._state.conn is not None and not self._raw_is_lost():
                raise
            return None


class _TimedPsycopg3Adapter(peewee.Psycopg3Adapter):
    def connect(self, db: Any, **params: Any) -> Any:
        if db._encoding:
            params.setdefault("client_encoding", db._encoding)
        if db.database.startswith("postgresql://"):
            params.setdefault("conninfo", db.database)
        else:
            params.setdefault("dbname", db.database)
        connection_class = _timed_connection_class()
        connection_class.read_timeout = TIMEOUTS.read
        return connection_class.connect(**params)


class ServerPostgresqlDatabase(_OutageAware, peewee.PostgresqlDatabase):
    """PostgreSQL with timeouts and reconnect on next use; every commit of a transaction
    notifies :data:`CHANNEL`, so other PCs' windows refresh at once."""

    psycopg3_adapter = _TimedPsycopg3Adapter

    def __init__(self, database: str, **params: Any) -> None:
        params.setdefault("prefer_psycopg3", True)
        super().__init__(database, **postgres_params(params))

    def commit(self) -> Any:
        """Notify the listeners, then commit (the notification goes out with the commit)."""
        if self._state.conn is not None and not self._raw_is_lost():
            with contextlib.suppress(peewee.DatabaseError):
                super().execute_sql(f"NOTIFY {CHANNEL}")
        return super().commit()

    def _raw_is_lost(self) -> bool:
        conn = self._state.conn
        return conn is None or bool(conn.closed) or bool(getattr(conn, "broken", False))


class ServerMySQLDatabase(_OutageAware, peewee.MySQLDatabase):
    """MariaDB / MySQL with timeouts and reconnect on next use."""

    def __init__(self, database: str, **params: Any) -> None:
        super().__init__(database, **mysql_params(params))

    def _raw_is_lost(self) -> bool:
        conn = self._state.conn
        return conn is None or not getattr(conn, "open", False)
