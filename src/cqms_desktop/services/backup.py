"""Portable backup and restore: move a CQMS database between SQLite, PostgreSQL and MariaDB.

A backup is a gzip'd file of JSON lines:

1. a header object — ``format``, ``format_version``, ``program_version``, ``schema_version``,
   ``created_at``, the source backend, and for every table of :data:`store.models.ALL_MODELS`
   its columns, row count and checksum;
2. for every table in that (foreign-key) order, a ``{"table": name}`` line, then one JSON array
   per row. Values are portable: datetimes ISO 8601 (UTC, whole seconds), dates ISO, decimals
   as strings with the column's decimal places, booleans as ``true``/``false``, blobs base64.

The header also carries the audit chain's head (last id, last hash, row count), the id of the
database's backup key and ``digest``: an HMAC-SHA256, with that key, of the whole header — so
of every table's checksum and of the chain head. The key stays in the database (never in a
backup). A restore walks the audit rows' hash chain in the file, which must end at the header's
head, and recomputes the digest with the key — given by the caller or ``CQMS_BACKUP_KEY``, or
the target database's own when it already holds it — and refuses the file when the key is not
available or the digest differs: an edited audit row with recomputed hashes and checksums
cannot be signed without the key. See docs/ARCHITECTURE.md for what this does and does not
protect against.

The checksum of a table is the sum, modulo 2**256, of the SHA-256 of each row's canonical
encoding: independent of row order (servers sort text keys by their own collation) and
computed the same way from the file and from a database. A restore checks the file against
its header before touching the target, inserts everything in one transaction, reads every
table back and compares counts and checksums again; any difference rolls the whole restore
back. The target must be empty or freshly initialised (``cqms init``) and have the backup's
schema version.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import gzip
import hashlib
import hmac
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee as pw

from .. import __version__
from ..domain.clock import utcnow
from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit, audit_chain, migrations
from ..store import db as dbmod
from ..store.models import ALL_MODELS, AuditChain, AuditLog, BaseModel, Department, SchemaVersion
from .backup_checks import RowChecker, RowProblem

FORMAT = "cqms-backup"
FORMAT_VERSION = 1
Progress = Callable[[int, int], None]

_BATCH_PARAMETERS = 30000
_BATCH_BYTES = 4 * 1024 * 1024  # keep each INSERT well below MariaDB's max_allowed_packet
_MAX_BATCH_ROWS = 1000
#: The environment variable a restore takes the backup key from (hex, as ``cqms backup-key``).
KEY_VARIABLE = "CQMS_BACKUP_KEY"
#: Tables a freshly initialised database already fills (replaced by the backup's rows).
_SEEDED = (SchemaVersion, Department)


class BackupError(CqmsError):
    """A backup file that cannot be used, or a restore that did not check out."""


@dataclass
class BackupSummary:
    """What a backup holds or a restore wrote."""

    path: Path
    schema_version: int
    program_version: str
    created_at: str
    tables: dict[str, int]  # table → rows

    @property
    def total_rows(self) -> int:
        """Rows over all tables."""
        return sum(self.tables.values())


# ------------------------------------------------------------------ value encoding
def encode_value(field: pw.Field, value: Any) -> Any:
    """A column value as a JSON value that means the same on every backend."""
    if value is None:
        return None
    if isinstance(field, pw.BlobField):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(field, pw.DateTimeField):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(microsecond=0, tzinfo=None).isoformat()
    if isinstance(field, pw.DateField):
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat()
    if isinstance(field, pw.DecimalField):
        places = decimal.Decimal(1).scaleb(-(field.decimal_places or 0))
        return str(decimal.Decimal(str(value)).quantize(places))
    if isinstance(field, pw.BooleanField):
        return bool(value)
    if isinstance(field, pw.IntegerField | pw.ForeignKeyField):
        return int(value)
    return str(value)


def decode_value(field: pw.Field, value: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if value is None:
        return None
    if isinstance(field, pw.BlobField):
        return base64.b64decode(value)
    if isinstance(field, pw.DateTimeField):
        return dt.datetime.fromisoformat(value)
    if isinstance(field, pw.DateField):
        return dt.date.fromisoformat(value)
    if isinstance(field, pw.DecimalField):
        return decimal.Decimal(value)
    return value


def _canonical(row: list[Any] | dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _header_digest(key: str, header: dict[str, Any]) -> str:
    """The keyed digest of a header (everything in it but the digest itself)."""
    return audit_chain.digest(key, _canonical({k: v for k, v in header.items() if k != "digest"}))


def backup_key() -> str:
    """The open database's backup key (hex): keep it apart from the backups; a restore into a
    new database needs it (``cqms restore --key`` or ``CQMS_BACKUP_KEY``)."""
    head = AuditChain.get_or_none(AuditChain.id == audit_chain.HEAD_ID)
    if head is None:
        raise BackupError(
            QT_TRANSLATE_NOOP(
                "Errors", "The audit trail's chain head is missing: run “cqms check”."
            )
        )
    return str(head.digest_key)


class _Checksum:
    """Order-independent table checksum: sum of row SHA-256 values modulo 2**256."""

    MOD = 1 << 256

    def __init__(self) -> None:
        self.total = 0
        self.rows = 0

    def add(self, encoded: bytes) -> None:
        self.total = (self.total + int.from_bytes(hashlib.sha256(encoded).digest())) % self.MOD
        self.rows += 1

    @property
    def hex(self) -> str:
        return f"{self.total:064x}"


def _fields(model: type[BaseModel]) -> list[pw.Field]:
    return list(model._meta.sorted_fields)


def _rows(model: type[BaseModel]) -> Iterator[list[Any]]:
    """Every row of *model*, encoded, in primary-key order."""
    fields = _fields(model)
    query = model.select(*fields).order_by(model._meta.primary_key).tuples()
    for values in query.iterator():
        yield [encode_value(f, v) for f, v in zip(fields, values, strict=True)]


def table_checksums(models: list[type[BaseModel]] | None = None) -> dict[str, tuple[int, str]]:
    """``table → (rows, checksum)`` of the open database, as a backup header records them."""
    out = {}
    for model in models or ALL_MODELS:
        check = _Checksum()
        for row in _rows(model):
            check.add(_canonical(row))
        out[model._meta.table_name] = (check.rows, check.hex)
    return out


# ------------------------------------------------------------------ backup
def _require_current_schema() -> int:
    version = migrations.current_version()
    migrations.check_version(version)
    if version != migrations.LATEST:
        raise BackupError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The database has schema version {found}, this program writes {latest}. "
                "Run “cqms init” to create or upgrade it first.",
            ),
            found=version,
            latest=migrations.LATEST,
        )
    return version


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of every table for the whole backup."""
    database = dbmod.database_proxy.obj
    with database.atomic():
        if isinstance(database, pw.PostgresqlDatabase):
            database.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def backup(path: str | os.PathLike[str], *, progress: Progress | None = None) -> BackupSummary:
    """Write a backup of the open database to *path* (replaced only once complete)."""
    target = Path(path)
    version = _require_current_schema()
    if not target.name or target.is_dir():  # "/", "D:\\" or an existing folder
        raise BackupError(
            QT_TRANSLATE_NOOP("Errors", "“{path}” is a folder: give the backup a file name in it."),
            path=str(path),
        )
    folder = target.absolute().parent
    if not folder.is_dir():
        raise BackupError(
            QT_TRANSLATE_NOOP("Errors", "The folder “{path}” does not exist."), path=str(folder)
        )
    tables: list[dict[str, Any]] = []
    try:
        spool_file = tempfile.TemporaryFile("w+b", dir=folder)  # noqa: SIM115 (with below)
    except OSError as exc:  # a folder that exists but takes no files (read-only, /proc)
        raise BackupError(
            QT_TRANSLATE_NOOP("Errors", "Cannot write the backup “{path}”: {reason}"),
            path=str(target),
            reason=exc.strerror or str(exc),
        ) from exc
    with spool_file as spool, _snapshot():
        head = AuditChain.get_or_none(AuditChain.id == audit_chain.HEAD_ID)
        if head is None:
            raise BackupError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The audit trail's chain head is missing: run “cqms check”. No backup was "
                    "written.",
                )
            )
        total = sum(m.select().count() for m in ALL_MODELS)
        done = 0
        if progress:
            progress(0, total)
        for model in ALL_MODELS:
            name = model._meta.table_name
            spool.write(_canonical({"table": name}) + b"\n")
            check = _Checksum()
            for row in _rows(model):
                line = _canonical(row)
                check.add(line)
                spool.write(line + b"\n")
                done += 1
                if progress and done % 5000 == 0:
                    progress(done, total)
            tables.append(
                {
                    "name": name,
                    "columns": [f.column_name for f in _fields(model)],
                    "rows": check.rows,
                    "checksum": check.hex,
                }
            )
        header: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "program_version": __version__,
            "schema_version": version,
            "created_at": utcnow().isoformat() + "Z",
            "source": dbmod.current().backend,
            "tables": tables,
            "audit_chain": {
                "last_id": head.last_id,
                "last_hash": head.last_hash,
                "rows": head.row_count,
                "key_id": audit_chain.key_id(head.digest_key),
            },
        }
        header["digest"] = _header_digest(head.digest_key, header)
        spool.seek(0)
        partial = target.with_name(target.name + ".partial")
        try:
            with gzip.open(partial, "wb", compresslevel=6) as out:
                out.write(_canonical(header) + b"\n")
                while chunk := spool.read(1 << 20):
                    out.write(chunk)
            os.replace(partial, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise BackupError(
                QT_TRANSLATE_NOOP("Errors", "Cannot write the backup “{path}”: {reason}"),
                path=str(target),
                reason=exc.strerror or str(exc),
            ) from exc
    if progress:
        progress(total, total)
    return BackupSummary(
        target,
        version,
        __version__,
        header["created_at"],
        {t["name"]: t["rows"] for t in tables},
    )


# ------------------------------------------------------------------ reading a backup
def _damaged(path: Path, reason: str) -> BackupError:
    return BackupError(
        QT_TRANSLATE_NOOP(
            "Errors", "“{path}” is damaged or not a CQMS backup ({reason}). Nothing was restored."
        ),
        path=str(path),
        reason=reason,
    )


@contextlib.contextmanager
def _open_lines(path: Path) -> Iterator[gzip.GzipFile]:
    try:
        with gzip.open(path, "rb") as stream:
            yield stream
    except FileNotFoundError as exc:
        raise BackupError(
            QT_TRANSLATE_NOOP("Errors", "The backup file “{path}” does not exist."),
            path=str(path),
        ) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise _damaged(path, str(exc) or type(exc).__name__) from exc


def read_header(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The header of the backup at *path*, checked for format and version."""
    path = Path(path)
    with _open_lines(path) as stream:
        first = stream.readline()
    try:
        header = json.loads(first)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _damaged(path, "no header") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _damaged(path, "no header")
    if header.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The backup “{path}” has format version {found}; this program reads version "
                "{known}. Use the CQMS version that made it.",
            ),
            path=str(path),
            found=header.get("format_version"),
            known=FORMAT_VERSION,
        )
    _check_header_tables(header, path)
    return header


def _check_header_tables(header: dict[str, Any], path: Path) -> None:
    """The header's table list has the shape a backup writes (else "damaged", not a crash)."""
    tables = header.get("tables")
    if not isinstance(tables, list):
        raise _damaged(path, "no table list")
    for table in tables:
        if not (
            isinstance(table, dict)
            and isinstance(table.get("name"), str)
            and isinstance(table.get("columns"), list)
            and all(isinstance(c, str) for c in table["columns"])
            and type(table.get("rows")) is int
            and table["rows"] >= 0
            and isinstance(table.get("checksum"), str)
        ):
            raise _damaged(path, "table list")
    if len({t["name"] for t in tables}) != len(tables):
        raise _damaged(path, "a table listed twice")


def _models_for(header: dict[str, Any], path: Path) -> list[tuple[type[BaseModel], list[str]]]:
    """Match the backup's tables and columns with this program's models."""
    by_name = {m._meta.table_name: m for m in ALL_MODELS}
    out = []
    for table in header.get("tables", []):
        model = by_name.get(table.get("name"))
        columns = table.get("columns", [])
        if model is None or sorted(columns) != sorted(f.column_name for f in _fields(model)):
            raise BackupError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The backup “{path}” has a table “{table}” this program does not know in "
                    "that form. Restore it with the CQMS version that made it.",
                ),
                path=str(path),
                table=str(table.get("name")),
            )
        out.append((model, columns))
    if [m for m, _ in out] != ALL_MODELS:
        raise _damaged(path, "tables missing")
    return out


