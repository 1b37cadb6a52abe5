"""The log-in dialog, driven through its widgets: wrong password, lock-out, disabled account,
success, and the user name remembered on this PC."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from cqms_desktop.domain.enums import Department
from cqms_desktop.services import admin, auth
from cqms_desktop.services.base import Actor
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.db import write_transaction
from cqms_desktop.ui.login_dialog import LAST_USER_KEY, LoginDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def qa_user(database):
    """A QA engineer with the password ``secret-pass``, and the company name set."""
    user = admin.add_user(
        Actor.system(),
        username="li.qa",
        full_name="李质保",
        department=Department.QA.value,
        password="secret-pass",
    )
    with write_transaction():
        settings_store.put("company_name", "宁波精密机械有限公司")
    return user


def make_dialog(qtbot, database) -> LoginDialog:
    dialog = LoginDialog(database)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def log_in(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    """Type into the fields and press Enter in the password field, as a user would."""
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, username)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_correct_password_logs_in_and_remembers_the_user_name(qtbot, database, qa_user):
    dialog = make_dialog(qtbot, database)
    assert dialog.heading.text() == "宁波精密机械有限公司"
    assert database.display in dialog.database.text()
    log_in(qtbot, dialog, "li.qa", "secret-pass")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor == auth.actor_for(qa_user)
    assert QSettings().value(LAST_USER_KEY) == "li.qa"

    again = make_dialog(qtbot, database)
    assert again.username.text() == "li.qa"
    assert again.password.hasFocus() or again.focusWidget() is again.password


def test_wrong_password_keeps_the_dialog_open_with_the_reason(qtbot, database, qa_user):
    dialog = make_dialog(qtbot, database)
    log_in(qtbot, dialog, "li.qa", "wrong")
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.message.text() == "Wrong user name or password."
    assert dialog.password.text() == "" and dialog.username.text() == "li.qa"
    assert QSettings().value(LAST_USER_KEY) is None


def test_unknown_user_gets_the_same_message(qtbot, database, qa_user):
    dialog = make_dialog(qtbot, database)
    log_in(qtbot, dialog, "nobody", "secret-pass")
    assert dialog.message.text() == "Wrong user name or password."


def test_five_wrong_passwords_lock_the_account(qtbot, database, qa_user):
    dialog = make_dialog(qtbot, database)
    for _ in range(auth.MAX_FAILED_LOGINS):
        log_in(qtbot, dialog, "li.qa", "wrong")
    log_in(qtbot, dialog, "li.qa", "secret-pass")  # even the right password is refused now
    assert dialog.actor is None and dialog.isVisible()
    assert re.search(r"account is locked for another 1[56] minutes", dialog.message.text())


def test_a_disabled_account_is_refused(qtbot, database, qa_user):
    admin.add_user(
        Actor.system(),
        username="boss",
        full_name="Boss",
        department="administration",
        password="secret-pass",
        is_admin=True,
    )
    admin.update_user(Actor.system(), user_id=qa_user.id, version=qa_user.version, active=False)
    dialog = make_dialog(qtbot, database)
    log_in(qtbot, dialog, "li.qa", "secret-pass")
    assert dialog.actor is None
    assert "“li.qa” is disabled" in dialog.message.text()


def test_an_empty_user_name_is_asked_for(qtbot, database, qa_user):
    dialog = make_dialog(qtbot, database)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Enter your user name."
    assert dialog.isVisible()


def test_cancel_rejects(qtbot, database, qa_user):
    dialog = make_dialog(qtbot, database)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.actor is None


def test_other_database_closes_the_dialog_to_switch(qtbot, database, qa_user, monkeypatch):
    from cqms_desktop.ui.settings_dialog import SettingsDialog

    other = "sqlite:////srv/other.sqlite3"

    def choose(dialog):
        assert dialog.database_url() == database.url  # starts from the open database
        dialog.url_edit.setText(other)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", choose)
    dialog = make_dialog(qtbot, database)
    qtbot.mouseClick(dialog.other_database_button, Qt.MouseButton.LeftButton)
    assert dialog.switch_to == other
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.actor is None


def test_choosing_the_same_database_stays_in_the_dialog(qtbot, database, qa_user, monkeypatch):
    from cqms_desktop.ui.settings_dialog import SettingsDialog

    monkeypatch.setattr(SettingsDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    dialog = make_dialog(qtbot, database)
    assert not dialog.choose_other_database()
    assert dialog.switch_to is None and dialog.isVisible()


def test_log_in_through_start_up_and_open_every_tab(qtbot, sqlite_url, monkeypatch):
    """The whole way a user goes: start-up opens the database, the log-in dialog checks the
    password, the real main window opens, and every tab shows its records."""
    from cqms_desktop import app as app_module
    from cqms_desktop.services.demo import generate_demo
    from cqms_desktop.store import db as dbmod
    from cqms_desktop.store import migrations

    dbmod.open_database(sqlite_url)
    migrations.migrate()
    admin.first_run(
        company_name="宁波精密", username="boss", full_name="王管理", password="secret-pw"
    )
    generate_demo(seed=1, scale=1)
    dbmod.close_database()

    def type_credentials(dialog: LoginDialog):
        dialog.open()
        qtbot.keyClicks(dialog.username, "boss")
        qtbot.keyClicks(dialog.password, "secret-pw")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", type_credentials)
    started = app_module.start_gui(app_module.parse_args(["--db", sqlite_url]))
    assert not isinstance(started, int), f"start-up ended with exit code {started}"
    window, lock = started
    qtbot.addWidget(window)
    try:
        assert window.actor.username == "boss" and window.actor.is_admin
        for name in app_module.TABS:
            assert window.select_tab(name)
            qtbot.waitUntil(lambda name=name: window.current_tab() == name)
            if name in window.views:  # a list tab (not the dashboard, a plan or the admin)
                view = window.views[name]
                qtbot.waitUntil(lambda view=view: view.model.rowCount() > 0)
    finally:
        lock.release()
        window.close()
        dbmod.close_database()


def _answer_the_new_password_dialog(qtbot, new_password: str | None) -> list[str]:
    """When the forced change opens (modal), type *new_password* twice and confirm, or cancel
    (``None``). Returns the texts the dialog showed, for the test to check."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cqms_desktop.ui.password_dialog import ChangePasswordDialog

    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ChangePasswordDialog):
            QTimer.singleShot(20, answer)
            return
        assert dialog.forced_note is not None
        seen.append(dialog.forced_note.text())
        seen.append("old visible" if dialog.old_password.isVisibleTo(dialog) else "old hidden")
        if new_password is None:
            dialog.reject()
            return
        qtbot.keyClicks(dialog.password, new_password)
        qtbot.keyClicks(dialog.password_again, new_password)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    return seen


