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


def test_qa_sees_its_complaints_overdue_first_with_counts(qtbot, actors, sample):
    qa = actors[Department.QA]
    view = make_view(qtbot, qa)
    with qtbot.waitSignal(view.countsChanged) as counted:
        view.refresh()
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


def test_an_empty_list_says_so(qtbot, actors):
    view = make_view(qtbot, actors[Department.TECHNICAL])
    view.refresh()
    assert view.tree.topLevelItemCount() == 0
    assert view.summary.text() == "Nothing waits for you."


def test_activating_a_line_opens_its_record(qtbot, actors, sample):
    opened = []
    view = MyWorkView(actors[Department.QA], opener=lambda kind, rid: opened.append((kind, rid)))
    qtbot.addWidget(view)
    view.refresh()
    row = view.tree.topLevelItem(0)
    view.tree.itemActivated.emit(row, 0)
    assert opened == [row.data(0, Qt.ItemDataRole.UserRole)]
    assert opened[0][0] == "complaint"


def test_the_real_editor_opens_from_the_list(qtbot, actors, sample):
    view = make_view(qtbot, actors[Department.QA])
    view.refresh()
    editor = view.open_row(0)
    qtbot.addWidget(editor)
    assert editor.windowTitle().endswith(view.tree.topLevelItem(0).text(1))
