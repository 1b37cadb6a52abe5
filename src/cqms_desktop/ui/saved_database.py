"""The database URL this PC opened last (``QSettings``), remembered for the next start.

Start-up (:mod:`.startup`) reads and writes it; the settings dialog (:mod:`.settings_dialog`)
shows and changes it. It sits below both so that neither imports the other for it (start-up
opens the settings dialog to let the user choose another database).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

#: QSettings key: the last database URL opened successfully on this PC.
LAST_URL_KEY = "database/url"


def remember_database_url(url: str) -> None:
    """Store *url* as this PC's database for the next start (when no --db/CQMS_DB is given)."""
    QSettings().setValue(LAST_URL_KEY, url)


def saved_database_url() -> str:
    """The URL stored by :func:`remember_database_url`, or an empty string."""
    return QSettings().value(LAST_URL_KEY, "", type=str)