def _ask_for_a_change(qa_user) -> None:
    boss = admin.add_user(
        Actor.system(),
        username="boss",
        full_name="Boss",
        department=Department.ADMINISTRATION.value,
        password="admin-secret",
        is_admin=True,
    )
    admin.set_password(auth.actor_for(boss), user_id=qa_user.id, password="reset-by-admin-7")


def test_a_user_asked_for_a_new_password_chooses_it_before_logging_in(qtbot, database, qa_user):
    _ask_for_a_change(qa_user)
    dialog = make_dialog(qtbot, database)
    seen = _answer_the_new_password_dialog(qtbot, "my-own-secret-42")
    log_in(qtbot, dialog, "li.qa", "reset-by-admin-7")
    assert seen and "asked you to choose a new password" in seen[0]
    assert seen[1] == "old hidden"  # just typed at the log-in: not asked again
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and not dialog.actor.must_change_password
    assert not auth.login("li.qa", "my-own-secret-42").must_change_password


def test_cancelling_the_new_password_does_not_log_in(qtbot, database, qa_user):
    _ask_for_a_change(qa_user)
    dialog = make_dialog(qtbot, database)
    seen = _answer_the_new_password_dialog(qtbot, None)
    log_in(qtbot, dialog, "li.qa", "reset-by-admin-7")
    assert seen
    assert dialog.actor is None
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert "choose a new password to log in" in dialog.message.text()
    assert auth.login("li.qa", "reset-by-admin-7").must_change_password
