"""Where things live: the user's data folder, the default database, the shipped resources."""

from __future__ import annotations

import os
import sys
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
    """The shipped ``resources/`` folder: in a source checkout, beside ``src/``; in a frozen
    build (PyInstaller), inside the bundle; ``CQMS_RESOURCES`` overrides both."""
    override = os.environ.get("CQMS_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(relative: str) -> Path:
    """A file under ``resources/``, e.g. ``resource_path("fonts/wqy-microhei.ttc")``."""
    return resources_dir() / relative
