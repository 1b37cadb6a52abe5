"""``cqms init``, ``cqms backup``, ``cqms restore`` and ``cqms check``: the database itself."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import peewee as pw

from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import migrations
from .common import EXIT_OK, EXIT_PROBLEMS, _open, _progress, _require_schema, _say

__all__ = ["cmd_backup", "cmd_backup_key", "cmd_check", "cmd_init", "cmd_restore"]


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


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a portable backup to a file, or a verified one into a folder with rotation."""
    from ..services import backup

    folder = args.to_folder
    if folder is None and args.output and Path(args.output).is_dir():
        folder = args.output
    if folder is None and args.rotate is not None:
        raise CqmsError(
            QT_TRANSLATE_NOOP("Cli", "--rotate needs a folder (--to-folder DIR or -o DIR).")
        )
    if folder is not None and not folder.strip():
        raise CqmsError(QT_TRANSLATE_NOOP("Cli", "Give the folder for --to-folder."))
    _open(args.db)
    _require_schema()
    if folder is not None:
        return _backup_to_folder(folder, args.rotate)
    summary = backup.backup(args.output, progress=_progress(QT_TRANSLATE_NOOP("Cli", "Backing up")))
    _say(
        QT_TRANSLATE_NOOP("Cli", "Backed up {rows} rows of {tables} tables to {path}."),
        rows=summary.total_rows,
        tables=len(summary.tables),
        path=summary.path,
    )
    return EXIT_OK


def _backup_to_folder(folder: str, rotate: int | None) -> int:
    from ..services import scheduled_backup

    keep = rotate if rotate is not None else scheduled_backup.schedule().keep
    result = scheduled_backup.write_to_folder(
        folder, keep, progress=_progress(QT_TRANSLATE_NOOP("Cli", "Backing up"))
    )
    try:
        scheduled_backup.record_command_line_backup(result)
    except (CqmsError, pw.DatabaseError) as exc:
        # The backup is written and verified; only the note "today's is made" is missing,
        # so a running program may make a second one today — no reason to fail the task.
        _say(
            QT_TRANSLATE_NOOP("Cli", "cqms: warning: could not record the backup: {reason}"),
            sys.stderr,
            reason=str(exc),
        )
    _say(
        QT_TRANSLATE_NOOP(
            "Cli", "Backed up {rows} rows of {tables} tables to {path} and verified it."
        ),
        rows=result.summary.total_rows,
        tables=len(result.summary.tables),
        path=result.path,
    )
    if result.deleted:
        _say(
            QT_TRANSLATE_NOOP("Cli", "Deleted {count} older backup(s), keeping the {keep} newest."),
            count=len(result.deleted),
            keep=keep,
        )
    for name, reason in result.not_deleted:
        _say(
            QT_TRANSLATE_NOOP(
                "Cli", "cqms: warning: could not delete the old backup {name}: {reason}"
            ),
            sys.stderr,
            name=name,
            reason=reason,
        )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup into an empty or freshly initialised database."""
    from ..services import backup

    path = Path(args.file)
    # A damaged file is refused before the target is touched (or a new file created).
    backup.verify_file(path, progress=_progress(QT_TRANSLATE_NOOP("Cli", "Checking the backup")))
    key = None
    if args.key_file:
        try:
            key = Path(args.key_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise CqmsError(
                QT_TRANSLATE_NOOP("Errors", "Cannot read the key file {path}: {reason}"),
                path=args.key_file,
                reason=getattr(exc, "strerror", None) or str(exc),
            ) from exc
    info = _open(args.db, create=True)
    summary = backup.restore(
        path,
        progress=_progress(QT_TRANSLATE_NOOP("Cli", "Restoring")),
        verified=True,
        key=key,
        without_key=args.without_key,
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


def cmd_backup_key(args: argparse.Namespace) -> int:
    """Print the key that signs this database's backups (needed to restore into a new one)."""
    from ..services import backup

    _open(args.db)
    _require_schema()
    print(backup.backup_key())
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Check integrity, schema version and counts."""
    from ..services.maintenance import check_database

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