def _stream_tables(
    path: Path, *, numbered: bool = False
) -> Iterator[tuple[str, list[Any] | None, int]]:
    """``(table, row, line length)`` for every row line (the line's number instead of its
    length when *numbered*); ``(table, None, 0)`` when a table starts."""
    table = ""
    with _open_lines(path) as stream:
        stream.readline()  # the header
        for number, raw in enumerate(stream, start=2):
            try:
                item = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                raise _damaged(path, f"line {number}") from exc
            if isinstance(item, dict) and isinstance(item.get("table"), str):
                table = item["table"]
                yield table, None, 0
            elif isinstance(item, list) and table:
                yield table, item, number if numbered else len(raw)
            else:
                raise _damaged(path, f"line {number}")


def verify_file(
    path: str | os.PathLike[str], *, progress: Progress | None = None
) -> dict[str, Any]:
    """Check every row of the backup against the counts and checksums of its header, and
    against the models (types, ranges, unique keys and references: :mod:`.backup_checks`),
    so that a restore never starts on a file it cannot finish."""
    path = Path(path)
    header = read_header(path)
    rows_checker = RowChecker(_models_for(header, path))
    expected = {t["name"]: (t["rows"], t["checksum"]) for t in header["tables"]}
    total = sum(rows for rows, _ in expected.values())
    sums: dict[str, _Checksum] = {name: _Checksum() for name in expected}
    chain_head = header.get("audit_chain")
    if not isinstance(chain_head, dict) or not isinstance(header.get("digest"), str):
        raise _damaged(path, "no audit chain head")
    audit_table = AuditLog._meta.table_name
    audit_columns = next(t["columns"] for t in header["tables"] if t["name"] == audit_table)
    picks = [audit_columns.index(c) for c in (*audit_chain.HASHED_COLUMNS, "prev_hash", "row_hash")]
    chain = audit_chain.ChainState()
    done = 0
    for table, row, line in _stream_tables(path, numbered=True):
        if table not in sums:
            raise _damaged(path, f"unknown table {table}")
        try:
            if row is None:
                rows_checker.start(table)
            else:
                rows_checker.row(row, line)
        except RowProblem as problem:
            raise _damaged(path, str(problem)) from None
        if row is not None:
            sums[table].add(_canonical(row))
            if table == audit_table:
                _walk_audit_row(path, chain, [row[i] for i in picks])
            done += 1
            if progress and done % 5000 == 0:
                progress(done, total)
    try:
        rows_checker.finish_all()
    except RowProblem as problem:
        raise _damaged(path, str(problem)) from None
    for name, (rows, checksum) in expected.items():
        if (sums[name].rows, sums[name].hex) != (rows, checksum):
            raise _damaged(path, f"table {name} does not match its checksum")
    _check_chain(path, chain, chain_head)
    return header


