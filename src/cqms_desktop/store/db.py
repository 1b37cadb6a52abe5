"""Opening the one shared database: a SQLite file, PostgreSQL or MariaDB/MySQL, from one URL.

- ``sqlite:///relative/file.sqlite3``, ``sqlite:////absolute/file.sqlite3``,
  ``sqlite:///C:/data/cqms.sqlite3`` or a plain file path: foreign keys on, a busy timeout,
  WAL on a local disk; on a network share the rollback journal, ``BEGIN IMMEDIATE`` for every
  write and a warning that several writing PCs belong on a server.
- ``postgresql://user:password@host:port/database`` (psycopg 3).
- ``mysql://user:password@host:port/database`` or ``mariadb://…`` (PyMySQL).

Errors come back as :class:`~cqms_desktop.domain.errors.DatabaseError` with a message that says
what is wrong and what to do.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, ParamSpec, Protocol, TypeVar
from urllib.parse import unquote

import peewee
from playhouse.db_url import parse as parse_db_url

from ..domain import clock
from ..domain.errors import DatabaseError, DatabaseUnavailable
from ..domain.i18n import QT_TRANSLATE_NOOP
from . import search_index
from .network_paths import is_network_path
from .server_connection import ServerMySQLDatabase, ServerPostgresqlDatabase

database_proxy = peewee.DatabaseProxy()

SQLITE_HEADER = b"SQLite format 3\x00"
# A scheme of two or more letters followed by ":" (one letter is a Windows drive, C:).
_SCHEME_WITHOUT_SLASHES = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
BUSY_TIMEOUT_SECONDS = 15


@dataclass
class DatabaseInfo:
    """What is open: the backend, a display name without password, and SQLite particulars."""

    url: str
    backend: str  # "sqlite" | "postgresql" | "mysql"
    display: str
    path: Path | None = None
    network_share: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded backend."""
        return self.backend == "sqlite"


_current: DatabaseInfo | None = None


def current() -> DatabaseInfo:
    """The database opened by :func:`open_database`."""
    if _current is None:
        raise DatabaseError(QT_TRANSLATE_NOOP("Errors", "No database is open."))
    return _current


def _windows_path(path: str) -> PureWindowsPath | None:
    """*path* as a Windows path when it is one: a UNC path (``\\\\server\\share\\x`` or
    ``//server/share/x``) or one with a drive letter (``Z:\\x``, ``Z:/x``); on Windows,
    any path. Decided from the text, so URLs are the same whichever system makes them."""
    win = PureWindowsPath(path)
    if win.drive or (os.name == "nt" and path not in ("", ":memory:")):
        return win
    return None


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The URL for a SQLite file at *path* (made absolute).

    ``/srv/cqms.sqlite3`` → ``sqlite:////srv/cqms.sqlite3``; ``Z:\\qa\\cqms.sqlite3`` →
    ``sqlite:///Z:/qa/cqms.sqlite3``; the UNC path ``\\\\fileserver\\qa\\cqms.sqlite3`` →
    ``sqlite://///fileserver/qa/cqms.sqlite3`` (its two leading slashes kept: dropping one
    would name a local folder). Spaces and other scripts stay as they are; ``%`` is escaped
    because :func:`sqlite_path_from_url` decodes percent escapes.
    """
    text = os.fspath(path)
    win = _windows_path(text)
    if win is not None:
        if not win.is_absolute():
            win = PureWindowsPath(os.path.abspath(text))
        p = win.as_posix()  # "//server/share/x" or "Z:/x"
    else:
        p = "/" + Path(text).absolute().as_posix().lstrip("/")
    return "sqlite:///" + p.replace("%", "%25")


def _malformed_sqlite_url(url: str) -> DatabaseError:
    """The error for a SQLite URL that is neither a plain path nor ``sqlite:///…``."""
    return DatabaseError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The SQLite URL “{url}” is malformed: write sqlite:///relative/path or "
            "sqlite:////absolute/path.",
        ),
        url=url,
    )


