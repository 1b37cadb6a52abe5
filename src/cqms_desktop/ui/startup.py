"""Start-up: which database to open, opening and upgrading it, and what to do when that fails.

The database URL comes from, in this order: ``--db URL``, the ``CQMS_DB`` environment
variable, the database IT preset for every user of this PC (``[database] url=`` in the
machine-wide ``cqms.ini``, see :func:`paths.machine_settings_path`), the last URL opened
successfully on this PC (``QSettings``), the embedded default SQLite file in the user's data
folder.

Opening runs the schema migrations. When it fails, :class:`DatabaseErrorDialog` says what is
wrong (the :class:`DatabaseError`'s message names the cause and the remedy) and offers to
choose another database, retry, or quit. Nothing is written to a database that was refused:
the store checks files before opening them and never touches a newer schema.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import peewee
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from .. import paths
from ..domain.errors import CqmsError, DatabaseError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import database as dbmod
from .saved_database import remember_database_url
from .saved_database import saved_database_url as saved_database_url  # re-exported
from .window_fit import fit_window

log = logging.getLogger(__name__)

#: QSettings key: SQLite files on a network share the user was already warned about.
WARNED_SHARES_KEY = "database/warned_network_files"


class UrlSource(enum.Enum):
    """Where the database URL came from (shown in messages, decides what "remember" means)."""

    COMMAND_LINE = QT_TRANSLATE_NOOP("Startup", "the --db option")
    ENVIRONMENT = QT_TRANSLATE_NOOP("Startup", "the CQMS_DB environment variable")
    MACHINE = QT_TRANSLATE_NOOP("Startup", "the database preset for this PC")
    SETTINGS = QT_TRANSLATE_NOOP("Startup", "the settings of this PC")
    DEFAULT = QT_TRANSLATE_NOOP("Startup", "the default database")
    CHOSEN = QT_TRANSLATE_NOOP("Startup", "your choice in the database dialog")

    def translated(self) -> str:
        """The source's description in the user's language."""
        return QCoreApplication.translate("Startup", self.value)


@dataclass(frozen=True)
class ResolvedUrl:
    """A database URL and where it came from."""

    url: str
    source: UrlSource


def resolve_database_url(
    cli_url: str | None = None, environ: os._Environ[str] | dict[str, str] | None = None
) -> ResolvedUrl:
    """The URL to open: ``--db`` > ``CQMS_DB`` > the preset for this PC > the last URL of
    this PC > the default file."""
    environ = os.environ if environ is None else environ
    if cli_url and cli_url.strip():
        return ResolvedUrl(cli_url.strip(), UrlSource.COMMAND_LINE)
    env = environ.get("CQMS_DB", "").strip()
    if env:
        return ResolvedUrl(env, UrlSource.ENVIRONMENT)
    try:
        # Unchecked: a malformed preset then fails to open, and the failure dialog names it
        # and its source instead of another database being opened silently.
        preset = paths.machine_database_url()
    except CqmsError as exc:  # the file itself is unreadable; Settings → Database shows it
        log.warning("%s", exc.translated())
        preset = ""
    if preset:
        return ResolvedUrl(preset, UrlSource.MACHINE)
    saved = saved_database_url().strip()
    if saved:
        return ResolvedUrl(saved, UrlSource.SETTINGS)
    return ResolvedUrl(dbmod.sqlite_url(paths.default_database_path()), UrlSource.DEFAULT)


def open_and_migrate(url: str) -> tuple[dbmod.DatabaseInfo, dbmod.MigrationResult]:
    """Open *url* and bring its schema up to date; on any failure the database is closed and a
    :class:`DatabaseError` raised."""
    try:
        info = dbmod.open_database(url)
        result = dbmod.migrate()
    except DatabaseError:
        dbmod.close_database()
        raise
    except (peewee.DatabaseError, sqlite3.Error, OSError) as exc:
        # E.g. "database is locked" by another program, a disk that became full.
        dbmod.close_database()
        raise DatabaseError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The database {database} could not be prepared for use: {reason}. If another "
                "program has it open, close that program and try again.",
            ),
            database=dbmod.describe_url(url),
            reason=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
        ) from exc
    if result.created:
        log.info("created a new database at %s", info.display)
    elif result.from_version != result.to_version:
        log.info(
            "upgraded %s from schema %s to %s (backup: %s)",
            info.display,
            result.from_version,
            result.to_version,
            result.backup,
        )
    return info, result


class Choice(enum.Enum):
    """What the user wants after a database could not be opened."""

    CHOOSE = "choose"
    RETRY = "retry"
    QUIT = "quit"


class DatabaseErrorDialog(QDialog):
    """Says why the database could not be opened; buttons: choose another / retry / quit.

    After the dialog closes, :attr:`choice` holds the answer (``QUIT`` if closed otherwise).
    """

    def __init__(
        self, url: str, error: DatabaseError, source: UrlSource | None = None, parent=None
    ) -> None:
        super().__init__(parent)
        self.choice = Choice.QUIT
        self.setWindowTitle(self.tr("Cannot open the database"))
        self.setMinimumWidth(520)

        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48)
        )
        self.message = QLabel(error.translated(QCoreApplication.translate))
        self.message.setWordWrap(True)
        self.message.setObjectName("errorMessage")
        where = self.tr("Database: {url}").format(url=dbmod.describe_url(url))
        if source is not None:
            where += "\n" + self.tr("Chosen by {source}.").format(source=source.translated())
        self.details = QLabel(where)
        self.details.setWordWrap(True)
        self.nothing_changed = QLabel(self.tr("Nothing was changed in the database."))

        buttons = QDialogButtonBox()
        self.choose_button = QPushButton(self.tr("Choose another database…"))
        self.retry_button = QPushButton(self.tr("Retry"))
        self.quit_button = QPushButton(self.tr("Quit"))
        buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.choose_button.setDefault(True)
        self.choose_button.clicked.connect(lambda: self._finish(Choice.CHOOSE))
        self.retry_button.clicked.connect(lambda: self._finish(Choice.RETRY))
        self.quit_button.clicked.connect(lambda: self._finish(Choice.QUIT))

        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.details)
        text.addWidget(self.nothing_changed)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        fit_window(self, "database_error")

    def _finish(self, choice: Choice) -> None:
        self.choice = choice
        if choice is Choice.QUIT:
            self.reject()
        else:
            self.accept()


def ask_after_failure(
    parent: QWidget | None, url: str, error: DatabaseError, source: UrlSource | None
) -> Choice:
    """Show :class:`DatabaseErrorDialog` modally and return the user's choice."""
    dialog = DatabaseErrorDialog(url, error, source, parent)
    dialog.exec()
    return dialog.choice


