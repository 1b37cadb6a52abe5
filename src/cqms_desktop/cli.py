"""``cqms``: the administrator's command line over the same services as the desktop program.

Every command takes ``--db URL`` (default: ``CQMS_DB``, else the database preset for this PC in
the machine-wide ``cqms.ini``, else the embedded SQLite file in the user's data folder)::

    cqms init                                  create or upgrade the schema
    cqms demo [--seed N] [--scale N]           load demonstration data
    cqms user add NAME --full-name … --department sales|qa|technical|manufacturing|
                        administration|gm [--admin] [--password-stdin]
                        [--must-change-password]
    cqms user passwd NAME [--password-stdin] [--must-change-password]
                                               set a password (unlocks the account)
    cqms user disable NAME                     disable an account
    cqms backup -o FILE                        portable backup (any backend)
    cqms backup --to-folder DIR [--rotate N]   verified backup into a folder, keep the N newest
    cqms restore FILE [--key-file K | --without-key]  restore into an empty / new database
    cqms backup-key                            print the database's backup key (keep it apart)
    cqms check                                 integrity, schema version, counts
    cqms list KIND [--status S] [--overdue] [--customer CODE] --format json|csv [-o FILE]
    cqms export form KIND NUMBER|--blank --format pdf|xlsx [--lang zh|en|de] -o FILE
    cqms export register KIND [--from DATE] [--to DATE] -o FILE.xlsx
    cqms export review --period 2026Q4 [--customer CODE] [--current] -o FILE.xlsx
    cqms import customers|products|complaints|feedback FILE.xlsx [--dry-run] [--valid-only]
    cqms mail set --host H [--port P] [--starttls|--ssl|--plain] [--user U] --sender ADDRESS
    cqms mail show / cqms mail test --to ADDRESS
    cqms send form KIND NUMBER [--lang zh|en|de] [--to ADDRESS …] [--attach NAME …]
    cqms send --retry                          send again what was kept as not sent
    cqms send list [KIND NUMBER]               the messages kept: sent / not sent + reason
    cqms remind [--dry-run] [--at TIME]        daily digests and escalations
    cqms calendar list [--year Y] | add DATE --kind closed|working [--note TEXT] |
                  remove DATE | import FILE.csv|FILE.xlsx | load-holidays --year Y

A problem the user can act on prints one line ``cqms: error: …`` on stderr and exits with 2;
``cqms check`` exits with 1 when it finds a problem. Anything unexpected is written to the log
file in the user's data folder and reported in one line as well.

``CQMS_NOW=2026-12-31T23:30`` (ISO 8601, naive means UTC) runs a command as if the clock had
started at that instant: for demonstrations and for checking what the program says on a given
day. Without it the PC's clock is used.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import peewee as pw

from . import __version__, paths
from .cli_commands.calendar import add_calendar_parser
from .cli_commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PROBLEMS,
    _open,
    _progress,
    _require_schema,
    _say,
)
from .cli_commands.database import (
    cmd_backup,
    cmd_backup_key,
    cmd_check,
    cmd_init,
    cmd_restore,
)
from .cli_commands.demo import cmd_demo
from .cli_commands.exchange import (
    _day,
    _print_import_report,
    cmd_export_form,
    cmd_export_register,
    cmd_export_review,
    cmd_import,
)
from .cli_commands.listing import (
    LIST_FIELDS,
    STATUS_ENUMS,
    cmd_list,
    list_rows,
    normalise,
    write_rows,
)
from .cli_commands.mail import add_mail_commands
from .cli_commands.users import _read_password, cmd_user_add, cmd_user_disable, cmd_user_passwd
from .domain import clock
from .domain import enums as E
from .domain.errors import CqmsError, ValidationError
from .domain.i18n import QT_TRANSLATE_NOOP
from .store import db as dbmod

# Everything that was defined here before the commands moved to cli_commands stays importable.
__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "LIST_FIELDS",
    "STATUS_ENUMS",
    "_day",
    "_open",
    "_print_import_report",
    "_progress",
    "_read_password",
    "_require_schema",
    "_say",
    "build_parser",
    "cmd_backup",
    "cmd_backup_key",
    "cmd_check",
    "cmd_demo",
    "cmd_export_form",
    "cmd_export_register",
    "cmd_export_review",
    "cmd_import",
    "cmd_init",
    "cmd_list",
    "cmd_restore",
    "cmd_user_add",
    "cmd_user_disable",
    "cmd_user_passwd",
    "list_rows",
    "main",
    "normalise",
    "write_rows",
]

log = logging.getLogger("cqms_desktop.cli")


# ---------------------------------------------------------------- parser and main
def _must_change_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--must-change-password",
        action="store_true",
        help="the user must choose a new password at the next log-in",
    )


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
        "mysql://user@host:port/db (default: $CQMS_DB, the database preset for this PC, or "
        "the file in your data folder)"
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
    _must_change_option(q)
    q.set_defaults(func=cmd_user_add)
    q = users.add_parser("passwd", parents=[common], help="set a user's password")
    q.add_argument("username")
    _password_option(q)
    _must_change_option(q)
    q.set_defaults(func=cmd_user_passwd)
    q = users.add_parser("disable", parents=[common], help="disable a user's account")
    q.add_argument("username")
    q.set_defaults(func=cmd_user_disable)

    p = sub.add_parser("backup", parents=[common], help="write a portable backup")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "-o", "--output", metavar="FILE", help="the backup file (a folder: as --to-folder)"
    )
    target.add_argument(
        "--to-folder",
        metavar="DIR",
        help="write cqms-<company>-<date>-<time>.cqmsdump into DIR (a share too) and verify it",
    )
    p.add_argument(
        "--rotate",
        metavar="N",
        type=int,
        help="with a folder: then delete this company's oldest backups there beyond the N "
        "newest (default: the Administration setting)",
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="restore a backup into an empty database")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--key-file",
        metavar="K",
        help="file holding the backup key of the database that made the backup "
        "(or set CQMS_BACKUP_KEY)",
    )
    p.add_argument(
        "--without-key",
        action="store_true",
        help="the key was lost with the old database: restore anyway (checksums and the audit "
        "chain are checked, the origin is not; the restore is recorded in the audit trail)",
    )
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "backup-key", parents=[common], help="print the key that signs this database's backups"
    )
    p.set_defaults(func=cmd_backup_key)

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
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (UTF-8; CSV with a byte-order mark for Excel) instead of stdout",
    )
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
    q.add_argument(
        "--current",
        action="store_true",
        help="today's figures even if the review was signed off (default: re-print as signed)",
    )
    q.set_defaults(func=cmd_export_review)

    p = sub.add_parser("import", parents=[common], help="import a legacy Excel register")
    p.add_argument(
        "kind", metavar="KIND", choices=("customers", "products", "complaints", "feedback")
    )
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="only check; print the report")
    p.add_argument("--valid-only", action="store_true", help="import the rows without problems")
    p.set_defaults(func=cmd_import)
    add_mail_commands(sub, common)
    add_calendar_parser(sub, common)
    return parser


def _log_unexpected(arguments: Sequence[str]) -> Path | None:
    """Write the current exception with its traceback to the log file; its path or None.

    The command line is logged with every database URL's password masked."""
    try:
        path = paths.log_path()
        handler = logging.FileHandler(path, encoding="utf-8")
    except Exception:  # no data folder: the one-line message must still come out
        return None
    handler.setFormatter(_MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    try:
        log.exception("cqms %s failed", masked(" ".join(arguments)))
    finally:
        log.removeHandler(handler)
        handler.close()
    return path


_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def masked(text: str) -> str:
    """*text* with the password of every database URL in it masked (for the log and for
    messages that quote an argument or a driver's error)."""
    return _URL_IN_TEXT.sub(lambda m: dbmod.describe_url(m.group()), text)


class _MaskingFormatter(logging.Formatter):
    """Log lines, tracebacks included (a driver's error may quote its URL), with every
    database URL's password masked."""

    def format(self, record: logging.LogRecord) -> str:
        return masked(super().format(record))


def _check_file_arguments(args: argparse.Namespace) -> None:
    """Refuse an empty file name or one with a NUL character before any command opens it
    (the operating system's errors for those are not messages a user can act on)."""
    for option, attribute in (("-o/--output", "output"), ("FILE", "file")):
        value = getattr(args, attribute, None)
        if value is None:
            continue
        if not value.strip():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Cli", "{option}: the file name is empty."), option=option
            )
        if "\0" in value:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Cli", "{option}: the file name contains a NUL character."),
                option=option,
            )


