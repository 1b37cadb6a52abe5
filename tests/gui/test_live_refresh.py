"""Another PC's change reaches an open window within seconds (issue #15 item 14): the list
refreshes and an open editor of the changed record says who changed it and offers Reload."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from cqms_desktop.domain.enums import Department
from cqms_desktop.store.models import Visit
from tests.gui.gui_data import make_actor
from tests.remote_writer import run_elsewhere

NEW = "Changed on PC 2 另一台电脑修改"


def _text(widget) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


def test_another_pcs_change_refreshes_the_list_and_flags_the_open_editor(
    qtbot, window, sample, database, ops
):
    make_actor(Department.SALES, name="li.na")
    visit_id = sample.visits[0]
    view = window.views["visits"]
    window.select_tab("visits")
    ops()
    editor = view.open_record(visit_id)
    qtbot.waitExposed(editor)
    assert not editor.changed_elsewhere.isVisible()

    run_elsewhere(database.url, "li.na", visit_id, NEW)  # a second process: another PC

    # The window's own poll (every few seconds) finds it: no click, no restart.
    qtbot.waitUntil(editor.changed_elsewhere.isVisible, timeout=15000)
    assert "li.na" in editor.changed_elsewhere.label.text()
    row = view.model.rowOfId(visit_id)
    qtbot.waitUntil(lambda: NEW in str(view.model.rowRecord(view.model.rowOfId(visit_id))),
                    timeout=15000)  # fmt: skip
    assert row >= 0
    purpose = editor.inputs["purpose"]
    assert isinstance(purpose, QLineEdit | QPlainTextEdit) and _text(purpose) != NEW
    editor.changed_elsewhere.reload_button.click()
    assert _text(purpose) == NEW and not editor.changed_elsewhere.isVisible()
    assert editor.opened_version == Visit.get_by_id(visit_id).version  # a save now works
    editor.close()