def _tampered(path: Path, detail: str) -> BackupError:
    return BackupError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The audit trail in the backup “{path}” was altered after it was written ({detail}). "
            "Nothing was restored.",
        ),
        path=str(path),
        detail=detail,
    )


def _walk_audit_row(path: Path, chain: audit_chain.ChainState, values: list[Any]) -> None:
    try:
        chain.add(values[:-2], values[-2], values[-1])
    except (TypeError, ValueError) as exc:
        raise _damaged(path, "audit row") from exc


def _check_chain(path: Path, chain: audit_chain.ChainState, head: dict[str, Any]) -> None:
    """The chain of the file's audit rows holds and ends where the header says."""
    if chain.first_break is not None:
        raise _tampered(path, f"audit row {chain.first_break.row_id}")
    if (chain.last_id, chain.last_hash, chain.rows) != (
        head.get("last_id"),
        head.get("last_hash"),
        head.get("rows"),
    ):
        raise _tampered(path, "the chain does not end at its recorded head")


def _key_for(
    path: Path, header: dict[str, Any], key: str | None, *, without_key: bool = False
) -> str | None:
    """The key the backup was signed with: *key*, ``CQMS_BACKUP_KEY``, or the target's own;
    ``None`` when none is at hand and the caller accepts a restore *without_key*."""
    wanted = header["audit_chain"].get("key_id")
    candidates = [key, os.environ.get(KEY_VARIABLE)]
    if AuditChain._meta.table_name in dbmod.database_proxy.obj.get_tables():
        head = AuditChain.get_or_none(AuditChain.id == audit_chain.HEAD_ID)
        candidates.append(head.digest_key if head is not None else None)
    for candidate in candidates:
        text = (candidate or "").strip().lower()
        hexadecimal = len(text) == 64 and all(c in "0123456789abcdef" for c in text)
        if hexadecimal and audit_chain.key_id(text) == wanted:
            return text
    if without_key:
        return None
    raise BackupError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The backup “{path}” is signed with backup key {key_id}, which this database does "
            "not hold. Give that key (“cqms backup-key” on the database that made the backup "
            "shows it) with --key-file or the CQMS_BACKUP_KEY variable. If the key is lost "
            "with the old database, restore with --without-key: the file's checksums and "
            "audit chain are still checked, but not who made it, and the restore is recorded "
            "in the audit trail. Nothing was restored.",
        ),
        path=str(path),
        key_id=str(wanted),
    )


