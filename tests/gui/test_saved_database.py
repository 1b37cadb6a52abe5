"""Secrets: a server URL is remembered in QSettings without its password, which goes to the
OS credential store (here an in-memory one); without a store, CQMS_DB_PASSWORD or ask again."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings

from cqms_desktop.store import db as dbmod
from cqms_desktop.ui import saved_database as saved
from cqms_desktop.ui import startup

URL = "postgresql://cqms:S3cr3t%40pass@db.factory.local:5432/cqms"
BARE = "postgresql://cqms@db.factory.local:5432/cqms"


def _settings_text() -> str:
    QSettings().sync()
    return "\n".join(str(QSettings().value(k)) for k in QSettings().allKeys())


def test_the_password_goes_to_the_credential_store_not_to_qsettings():
    saved.remember_database_url(URL)
    assert QSettings().value(saved.LAST_URL_KEY) == BARE
    assert "S3cr3t" not in _settings_text()
    assert keyring.get_password(saved.KEYRING_SERVICE, BARE) == "S3cr3t@pass"
    assert saved.saved_database_url() == URL
    assert startup.resolve_database_url(None, {}).url == URL


def test_a_url_saved_with_its_password_by_an_older_version_is_moved_out_of_qsettings():
    QSettings().setValue(saved.LAST_URL_KEY, URL)
    assert saved.saved_database_url() == URL
    assert QSettings().value(saved.LAST_URL_KEY) == BARE
    assert keyring.get_password(saved.KEYRING_SERVICE, BARE) == "S3cr3t@pass"


def test_without_a_credential_store_the_password_is_not_saved_anywhere(monkeypatch, caplog):
    keyring.set_keyring(fail.Keyring())
    with caplog.at_level(logging.WARNING):
        saved.remember_database_url(URL)
    assert "S3cr3t" not in _settings_text()
    assert "CQMS_DB_PASSWORD" in caplog.text and "S3cr3t" not in caplog.text
    # Nothing to fill in: the URL without password (the server refuses, the dialog asks).
    assert saved.saved_database_url() == BARE
    monkeypatch.setenv(saved.PASSWORD_VARIABLE, "from-env")
    assert saved.saved_database_url() == "postgresql://cqms:from-env@db.factory.local:5432/cqms"


@pytest.mark.parametrize(
    "url",
    ["sqlite:////data/cqms.sqlite3", "mysql://root@127.0.0.1:3306/cqms", "postgresql://h/db"],
)
def test_urls_without_a_password_are_kept_as_they_are(url):
    saved.remember_database_url(url)
    assert saved.saved_database_url() == url


def test_a_chosen_server_url_is_remembered_without_its_password(monkeypatch):
    monkeypatch.setattr(startup, "open_and_migrate", lambda url: (object(), object()))
    resolved = startup.ResolvedUrl(URL, startup.UrlSource.CHOSEN)
    startup.open_database_interactively(None, resolved)
    assert "S3cr3t" not in _settings_text()
    assert saved.saved_database_url() == URL
    assert "S3cr3t" not in dbmod.describe_url(URL)


def test_the_database_dialog_shows_the_password_masked_in_its_own_field(qtbot):
    from PySide6.QtWidgets import QLineEdit

    from cqms_desktop.ui.settings_dialog import SettingsDialog

    saved.remember_database_url(URL)
    dialog = SettingsDialog(database_only=True)
    qtbot.addWidget(dialog)
    assert dialog.url_edit.text() == BARE
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.password_edit.text() == "S3cr3t@pass"
    assert dialog.database_url() == URL
    dialog.password_edit.setText("n3w:p@ss")
    assert dialog.database_url() == "postgresql://cqms:n3w%3Ap%40ss@db.factory.local:5432/cqms"
    dialog.url_edit.setText("sqlite:////data/cqms.sqlite3")  # no server: no password added
    assert dialog.database_url() == "sqlite:////data/cqms.sqlite3"
