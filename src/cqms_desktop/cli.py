"""``cqms``: the administrator's command line over the same services as the desktop program.

Every command takes ``--db URL`` (default: ``CQMS_DB`` or the embedded SQLite file in the
user's data folder)::

    cqms init                                  create or upgrade the schema
    cqms demo [--seed N] [--scale N]           load demonstration data
    cqms user add NAME --full-name … --department sales|qa|technical|manufacturing|
                        administration|gm [--admin] [--password-stdin]
    cqms user passwd NAME [--password-stdin]   set a password (unlocks the account)
    cqms user disable NAME                     disable an account
    cqms backup -o FILE                        portable backup (any backend)
    cqms restore FILE                          restore into an empty / new database
    cqms check                                 integrity, schema version, counts
    cqms list KIND [--status S] [--overdue] [--customer CODE] --format json|csv
    cqms export form KIND NUMBER|--blank --format pdf|xlsx [--lang zh|en|de] -o FILE
    cqms export register KIND [--from DATE] [--to DATE] -o FILE.xlsx
    cqms export review --period 2026Q4 [--customer CODE] -o FILE.xlsx
    cqms import customers|products|complaints|feedback FILE.xlsx [--dry-run] [--valid-only]

A problem the user can act on prints one line ``cqms: error: …`` on stderr and exits with 2;
``cqms check`` exits with 1 when it finds a problem. Anything unexpected is written to the log
file in the user's data folder and reported in one line as well.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import peewee as pw

from . import __version__, paths
from .domain import enums as E
from .domain.errors import CqmsError, DatabaseError, ValidationError
from .domain.i18n import QT_TRANSLATE_NOOP
from .store import db as dbmod
from .store import migrations

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2

log = logging.getLogger("cqms_desktop.cli")

#: ``cqms list``: per kind, (output key, register column key).
LIST_FIELDS: dict[str, list[tuple[str, str]]] = {
    "visits": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("visit_date", "visit_date"),
    ],
    "feedback": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("type", "type"),
        ("channel", "channel"),
        ("urgent", "urgent"),
        ("received", "received_at"),
        ("closed", "closed_at"),
    ],
    "complaints": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("severity", "severity"),
        ("received", "received_at"),
        ("due", "due_at"),
        ("handled", "handled_at"),
        ("closed", "closed_at"),
        ("overdue", "overdue"),
        ("handled_late", "handled_late"),
    ],
    "surveys": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("quarter", "quarter"),
        ("sent", "sent_on"),
        ("returned", "returned_on"),
        ("overall", "overall"),
    ],
    "service": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("kind", "kind"),
        ("date", "service_date"),
        ("part_number", "part_number"),
        ("quantity", "quantity"),
    ],
}

STATUS_ENUMS: dict[str, type[E.LabeledEnum]] = {
    "visits": E.VisitStatus,
    "feedback": E.FeedbackStatus,
    "complaints": E.ComplaintStatus,
    "surveys": E.SurveyStatus,
    "service": E.ServiceStatus,
}


# ---------------------------------------------------------------- opening the database
def _say(template: str, stream: TextIO | None = None, /, **params: Any) -> None:
    """Print a (translatable, English) message; *params* fill its placeholders."""
    print(template.format(**params), file=stream or sys.stdout)


def _open(url: str | None, *, create: bool = False) -> dbmod.DatabaseInfo:
    """Open the database; a missing SQLite file is created only when *create*."""
    url = (url or paths.default_database_url()).strip()
    if not create and dbmod.backend_of(url) == "sqlite":
        # Only look: opening would create the file (and make_database its folder).
        path = dbmod._sqlite_path_from_url(url)
        if path != ":memory:" and not Path(path).exists():
            raise DatabaseError(
                QT_TRANSLATE_NOOP(
                    "Cli",
                    "The database file “{path}” does not exist. Create it with “cqms init” "
                    "(or check the --db URL).",
                ),
                path=str(Path(path).absolute()),
            )
    info = dbmod.open_database(url)
    for warning in info.warnings:
        _say(QT_TRANSLATE_NOOP("Cli", "cqms: warning: {text}"), sys.stderr, text=warning)
    return info


def _require_schema() -> int:
    """Refuse a database that is empty, older or newer than this program."""
    version = migrations.current_version()
    migrations.check_version(version)
    if version == 0:
        raise DatabaseError(
            QT_TRANSLATE_NOOP(
                "Cli", "The database is empty: create the CQMS schema with “cqms init” first."
            )
        )
    if version < migrations.LATEST:
        raise DatabaseError(
            QT_TRANSLATE_NOOP(
                "Cli",
                "The database has schema version {found}; this program needs {latest}. "
                "Upgrade it with “cqms init” (a SQLite file is backed up first).",
            ),
            found=version,
            latest=migrations.LATEST,
        )
    return version


def _progress(label: str) -> Callable[[int, int], None] | None:
    """A progress line on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        print(f"\r{label} {percent:3d}%", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)

    return show