def sqlite_path_from_url(url: str) -> str:
    """The file path a SQLite URL (or a plain path) names; the inverse of :func:`sqlite_url`.

    ``sqlite:////abs/x`` → ``/abs/x``; ``sqlite:///Z:/x`` → ``Z:\\x``;
    ``sqlite://///server/share/x`` → ``\\\\server\\share\\x`` (Windows paths in Windows
    form, so network detection and messages show what the user chose).
    """
    if "://" not in url:
        if _SCHEME_WITHOUT_SLASHES.match(url) and not PureWindowsPath(url).drive:
            raise _malformed_sqlite_url(url)  # "sqlite:file" — almost certainly a typo
        path = url  # a plain file path
    else:
        rest = url.split("://", 1)[1]
        if not rest.startswith("/"):
            raise _malformed_sqlite_url(url)
        path = unquote(rest[1:])  # drop the slash that ends "sqlite://"
    if not path:
        return ":memory:"
    win = PureWindowsPath(path)
    if win.drive:  # "Z:/x", "//server/share/x"
        return str(win)
    return path


#: The name used before it was public (other modules may still call it so).
_sqlite_path_from_url = sqlite_path_from_url


def describe_url(url: str) -> str:
    """The URL with any password masked, for the status bar, messages and the log.

    Split by hand as :func:`urllib.parse.urlsplit` does (authority up to the first ``/ ? #``,
    credentials before its last ``@``) but without its checks: a malformed URL (an unclosed
    IPv6 bracket) must still be shown masked, never crash the message that reports it. A
    ``password=`` in the query is masked too.
    """
    if "://" not in url or url.startswith("sqlite"):
        return url
    scheme, rest = url.split("://", 1)
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    netloc, tail = rest[:end], rest[end:]
    userinfo, at, host = netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if at and colon and password:
        netloc = f"{user}:***@{host}"
    tail = _QUERY_PASSWORD.sub(r"\1=***", tail)
    return f"{scheme}://{netloc}{tail}"


_QUERY_PASSWORD = re.compile(r"(?i)\b(password|passwd|pwd)=[^&#]*")


