"""The user's session in the window: change one's own password, sign out and let the next
user log in without quitting the program."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import Department

pytestmark = pytest.mark.gui


def test_change_my_password_is_in_the_file_menu(qtbot, window):
    from cqms_desktop.ui.password_dialog import ChangePasswordDialog

    window.password_action.trigger()
    dialog = window.findChild(ChangePasswordDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_sign_out_returns_to_the_log_in_and_the_next_user_gets_their_window(
    qtbot, database, sample, monkeypatch
):
    """File → Sign out closes the window and runs the start-up (log-in) again; quitting the
    next window ends the program."""
    from cqms_desktop import app as app_module
    from cqms_desktop.ui.main_window import MainWindow
    from tests.users import make_user

    users = [make_user(Department.SALES, "sales_first"), make_user(Department.QA, "qa_next")]
    windows: list[MainWindow] = []
    released: list[str] = []

    class Lock:
        def release(self) -> None:
            released.append("lock")

    def start_gui(_args):
        window = MainWindow(users[len(windows)], database)
        window.remember_layout = False
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window, Lock()

    class App:
        def exec(self) -> int:
            window = windows[-1]
            # The first user signs out from the menu; the second one quits.
            (window.sign_out_action.trigger if len(windows) == 1 else window.close)()
            return 0

    monkeypatch.setattr(app_module, "start_gui", start_gui)
    monkeypatch.setattr("cqms_desktop.ui.startup.close_quietly", lambda: None)
    assert app_module.run_sessions(App(), app_module.parse_args([])) == 0
    assert [w.actor.username for w in windows] == ["sales_first", "qa_next"]
    assert windows[0].signed_out and not windows[0].isVisible()
    assert not windows[1].signed_out
    assert released == ["lock", "lock"]
