"""The SMTP password: kept in the operating system's credential store, never in the database,
QSettings or a log.

The ``keyring`` package reaches Windows Credential Manager, macOS Keychain or the Secret
Service (GNOME Keyring, KWallet) on a Linux desktop. A headless Linux server usually has none
of them; there the password comes from the ``CQMS_SMTP_PASSWORD`` environment variable (of
the program and of the scheduled ``cqms remind`` task), and storing is refused with a message
that says so. The variable, when set, wins over the store: it is the way to run with another
password without changing what the office keeps.
"""

from __future__ import annotations

import contextlib
import os

import keyring
import keyring.errors
from keyring.backends import fail

from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP

#: The credential store's "service" under which the password is kept.
SERVICE = "CQMS Desktop SMTP"
#: The environment variable read where no credential store exists (and before the store).
ENVIRONMENT = "CQMS_SMTP_PASSWORD"


class NoCredentialStore(CqmsError):
    """This computer has no credential store the program can use."""


def _account(host: str, user: str) -> str:
    # One password per server and user name: changing either asks for the password again.
    return f"{user}@{host}"


def store_unavailable_reason() -> str | None:
    """Why the credential store cannot be used here (``None`` when it can)."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration file, a backend that raised
        return f"{type(exc).__name__}: {exc}"
    if isinstance(backend, fail.Keyring):
        return "no credential store (Windows Credential Manager, Secret Service, Keychain)"
    return None


def _no_store(reason: str) -> NoCredentialStore:
    return NoCredentialStore(
        QT_TRANSLATE_NOOP(
            "Errors",
            "This computer has no credential store for the SMTP password ({reason}). Set the "
            "environment variable CQMS_SMTP_PASSWORD for the program and for the scheduled "
            "reminder task instead; the password is never stored in the database.",
        ),
        field="password",
        reason=reason,
    )


def store_password(host: str, user: str, password: str) -> None:
    """Keep *password* for *user* on *host* in the credential store (an empty one removes
    it); :class:`NoCredentialStore` where there is none."""
    reason = store_unavailable_reason()
    if reason is not None:
        raise _no_store(reason)
    try:
        if password:
            keyring.set_password(SERVICE, _account(host, user), password)
        else:
            # Nothing stored: nothing to remove.
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(SERVICE, _account(host, user))
    except keyring.errors.KeyringError as exc:  # a locked or unreachable store
        raise _no_store(f"{type(exc).__name__}: {exc}") from None


def password_for(host: str, user: str) -> str | None:
    """The SMTP password: ``CQMS_SMTP_PASSWORD`` if set, else the stored one, else ``None``."""
    from_environment = os.environ.get(ENVIRONMENT)
    if from_environment:
        return from_environment
    if not user or store_unavailable_reason() is not None:
        return None
    try:
        return keyring.get_password(SERVICE, _account(host, user))
    except keyring.errors.KeyringError:
        return None


def password_source(host: str, user: str) -> str:
    """Where :func:`password_for` finds the password: ``environment``, ``store`` or ``none``
    (for the settings page and ``cqms mail show``; never the password itself)."""
    if os.environ.get(ENVIRONMENT):
        return "environment"
    return "store" if password_for(host, user) else "none"