def backend_of(url: str) -> str:
    """``sqlite``, ``postgresql`` or ``mysql`` for *url*; a clear error for anything else."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else "sqlite"
    if scheme in ("sqlite", "file"):
        return "sqlite"
    if scheme in ("postgresql", "postgres", "postgresql+psycopg", "psycopg3"):
        return "postgresql"
    if scheme in ("mysql", "mariadb", "mysql+pymysql"):
        return "mysql"
    raise DatabaseError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "Unknown database type “{scheme}”. Use sqlite:///file.sqlite3, "
            "postgresql://user@host:port/database or mysql://user@host:port/database.",
        ),
        scheme=scheme,
    )


def _check_sqlite_file(path: str) -> None:
    """Refuse what SQLite would fail on later, with a message that says why."""
    if path == ":memory:":
        return
    p = Path(path)
    if p.is_dir():
        raise DatabaseError(
            QT_TRANSLATE_NOOP("Errors", "“{path}” is a folder, not a database file."), path=path
        )
    if p.exists():
        try:
            with p.open("rb") as f:
                header = f.read(16)
        except OSError as exc:
            raise DatabaseError(
                QT_TRANSLATE_NOOP("Errors", "Cannot read the database file “{path}”: {reason}"),
                path=path,
                reason=exc.strerror or str(exc),
            ) from exc
        if header and header != SQLITE_HEADER:
            raise DatabaseError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "“{path}” is not a SQLite database. Choose the CQMS database file or a new "
                    "file name.",
                ),
                path=path,
            )
        if not os.access(p, os.W_OK) or not os.access(p.parent, os.W_OK):
            raise DatabaseError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The database file “{path}” or its folder is read-only. Ask IT for write "
                    "access or copy the file to a folder you may write to.",
                ),
                path=path,
            )
    else:
        parent = p.parent if str(p.parent) else Path(".")
        unc = PureWindowsPath(path).drive.startswith("\\\\")
        if unc and os.name != "nt":
            raise DatabaseError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "“{path}” is a Windows network path. On this system, mount the share and "
                    "use the file's path in the mounted folder.",
                ),
                path=path,
            )
        if unc and not parent.exists():
            # Never create folders on a share that may just be offline: say so instead.
            raise DatabaseError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The network folder of the database file “{path}” cannot be reached. Check "
                    "the network connection and that the share exists and you may use it.",
                ),
                path=path,
            )
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    QT_TRANSLATE_NOOP("Errors", "Cannot create the folder “{path}”: {reason}"),
                    path=str(parent),
                    reason=exc.strerror or str(exc),
                ) from exc
        if not os.access(parent, os.W_OK):
            raise DatabaseError(
                QT_TRANSLATE_NOOP(
                    "Errors", "Cannot create a database in the read-only folder “{path}”."
                ),
                path=str(parent),
            )


def _make_sqlite(url: str) -> tuple[peewee.Database, DatabaseInfo]:
    path = sqlite_path_from_url(url)
    _check_sqlite_file(path)
    network = path != ":memory:" and is_network_path(os.path.abspath(path))
    pragmas: dict[str, object] = {
        "foreign_keys": 1,
        # WAL needs shared memory, which network file systems do not provide reliably.
        "journal_mode": "delete" if network or path == ":memory:" else "wal",
        "synchronous": "full" if network else "normal",
        "cache_size": -16000,
    }
    db = peewee.SqliteDatabase(
        path, pragmas=pragmas, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False
    )
    info = DatabaseInfo(
        url=url,
        backend="sqlite",
        display=os.path.abspath(path) if path != ":memory:" else path,
        path=Path(path).absolute() if path != ":memory:" else None,
        network_share=network,
    )
    if network:
        info.warnings.append(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The database file is on a network share. That works for one PC writing at a "
                "time; when several PCs enter records at the same time, move the data to a "
                "PostgreSQL or MariaDB server (cqms backup / cqms restore).",
            )
        )
    return db, info


def _make_server(url: str, backend: str) -> tuple[peewee.Database, DatabaseInfo]:
    try:
        params = parse_db_url(url)
    except Exception as exc:  # urlparse raises ValueError on e.g. a bad port
        raise DatabaseError(
            QT_TRANSLATE_NOOP("Errors", "The database URL “{url}” is malformed: {reason}"),
            url=describe_url(url),
            reason=str(exc),
        ) from exc
    name = params.pop("database", None)
    if not name:
        raise DatabaseError(
            QT_TRANSLATE_NOOP(
                "Errors", "The database URL “{url}” names no database (…/database at the end)."
            ),
            url=describe_url(url),
        )
    # Timeouts and reconnect on next use: .server_connection.
    if backend == "postgresql":
        db: peewee.Database = ServerPostgresqlDatabase(name, **params)
    else:
        params.setdefault("charset", "utf8mb4")
        # LONGBLOB: attachments are larger than MySQL's 64 KiB BLOB.
        db = ServerMySQLDatabase(name, field_types={"BLOB": "LONGBLOB"}, **params)
    return db, DatabaseInfo(url=url, backend=backend, display=describe_url(url))


def _server_error(exc: Exception, info: DatabaseInfo) -> DatabaseError:
    text = str(exc)
    low = text.lower()
    if "password" in low or "access denied" in low or "authentication" in low:
        msg = QT_TRANSLATE_NOOP(
            "Errors",
            "The server {display} refused the user name or password. Check them in the "
            "database URL (Settings → Database).",
        )
    elif "does not exist" in low or "unknown database" in low:
        msg = QT_TRANSLATE_NOOP(
            "Errors",
            "The database named in {display} does not exist on the server. Ask IT to create "
            "it, then start CQMS again.",
        )
    else:
        msg = QT_TRANSLATE_NOOP(
            "Errors",
            "Cannot reach the database server {display}. Check the network and that the "
            "server is running. ({reason})",
        )
    return DatabaseError(msg, display=info.display, reason=text.strip().splitlines()[0][:200])


def make_database(url: str) -> tuple[peewee.Database, DatabaseInfo]:
    """Build (not yet connect) the peewee database for *url*."""
    url = url.strip()
    if not url:
        raise DatabaseError(QT_TRANSLATE_NOOP("Errors", "The database URL is empty."))
    backend = backend_of(url)
    if backend == "sqlite":
        return _make_sqlite(url)
    return _make_server(url, backend)


def connect_checked(db: peewee.Database, info: DatabaseInfo) -> None:
    """Connect and run one query, turning driver errors into clear messages."""
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1").fetchall()
    except (peewee.DatabaseError, sqlite3.Error) as exc:
        with contextlib.suppress(Exception):
            db.close()
        if info.is_sqlite:
            raise DatabaseError(
                QT_TRANSLATE_NOOP("Errors", "Cannot open the SQLite database “{path}”: {reason}"),
                path=info.display,
                reason=str(exc),
            ) from exc
        raise _server_error(exc, info) from exc
    except Exception as exc:  # driver-level errors (socket, DNS) not wrapped by peewee
        with contextlib.suppress(Exception):
            db.close()
        raise _server_error(exc, info) from exc


def open_database(url: str) -> DatabaseInfo:
    """Open *url*, bind it to :data:`database_proxy` and return what was opened.

    Migrations are not run here: call :func:`cqms_desktop.store.migrations.migrate`.
    """
    global _current
    close_database()
    db, info = make_database(url)
    connect_checked(db, info)
    database_proxy.initialize(db)
    _current = info
    return info


def test_connection(url: str) -> DatabaseInfo:
    """Try *url* without binding it: for the settings dialog's “Test connection” button."""
    db, info = make_database(url)
    connect_checked(db, info)
    db.close()
    return info


