"""The "My work" tab as each department sees it: lines, overdue marks, counts, opening."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cqms_desktop.domain.enums import Department
from cqms_desktop.services import my_work
from cqms_desktop.ui.my_work_view import MyWorkView

pytestmark = pytest.mark.gui


def make_view(qtbot, actor) -> MyWorkView:
    view = MyWorkView(actor)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_qa_sees_its_complaints_overdue_first_with_counts(qtbot, actors, sample, ops):
    qa = actors[Department.QA]
    view = make_view(qtbot, qa)
    with qtbot.waitSignal(view.countsChanged) as counted:
        view.refresh()  # read on the database worker
    expected = my_work.my_work(qa)
    total, overdue = my_work.counts(expected)
    assert counted.args == [total, overdue] and overdue >= 1
    assert view.tree.topLevelItemCount() == total
    numbers = [view.tree.topLevelItem(i).text(1) for i in range(total)]
    assert numbers == [item.number for item in expected]
    first = view.tree.topLevelItem(0)
    assert first.toolTip(0) == "Overdue" and not first.icon(0).isNull()
    assert first.data(0, Qt.ItemDataRole.UserRole)[1] in sample.overdue
    assert f"{total} waiting" in view.summary.text()


def test_an_empty_list_says_so(qtbot, actors, ops):
    view = make_view(qtbot, actors[Department.TECHNICAL])
    view.refresh()
    ops()
    assert view.tree.topLevelItemCount() == 0
    assert view.summary.text() == "Nothing waits for you."


def test_activating_a_line_opens_its_record(qtbot, actors, sample, ops):
    opened = []
    view = MyWorkView(actors[Department.QA], opener=lambda kind, rid: opened.append((kind, rid)))
    qtbot.addWidget(view)
    view.refresh()
    ops()
    row = view.tree.topLevelItem(0)
    view.tree.itemActivated.emit(row, 0)
    assert opened == [row.data(0, Qt.ItemDataRole.UserRole)]
    assert opened[0][0] == "complaint"


def test_the_real_editor_opens_from_the_list(qtbot, actors, sample, ops):
    view = make_view(qtbot, actors[Department.QA])
    view.refresh()
    ops()
    editor = view.open_row(0)
    qtbot.addWidget(editor)
    assert editor.windowTitle().endswith(view.tree.topLevelItem(0).text(1))


# ---------------------------------------------------------------- in the main window
def test_the_window_opens_on_my_work_with_its_counts(qtbot, window, ops):
    ops()
    assert window.current_tab() == "my_work"
    total, overdue = my_work.counts(my_work.my_work(window.actor))
    assert window.tabs.tabText(0) == f"My work ({total})"
    assert window.work_label.text() == f"My work: {total} waiting, {overdue} overdue"


def test_a_new_duty_appears_after_the_change(qtbot, window, sample, ops):
    """A countermeasure for QA saved (here or, through a refresh, on another PC) shows up."""
    from cqms_desktop.domain import clock
    from cqms_desktop.services.base import unit_of_work
    from cqms_desktop.store import audit
    from cqms_desktop.store.models import CorrectiveAction

    ops()
    before = window.my_work.tree.topLevelItemCount()
    with unit_of_work("complaint"):
        audit.create(
            CorrectiveAction,
            "system",
            complaint=sample.on_time[0],
            action_type="inspection",
            description="Check every lot for burrs",
            department="qa",
            due_date=clock.today(),
        )
    qtbot.waitUntil(lambda: window.my_work.tree.topLevelItemCount() == before + 1)
    abouts = [
        window.my_work.tree.topLevelItem(i).text(4)
        for i in range(window.my_work.tree.topLevelItemCount())
    ]
    assert "Check every lot for burrs" in abouts


def test_a_line_opens_its_record_through_the_list_of_its_kind(qtbot, window, monkeypatch, ops):
    ops()
    opened = []
    monkeypatch.setattr(
        window.views["complaints"], "open_record", lambda rid: opened.append(rid) or rid
    )
    row = window.my_work.tree.topLevelItem(0)
    window.my_work.tree.itemActivated.emit(row, 0)
    assert opened == [row.data(0, Qt.ItemDataRole.UserRole)[1]]
