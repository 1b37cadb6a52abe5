"""Start-up: choosing the database URL, opening it with a clear dialog for each bad input (and
nothing changed), the one-instance lock, the network-share warning, languages, error
handling, and ``cqms-desktop --screenshot``."""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import textwrap
import threading
import types
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget

from cqms_desktop import app as app_module
from cqms_desktop.domain.errors import DatabaseError, ValidationError
from cqms_desktop.services import admin
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from cqms_desktop.store.models import SchemaVersion, User
from cqms_desktop.ui import error_handling, i18n, single_instance, startup
from cqms_desktop.ui.startup import Choice, ResolvedUrl, UrlSource

pytestmark = pytest.mark.gui


def sha256(path: Path) -> str:
    """The file's content hash, to prove a refused file was not touched."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Asker:
    """Stands in for the failure dialog: records each error and answers from a script."""

    def __init__(self, *answers: Choice) -> None:
        self.answers = list(answers)
        self.errors: list[str] = []
        self.urls: list[str] = []

    def __call__(self, parent, url, error, source) -> Choice:
        self.errors.append(error.translated())
        self.urls.append(url)
        return self.answers.pop(0) if self.answers else Choice.QUIT


def refuse(url: str) -> str:
    """Open *url* interactively, answer Quit, and return the message the dialog showed."""
    asker = Asker(Choice.QUIT)
    opened = startup.open_database_interactively(
        None, ResolvedUrl(url, UrlSource.COMMAND_LINE), ask=asker, choose=lambda p, u: None
    )
    assert opened is None
    assert len(asker.errors) == 1
    with pytest.raises(DatabaseError):
        dbmod.current()  # nothing left open
    return asker.errors[0]


# ---------------------------------------------------------------- which URL
def test_url_precedence_is_option_then_environment_then_pc_then_default(tmp_path):
    default = startup.resolve_database_url(None, environ={})
    assert default.source is UrlSource.DEFAULT
    assert default.url == dbmod.sqlite_url(tmp_path / "data" / "cqms.sqlite3")

    startup.remember_database_url("sqlite:////saved.sqlite3")
    assert startup.resolve_database_url(None, environ={}) == ResolvedUrl(
        "sqlite:////saved.sqlite3", UrlSource.SETTINGS
    )
    env = {"CQMS_DB": " postgresql://u@h:5432/env "}
    assert startup.resolve_database_url(None, environ=env) == ResolvedUrl(
        "postgresql://u@h:5432/env", UrlSource.ENVIRONMENT
    )
    assert startup.resolve_database_url("mysql://u@h/cli", environ=env) == ResolvedUrl(
        "mysql://u@h/cli", UrlSource.COMMAND_LINE
    )


def test_a_new_default_database_is_created_migrated_and_remembered(tmp_path):
    resolved = startup.resolve_database_url(None, environ={})
    opened = startup.open_database_interactively(None, resolved, ask=Asker(), choose=None)
    try:
        assert opened is not None and opened.migration.created
        assert migrations.current_version() == migrations.LATEST
        assert opened.info.path == tmp_path / "data" / "cqms.sqlite3"
        assert admin.needs_first_run()
    finally:
        dbmod.close_database()
    assert startup.saved_database_url() == resolved.url


def test_a_url_from_the_command_line_is_not_remembered(sqlite_url):
    opened = startup.open_database_interactively(
        None, ResolvedUrl(sqlite_url, UrlSource.COMMAND_LINE), ask=Asker(), choose=None
    )
    dbmod.close_database()
    assert opened is not None
    assert startup.saved_database_url() == ""


# ---------------------------------------------------------------- bad input
def test_a_file_that_is_not_a_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("Customer list\nACME;Shanghai\n", encoding="utf-8")
    before = sha256(path)
    message = refuse(dbmod.sqlite_url(path))
    assert "is not a SQLite database" in message and str(path) in message
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.glob("notes*")) == ["notes.sqlite3"]


def test_a_database_from_a_newer_version_is_refused_and_not_changed(tmp_path):
    path = tmp_path / "newer.sqlite3"
    dbmod.open_database(dbmod.sqlite_url(path))
    migrations.migrate()
    SchemaVersion.create(
        version=migrations.LATEST + 1,
        applied_at=SchemaVersion.select().get().applied_at,
        program_version="99.0",
    )
    dbmod.close_database()
    before = sha256(path)
    message = refuse(dbmod.sqlite_url(path))
    assert "newer version of CQMS Desktop" in message
    assert f"schema {migrations.LATEST + 1}" in message
    assert sha256(path) == before
    assert not list(tmp_path.glob("*.bak"))


def test_a_read_only_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "cqms.sqlite3"
    dbmod.open_database(dbmod.sqlite_url(path))
    migrations.migrate()
    dbmod.close_database()
    path.chmod(0o444)
    if os.geteuid() == 0:
        # root may write anywhere; make os.access answer from the mode bits as for a user.
        real_access = os.access

        def access(p, mode, *a, **k):
            if Path(p) == path and mode & os.W_OK:
                return False
            return real_access(p, mode, *a, **k)

        monkeypatch.setattr(os, "access", access)
    before = sha256(path)
    message = refuse(dbmod.sqlite_url(path))
    assert "read-only" in message and str(path) in message
    assert sha256(path) == before


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://cqms@127.0.0.1:notaport/cqms", "is malformed"),
        ("sqlite:relative.sqlite3", "malformed"),
        ("oracle://scott@db/orcl", "Unknown database type “oracle”"),
        ("postgresql://cqms@127.0.0.1:5432", "names no database"),
    ],
)
def test_a_malformed_url_is_refused_with_a_hint(url, expected):
    message = refuse(url)
    assert expected in message


def test_an_unreachable_server_is_refused():
    # Port 1 on the loopback: nothing listens there, the connection is refused at once.
    message = refuse("postgresql://cqms@127.0.0.1:1/cqms")
    assert "Cannot reach the database server" in message
    assert "postgresql://cqms@127.0.0.1:1/cqms" in message


def test_a_wrong_server_password_is_refused_without_showing_it():
    from tests.external import server_admin

    admin_db, admin_url = server_admin("mysql")  # skips (or fails in CI) without MariaDB
    admin_db.close()
    wrong = admin_url.replace("root@", "root:not-the-password@")
    message = refuse(wrong)
    assert "refused the user name or password" in message
    assert "not-the-password" not in message and "***" in message


def test_choose_another_database_after_a_failure_opens_and_remembers_it(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\x00" * 100)
    good_url = dbmod.sqlite_url(tmp_path / "good.sqlite3")
    asker = Asker(Choice.CHOOSE)
    chosen: list[str] = []

    def choose(parent, url):
        chosen.append(url)
        return good_url

    opened = startup.open_database_interactively(
        None, ResolvedUrl(dbmod.sqlite_url(bad), UrlSource.ENVIRONMENT), ask=asker, choose=choose
    )
    dbmod.close_database()
    assert opened is not None and opened.url == good_url
    assert opened.source is UrlSource.CHOSEN
    assert chosen == [dbmod.sqlite_url(bad)]
    assert startup.saved_database_url() == good_url
    assert bad.read_bytes() == b"\x00" * 100


def test_retry_tries_the_same_url_again(tmp_path):
    path = tmp_path / "later.sqlite3"
    path.write_text("not yet", encoding="utf-8")
    url = dbmod.sqlite_url(path)

    def ask(parent, u, error, source):
        path.unlink()  # the user fixed the problem (e.g. IT restored the right file)
        return Choice.RETRY

    opened = startup.open_database_interactively(
        None, ResolvedUrl(url, UrlSource.COMMAND_LINE), ask=ask, choose=None
    )
    dbmod.close_database()
    assert opened is not None and opened.url == url and opened.migration.created


def test_a_locked_database_gives_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "locked.sqlite3"
    dbmod.open_database(dbmod.sqlite_url(path))
    dbmod.close_database()  # an empty, valid SQLite file that still needs its schema
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_SECONDS", 0.1)
    import sqlite3

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError) as caught:
            startup.open_and_migrate(dbmod.sqlite_url(path))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "close that program and try again" in caught.value.translated()
    with pytest.raises(DatabaseError):
        dbmod.current()


# ---------------------------------------------------------------- the failure dialog
@pytest.mark.parametrize("button", ["choose_button", "retry_button", "quit_button"])
def test_failure_dialog_says_what_is_wrong_and_returns_the_choice(qtbot, button):
    error = DatabaseError("“{path}” is not a SQLite database.", path="/tmp/x.db")
    dialog = startup.DatabaseErrorDialog("sqlite:////tmp/x.db", error, UrlSource.ENVIRONMENT)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.message.text() == "“/tmp/x.db” is not a SQLite database."
    assert "sqlite:////tmp/x.db" in dialog.details.text()
    assert "CQMS_DB" in dialog.details.text()
    qtbot.mouseClick(getattr(dialog, button), qtbot_button())
    assert (
        dialog.choice
        is {
            "choose_button": Choice.CHOOSE,
            "retry_button": Choice.RETRY,
            "quit_button": Choice.QUIT,
        }[button]
    )
    assert not dialog.isVisible()


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_failure_dialog_masks_the_server_password(qtbot):
    error = DatabaseError("Cannot reach the server.")
    dialog = startup.DatabaseErrorDialog("postgresql://u:secret@h:5432/db", error)
    qtbot.addWidget(dialog)
    assert "secret" not in dialog.details.text()


# ---------------------------------------------------------------- network share
def test_network_share_warning_is_shown_once_per_file(tmp_path):
    info = dbmod.DatabaseInfo(
        url="sqlite:////mnt/share/cqms.sqlite3",
        backend="sqlite",
        display="/mnt/share/cqms.sqlite3",
        path=Path("/mnt/share/cqms.sqlite3"),
        network_share=True,
        warnings=[
            "The database file is on a network share. That works for one PC writing at a "
            "time; when several PCs enter records at the same time, move the data to a "
            "PostgreSQL or MariaDB server (cqms backup / cqms restore)."
        ],
    )
    shown: list[QMessageBox] = []
    assert startup.warn_network_share_once(None, info, show=shown.append)
    assert not startup.warn_network_share_once(None, info, show=shown.append)
    assert len(shown) == 1
    assert "network share" in shown[0].text() and "/mnt/share/cqms.sqlite3" in (
        shown[0].informativeText()
    )
    other = dbmod.DatabaseInfo(**{**info.__dict__, "path": Path("/mnt/share/other.sqlite3")})
    assert startup.warn_network_share_once(None, other, show=shown.append)
    local = dbmod.DatabaseInfo(**{**info.__dict__, "network_share": False})
    assert not startup.warn_network_share_once(None, local, show=shown.append)


# ---------------------------------------------------------------- one instance
def test_a_second_instance_on_the_same_database_is_refused(tmp_path):
    info = dbmod.DatabaseInfo(
        url="x",
        backend="sqlite",
        display=str(tmp_path / "a.sqlite3"),
        path=tmp_path / "a.sqlite3",
    )
    first = single_instance.acquire_instance_lock(info)
    assert first is not None
    assert single_instance.acquire_instance_lock(info) is None
    other = dbmod.DatabaseInfo(**{**info.__dict__, "path": tmp_path / "b.sqlite3"})
    second_db = single_instance.acquire_instance_lock(other)
    assert second_db is not None
    first.release()
    again = single_instance.acquire_instance_lock(info)
    assert again is not None
    again.release()
    second_db.release()


def test_the_lock_is_held_against_another_process(tmp_path):
    info = dbmod.DatabaseInfo(
        url="x", backend="postgresql", display="postgresql://cqms@db.example:5432/cqms"
    )
    lock = single_instance.acquire_instance_lock(info)
    assert lock is not None
    try:
        script = textwrap.dedent(
            """
            import sys
            from cqms_desktop.store.db import DatabaseInfo
            from cqms_desktop.ui.single_instance import acquire_instance_lock
            info = DatabaseInfo(url="x", backend="postgresql",
                                display="POSTGRESQL://cqms@DB.example:5432/cqms")
            sys.exit(0 if acquire_instance_lock(info) is None else 1)
            """
        )
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run([sys.executable, "-c", script], env=env, timeout=60)
        assert done.returncode == 0, "the other process got the lock"
    finally:
        lock.release()


def test_the_already_running_message_names_the_database(qtbot):
    info = dbmod.DatabaseInfo(url="x", backend="sqlite", display="/data/cqms.sqlite3")
    box = single_instance.already_running_box(None, info)
    qtbot.addWidget(box)
    assert "already running" in box.text() and "/data/cqms.sqlite3" in box.text()


# ---------------------------------------------------------------- languages
def test_language_choice_follows_option_then_settings_then_system(monkeypatch):
    monkeypatch.setattr(i18n, "system_language", lambda: "en")
    assert i18n.choose_language() == "en"
    i18n.save_language("zh_CN")
    assert i18n.choose_language() == "zh_CN"
    assert i18n.choose_language("en") == "en"
    i18n.save_language(None)
    assert QSettings().value(i18n.SETTINGS_KEY) is None
    assert i18n.normalize_language("zh_CN.UTF-8") == "zh_CN"
    assert i18n.normalize_language("zh-Hans-CN") == "zh_CN"
    assert i18n.normalize_language("de_DE") == "en"


def test_chinese_translates_our_texts_and_qts_standard_buttons(qtbot):
    loaded = i18n.install_translators("zh_CN")
    assert any(f.endswith("cqms_zh_CN.qm") for f in loaded)
    assert any(f.endswith("qtbase_zh_CN.qm") for f in loaded)
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"
    assert QCoreApplication.translate("LoginDialog", "Log in") == "登录"
    error = DatabaseError("Wrong user name or password.")
    assert error.translated(QCoreApplication.translate) == "用户名或密码错误。"
    i18n.install_translators("en")
    assert QCoreApplication.translate("LoginDialog", "Log in") == "Log in"


# ---------------------------------------------------------------- errors
@pytest.fixture
def logged(tmp_path):
    """Logging into a temporary file; the handler is removed afterwards."""
    path = error_handling.setup_logging(tmp_path / "logs" / "cqms.log")
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_cqms_log", None) == str(path):
            root.removeHandler(handler)
            handler.close()


def test_logging_rotates_and_is_installed_once(logged):
    assert error_handling.setup_logging(logged) == logged
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_cqms_log", None)]
    assert len(ours) == 1
    assert ours[0].maxBytes == error_handling.LOG_MAX_BYTES and ours[0].backupCount == 5


def test_known_errors_show_their_translated_message(qtbot):
    box = error_handling.error_box(None, ValidationError("{field} is required.", field="code"))
    qtbot.addWidget(box)
    assert box.text() == "Code is required."
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.detailedText() == ""


@pytest.mark.logged_errors
def test_uncaught_exceptions_are_logged_and_shown(qtbot, logged, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    restore = error_handling.install_exception_hooks()
    try:
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: len(shown) == 1)

        def worker():
            raise KeyError("boom in a thread")

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: len(shown) == 2)
    finally:
        restore()
    assert "unexpected error" in shown[0] and "RuntimeError: boom in a slot" in shown[0]
    assert "boom in a thread" in shown[1] and str(error_handling.paths.log_path()) in shown[1]
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = logged.read_text(encoding="utf-8")
    assert "boom in a slot" in text and "boom in a thread" in text and "Traceback" in text


# ---------------------------------------------------------------- --screenshot
class StandInWindow(QWidget):
    """Replaces the main window (written elsewhere) for the start-up tests."""

    made: list[StandInWindow] = []

    def __init__(self, actor, db_info) -> None:
        super().__init__()
        self.actor, self.db_info, self.tab = actor, db_info, None
        StandInWindow.made.append(self)

    def select_tab(self, name: str) -> None:
        self.tab = name

    def show_overdue_on_start(self) -> int:
        self.overdue_shown = True
        return 0


@pytest.fixture
def stand_in_main_window(monkeypatch, app_state_restored):
    """A fake ``cqms_desktop.ui.main_window`` module; app state restored afterwards."""
    module = types.ModuleType("cqms_desktop.ui.main_window")
    module.MainWindow = StandInWindow
    monkeypatch.setitem(sys.modules, "cqms_desktop.ui.main_window", module)
    StandInWindow.made.clear()
    return StandInWindow


@pytest.fixture
def app_state_restored():
    """``app.main`` names the application, sets its font and installs the log file: undone
    after the test, and the database it opened closed."""
    app = QApplication.instance()
    names = (app.organizationName(), app.applicationName(), app.applicationVersion())
    font = app.font()
    handlers = list(logging.getLogger().handlers)
    yield
    app.setOrganizationName(names[0])
    app.setApplicationName(names[1])
    app.setApplicationVersion(names[2])
    app.setFont(font)
    for handler in logging.getLogger().handlers:
        if handler not in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()
    dbmod.close_database()


def test_screenshot_renders_the_main_window_as_the_first_administrator(
    stand_in_main_window, sqlite_url, tmp_path, capsys
):
    dbmod.open_database(sqlite_url)
    migrations.migrate()
    admin.first_run(company_name="ACME", username="boss", full_name="Boss", password="secret-pw")
    dbmod.close_database()
    target = tmp_path / "shot.png"
    code = app_module.main(["--db", sqlite_url, "--screenshot", str(target), "--tab", "complaints"])
    assert code == 0
    (window,) = stand_in_main_window.made
    assert window.actor.username == "boss" and window.actor.is_admin
    assert window.tab == "complaints"
    assert window.db_info.url == sqlite_url
    image = QImage(str(target))
    assert (image.width(), image.height()) == app_module.SCREENSHOT_SIZE
    assert str(target) in capsys.readouterr().out


def test_screenshot_of_an_empty_database_uses_the_system_actor(
    stand_in_main_window, sqlite_url, tmp_path
):
    code = app_module.main(["--db", sqlite_url, "--screenshot", str(tmp_path / "s.png")])
    assert code == 0
    (window,) = stand_in_main_window.made
    assert window.actor.username == "system" and window.tab == "my_work"
    assert not User.select().exists() if dbmod.database_proxy.obj.connect(True) else True


def test_screenshot_errors_are_one_line_and_a_nonzero_exit(stand_in_main_window, tmp_path, capsys):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("hello", encoding="utf-8")
    code = app_module.main(
        ["--db", dbmod.sqlite_url(bad), "--screenshot", str(tmp_path / "x.png"), "--lang", "en"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a SQLite database" in err
    assert not (tmp_path / "x.png").exists()
    assert bad.read_text(encoding="utf-8") == "hello"
    assert not stand_in_main_window.made


def test_command_line_options_are_parsed():
    args = app_module.parse_args(["--db", "sqlite:////x", "--tab", "surveys", "--lang", "zh_CN"])
    assert (args.db, args.tab, args.lang, args.screenshot) == (
        "sqlite:////x",
        "surveys",
        "zh_CN",
        None,
    )
    with pytest.raises(SystemExit):
        app_module.parse_args(["--tab", "nonsense"])


def test_peewee_error_type_is_wrapped(monkeypatch, sqlite_url):
    def broken(**kwargs):
        raise peewee.OperationalError("disk I/O error")

    monkeypatch.setattr(migrations, "migrate", broken)
    with pytest.raises(DatabaseError) as caught:
        startup.open_and_migrate(sqlite_url)
    assert "disk I/O error" in caught.value.translated()


# ---------------------------------------------------------------- the interactive start
def test_first_start_flow_creates_the_administrator_and_opens_the_main_window(
    stand_in_main_window, sqlite_url, monkeypatch
):
    from cqms_desktop.ui.first_run import FirstRunDialog

    def fill_and_create(dialog):
        dialog.company_name.setText("ACME")
        dialog.username.setText("boss")
        dialog.full_name.setText("Boss")
        dialog.password.setText("secret-pw")
        dialog.password_again.setText("secret-pw")
        dialog.try_create()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", fill_and_create)
    args = app_module.parse_args(["--db", sqlite_url, "--tab", "feedback"])
    window, lock = app_module.start_gui(args)
    try:
        assert window.actor.username == "boss" and window.tab == "feedback"
        assert window.isVisible()
    finally:
        lock.release()
        window.close()


def test_log_in_flow_and_a_second_instance_on_the_same_database(
    stand_in_main_window, sqlite_url, monkeypatch
):
    from cqms_desktop.ui.login_dialog import LoginDialog

    dbmod.open_database(sqlite_url)
    migrations.migrate()
    admin.first_run(company_name="ACME", username="boss", full_name="Boss", password="secret-pw")
    dbmod.close_database()

    def type_password(dialog):
        dialog.username.setText("boss")
        dialog.password.setText("secret-pw")
        dialog.try_login()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", type_password)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    args = app_module.parse_args(["--db", sqlite_url])
    window, lock = app_module.start_gui(args)
    try:
        assert window.actor.username == "boss"
        assert app_module.start_gui(args) == 3  # the same database again on this PC
        assert len(shown) == 1 and "already running" in shown[0]
        assert len(stand_in_main_window.made) == 1
    finally:
        lock.release()
        window.close()


def test_quitting_at_the_database_dialog_exits_without_a_window(
    stand_in_main_window, tmp_path, monkeypatch
):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database", encoding="utf-8")
    monkeypatch.setattr(startup.DatabaseErrorDialog, "exec", lambda dialog: 0)  # closed: Quit
    args = app_module.parse_args(["--db", dbmod.sqlite_url(bad)])
    assert app_module.start_gui(args) == 1
    assert not stand_in_main_window.made


def test_qt_diagnostics_go_to_the_log_file(logged):
    from PySide6.QtCore import qWarning

    restore = error_handling.route_qt_messages_to_log()
    try:
        qWarning("a diagnostic from Qt")
    finally:
        restore()
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "WARNING qt [MainThread] a diagnostic from Qt" in logged.read_text(encoding="utf-8")


def test_chinese_translations_keep_every_placeholder():
    """A translation that drops or renames a {placeholder} would show a broken message."""
    import re
    import xml.etree.ElementTree as ET

    from cqms_desktop import paths

    catalogue = ET.parse(paths.resource_path("i18n/cqms_zh_CN.ts")).getroot()
    broken = []
    for context in catalogue.iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") or not translation.text:
                continue
            source = message.find("source").text or ""
            wanted = sorted(re.findall(r"\{\w*\}|%\d", source))
            found = sorted(re.findall(r"\{\w*\}|%\d", translation.text))
            if wanted != found:
                broken.append((context.find("name").text, source, translation.text))
    assert broken == []


def test_python_dash_m_starts_the_program(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CQMS_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "cqms_desktop", "--version"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"cqms-desktop {app_module.__version__}"


def test_lupdate_collects_texts_marked_outside_qt(tmp_path):
    """tools/update_translations.sh relies on pyside6-lupdate finding QT_TRANSLATE_NOOP in the
    Qt-free modules as well as tr() and QCoreApplication.translate() in the widgets."""
    import xml.etree.ElementTree as ET

    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        pytest.fail(f"{lupdate} is missing: tools/setup.sh installs it with PySide6")
    source = tmp_path / "sample.py"
    source.write_text(
        textwrap.dedent(
            """
            from cqms_desktop.domain.i18n import QT_TRANSLATE_NOOP
            from PySide6.QtCore import QCoreApplication
            from PySide6.QtWidgets import QDialog

            MESSAGE = QT_TRANSLATE_NOOP("Errors", "A domain message.")

            class SampleDialog(QDialog):
                def title(self):
                    return self.tr("A dialog title")

            def helper():
                return QCoreApplication.translate("Helper", "A helper text")
            """
        ),
        encoding="utf-8",
    )
    ts = tmp_path / "sample.ts"
    subprocess.run([str(lupdate), "-silent", str(source), "-ts", str(ts)], check=True, timeout=120)
    found = {
        (context.find("name").text, message.find("source").text)
        for context in ET.parse(ts).getroot().iter("context")
        for message in context.iter("message")
    }
    assert found == {
        ("Errors", "A domain message."),
        ("SampleDialog", "A dialog title"),
        ("Helper", "A helper text"),
    }


def test_the_shipped_chinese_font_is_registered_as_fallback(stand_in_main_window):
    families = app_module.register_fonts(QApplication.instance())
    assert any("WenQuanYi" in f or "文泉" in f for f in families)
    assert set(families) <= set(QApplication.instance().font().families())


def test_switching_database_at_log_in_opens_and_remembers_the_other_one(
    stand_in_main_window, sqlite_url, tmp_path, monkeypatch
):
    from cqms_desktop.ui.first_run import FirstRunDialog
    from cqms_desktop.ui.login_dialog import LoginDialog

    dbmod.open_database(sqlite_url)
    migrations.migrate()
    admin.first_run(company_name="ACME", username="boss", full_name="Boss", password="secret-pw")
    dbmod.close_database()
    other_url = dbmod.sqlite_url(tmp_path / "other.sqlite3")

    def switch(dialog):
        dialog.switch_to = other_url
        dialog.reject()
        return dialog.result()

    def create_admin(dialog):
        for edit, text in (
            (dialog.company_name, "Other Co"),
            (dialog.username, "other"),
            (dialog.full_name, "Other Admin"),
            (dialog.password, "secret-pw"),
            (dialog.password_again, "secret-pw"),
        ):
            edit.setText(text)
        dialog.try_create()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", switch)
    monkeypatch.setattr(FirstRunDialog, "exec", create_admin)
    window, lock = app_module.start_gui(app_module.parse_args(["--db", sqlite_url]))
    try:
        assert window.db_info.url == other_url and window.actor.username == "other"
        assert startup.saved_database_url() == other_url
        # The first database's lock was given back when switching.
        first = dbmod.DatabaseInfo(
            url=sqlite_url, backend="sqlite", display="", path=tmp_path / "cqms.sqlite3"
        )
        released = single_instance.acquire_instance_lock(first)
        assert released is not None
        released.release()
    finally:
        lock.release()
        window.close()


@pytest.mark.logged_errors
def test_an_error_during_start_up_is_shown_and_ends_the_program(
    stand_in_main_window, sqlite_url, monkeypatch
):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)

    def broken_login_check():
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(admin, "needs_first_run", broken_login_check)
    assert app_module.main(["--db", sqlite_url, "--lang", "en"]) == 1
    assert len(shown) == 1 and "database is locked" in shown[0]
    assert not stand_in_main_window.made
    # The lock of the failed start was given back: the next start may take it.
    info = dbmod.DatabaseInfo(
        url=sqlite_url,
        backend="sqlite",
        display="",
        path=Path(sqlite_url.removeprefix("sqlite:///")),
    )
    lock = single_instance.acquire_instance_lock(info)
    assert lock is not None
    lock.release()


def _preset(tmp_path, url: str) -> None:
    """Write the machine-wide cqms.ini (the conftest points CQMS_MACHINE_SETTINGS there)."""
    ini = tmp_path / "machine" / "cqms.ini"
    ini.parent.mkdir(exist_ok=True)
    ini.write_text(f"[database]\nurl={url}\n", encoding="utf-8-sig")


def test_preset_for_this_pc_comes_after_environment_and_before_the_saved_url(tmp_path):
    startup.remember_database_url("sqlite:////saved.sqlite3")
    _preset(tmp_path, "postgresql://cqms@server/cqms")
    assert startup.resolve_database_url(None, environ={}) == ResolvedUrl(
        "postgresql://cqms@server/cqms", UrlSource.MACHINE
    )
    env = {"CQMS_DB": "mysql://u@h/env"}
    assert startup.resolve_database_url(None, environ=env).source is UrlSource.ENVIRONMENT


def test_malformed_preset_is_reported_with_its_source_and_not_remembered(tmp_path):
    _preset(tmp_path, "oracle://scott@h/db")
    resolved = startup.resolve_database_url(None, environ={})
    assert resolved.source is UrlSource.MACHINE
    asker = Asker()
    assert startup.open_database_interactively(None, resolved, ask=asker, choose=None) is None
    assert "Unknown database type" in str(asker.errors[0])
    assert startup.saved_database_url() == ""
    assert "oracle://" in (tmp_path / "machine" / "cqms.ini").read_text(encoding="utf-8-sig")


def test_the_windows_mutex_is_machine_wide_and_keyed_by_the_database(tmp_path):
    """One name per database for every session of the PC (``Global\\``), not per user."""
    info = dbmod.DatabaseInfo(
        url="x", backend="sqlite", display=str(tmp_path / "a.sqlite3"), path=tmp_path / "a.sqlite3"
    )
    other = dbmod.DatabaseInfo(**{**info.__dict__, "path": tmp_path / "b.sqlite3"})
    name = single_instance.mutex_name(info)
    assert name.startswith("Global\\CQMS-Desktop-") and "\\" not in name[len("Global\\") :]
    assert name == single_instance.mutex_name(dbmod.DatabaseInfo(**info.__dict__))
    assert name != single_instance.mutex_name(other)


def test_a_screenshot_leaves_this_pcs_settings_alone(
    qtbot, app_state_restored, sqlite_url, tmp_path
):
    # The real window: a render must not store its size or the lists' columns as the user's.
    from PySide6.QtCore import QSettings

    dbmod.open_database(sqlite_url)
    migrations.migrate()
    admin.first_run(company_name="ACME", username="boss", full_name="Boss", password="secret-pw")
    dbmod.close_database()
    before = set(QSettings().allKeys())
    target = tmp_path / "shot.png"
    code = app_module.main(
        [
            "--db",
            sqlite_url,
            "--screenshot",
            str(target),
            "--tab",
            "complaints",
            "--size",
            "800x600",
        ]
    )
    assert code == 0 and target.exists()
    assert set(QSettings().allKeys()) == before
