"""Every user changes their own password; the current one is required."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import AuthenticationError, ValidationError
from cqms_desktop.services import admin, auth
from cqms_desktop.ui.password_dialog import ChangePasswordDialog

pytestmark = pytest.mark.gui


def fill(qtbot, dialog, old: str, new: str, again: str | None = None) -> None:
    for edit, text in (
        (dialog.old_password, old),
        (dialog.password, new),
        (dialog.password_again, new if again is None else again),
    ):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def dialog(qtbot, actors):
    shown = ChangePasswordDialog(actors[Department.MANUFACTURING])
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_a_user_changes_their_own_password(qtbot, dialog):
    fill(qtbot, dialog, "secret-pass", "new-secret-9")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert auth.login("manufacturing_user", "new-secret-9").username == "manufacturing_user"
    with pytest.raises(AuthenticationError):
        auth.login("manufacturing_user", "secret-pass")


@pytest.mark.parametrize(
    ("old", "new", "again", "message", "focus"),
    [
        (
            "wrong-pass",
            "new-secret-9",
            None,
            "The current password is not correct.",
            "old_password",
        ),
        ("secret-pass", "short", None, "Password must have at least 8 characters.", "password"),
        ("secret-pass", "secret-pass", None, "must differ from the current one", "password"),
        ("secret-pass", "new-secret-9", "new-secret-8", "are not the same", "password"),
    ],
)
def test_refusals_name_the_field_and_change_nothing(qtbot, dialog, old, new, again, message, focus):
    fill(qtbot, dialog, old, new, again)
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert message in dialog.message.text()
    assert dialog.focusWidget() is dialog.fields[focus]
    assert auth.login("manufacturing_user", "secret-pass").username == "manufacturing_user"


def test_the_service_needs_the_current_password(actors):
    with pytest.raises(ValidationError) as err:
        admin.change_own_password(
            actors[Department.SALES], old_password="", new_password="another-pass"
        )
    assert err.value.field == "old_password"