def refresh_statistics() -> None:
    """Tell the query planner how big the tables are now: after creating or upgrading the
    schema and after bulk loads (demo data, imports, restores).

    Without statistics SQLite takes the low-selectivity status index plus a temporary sort for
    a status filter (115 ms at 41,000 feedback against 7 ms with them), and a restored server
    database is planned as if empty until autovacuum gets round to it.
    """
    db: peewee.Database = database_proxy.obj
    if isinstance(db, peewee.MySQLDatabase):
        tables = ", ".join(f"`{name}`" for name in db.get_tables())
        if tables:
            db.execute_sql(f"ANALYZE TABLE {tables}").fetchall()  # it returns a result set
    elif db is not None:  # SQLite and PostgreSQL
        db.execute_sql("ANALYZE")
        search_index.settle(db)


def close_database() -> None:
    """Close the open database, if any. SQLite refreshes the planner's statistics that have
    gone stale while the file was open (``PRAGMA optimize``: cheap, does nothing if none)."""
    global _current
    obj = database_proxy.obj
    if obj is not None and not obj.is_closed():
        if isinstance(obj, peewee.SqliteDatabase):
            with contextlib.suppress(peewee.DatabaseError, sqlite3.Error):
                obj.execute_sql("PRAGMA optimize")  # a read-only file or a busy one: skip
        obj.close()
    _current = None
    # The company's zone belongs to the database just closed (the next one brings its own).
    clock.set_company_zone(None)


class CommitHook(Protocol):
    """Work queued inside write transactions and done just before the outermost one commits
    (the audit trail appends its rows there: the chain head is then the last lock taken, so
    it cannot close a deadlock cycle with the records' row locks)."""

    def mark(self) -> object:
        """Where the queue stands as a (possibly nested) write transaction begins."""

    def before_commit(self) -> None:
        """Do the queued work (the outermost write transaction is about to commit)."""

    def rolled_back(self, mark: object) -> None:
        """Forget what was queued since *mark*: that transaction or savepoint rolled back."""


_commit_hooks: list[CommitHook] = []
_transactions = threading.local()


def add_commit_hook(hook: CommitHook) -> None:
    """Register *hook* with every :func:`write_transaction` (once per hook)."""
    if hook not in _commit_hooks:
        _commit_hooks.append(hook)


def in_write_transaction() -> bool:
    """True inside :func:`write_transaction` on this thread."""
    return bool(getattr(_transactions, "depth", 0))


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """A transaction for a write: ``BEGIN IMMEDIATE`` on SQLite so the write lock is taken up
    front (no deadlock when two PCs upgrade read locks at once); nested calls join the outer.
    The outermost one runs the :class:`CommitHook` s just before it commits."""
    db = database_proxy.obj
    if isinstance(db, peewee.SqliteDatabase) and db.transaction_depth() == 0:
        context: contextlib.AbstractContextManager[object] = db.atomic("IMMEDIATE")
    else:
        context = database_proxy.atomic()
    depth = getattr(_transactions, "depth", 0)
    marks = [hook.mark() for hook in _commit_hooks]
    _transactions.depth = depth + 1
    try:
        with context:
            yield
            if depth == 0:
                for hook in _commit_hooks:
                    hook.before_commit()
    except BaseException:
        for hook, mark in zip(_commit_hooks, marks, strict=True):
            hook.rolled_back(mark)
        raise
    finally:
        _transactions.depth = depth


@contextlib.contextmanager
def read_snapshot() -> Iterator[None]:
    """A read-only transaction, so several queries see one consistent state."""
    with database_proxy.atomic():
        yield


Q = TypeVar("Q", bound="peewee.ModelSelect[Any]")


def for_update(query: Q) -> Q:
    """*query* as ``SELECT … FOR UPDATE`` on the server backends, locking the rows it reads
    until the transaction ends. SQLite has no row locks: there a write transaction
    (:func:`write_transaction`, ``BEGIN IMMEDIATE``) already holds the whole database."""
    if isinstance(database_proxy.obj, peewee.SqliteDatabase):
        return query
    locked: Q = query.for_update()
    return locked


