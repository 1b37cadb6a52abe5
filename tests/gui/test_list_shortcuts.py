"""Ctrl+N / Ctrl+F / Ctrl+P act on the shown list wherever the focus is in the window: right
after switching tabs (focus on the tab bar), and on the pages beside a list (the visit plan)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cqms_desktop.ui import batch_print

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def opened(window, monkeypatch):
    """Every list's open_record records (kind, record id) instead of opening an editor."""
    calls: list[tuple[str, int | None]] = []
    for kind, view in window.views.items():
        monkeypatch.setattr(view, "open_record", lambda rid, k=kind: calls.append((k, rid)))
    return calls


@pytest.fixture
def printed(monkeypatch):
    """open_batch_print records the list it was asked for."""
    calls: list[str] = []
    monkeypatch.setattr(
        batch_print, "open_batch_print", lambda view: calls.append(view.register.kind)
    )
    return calls


def _switch_on_tab_bar(qtbot, window, name: str):
    """Switch tabs the way a user does with the mouse: the focus ends on the tab bar."""
    bar = window.tabs.tabBar()
    bar.setFocus(Qt.FocusReason.MouseFocusReason)
    window.select_tab(name)
    qtbot.waitUntil(bar.hasFocus)
    return bar


@pytest.mark.parametrize("kind", ["feedback", "complaints", "service"])
def test_ctrl_n_right_after_switching_tabs_creates_in_that_list(qtbot, window, opened, kind):
    bar = _switch_on_tab_bar(qtbot, window, kind)
    qtbot.keyClick(bar, Qt.Key.Key_N, CTRL)
    assert opened == [(kind, None)]  # only the shown list, not the hidden tabs' lists


def test_ctrl_f_right_after_switching_tabs_goes_to_the_search_box(qtbot, window):
    bar = _switch_on_tab_bar(qtbot, window, "complaints")
    qtbot.keyClick(bar, Qt.Key.Key_F, CTRL)
    assert window.views["complaints"].filter_bar.search.hasFocus()


def test_ctrl_p_right_after_switching_tabs_prints_that_list(qtbot, window, printed):
    bar = _switch_on_tab_bar(qtbot, window, "feedback")
    qtbot.keyClick(bar, Qt.Key.Key_P, CTRL)
    assert printed == ["feedback"]


def test_the_shortcuts_on_the_visit_plan_act_on_the_visit_list(qtbot, window, opened, printed):
    bar = _switch_on_tab_bar(qtbot, window, "visit_plan")
    qtbot.keyClick(bar, Qt.Key.Key_N, CTRL)
    assert opened == [("visits", None)]
    qtbot.keyClick(bar, Qt.Key.Key_F, CTRL)
    assert window.current_tab() == "visits"
    assert window.views["visits"].filter_bar.search.hasFocus()
    window.select_tab("visit_plan")
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_P, CTRL)
    assert printed == ["visits"]


def test_no_list_reacts_on_the_dashboard(qtbot, window, opened):
    bar = _switch_on_tab_bar(qtbot, window, "dashboard")
    qtbot.keyClick(bar, Qt.Key.Key_N, CTRL)
    assert opened == []
