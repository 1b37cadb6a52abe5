"""What every ``cqms`` command shares: exit statuses, printing a message, opening the database,
refusing a database without the current schema, and the progress line on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from .. import paths
from ..domain.errors import DatabaseError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import db as dbmod
from ..store import migrations
from ..store import settings as store_settings

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "_open",
    "_progress",
    "_require_schema",
    "_say",
]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2


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
    # Dates and times the command reads or prints are the company's (its time zone setting).
    store_settings.follow_company_zone()
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
