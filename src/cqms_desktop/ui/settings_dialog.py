"""Settings of this PC: the database to open and the language of the program.

Both take effect at the next start (the open database and the installed translators are not
swapped under a running window). The database URL can be tried with "Test connection"; a
SQLite file can be picked with a file chooser (an existing file or a new name).

Shared business settings (company name, deadlines…) are not here: they live in the database
and are edited in the administration area.
"""

from __future__ import annotations

import os
from pathlib import Path

import peewee
from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import paths
from ..domain.errors import CqmsError
from ..services import database as dbmod
from . import i18n
from .error_handling import ERROR_STYLE, error_text
from .jobs import run_job
from .saved_database import (
    needs_password,
    remember_database_url,
    saved_database_url,
    split_password,
    with_password,
)
from .window_fit import fit_window, scrolling

OK_STYLE = "color: #1b5e20;"


def check_url(url: str) -> tuple[str, bool]:
    """Try *url* without opening it for the program: ``(what was found, usable)``, or a
    :class:`CqmsError` when it cannot be reached or opened. A SQLite file that does not exist
    yet is not created: only its folder is checked (it is created at the next start)."""
    url = url.strip()
    _database, info = dbmod.make_database(url)  # checks the URL, the file and its folder
    if info.is_sqlite and info.path is not None and not info.path.exists():
        return QCoreApplication.translate(
            "SettingsDialog",
            "The folder can be written to. The file does not exist yet: a new, empty "
            "database will be created there at the next start.",
        ), True
    database, info = dbmod.make_database(url)
    dbmod.connect_checked(database, info)
    try:
        contents, usable = describe_contents(database)
    finally:
        database.close()
    ok = QCoreApplication.translate("SettingsDialog", "Connection OK: {database}").format(
        database=info.display
    )
    return f"{ok}\n{contents}", usable


def describe_contents(database: peewee.Database) -> tuple[str, bool]:
    """What the connected *database* holds, read with plain SQL (the models stay bound to the
    database the program has open): CQMS data and its schema version, nothing, or foreign
    tables."""
    found = dbmod.schema_found(database)
    tables = found.tables
    if found.version is not None:
        version = found.version
        if version > dbmod.LATEST:
            return QCoreApplication.translate(
                "SettingsDialog",
                "It holds CQMS data of a newer program version (schema {found}; this program "
                "knows up to {latest}): install the newer version first.",
            ).format(found=version, latest=dbmod.LATEST), False
        if version < dbmod.LATEST:
            return QCoreApplication.translate(
                "SettingsDialog",
                "It holds CQMS data of an older version (schema {found}); it will be upgraded "
                "to schema {latest} at the next start.",
            ).format(found=version, latest=dbmod.LATEST), True
        return QCoreApplication.translate(
            "SettingsDialog", "It holds CQMS data (schema version {found})."
        ).format(found=version), True
    if tables:
        return QCoreApplication.translate(
            "SettingsDialog",
            "It is not a CQMS database (it has other tables, such as “{table}”). Use an "
            "empty database.",
        ).format(table=tables[0]), False
    return QCoreApplication.translate(
        "SettingsDialog", "It is empty: CQMS will create its tables at the next start."
    ), True


def _open_url() -> str:
    """The URL of the database the program has open, or an empty string."""
    try:
        return dbmod.current().url
    except CqmsError:
        return ""