def verify_digest(
    path: str | os.PathLike[str],
    header: dict[str, Any],
    key: str | None,
    *,
    without_key: bool = False,
) -> str | None:
    """Check the header's keyed digest; returns the key it was made with (``None``: no key at
    hand and *without_key* accepted, so the digest could not be checked)."""
    path = Path(path)
    found = _key_for(path, header, key, without_key=without_key)
    if found is None:
        return None
    if not hmac.compare_digest(_header_digest(found, header), str(header.get("digest"))):
        raise _tampered(path, "its keyed digest does not match")
    return found


# ------------------------------------------------------------------ restore
def _refuse_non_empty() -> None:
    for model in ALL_MODELS:
        if model in _SEEDED:
            continue
        if model.select().exists():
            raise BackupError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The target database is not empty (table “{table}” has rows). Restore only "
                    "into a new or freshly initialised database; nothing was changed.",
                ),
                table=model._meta.table_name,
            )


def _prepare_target() -> None:
    version = migrations.current_version()
    migrations.check_version(version)
    if version == 0:
        migrations.migrate()
    elif version != migrations.LATEST:
        _require_current_schema()
    _refuse_non_empty()


def reset_sequences(models: list[type[BaseModel]]) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's id sequences past them.

    SQLite and MariaDB continue after the largest id by themselves.
    """
    database = dbmod.database_proxy.obj
    if not isinstance(database, pw.PostgresqlDatabase):
        return
    for model in models:
        pk = model._meta.primary_key
        if not isinstance(pk, pw.AutoField):
            continue
        table, column = model._meta.table_name, pk.column_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) FROM "{table}"'
        )


class _TableWriter:
    """Batched inserts of one table; forward self-references are set after all rows."""

    def __init__(self, model: type[BaseModel], columns: list[str]) -> None:
        by_column = {f.column_name: f for f in _fields(model)}
        self.model = model
        self.fields = [by_column[c] for c in columns]
        pk = model._meta.primary_key
        # By identity: a peewee field's == builds an SQL expression, always true, so
        # list.index() and "in" used to find the first column whatever the key was.
        # (primary_key is False for a table without one — none of ours: no key column then.)
        self.pk_index = next((i for i, f in enumerate(self.fields) if f is pk), None)
        self.self_refs = [
            i
            for i, f in enumerate(self.fields)
            if isinstance(f, pw.ForeignKeyField) and f.rel_model is model
        ]
        self.max_rows = max(1, min(_MAX_BATCH_ROWS, _BATCH_PARAMETERS // len(self.fields)))
        self.batch: list[tuple[Any, ...]] = []
        self.batch_bytes = 0
        self.deferred: list[tuple[Any, pw.Field, Any]] = []

    def add(self, encoded: list[Any], size: int) -> None:
        values = [decode_value(f, v) for f, v in zip(self.fields, encoded, strict=True)]
        if self.pk_index is not None:
            own = values[self.pk_index]
            for i in self.self_refs:
                ref = values[i]
                if ref is not None and ref >= own:  # points at a row not inserted yet
                    self.deferred.append((own, self.fields[i], ref))
                    values[i] = None
        self.batch.append(tuple(values))
        self.batch_bytes += size
        if len(self.batch) >= self.max_rows or self.batch_bytes >= _BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.model.insert_many(self.batch, fields=self.fields).execute()
            self.batch = []
            self.batch_bytes = 0

    def finish(self) -> None:
        self.flush()
        pk = self.model._meta.primary_key
        for own, fld, ref in self.deferred:
            self.model.update({fld: ref}).where(pk == own).execute()


def restore(
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    verified: bool = False,
    key: str | None = None,
    without_key: bool = False,
) -> BackupSummary:
    """Restore the backup at *path* into the open (empty or freshly initialised) database.

    *verified*: the caller already ran :func:`verify_file` (before opening the target, so a
    damaged file leaves not even an empty database file behind). *key*: the backup key of the
    database that made it (see :func:`verify_digest`); the restored database keeps that key.
    *without_key*: when that key is lost with the old database, restore anyway — checksums and
    the audit chain are still verified, the origin is not; the restored database gets a new
    key and an audit row saying so.
    """
    path = Path(path)
    header = read_header(path)
    found = header.get("schema_version")
    if not isinstance(found, int):
        raise _damaged(path, "no schema version")
    migrations.check_version(found)
    if found != migrations.LATEST:
        raise BackupError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The backup has schema version {found}, this program {latest}. Restore it with "
                "the CQMS version that made it, upgrade with “cqms init”, and back it up again.",
            ),
            found=found,
            latest=migrations.LATEST,
        )
    models = _models_for(header, path)
    total = sum(t["rows"] for t in header["tables"])
    steps = 3 * total  # check the file, insert, read back

    def report(done: int) -> None:
        if progress:
            progress(done, steps)

    report(0)
    if not verified:
        verify_file(path, progress=lambda done, _t: report(done))
    signing_key = verify_digest(path, header, key, without_key=without_key)
    unsigned = signing_key is None
    if signing_key is None:
        signing_key = audit_chain.new_key()
    _prepare_target()
    columns = {m._meta.table_name: c for m, c in models}
    by_name = {m._meta.table_name: m for m, _ in models}
    with dbmod.write_transaction():
        for model in _SEEDED:  # the fresh database's own rows make way for the backup's
            model.delete().execute()
        writer: _TableWriter | None = None
        done = total
        for table, row, size in _stream_tables(path):
            if row is None:
                if writer is not None:
                    writer.finish()
                writer = _TableWriter(by_name[table], columns[table])
                continue
            assert writer is not None
            writer.add(row, size)
            done += 1
            if done % 5000 == 0:
                report(done)
        if writer is not None:
            writer.finish()
        reset_sequences(ALL_MODELS)
        chain_head = header["audit_chain"]
        AuditChain.update(
            last_id=chain_head["last_id"],
            last_hash=chain_head["last_hash"],
            row_count=chain_head["rows"],
            digest_key=signing_key,
        ).where(AuditChain.id == audit_chain.HEAD_ID).execute()
        _check_restored(header, lambda n: report(2 * total + n))
        if unsigned:  # after the check: the trail now holds one row more than the file
            audit.write_audit(
                "system",
                AuditChain._meta.table_name,
                audit_chain.HEAD_ID,
                "update",
                {"restored_without_key": (None, f"{path.name}: origin not verified, new key")},
            )
    dbmod.refresh_statistics()  # the planner must not treat the restored tables as empty
    report(steps)
    return BackupSummary(
        path,
        found,
        str(header.get("program_version", "")),
        str(header.get("created_at", "")),
        {t["name"]: t["rows"] for t in header["tables"]},
    )


def _check_restored(header: dict[str, Any], report: Callable[[int], None]) -> None:
    """Read every table back; any difference from the header aborts (and rolls back)."""
    done = 0
    for model in ALL_MODELS:
        name = model._meta.table_name
        expected = next(t for t in header["tables"] if t["name"] == name)
        rows, checksum = table_checksums([model])[name]
        if (rows, checksum) != (expected["rows"], expected["checksum"]):
            raise BackupError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "After restoring, table “{table}” holds {rows} rows that do not match the "
                    "backup ({expected} rows). The restore was rolled back.",
                ),
                table=name,
                rows=rows,
                expected=expected["rows"],
            )
        done += rows
        report(done)
