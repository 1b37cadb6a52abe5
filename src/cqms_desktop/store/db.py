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
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote, urlparse

import peewee
from playhouse.db_url import parse as parse_db_url

from ..domain import clock
from ..domain.errors import DatabaseError
from ..domain.i18n import QT_TRANSLATE_NOOP
from .network_paths import is_network_path

database_proxy = peewee.DatabaseProxy()

SQLITE_HEADER = b"SQLite format 3\x00"
# A scheme of two or more letters followed by ":" (one letter is a Windows drive, C:).
_SCHEME_WITHOUT_SLASHES = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
BUSY_TIMEOUT_SECONDS = 15
CONNECT_TIMEOUT_SECONDS = 8


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
    """The URL with any password masked, for the status bar and messages."""
    if "://" not in url or url.startswith("sqlite"):
        return url
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(":" + parsed.password + "@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


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
    if backend == "postgresql":
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        db: peewee.Database = peewee.PostgresqlDatabase(name, **params)
    else:
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        params.setdefault("charset", "utf8mb4")
        # LONGBLOB: attachments are larger than MySQL's 64 KiB BLOB.
        db = peewee.MySQLDatabase(name, field_types={"BLOB": "LONGBLOB"}, **params)
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


def close_database() -> None:
    """Close the open database, if any."""
    global _current
    obj = database_proxy.obj
    if obj is not None and not obj.is_closed():
        obj.close()
    _current = None
    # The company's zone belongs to the database just closed (the next one brings its own).
    clock.set_company_zone(None)


def write_transaction() -> contextlib.AbstractContextManager[object]:
    """A transaction for a write: ``BEGIN IMMEDIATE`` on SQLite so the write lock is taken up
    front (no deadlock when two PCs upgrade read locks at once); nested calls join the outer."""
    db = database_proxy.obj
    if isinstance(db, peewee.SqliteDatabase) and db.transaction_depth() == 0:
        return db.atomic("IMMEDIATE")
    return database_proxy.atomic()


@contextlib.contextmanager
def read_snapshot() -> Iterator[None]:
    """A read-only transaction, so several queries see one consistent state."""
    with database_proxy.atomic():
        yield
