"""Where things live: the user's data folder, the default database, the shipped resources."""

from __future__ import annotations

import atexit
import configparser
import os
import shutil
import sys
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from . import APP_NAME, ORG_NAME
from .domain.errors import CqmsError
from .domain.i18n import QT_TRANSLATE_NOOP

#: The machine-wide settings file IT writes (``setup.exe /DB=…``): INI, UTF-8 (a byte-order
#: mark, as Notepad writes it, is accepted), section ``[database]``, key ``url``.
MACHINE_SETTINGS_NAME = "cqms.ini"


def data_dir() -> Path:
    """The per-user data folder (database, log, locks), created if needed.

    Windows: ``%LOCALAPPDATA%\\CQMS\\CQMS Desktop`` — Local, not Roaming: a roaming profile
    copies Roaming to the server at every log-off and back at log-on, which would copy a
    whole SQLite database (and could restore a stale one over newer data) and the log with
    it. Found without Qt, so ``cqms`` runs where QtCore cannot load (Wine: no ICU).
    Elsewhere: Qt's ``AppDataLocation`` (``~/.local/share/CQMS/CQMS Desktop`` on Linux).
    ``CQMS_DATA_DIR`` overrides it (tests, portable installs).
    """
    override = os.environ.get("CQMS_DATA_DIR")
    local_appdata = os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None
    if override:
        path = Path(override)
    elif local_appdata:
        path = Path(local_appdata) / ORG_NAME / APP_NAME
    else:
        path = _qt_app_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _qt_app_data_dir() -> Path:
    """Qt's ``AppDataLocation`` for this program (Roaming on Windows)."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    # AppDataLocation is built from these names; set them even without a QApplication.
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORG_NAME)
    if not QCoreApplication.applicationName():
        QCoreApplication.setApplicationName(APP_NAME)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def _roaming_database_path() -> Path | None:
    """Where versions before 0.2 kept the database on Windows (``%APPDATA%``, Roaming)."""
    appdata = os.environ.get("APPDATA") if sys.platform == "win32" else None
    return Path(appdata) / ORG_NAME / APP_NAME / "cqms.sqlite3" if appdata else None


def default_database_path() -> Path:
    """The embedded default database: ``cqms.sqlite3`` in the user's data folder.

    On Windows a database an older version left in Roaming AppData is used where it is
    (never copied or moved behind the user's back) until the Local one exists: starting
    a new empty database instead would split the user's data in two.
    """
    local = data_dir() / "cqms.sqlite3"
    if os.environ.get("CQMS_DATA_DIR") or local.exists():
        return local
    roaming = _roaming_database_path()
    return roaming if roaming is not None and roaming.exists() else local


def machine_settings_path() -> Path:
    """The machine-wide settings file, for every user of the PC.

    ``%ProgramData%\\CQMS\\cqms.ini`` on Windows, ``/etc/xdg/CQMS/cqms.ini`` elsewhere;
    ``CQMS_MACHINE_SETTINGS`` overrides it (tests).
    """
    override = os.environ.get("CQMS_MACHINE_SETTINGS")
    if override:
        return Path(override)
    if sys.platform == "win32":
        program_data = os.environ.get("PROGRAMDATA") or os.environ.get("ALLUSERSPROFILE")
        return Path(program_data or r"C:\ProgramData") / ORG_NAME / MACHINE_SETTINGS_NAME
    return Path("/etc/xdg") / ORG_NAME / MACHINE_SETTINGS_NAME


def machine_database_url() -> str:
    """The database URL preset for every user of this PC (``[database] url=`` in the
    machine-wide settings file), or ``""`` when there is none.

    Read with :mod:`configparser` (no Qt: it must work where QtCore cannot load) as
    ``utf-8-sig`` (Notepad adds a byte-order mark) and without interpolation (a password in
    a URL is percent-encoded: ``%40`` must stay as it is). The URL is not checked here:
    :func:`preset_database_url` does. A file that cannot be read or parsed raises
    :class:`~cqms_desktop.domain.errors.CqmsError` naming it; nothing is ever written.
    """
    path = machine_settings_path()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8-sig") as f:
            parser.read_file(f)
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise CqmsError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The settings file for this PC “{path}” cannot be read ({error}). Ask your IT "
                "to correct it, or choose the database with --db.",
            ),
            path=str(path),
            error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        ) from exc
    return parser.get("database", "url", fallback="").strip()


def preset_database_url() -> str:
    """:func:`machine_database_url`, checked: a URL this program cannot open (unknown type,
    malformed SQLite URL) raises :class:`~cqms_desktop.domain.errors.CqmsError` naming the
    file, instead of silently falling back to another database."""
    url = machine_database_url()
    if not url:
        return ""
    from .store import db as dbmod

    try:
        if dbmod.backend_of(url) == "sqlite":
            dbmod.sqlite_path_from_url(url)
    except CqmsError as exc:
        raise CqmsError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The database preset for this PC in “{path}” is not usable: {error} Ask your "
                "IT to correct it, or choose the database with --db.",
            ),
            path=str(machine_settings_path()),
            error=exc.translated(),
        ) from exc
    return url


def default_database_url() -> str:
    """``CQMS_DB`` if set, else the database preset for this PC, else the embedded default
    SQLite file's URL."""
    env = os.environ.get("CQMS_DB", "").strip()
    if env:
        return env
    preset = preset_database_url()
    if preset:
        return preset
    from .store.db import sqlite_url

    return sqlite_url(default_database_path())


def log_path() -> Path:
    """The log file for unexpected errors."""
    return data_dir() / "cqms.log"


def resources_dir() -> Path:
    """The shipped ``resources/`` folder inside the ``cqms_desktop`` package, as a real folder.

    Found through :mod:`importlib.resources`, so a source checkout, a wheel installed anywhere
    and a frozen build (PyInstaller puts the package data beside the bundled package) all work
    the same. ``CQMS_RESOURCES`` overrides it (a translator trying new catalogues).
    """
    override = os.environ.get("CQMS_RESOURCES")
    if override:
        return Path(override)
    root = files(__package__ or "cqms_desktop") / "resources"
    if isinstance(root, Path):
        return root
    # A zipped install (zipimport) has no real folder: the font and the catalogues must be
    # files on disk for ReportLab and QTranslator, so extract once for this process.
    return _extracted(root)


def _extracted(root: Traversable) -> Path:
    """Copy a non-filesystem resource tree (a zipped install) to a temporary folder removed
    when the process ends. (``importlib.resources.as_file`` takes folders only from 3.12.)"""
    global _EXTRACTED
    if _EXTRACTED is None:
        target = Path(tempfile.mkdtemp(prefix="cqms-resources-"))
        atexit.register(shutil.rmtree, target, ignore_errors=True)
        _copy_tree(root, target)
        _EXTRACTED = target
    return _EXTRACTED


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


_EXTRACTED: Path | None = None


def resource_path(relative: str) -> Path:
    """A file under ``resources/``, e.g. ``resource_path("fonts/wqy-microhei.ttc")``."""
    return resources_dir() / relative
