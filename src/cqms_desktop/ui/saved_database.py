"""The database URL this PC opened last (``QSettings``), remembered for the next start.

Start-up (:mod:`.startup`) reads and writes it; the settings dialog (:mod:`.settings_dialog`)
shows and changes it. It sits below both so that neither imports the other for it (start-up
opens the settings dialog to let the user choose another database).

A server URL is stored WITHOUT its password: the password goes to the operating system's
credential store through ``keyring`` (Windows Credential Manager, macOS Keychain, the Secret
Service on a Linux desktop), under the URL without the password. Where no credential store
exists (a headless Linux PC) the password is not stored at all: it is taken from the
``CQMS_DB_PASSWORD`` environment variable if set; otherwise the server refuses the log-in and
the start-up dialog asks for the database (with its password) again — each time.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import keyring
from keyring.errors import KeyringError
from PySide6.QtCore import QSettings

log = logging.getLogger(__name__)

#: QSettings key: the last database URL opened successfully on this PC (never a password).
LAST_URL_KEY = "database/url"
#: The credential store's service name for database passwords.
KEYRING_SERVICE = "CQMS Desktop database"
#: Where the password comes from on a PC without a credential store.
PASSWORD_VARIABLE = "CQMS_DB_PASSWORD"


def split_password(url: str) -> tuple[str, str | None]:
    """``(url without its password, the password or None)``; SQLite URLs are returned as they
    are."""
    if "://" not in url or url.startswith("sqlite"):
        return url, None
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{user}@{host}" if user else host
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.password)


def with_password(url: str, password: str) -> str:
    """*url* (without a password) with *password* put back in."""
    parts = urlsplit(url)
    user, _, host = parts.netloc.rpartition("@")
    netloc = f"{user}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def needs_password(url: str) -> bool:
    """True for a server URL that names a user but carries no password."""
    if "://" not in url or url.startswith("sqlite"):
        return False
    parts = urlsplit(url)
    return bool(parts.username) and parts.password is None


def remember_database_url(url: str) -> None:
    """Store *url* as this PC's database for the next start (when no --db/CQMS_DB is given):
    the URL in QSettings without its password, the password in the credential store."""
    bare, password = split_password(url)
    if password is not None:
        try:
            keyring.set_password(KEYRING_SERVICE, bare, password)
        except KeyringError as exc:
            log.warning(
                "no credential store on this PC (%s): the database password is not saved; "
                "set %s or enter it again at the next start",
                exc,
                PASSWORD_VARIABLE,
            )
    QSettings().setValue(LAST_URL_KEY, bare)


def saved_database_url() -> str:
    """The URL stored by :func:`remember_database_url` with its password from the credential
    store (or ``CQMS_DB_PASSWORD``), or an empty string. A URL saved with its password by an
    older version is moved into the credential store on the way."""
    stored = QSettings().value(LAST_URL_KEY, "", type=str).strip()
    if not stored:
        return ""
    bare, password = split_password(stored)
    if password is not None:  # saved by an older version: take the password out of QSettings
        remember_database_url(stored)
        return stored
    if not needs_password(bare):
        return bare
    try:
        password = keyring.get_password(KEYRING_SERVICE, bare)
    except KeyringError as exc:
        log.info("no credential store on this PC (%s)", exc)
        password = None
    if password is None:
        password = os.environ.get(PASSWORD_VARIABLE) or None
    return with_password(bare, password) if password is not None else bare