# ---------------------------------------------------------------- commands
def cmd_init(args: argparse.Namespace) -> int:
    """Create or upgrade the schema."""
    info = _open(args.db, create=True)
    result = migrations.migrate()
    if result.created:
        _say(
            QT_TRANSLATE_NOOP(
                "Cli", "Created a new CQMS database (schema version {version}) in {where}."
            ),
            version=result.to_version,
            where=info.display,
        )
    elif result.from_version == result.to_version:
        _say(
            QT_TRANSLATE_NOOP(
                "Cli", "The database {where} is up to date (schema version {version})."
            ),
            where=info.display,
            version=result.to_version,
        )
    else:
        _say(
            QT_TRANSLATE_NOOP("Cli", "Upgraded {where} from schema version {old} to {new}."),
            where=info.display,
            old=result.from_version,
            new=result.to_version,
        )
        if result.backup is not None:
            _say(QT_TRANSLATE_NOOP("Cli", "The old file was saved as {path}."), path=result.backup)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Load demonstration data (creating the schema on an empty database)."""
    from .services import demo

    info = _open(args.db, create=True)
    if migrations.current_version() == 0:
        migrations.migrate()
        _say(
            QT_TRANSLATE_NOOP("Cli", "Created a new CQMS database in {where}."), where=info.display
        )
    _require_schema()
    summary = demo.generate_demo(
        seed=args.seed,
        scale=args.scale,
        progress=_progress(QT_TRANSLATE_NOOP("Cli", "Loading demonstration data")),
    )
    _say(
        QT_TRANSLATE_NOOP(
            "Cli",
            "Loaded demonstration data (seed {seed}, scale {scale}): {records} records, "
            "{rows} rows in all.",
        ),
        seed=summary.seed,
        scale=summary.scale,
        records=summary.records,
        rows=summary.total_rows,
    )
    for table, count in summary.counts.items():
        print(f"  {table:<20} {count:>8}")
    if summary.users:
        _say(
            QT_TRANSLATE_NOOP("Cli", "Demonstration accounts (password “{password}”):"),
            password=summary.password,
        )
        for username, full_name, department in summary.users:
            print(f"  {username:<12} {department:<15} {full_name}")
    if summary.skipped_users:
        _say(
            QT_TRANSLATE_NOOP("Cli", "Existing accounts kept as they were: {names}."),
            names=", ".join(summary.skipped_users),
        )
    return EXIT_OK


def _read_password(args: argparse.Namespace) -> str:
    """The new password: from stdin with --password-stdin, else asked twice on the terminal."""
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Cli",
                "No terminal to ask for the password: pass it on standard input with "
                "--password-stdin.",
            ),
            field="password",
        )
    first = getpass.getpass(QT_TRANSLATE_NOOP("Cli", "Password: "))
    second = getpass.getpass(QT_TRANSLATE_NOOP("Cli", "Password (again): "))
    if first != second:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Cli", "The two passwords differ; nothing was changed."),
            field="password",
        )
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create a user account."""
    from .services import admin
    from .services.base import Actor

    _open(args.db)
    _require_schema()
    password = _read_password(args)
    user = admin.add_user(
        Actor.system(),
        username=args.username,
        full_name=args.full_name,
        department=args.department,
        password=password,
        is_admin=args.admin,
        email=args.email or "",
    )
    _say(
        QT_TRANSLATE_NOOP("Cli", "Created user {name} ({department}{admin})."),
        name=user.username,
        department=E.Department(user.department).label,
        admin=QT_TRANSLATE_NOOP("Cli", ", administrator") if user.is_admin else "",
    )
    return EXIT_OK


