"""Where things live: the user's data folder, the default database, the shipped resources."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from . import APP_NAME, ORG_NAME


def data_dir() -> Path:
    """The per-user data folder (``QStandardPaths.AppDataLocation``), created if needed.

    ``CQMS_DATA_DIR`` overrides it (tests, portable installs).
    """
    override = os.environ.get("CQMS_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from PySide6.QtCore import QCoreApplication, QStandardPaths

        # AppDataLocation is built from these names; set them even without a QApplication.
        if not QCoreApplication.organizationName():
            QCoreApplication.setOrganizationName(ORG_NAME)
        if not QCoreApplication.applicationName():
            QCoreApplication.setApplicationName(APP_NAME)
        path = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        )
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    """The embedded default database: ``cqms.sqlite3`` in the user's data folder."""
    return data_dir() / "cqms.sqlite3"


def default_database_url() -> str:
    """``CQMS_DB`` if set, else the embedded default SQLite file's URL."""
    env = os.environ.get("CQMS_DB", "").strip()
    if env:
        return env
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