# ---------------------------------------------------------------- contention: retry with back-off
# How often a transaction that lost a deadlock or found the database busy is run in all.
RETRY_ATTEMPTS = 5
# The first pause before a retry; it doubles on each further retry (with random jitter, so
# PCs that collided do not collide again in step).
RETRY_FIRST_PAUSE_SECONDS = 0.05

_P = ParamSpec("_P")
_R = TypeVar("_R")
_SQLSTATES_TO_RETRY = frozenset({"40P01", "40001"})  # deadlock, serialization failure
_MYSQL_ERRORS_TO_RETRY = frozenset({1213, 1205})  # deadlock, lock wait timeout
_SQLITE_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """*exc*, the driver error peewee wrapped in it and their causes."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.append(current.__cause__)
        todo.append(current.__context__)
        # peewee re-raises a driver error as its own class, keeping the original as .orig.
        original = getattr(current, "orig", None)
        if isinstance(original, BaseException):
            todo.append(original)


def is_transient(exc: BaseException) -> bool:
    """True for an error that running the same transaction again may cure: a deadlock, a lock
    wait timeout or serialization failure (PostgreSQL, MariaDB), SQLite's "database is
    locked" (another PC held the write lock past the busy timeout)."""
    for cause in _causes(exc):
        if getattr(cause, "sqlstate", None) in _SQLSTATES_TO_RETRY:
            return True
        if isinstance(cause, sqlite3.OperationalError):
            code = getattr(cause, "sqlite_errorcode", None)
            text = str(cause).lower()
            if code in _SQLITE_BUSY_CODES or "database is locked" in text:
                return True
        pymysql = type(cause).__module__.startswith("pymysql")
        if pymysql and cause.args and cause.args[0] in _MYSQL_ERRORS_TO_RETRY:
            return True
    return False


def retry_transient(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run *function* (one whole write transaction) again when it fails on contention.

    A deadlock victim's transaction is rolled back by the server, so only the whole unit of
    work can be repeated, never one statement: the retry happens only when *function* is
    called outside any transaction (a use case called inside another one leaves it to the
    outer one). At most :data:`RETRY_ATTEMPTS` runs, pausing 50, 100, 200, 400 ms (±50 %);
    then a :class:`DatabaseError` that says the database is busy. A transaction that lost its
    connection (:class:`DatabaseUnavailable`, never :class:`SaveOutcomeUnknown`) runs once more.
    """

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        db = database_proxy.obj
        if db is None or db.transaction_depth() > 0:
            return function(*args, **kwargs)
        reconnected = False
        for attempt in range(1, RETRY_ATTEMPTS + 1):
            try:
                return function(*args, **kwargs)
            except DatabaseUnavailable:
                # The connection died before the commit: the server rolled the transaction
                # back, so running it once more on a new connection is safe (a server that
                # came back after a restart is then not noticed at all). Once only: a server
                # that is down would make every try wait for the connect timeout.
                if reconnected:
                    raise
                reconnected = True
                continue
            except Exception as exc:
                if not is_transient(exc):
                    raise
                if attempt == RETRY_ATTEMPTS:
                    raise DatabaseError(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "The database is busy with other users' changes: nothing was "
                            "saved. Try again in a moment.",
                        )
                    ) from exc
                pause = RETRY_FIRST_PAUSE_SECONDS * 2 ** (attempt - 1)
                time.sleep(pause * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")  # the loop returns or raises

    return run


def is_unique_violation(exc: BaseException) -> bool:
    """True if *exc* is a duplicate key refused by a unique index (on any backend): another
    PC saved the same code at the same moment, after this one checked it was free."""
    for cause in _causes(exc):
        if getattr(cause, "sqlstate", None) == "23505":
            return True
        if type(cause).__module__.startswith("pymysql") and cause.args and cause.args[0] == 1062:
            return True
        if isinstance(cause, sqlite3.IntegrityError) and "UNIQUE" in str(cause).upper():
            return True
    return False


def max_statement_bytes() -> int | None:
    """The largest statement the server accepts (MariaDB's ``max_allowed_packet``), or
    ``None`` where there is no such limit to respect (SQLite; PostgreSQL's 1 GB field limit
    is far above any attachment allowed)."""
    database = database_proxy.obj
    if not isinstance(database, peewee.MySQLDatabase):
        return None
    row = database.execute_sql("SELECT @@max_allowed_packet").fetchone()
    return int(row[0]) if row and row[0] else None