def cmd_user_passwd(args: argparse.Namespace) -> int:
    """Set a user's password."""
    from .services import admin
    from .services.base import Actor

    _open(args.db)
    _require_schema()
    user = admin.find_user(args.username)
    password = _read_password(args)
    admin.set_password(Actor.system(), user_id=user.id, password=password)
    _say(QT_TRANSLATE_NOOP("Cli", "Password of {name} changed."), name=user.username)
    return EXIT_OK


def cmd_user_disable(args: argparse.Namespace) -> int:
    """Disable a user account."""
    from .services import admin
    from .services.base import Actor

    _open(args.db)
    _require_schema()
    user = admin.find_user(args.username)
    if not user.active:
        _say(QT_TRANSLATE_NOOP("Cli", "User {name} is already disabled."), name=user.username)
        return EXIT_OK
    admin.update_user(Actor.system(), user_id=user.id, version=user.version, active=False)
    _say(QT_TRANSLATE_NOOP("Cli", "User {name} disabled."), name=user.username)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a portable backup."""
    from .services import backup

    _open(args.db)
    _require_schema()
    summary = backup.backup(args.output, progress=_progress(QT_TRANSLATE_NOOP("Cli", "Backing up")))
    _say(
        QT_TRANSLATE_NOOP("Cli", "Backed up {rows} rows of {tables} tables to {path}."),
        rows=summary.total_rows,
        tables=len(summary.tables),
        path=summary.path,
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup into an empty or freshly initialised database."""
    from .services import backup

    path = Path(args.file)
    # A damaged file is refused before the target is touched (or a new file created).
    backup.verify_file(path, progress=_progress(QT_TRANSLATE_NOOP("Cli", "Checking the backup")))
    info = _open(args.db, create=True)
    summary = backup.restore(
        path, progress=_progress(QT_TRANSLATE_NOOP("Cli", "Restoring")), verified=True
    )
    _say(
        QT_TRANSLATE_NOOP(
            "Cli",
            "Restored {rows} rows of {tables} tables into {where} and checked them "
            "(backup of {created}, CQMS {version}).",
        ),
        rows=summary.total_rows,
        tables=len(summary.tables),
        where=info.display,
        created=summary.created_at,
        version=summary.program_version,
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Check integrity, schema version and counts."""
    from .services.maintenance import check_database

    _open(args.db)
    report = check_database()
    _say(
        QT_TRANSLATE_NOOP("Cli", "Database: {where} ({backend})"),
        where=report.display,
        backend=report.backend,
    )
    _say(
        QT_TRANSLATE_NOOP("Cli", "Schema version: {found} (this program: {latest})"),
        found=report.schema_version,
        latest=report.program_schema,
    )
    for table, count in report.counts.items():
        print(f"  {table:<20} {count:>8}")
    if report.ok:
        _say(QT_TRANSLATE_NOOP("Cli", "No problems found."))
        return EXIT_OK
    for problem in report.problems:
        _say(QT_TRANSLATE_NOOP("Cli", "PROBLEM: {text}"), sys.stderr, text=problem)
    _say(
        QT_TRANSLATE_NOOP("Cli", "cqms: {count} problem(s) found."),
        sys.stderr,
        count=len(report.problems),
    )
    return EXIT_PROBLEMS


# ---------------------------------------------------------------- cqms list
def normalise(value: Any, kind: str) -> Any:
    """A register value as the same JSON value on every backend (see ``cqms list``)."""
    if value is None:
        return False if kind == "bool" else None
    if kind == "bool":
        return bool(int(value))
    if kind == "datetime":
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    if kind == "date":
        if isinstance(value, datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, date) else str(value)[:10]
    if kind == "decimal":
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    if kind == "int":
        return int(value)
    return str(value)


def list_rows(
    kind: str,
    *,
    statuses: Sequence[str] = (),
    overdue: bool = False,
    customer: str | None = None,
) -> list[dict[str, Any]]:
    """The records of *kind* for ``cqms list``, normalised, sorted by number."""
    from .services.registers import REGISTERS, Filter
    from .store.models import Customer

    register = REGISTERS[kind]
    allowed = [s.value for s in STATUS_ENUMS[kind]]
    for status in statuses:
        if status not in allowed:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Cli", "Unknown status “{value}” for {kind}; use one of {allowed}."
                ),
                value=status,
                kind=kind,
                allowed=", ".join(allowed),
            )
    if overdue and kind != "complaints":
        raise ValidationError(QT_TRANSLATE_NOOP("Cli", "--overdue applies to complaints only."))
    flt = Filter(status=tuple(statuses), overdue=overdue)
    if customer:
        row = Customer.get_or_none(Customer.code == customer)
        if row is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Cli", "There is no customer with the code “{code}”."),
                code=customer,
            )
        flt.customer_id = row.id
    fields = [(out, register.column(key).kind, key) for out, key in LIST_FIELDS[kind]]
    rows = [
        {out: normalise(rec[key], col_kind) for out, col_kind, key in fields}
        for rec in register.iterate(flt, sort="number", descending=False)
    ]
    # The servers compare text by their own collation; sort again by code point so the
    # output is byte-identical on every backend.
    rows.sort(key=lambda r: r["number"])
    return rows


def write_rows(rows: list[dict[str, Any]], fmt: str, keys: list[str], out: TextIO) -> None:
    """Write *rows* as a JSON array (one record per line) or as CSV with a header."""
    if fmt == "json":
        if not rows:
            out.write("[]\n")
            return
        out.write("[\n")
        last = len(rows) - 1
        for index, row in enumerate(rows):
            out.write(json.dumps(row, ensure_ascii=False))
            out.write(",\n" if index < last else "\n")
        out.write("]\n")
        return
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow(
            [
                ""
                if row[k] is None
                else ("true" if row[k] else "false")
                if isinstance(row[k], bool)
                else row[k]
                for k in keys
            ]
        )


def cmd_list(args: argparse.Namespace) -> int:
    """Print the records of a kind as JSON or CSV."""
    _open(args.db)
    _require_schema()
    statuses = [s.strip() for value in args.status or [] for s in value.split(",") if s.strip()]
    rows = list_rows(args.kind, statuses=statuses, overdue=args.overdue, customer=args.customer)
    write_rows(rows, args.format, [out for out, _ in LIST_FIELDS[args.kind]], sys.stdout)
    return EXIT_OK


# ---------------------------------------------------------------- cqms export form
def cmd_export_form(args: argparse.Namespace) -> int:
    """Write one record's form as PDF or Excel."""
    _open(args.db)
    _require_schema()
    try:
        from .exports.forms import export_form
    except ImportError as exc:
        raise CqmsError(
            QT_TRANSLATE_NOOP("Cli", "Printing forms is not available in this build ({reason})."),
            reason=str(exc),
        ) from exc
    kind = {"visits": "visit", "complaints": "complaint", "surveys": "survey"}.get(
        args.kind, args.kind
    )
    blank = {"blank": True} if args.blank else {}  # a record's form: the call as before
    path = export_form(
        kind=kind,
        number=args.number,
        fmt=args.format,
        lang=args.lang,
        output=Path(args.output),
        **blank,
    )
    _say(QT_TRANSLATE_NOOP("Cli", "Wrote {path}."), path=path)
    return EXIT_OK


# ---------------------------------------------------------------- import, export register / review
def _day(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            QT_TRANSLATE_NOOP("Cli", "“{value}” is not a date (YYYY-MM-DD).").format(value=text)
        ) from None


def _print_import_report(report: Any) -> None:
    """The validation report: one line per problem (row, column, value, problem), a summary."""
    from .services.importer import iter_problem_rows

    for row, column, value, problem in iter_problem_rows(report):
        _say(
            QT_TRANSLATE_NOOP("Cli", "row {row}\t{column}\t{value}\t{problem}"),
            row=row,
            column=column or "-",
            value=value,
            problem=problem,
        )
    _say("{summary}", summary=report.summary())


def cmd_import(args: argparse.Namespace) -> int:
    """Check (``--dry-run``) or import an xlsx register; exit 1 while rows fail."""
    from .services import importer
    from .services.base import Actor

    _open(args.db)
    _require_schema()
    progress = _progress(QT_TRANSLATE_NOOP("Cli", "Importing"))
    path = Path(args.file)
    try:
        if args.dry_run:
            report = importer.check_file(args.kind, path, progress=progress)
        else:
            report = importer.import_file(
                Actor.system(),
                kind=args.kind,
                path=path,
                valid_only=args.valid_only,
                progress=progress,
            )
    except importer.ImportRefused as refused:
        _print_import_report(refused.report)
        _say(QT_TRANSLATE_NOOP("Cli", "cqms: {message}"), sys.stderr, message=refused)
        return EXIT_PROBLEMS
    _print_import_report(report)
    return EXIT_PROBLEMS if report.problems and not args.valid_only else EXIT_OK


def cmd_export_register(args: argparse.Namespace) -> int:
    """Write a register (optionally a date range) to xlsx."""
    from .exports.register_xlsx import export_register
    from .services.registers import REGISTERS, Filter

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Cli", "--from {start} is after --to {end}."),
            start=args.date_from,
            end=args.date_to,
        )
    _open(args.db)
    _require_schema()
    output = Path(args.output)
    count = export_register(
        REGISTERS[args.kind],
        Filter(date_from=args.date_from, date_to=args.date_to),
        output=output,
        progress=_progress(QT_TRANSLATE_NOOP("Cli", "Exporting")),
    )
    _say(QT_TRANSLATE_NOOP("Cli", "Wrote {count} rows to {path}."), count=count, path=output)
    return EXIT_OK