class SettingsDialog(QDialog):
    """The PC settings. With *database_only* (start-up after a failure) only the database part
    is shown, and accepting does not store anything: the caller tries the URL first."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        current_url: str | None = None,
        database_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.database_only = database_only
        self.setWindowTitle(
            self.tr("Choose the database") if database_only else self.tr("Settings of this PC")
        )
        self.setMinimumWidth(620)
        if current_url is None:
            current_url = saved_database_url() or _open_url()
        self._initial_url = current_url

        # ---- database
        # The password has its own masked field: it is not shown in the URL, and it is kept in
        # the system's credential store, not with the URL (see saved_database).
        bare_url, password = split_password(current_url)
        self.url_edit = QLineEdit(bare_url)
        self.url_edit.setObjectName("url")
        self.url_edit.setPlaceholderText("sqlite:////path/cqms.sqlite3")
        self.url_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton(self.tr("SQLite &file…"))
        self.browse_button.clicked.connect(self.browse)
        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.url_edit.textChanged.connect(self._clear_result)
        row = QHBoxLayout()
        row.addWidget(self.url_edit, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.test_button)
        self.password_edit = QLineEdit(password or "")
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(
            self.tr("for a server; kept in this PC's credential store")
        )
        self.password_edit.textChanged.connect(self._clear_result)
        password_row = QFormLayout()
        password_row.addRow(self.tr("Server &password:"), self.password_edit)

        help_text = QLabel(
            self.tr(
                "One URL names the database:\n"
                "• sqlite:////folder/cqms.sqlite3 — a file on this PC or a network share "
                "(one PC writing at a time);\n"
                "• postgresql://user:password@server:5432/cqms — a PostgreSQL server;\n"
                "• mysql://user:password@server:3306/cqms — a MariaDB or MySQL server."
            )
        )
        help_text.setWordWrap(True)
        self.result_label = QLabel()
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        self.result_label.hide()

        # A URL in CQMS_DB wins over this setting at every start; say so instead of
        # letting the user wonder why the change does nothing.
        self.environment_note = QLabel(
            self.tr(
                "Note: the CQMS_DB environment variable is set on this PC ({url}); it is "
                "used instead of this setting."
            ).format(url=dbmod.describe_url(os.environ.get("CQMS_DB", "").strip()))
        )
        self.environment_note.setObjectName("environment_note")
        self.environment_note.setWordWrap(True)
        self.environment_note.setVisible(
            bool(os.environ.get("CQMS_DB", "").strip()) and not database_only
        )

        # IT's preset for every user of this PC (machine-wide cqms.ini) also wins over this
        # setting; show it, or why it cannot be used, so nobody edits in vain.
        self.preset_note = QLabel(self._preset_text())
        self.preset_note.setObjectName("preset_note")
        self.preset_note.setWordWrap(True)
        self.preset_note.setVisible(bool(self.preset_note.text()) and not database_only)

        database_box = QGroupBox(self.tr("Database"))
        database_layout = QVBoxLayout(database_box)
        database_layout.addLayout(row)
        database_layout.addLayout(password_row)
        database_layout.addWidget(help_text)
        database_layout.addWidget(self.result_label)
        database_layout.addWidget(self.environment_note)
        database_layout.addWidget(self.preset_note)

        # ---- language
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        self.language_combo.addItem(
            self.tr("As the system (%1)").replace("%1", i18n.LANGUAGES[i18n.system_language()]), ""
        )
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        index = self.language_combo.findData(i18n.saved_language() or "")
        self.language_combo.setCurrentIndex(max(index, 0))
        language_box = QGroupBox(self.tr("Language"))
        language_layout = QFormLayout(language_box)
        language_layout.addRow(self.tr("Language of the program:"), self.language_combo)

        # Where the log is, for a user asked by IT to send it after an unexpected error.
        self.log_label = QLabel(self.tr("Log file: {path}").format(path=str(paths.log_path())))
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_button = QPushButton(self.tr("Open the &folder"))
        self.log_button.clicked.connect(self.open_log_folder)
        log_box = QGroupBox(self.tr("Problems"))
        log_layout = QHBoxLayout(log_box)
        log_layout.addWidget(self.log_label, 1)
        log_layout.addWidget(self.log_button)

        self.restart_note = QLabel(
            self.tr("Changes take effect when CQMS Desktop is started again.")
        )
        self.restart_note.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        # The boxes scroll on a small screen; the buttons below them stay visible.
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(database_box)
        body_layout.addWidget(language_box)
        body_layout.addWidget(log_box)
        body_layout.addWidget(self.restart_note)
        body_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(body, self), 1)
        if database_only:
            language_box.hide()
            log_box.hide()
            self.restart_note.hide()
        layout.addWidget(self.buttons)
        self.url_edit.setFocus()
        fit_window(self, "settings")

    # ---------------------------------------------------------------- database part
    def _preset_text(self) -> str:
        """The note on the database preset for this PC, or ``""`` when there is none."""
        path = str(paths.machine_settings_path())
        try:
            url = paths.preset_database_url()
        except CqmsError as exc:
            return self.tr("The database preset for this PC cannot be used: {error}").format(
                error=error_text(exc)
            )
        if not url:
            return ""
        return self.tr(
            "Preset for this PC (by your IT, in {path}): {url}. It is used instead of this setting."
        ).format(path=path, url=dbmod.describe_url(url))

    def database_url(self) -> str:
        """The URL as entered (trimmed), with the password field's password when the URL names
        a server user without one."""
        url = self.url_edit.text().strip()
        password = self.password_edit.text()
        if password and needs_password(url):
            return with_password(url, password)
        return url

    def _clear_result(self) -> None:
        self.result_label.hide()

    def _show_result(self, text: str, ok: bool) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result_label.show()

    def test_connection(self) -> bool:
        """Try the entered URL and show the outcome under it. Returns True if CQMS can use it."""
        url = self.database_url()
        if not url:
            self._show_result(self.tr("Enter a database URL or choose a SQLite file."), False)
            return False
        self._show_result(self.tr("Connecting…"), True)
        self.test_button.setEnabled(False)
        try:
            # Off the GUI thread: an unreachable server takes seconds to time out, and the
            # dialog must keep painting meanwhile.
            outcome = run_job(
                self,
                self.tr("Test connection"),
                lambda _progress, _cancelled: check_url(url),
                label=self.tr("Connecting to {database}…").format(database=dbmod.describe_url(url)),
                cancellable=False,
            )
        finally:
            self.test_button.setEnabled(True)
        if outcome.error is not None:
            self._show_result(error_text(outcome.error), False)
            return False
        text, usable = outcome.result
        self._show_result(text, usable)
        return usable

    def browse(self) -> None:
        """Pick an existing SQLite file or type a new file name."""
        start = ""
        url = self.database_url()
        if url.startswith("sqlite:"):
            try:
                _db, info = dbmod.make_database(url)
                start = str(info.path or "")
            except CqmsError:
                start = ""
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Choose or name the database file"),
            start,
            self.tr("SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.set_sqlite_file(path)

    def set_sqlite_file(self, path: str | Path) -> None:
        """Put the URL of the SQLite file *path* into the field."""
        self.url_edit.setText(dbmod.sqlite_url(path))

    def open_log_folder(self) -> bool:
        """Show the data folder (with the log file) in the system's file manager."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_path().parent)))

    # ---------------------------------------------------------------- saving
    def save(self) -> None:
        """Check the URL's form; in full mode store URL and language; then accept."""
        url = self.database_url()
        if not url:
            self._show_result(self.tr("Enter a database URL or choose a SQLite file."), False)
            return
        try:
            dbmod.backend_of(url)
            if url != self._initial_url:
                dbmod.make_database(url)  # a malformed URL is refused here, not at next start
        except CqmsError as exc:
            self._show_result(error_text(exc), False)
            return
        if not self.database_only:
            if url != self._initial_url:
                remember_database_url(url)
            i18n.save_language(self.language_combo.currentData() or None)
        self.accept()