def _details(where: Path | None) -> str:
    if where is None:
        return ""
    return QT_TRANSLATE_NOOP("Cli", " (details in {path})").format(path=where)


def _safe_console() -> None:
    """Never die on a character the console cannot show: a Windows console or redirect in
    cp1252 cannot encode Chinese names, so messages fall back to ``\\u…`` escapes there."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cqms``; returns the exit status (0 ok, 1 problems found, 2 error)."""
    _safe_console()
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error (already printed)
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_ERROR
    try:
        program_clock = clock.clock_for(os.environ.get("CQMS_NOW"))
    except ValueError:
        _say(
            QT_TRANSLATE_NOOP("Cli", "cqms: error: CQMS_NOW is not a date and time: {value}"),
            sys.stderr,
            value=os.environ.get("CQMS_NOW", "").encode("unicode_escape").decode("ascii"),
        )
        return EXIT_ERROR
    try:
        _check_file_arguments(args)
        if isinstance(program_clock, clock.SystemClock):  # keep a clock a caller installed
            return args.func(args)
        with clock.use_clock(program_clock):
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
    except OSError as exc:  # a file or folder the command cannot use: the user's to fix
        reason = exc.strerror or type(exc).__name__
        if exc.filename is None:
            _say(QT_TRANSLATE_NOOP("Cli", "cqms: error: {reason}"), sys.stderr, reason=reason)
        else:
            _say(
                QT_TRANSLATE_NOOP("Cli", "cqms: error: {path}: {reason}"),
                sys.stderr,
                path=os.fsdecode(exc.filename),
                reason=reason,
            )
        return EXIT_ERROR
    except pw.DatabaseError as exc:  # e.g. a locked or damaged file in the middle of a command
        where = _log_unexpected(arguments)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _say(
            QT_TRANSLATE_NOOP("Cli", "cqms: error: database error: {reason}{details}"),
            sys.stderr,
            reason=masked(first),
            details=_details(where),
        )
        return EXIT_ERROR
    except Exception as exc:
        where = _log_unexpected(arguments)
        _say(
            QT_TRANSLATE_NOOP("Cli", "cqms: error: unexpected {kind}: {reason}{details}"),
            sys.stderr,
            kind=type(exc).__name__,
            reason=masked(str(exc).strip().replace("\n", " ")),
            details=_details(where),
        )
        return EXIT_ERROR
    finally:
        dbmod.close_database()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