def cmd_export_review(args: argparse.Namespace) -> int:
    """Write the management-review workbook of a period."""
    from .exports.review_workbook import export_review

    _open(args.db)
    _require_schema()
    path = export_review(
        args.period,
        customer_code=args.customer,
        output=Path(args.output),
        progress=_progress(QT_TRANSLATE_NOOP("Cli", "Exporting")),
    )
    _say(QT_TRANSLATE_NOOP("Cli", "Wrote {path}."), path=path)
    return EXIT_OK


# ---------------------------------------------------------------- parser and main
def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cqms``."""
    db_help = (
        "database URL: sqlite:///file.sqlite3, postgresql://user@host:port/db or "
        "mysql://user@host:port/db (default: $CQMS_DB or the file in your data folder)"
    )
    # --db is accepted before and after the command; the sub-commands' copy must not reset
    # a value given before the command to its default, hence SUPPRESS there.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=db_help)
    parser = argparse.ArgumentParser(
        prog="cqms",
        description="CQMS Desktop administration: database, users, demonstration data, "
        "backups, checks and lists.",
    )
    parser.add_argument("--db", metavar="URL", default=None, help=db_help)
    parser.add_argument("--version", action="version", version=f"cqms {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", parents=[common], help="create or upgrade the database schema")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", parents=[common], help="load demonstration data")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--scale",
        type=int,
        default=1,
        help="multiply the amount of data (default 1: ~2,200 records)",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("user", parents=[common], help="add users, set passwords, disable users")
    users = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    q = users.add_parser("add", parents=[common], help="create a user")
    q.add_argument("username")
    q.add_argument("--full-name", required=True)
    q.add_argument("--department", required=True, choices=[d.value for d in E.Department])
    q.add_argument("--email", default="")
    q.add_argument("--admin", action="store_true", help="make the user an administrator")
    _password_option(q)
    q.set_defaults(func=cmd_user_add)
    q = users.add_parser("passwd", parents=[common], help="set a user's password")
    q.add_argument("username")
    _password_option(q)
    q.set_defaults(func=cmd_user_passwd)
    q = users.add_parser("disable", parents=[common], help="disable a user's account")
    q.add_argument("username")
    q.set_defaults(func=cmd_user_disable)

    p = sub.add_parser("backup", parents=[common], help="write a portable backup")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="restore a backup into an empty database")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", parents=[common], help="check integrity, schema and counts")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("list", parents=[common], help="list the records of a kind")
    p.add_argument(
        "kind",
        choices=list(LIST_FIELDS),
        metavar="KIND",
        help="visits, feedback, complaints, surveys or service",
    )
    p.add_argument(
        "--status",
        action="append",
        metavar="S",
        help="only this status (repeat or separate with commas)",
    )
    p.add_argument("--overdue", action="store_true", help="complaints: only overdue ones")
    p.add_argument("--customer", metavar="CODE", help="only this customer")
    p.add_argument("--format", choices=("json", "csv"), default="json")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("export", parents=[common], help="print forms, export lists and reviews")
    exports = p.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    q = exports.add_parser("form", parents=[common], help="one record's form as PDF or Excel")
    q.add_argument(
        "kind",
        metavar="KIND",
        help="visit, feedback, complaint, survey, service, or 8d (a complaint's 8D report)",
    )
    q.add_argument("number", metavar="NUMBER", nargs="?", help="not with --blank")
    q.add_argument("--blank", action="store_true", help="the empty form, for filling in by hand")
    q.add_argument("--format", choices=("pdf", "xlsx"), required=True)
    q.add_argument("--lang", choices=("zh", "en", "de"), default=None)
    q.add_argument("-o", "--output", required=True, metavar="FILE")
    q.set_defaults(func=cmd_export_form)
    q = exports.add_parser("register", parents=[common], help="a list as xlsx")
    q.add_argument(
        "kind", metavar="KIND", choices=("complaints", "feedback", "visits", "surveys", "service")
    )
    q.add_argument("--from", dest="date_from", type=_day, metavar="DATE", help="YYYY-MM-DD")
    q.add_argument("--to", dest="date_to", type=_day, metavar="DATE", help="YYYY-MM-DD")
    q.add_argument("-o", "--output", required=True, metavar="FILE")
    q.set_defaults(func=cmd_export_register)
    q = exports.add_parser("review", parents=[common], help="the management-review workbook")
    q.add_argument("--period", required=True, help="a month 2026-11, a quarter 2026Q4, a year")
    q.add_argument("--customer", metavar="CODE", help="only this customer")
    q.add_argument("-o", "--output", required=True, metavar="FILE")
    q.set_defaults(func=cmd_export_review)

    p = sub.add_parser("import", parents=[common], help="import a legacy Excel register")
    p.add_argument(
        "kind", metavar="KIND", choices=("customers", "products", "complaints", "feedback")
    )
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="only check; print the report")
    p.add_argument("--valid-only", action="store_true", help="import the rows without problems")
    p.set_defaults(func=cmd_import)
    return parser


def _log_unexpected() -> Path | None:
    """Write the current exception with its traceback to the log file; its path or None."""
    try:
        path = paths.log_path()
        handler = logging.FileHandler(path, encoding="utf-8")
    except Exception:  # no data folder: the one-line message must still come out
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    try:
        log.exception("cqms %s failed", " ".join(sys.argv[1:]))
    finally:
        log.removeHandler(handler)
        handler.close()
    return path


def _details(where: Path | None) -> str:
    if where is None:
        return ""
    return QT_TRANSLATE_NOOP("Cli", " (details in {path})").format(path=where)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cqms``; returns the exit status (0 ok, 1 problems found, 2 error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error (already printed)
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_ERROR
    try:
        return args.func(args)
    except CqmsError as err:
        _say(QT_TRANSLATE_NOOP("Cli", "cqms: error: {message}"), sys.stderr, message=err)
        return EXIT_ERROR
    except BrokenPipeError:  # "cqms list … | head": the reader has all it wanted
        # Python's documented recipe: point stdout at devnull so the exit flush stays quiet.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        _say(QT_TRANSLATE_NOOP("Cli", "cqms: interrupted; nothing more was written."), sys.stderr)
        return 130
    except pw.DatabaseError as exc:  # e.g. a locked or damaged file in the middle of a command
        where = _log_unexpected()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _say(
            QT_TRANSLATE_NOOP("Cli", "cqms: error: database error: {reason}{details}"),
            sys.stderr,
            reason=first,
            details=_details(where),
        )
        return EXIT_ERROR
    except Exception as exc:
        where = _log_unexpected()
        _say(
            QT_TRANSLATE_NOOP("Cli", "cqms: error: unexpected {kind}: {reason}{details}"),
            sys.stderr,
            kind=type(exc).__name__,
            reason=str(exc).strip().replace("\n", " "),
            details=_details(where),
        )
        return EXIT_ERROR
    finally:
        dbmod.close_database()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