def choose_database(parent: QWidget | None, url: str) -> str | None:
    """Let the user pick another database URL (the settings dialog's database part)."""
    from .settings_dialog import SettingsDialog

    dialog = SettingsDialog(parent, current_url=url, database_only=True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.database_url()


@dataclass
class OpenedDatabase:
    """The database start-up opened."""

    info: dbmod.DatabaseInfo
    migration: dbmod.MigrationResult
    url: str
    source: UrlSource | None


def open_database_interactively(
    parent: QWidget | None,
    resolved: ResolvedUrl,
    *,
    ask: Callable[
        [QWidget | None, str, DatabaseError, UrlSource | None], Choice
    ] = ask_after_failure,
    choose: Callable[[QWidget | None, str], str | None] = choose_database,
) -> OpenedDatabase | None:
    """Open and migrate the database, asking the user what to do on each failure.

    Returns ``None`` when the user quits. A URL the user chose in a dialog is remembered for
    the next start once it opened; so is the default or saved one. A ``--db``/``CQMS_DB`` URL
    is not stored (it is given again each time).
    """
    url: str = resolved.url
    source: UrlSource | None = resolved.source
    while True:
        try:
            info, result = open_and_migrate(url)
        except DatabaseError as exc:
            log.warning("cannot open database %s: %s", dbmod.describe_url(url), exc)
            choice = ask(parent, url, exc, source)
            if choice is Choice.QUIT:
                return None
            if choice is Choice.CHOOSE:
                chosen = choose(parent, url)
                if chosen:
                    url, source = chosen, UrlSource.CHOSEN
            continue
        if source in (None, UrlSource.DEFAULT, UrlSource.SETTINGS, UrlSource.CHOSEN):
            remember_database_url(url)
        return OpenedDatabase(info, result, url, source)


def _warned_files() -> list[str]:
    value = QSettings().value(WARNED_SHARES_KEY, [])
    if isinstance(value, str):
        return [value]
    return list(value or [])


def network_share_box(parent: QWidget | None, info: dbmod.DatabaseInfo) -> QMessageBox:
    """The warning for a SQLite file on a network share (not yet shown)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(QCoreApplication.translate("Startup", "Database on a network share"))
    text = "\n\n".join(QCoreApplication.translate("Errors", w) for w in info.warnings)
    box.setText(
        text or QCoreApplication.translate("Startup", "The database file is on a network share.")
    )
    box.setInformativeText(
        QCoreApplication.translate("Startup", "File: {path}").format(path=info.display)
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def warn_network_share_once(
    parent: QWidget | None,
    info: dbmod.DatabaseInfo,
    show: Callable[[QMessageBox], object] = QMessageBox.exec,
) -> bool:
    """Show the network-share warning the first time this PC opens that file; True if shown."""
    if not (info.is_sqlite and info.network_share and info.path is not None):
        return False
    key = os.path.normcase(str(info.path))
    warned = _warned_files()
    if key in warned:
        return False
    show(network_share_box(parent, info))
    QSettings().setValue(WARNED_SHARES_KEY, [*warned, key])
    return True


def close_quietly() -> None:
    """Close the database at exit, ignoring errors (the process ends anyway)."""
    with contextlib.suppress(Exception):
        dbmod.close_database()
