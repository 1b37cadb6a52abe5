"""The General Manager signs a management review off from the dashboard; a later export of
that period re-prints the kept workbook and lists what differs today."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import Department
from cqms_desktop.services import review_signoffs
from cqms_desktop.services.base import Actor
from tests.gui.gui_data import make_actor


@pytest.fixture
def window_actor() -> Actor:
    return make_actor(Department.GENERAL_MANAGER)


def _export(qtbot, dash, monkeypatch, target, *, period: str, sign: bool) -> QMessageBox:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    qtbot.mouseClick(dash.review_button, Qt.MouseButton.LeftButton)
    dialog = dash.review_dialog
    assert dialog.sign_off.isVisibleTo(dialog)  # offered to the General Manager
    dialog.period_edit.setText(period)
    assert not dialog.sign_off_note.isEnabled()
    if sign:
        dialog.sign_off.setChecked(True)
        assert dialog.sign_off_note.isEnabled()
        dialog.sign_off_note.setText("Management meeting")
    dash.review_job = None
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dash.review_job is not None, timeout=5000)
    job = dash.review_job
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    assert job.outcome.succeeded, job.outcome.error
    message = dash.review_message
    assert isinstance(message, QMessageBox)
    return message


def test_the_general_manager_signs_off_and_a_later_export_reprints(
    qtbot, window, tmp_path, monkeypatch
):
    today = clock.today()
    last_year = str(today.year - 1)  # a period that has ended, whatever day the suite runs
    dash = window.dashboard
    signed = _export(qtbot, dash, monkeypatch, tmp_path / "signed.xlsx", period=last_year,
                     sign=True)  # fmt: skip
    assert "signed off" in signed.text()
    kept = review_signoffs.signed_review(last_year)
    assert kept is not None and kept.note == "Management meeting"
    assert kept.workbook == (tmp_path / "signed.xlsx").read_bytes()
    again = _export(qtbot, dash, monkeypatch, tmp_path / "again.xlsx", period=last_year,
                    sign=False)  # fmt: skip
    assert "re-printed as signed" in again.text()
    assert (tmp_path / "again.xlsx").read_bytes() == kept.workbook


def test_others_are_not_offered_the_sign_off(qtbot, window, monkeypatch):
    from cqms_desktop.ui.export_actions import ReviewExportDialog

    dialog = ReviewExportDialog(window, can_sign_off=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.sign_off.isVisible() and not dialog.sign_off_note.isVisible()
