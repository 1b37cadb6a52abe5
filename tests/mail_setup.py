"""Helpers of the e-mail tests: an in-memory credential store and the office's mail settings
pointed at a test SMTP server."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.errors

from cqms_desktop.services import mail_admin
from cqms_desktop.services.base import Actor
from tests.smtp_server import PASSWORD, USER

SENDER = "qa-office@factory.example"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store in memory (the real ones need a desktop session)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[service, username] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@contextlib.contextmanager
def credential_store(backend: keyring.backend.KeyringBackend) -> Iterator[None]:
    """Use *backend* as the credential store for the block."""
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(before)


def configure(
    port: int,
    *,
    security: str = "starttls",
    user: str = USER,
    password: str | None = PASSWORD,
    timeout: int = 10,
) -> mail_admin.SaveResult:
    """Point the office's mail settings at 127.0.0.1:*port*."""
    return mail_admin.save_settings(
        Actor.system(),
        values={
            "mail_host": "127.0.0.1",
            "mail_port": port,
            "mail_security": security,
            "mail_user": user,
            "mail_sender": SENDER,
            "mail_sender_name": "Qualitätssicherung 质保部",
            "mail_timeout_seconds": timeout,
        },
        password=password,
    )
