"""The main window: tabs, status bar, lists (filter, open, new), layout memory, refresh."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import Department
from cqms_desktop.services import my_work
from cqms_desktop.services.base import unit_of_work
from cqms_desktop.store import audit
from cqms_desktop.store.models import Complaint, ServiceRecord
from cqms_desktop.ui import editors
from cqms_desktop.ui.main_window import TAB_NAMES, MainWindow
from tests.gui.gui_data import make_actor

pytestmark = pytest.mark.gui


@pytest.fixture
def window_actor():
    """The shared ``window`` opens for an administrator of the QA department."""
    return make_actor(Department.QA, is_admin=True)


@pytest.fixture
def no_editors(monkeypatch):
    """Pretend no kind has its own editor yet (other modules may add them)."""
    monkeypatch.setattr(editors, "editor_module", lambda kind: None)


def test_every_tab_can_be_selected_by_name(window):
    assert window.tab_names() == list(TAB_NAMES)
    for name in TAB_NAMES:
        assert window.select_tab(name)
        assert window.current_tab() == name
        assert not window.grab().isNull()
    assert not window.select_tab("no-such-tab")
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    total, _overdue = my_work.counts(my_work.my_work(window.actor))
    assert total > 0
    assert titles == [
        f"My work ({total})",
        "Dashboard",
        "Visits",
        "Feedback",
        "Complaints",
        "Surveys",
        "Service records",
        "Administration",
    ]


def test_only_administrators_see_the_administration_tab(qtbot, database, sample):
    actor = make_actor(Department.SALES)
    win = MainWindow(actor, database)
    qtbot.addWidget(win)
    admin_index = window_index(win, "admin")
    assert not win.tabs.isTabVisible(admin_index)
    assert win.admin is None
    assert not win.select_tab("admin")
    assert "admin" not in win.tab_names()
    assert win.select_tab("complaints")


def window_index(win: MainWindow, name: str) -> int:
    return win.tabs.indexOf(win._tab_widgets[name])


def test_status_bar_names_user_database_and_deadline_counts(window, database):
    assert "Li Qa" in window.user_label.text()
    assert "Quality Assurance Department" in window.user_label.text()
    assert database.display in window.database_label.text()
    assert "network share" not in window.database_label.text()
    assert "overdue: 2" in window.deadline_label.text()
    assert "due soon: 1" in window.deadline_label.text()
    assert window.deadline_icon.isVisible()  # not colour alone


def test_a_database_on_a_network_share_is_pointed_out(qtbot, database, sample):
    actor = make_actor(Department.QA, is_admin=True)
    shared = replace(database, network_share=True, warnings=["The database file is on a share."])
    win = MainWindow(actor, shared)
    qtbot.addWidget(win)
    assert "(on a network share)" in win.database_label.text()
    assert "on a share" in win.database_label.toolTip()


def test_lists_and_status_bar_refresh_after_a_committed_change(qtbot, window, sample):
    window.select_tab("complaints")
    view = window.views["complaints"]
    assert view.model.totalCount() == 7
    with unit_of_work("complaint"):
        audit.create(
            Complaint,
            "system",
            number="CC-2026-0100",
            customer=sample.customers[0],
            received_at=utcnow() - timedelta(days=9),
            description="late",
            due_at=utcnow() - timedelta(days=2),
        )
    qtbot.waitUntil(lambda: view.model.totalCount() == 8)
    assert view.count_label.text() == "8 records"
    qtbot.waitUntil(lambda: "overdue: 3" in window.deadline_label.text())
    # A hidden list catches up when it is shown again.
    visits = window.views["visits"]
    assert not visits.isVisible()
    assert visits._dirty


def test_free_text_filter_is_applied_shortly_after_typing(qtbot, window):
    window.select_tab("complaints")
    view = window.views["complaints"]
    qtbot.keyClicks(view.filter_bar.search, "Acme")
    assert view.model.totalCount() == 7  # not yet: the search waits for typing to stop
    qtbot.waitUntil(lambda: view.model.totalCount() == 2)
    assert view.count_label.text() == "2 records"


def test_status_customer_and_complaint_toggles_filter_in_sql(qtbot, window, sample, ops):
    window.select_tab("complaints")
    view = window.views["complaints"]
    bar = view.filter_bar
    assert bar.status is not None and bar.customer is not None
    bar.status._actions["registered"].setChecked(True)
    ops()
    assert view.model.totalCount() == 1
    bar.status._actions["investigating"].setChecked(True)
    ops()
    assert view.model.totalCount() == 5
    assert "2" in bar.status.text()
    bar.status.set_selected(())
    bar.status.statusChanged.emit()
    bar.customer.setText("Kunde")
    assert bar.customer.search() == ["C002 — Kunde GmbH"]
    bar.customer._chosen("C002 — Kunde GmbH")
    ops()
    assert view.model.totalCount() == 2
    bar.customer.clear()
    bar.customer.textEdited.emit("")
    ops()
    assert view.model.totalCount() == 7
    bar.overdue.setChecked(True)
    ops()
    assert {view.model.recordId(r) for r in range(view.model.rowCount())} == set(sample.overdue)
    bar.severity.setCurrentIndex(bar.severity.findData("urgent"))
    ops()
    assert view.model.totalCount() == 1


def test_enter_opens_a_read_only_view_when_the_kind_has_no_editor(qtbot, window, no_editors):
    window.select_tab("complaints")
    view = window.views["complaints"]
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    with qtbot.waitSignal(view.opened) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    viewer = view.findChild(editors.RecordViewer)
    assert viewer is not None and viewer.isVisible()
    assert opened.args == [view.model.recordId(0)]
    assert viewer.values["number"] == "CC-2026-0007"
    assert viewer.values["customer"].startswith("C001")
    assert "read only" in viewer.windowTitle()
    viewer.close()


def test_opening_a_record_deleted_elsewhere_says_so_and_refreshes(qtbot, window, no_editors, ops):
    view = window.views["service"]
    record_id = view.model.recordId(0)
    ServiceRecord.delete().where(ServiceRecord.id == record_id).execute()
    assert view.open_record(record_id) is None
    assert "no longer exists" in view.error_box.text()
    ops()
    assert view.model.totalCount() == 0
    view.error_box.close()


def test_new_without_an_editor_says_it_is_not_available(qtbot, window, no_editors):
    window.select_tab("visits")
    view = window.views["visits"]
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    box = view.findChild(QMessageBox)
    assert box is not None and "not available yet" in box.text()
    box.close()


def test_a_kinds_editor_module_is_used_when_it_exists(qtbot, window, monkeypatch):
    calls = []

    class FakeModule:
        @staticmethod
        def open_editor(parent, actor, record_id):
            calls.append((parent, actor.username, record_id))
            return "editor"

    monkeypatch.setattr(
        editors, "editor_module", lambda kind: FakeModule if kind == "surveys" else None
    )
    view = window.views["surveys"]
    assert view.open_record(None) == "editor"
    assert calls == [(view, "qa_admin", None)]


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot, window):
    window.select_tab("feedback")
    view = window.views["feedback"]
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.filter_bar.search.hasFocus()


def test_sorting_a_column_header_sorts_in_sql(qtbot, window, ops):
    window.select_tab("complaints")
    view = window.views["complaints"]
    column = view.model.columnOfKey("customer")
    view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    ops()
    assert view.model.sortKey() == ("customer", False)
    names = [view.model.rowRecord(r)["customer"] for r in range(view.model.rowCount())]
    assert names == sorted(names)


def test_column_layout_and_geometry_are_remembered_per_pc(qtbot, database, sample):
    actor = make_actor(Department.QA, is_admin=True)
    first = MainWindow(actor, database)
    qtbot.addWidget(first)
    header = first.views["complaints"].table.horizontalHeader()
    header.resizeSection(3, 321)
    header.moveSection(3, 0)
    first.resize(700, 500)  # inside the 800×600 off-screen display
    first.close()
    second = MainWindow(actor, database)
    qtbot.addWidget(second)
    header2 = second.views["complaints"].table.horizontalHeader()
    assert header2.sectionSize(3) == 321
    assert header2.visualIndex(3) == 0
    assert (second.size().width(), second.size().height()) == (700, 500)


def test_loading_more_rows_happens_as_the_list_scrolls(qtbot, window, ops):
    view = window.views["complaints"]
    view.model._page_size = 3
    view.model.setFilter(view.model.filter())
    ops()
    assert view.model.rowCount() == 3
    window.select_tab("complaints")
    view.table.scrollToBottom()
    # Each page arrives from the database worker; while the last row is in sight, the view
    # asks for the next one.
    qtbot.waitUntil(lambda: view.model.rowCount() == 7)
    assert not view.model.canFetchMore(QModelIndex())


def test_settings_and_about_open_from_the_menus(qtbot, window):
    opened = window.open_settings()
    assert opened is not None
    opened.close()
    about = window.show_about()
    assert "CQMS Desktop" in about.text()
    about.close()


def test_change_events_from_another_thread_arrive_merged_on_the_gui_thread(qtbot, database):
    import threading

    from PySide6.QtCore import QThread

    from cqms_desktop.services.base import ChangeBus
    from cqms_desktop.ui.change_bridge import ChangeBridge

    bus = ChangeBus()
    bridge = ChangeBridge(bus=bus)
    seen: list[tuple[frozenset[str], bool]] = []
    bridge.changed.connect(
        lambda kinds: seen.append((kinds, QThread.currentThread() is bridge.thread()))
    )

    def worker() -> None:
        bus.emit(["complaint"])
        bus.emit(["customer", "complaint"])

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.wait(100)  # no second event follows: the burst was merged into one
    assert seen == [(frozenset({"complaint", "customer"}), True)]
    bridge.close()
    bus.emit(["complaint"])
    qtbot.wait(100)
    assert len(seen) == 1  # after close nothing arrives


def test_the_window_speaks_chinese_with_the_chinese_catalogue(qtbot, database, sample, ops):
    from cqms_desktop.ui import i18n

    i18n.install_translators("zh_CN")  # the folder's conftest removes it after the test
    win = MainWindow(make_actor(Department.QA, is_admin=True), database)
    qtbot.addWidget(win)
    ops()  # the lists are read on the database worker
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    assert "顾客抱怨" in titles  # glossary: 顾客抱怨 = customer complaint
    assert "质保部" in win.user_label.text()  # glossary: Quality Assurance Department
    view = win.views["complaints"]
    severity = view.model.data(view.model.index(0, view.model.columnOfKey("severity")))
    assert severity in ("急件", "普通件")  # glossary: urgent / normal
    assert view.count_label.text() == "7 条记录"


def test_double_click_opens_the_record(qtbot, window, no_editors):
    window.select_tab("feedback")
    view = window.views["feedback"]
    rect = view.table.visualRect(view.model.index(1, 1))
    # QTest's double click lacks the press before it, which the view needs: click first.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.opened) as opened:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [view.model.recordId(1)]
    viewer = view.findChild(editors.RecordViewer)
    assert viewer is not None
    viewer.close()


def test_a_refresh_keeps_the_scroll_position_and_the_selection(qtbot, window, sample, ops):
    from cqms_desktop.store.models import Feedback

    now = utcnow()
    Feedback.insert_many(
        [
            {
                "number": f"FB-2025-{i:04d}",
                "customer": sample.customers[i % 3],
                "received_at": now - timedelta(days=400 + i),
                "channel": "email",
                "description": f"row {i}",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(300)
        ]
    ).execute()
    window.select_tab("feedback")
    view = window.views["feedback"]
    view.refresh()
    ops()
    view.model.fetchMore(QModelIndex())
    ops()
    assert view.model.rowCount() == 303
    view.select_id(view.model.recordId(250))
    chosen = view.current_id()
    view.table.scrollTo(view.model.index(250, 0))
    position = view.table.verticalScrollBar().value()
    assert position > 0
    with qtbot.waitSignal(view.model.modelReset), unit_of_work("feedback"):
        pass  # a change somewhere: the list re-reads itself
    assert view.model.rowCount() == 303
    assert view.current_id() == chosen
    assert view.table.verticalScrollBar().value() == position
