"""Lists export what they show to Excel: through the real button, in a background job."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QPushButton, QToolButton

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import Department
from cqms_desktop.services.registers import COMPLAINTS, Filter
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Complaint, Customer
from cqms_desktop.ui import export_actions
from cqms_desktop.ui.register_model import format_value
from cqms_desktop.ui.register_view import RegisterView
from tests.gui.gui_data import make_actor

pytestmark = pytest.mark.gui


@pytest.fixture
def list_window(qtbot, sample, ops):
    """A bare QMainWindow holding one complaints list (the status bar shows export results),
    not the application's main window that the shared ``window`` fixture opens."""
    win = QMainWindow()
    view = RegisterView(COMPLAINTS, make_actor(Department.QA), win, settings_key="export_test")
    win.setCentralWidget(view)
    win.resize(1200, 600)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    ops()  # the list is read on the database worker
    return win


def export_button(view: RegisterView) -> QToolButton:
    """The tool button that carries the view's "Export to Excel…" action."""
    buttons = [b for b in view.findChildren(QToolButton) if b.defaultAction() is view.export_action]
    assert len(buttons) == 1
    return buttons[0]


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """The file dialog answers with a file in the test folder (typed without .xlsx)."""
    target = tmp_path / "out" / "complaints"
    target.parent.mkdir()
    asked: list[str] = []

    def answer(_parent, _title, suggested, _pattern):
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return target.with_name("complaints.xlsx"), asked


def shown_text(value, column) -> str:
    """An exported cell written back as the list shows it (to compare with the model)."""
    if value is None:
        return ""
    if column.kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M")
    if column.kind == "date":
        return value.strftime("%Y-%m-%d")
    if column.kind == "bool":
        return format_value(column, value)
    if column.kind == "decimal":
        return f"{Decimal(str(value)):.2f}"
    return str(value)


def test_exports_the_filtered_sorted_list_with_its_visible_columns(
    qtbot, list_window, save_as, monkeypatch, ops
):
    view: RegisterView = list_window.centralWidget()
    target, asked = save_as
    # Filter: normal complaints only; sort: by customer code descending (header click);
    # layout: "Customer" moved to the front, "Part number" hidden.
    view.apply_filter(Filter(extra={"severity": "normal"}))
    header = view.table.horizontalHeader()
    code_col = view.model.columnOfKey("customer_code")
    view.table.sortByColumn(code_col, Qt.SortOrder.DescendingOrder)
    header.moveSection(header.visualIndex(view.model.columnOfKey("customer")), 0)
    header.hideSection(view.model.columnOfKey("part_number"))
    ops()
    while view.model.canFetchMore():
        view.model.fetchMore()
        ops()
    assert view.model.sortKey() == ("customer_code", True)
    expected_rows = view.model.rowCount()
    assert 0 < expected_rows < Complaint.select().count()

    qtbot.mouseClick(export_button(view), Qt.MouseButton.LeftButton)
    job = view.export_job
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30000):
        pass
    assert job.outcome.succeeded and job.outcome.result == expected_rows
    assert asked and asked[0].endswith(".xlsx")
    assert target.exists()

    # The message offers to open the file; the status bar tells how many rows.
    message = view.export_message
    assert isinstance(message, QMessageBox) and message.isVisible()
    assert f"{expected_rows} row(s) exported" in message.text()
    assert f"{expected_rows} row(s) exported" in list_window.statusBar().currentMessage()
    opened: list[str] = []
    monkeypatch.setattr(
        export_actions.QDesktopServices,
        "openUrl",
        staticmethod(lambda url: opened.append(url.toLocalFile()) or True),
    )
    message.findChild(QPushButton, "openFolder").click()
    message.findChild(QPushButton, "openFile").click()
    assert opened == [str(target.parent), str(target)]

    columns = view.model.columns()
    visible = [
        header.logicalIndex(v)
        for v in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(v))
    ]
    wb = load_workbook(target)
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    titles = [view.model.headerData(i, Qt.Orientation.Horizontal) for i in visible]
    assert list(rows[0]) == titles
    assert titles[0] == "Customer" and "Part number" not in titles
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{chr(ord('A') + len(visible) - 1)}{expected_rows + 1}"
    assert len(rows) == expected_rows + 1
    for r, values in enumerate(rows[1:]):
        shown = [view.model.index(r, i).data() for i in visible]
        assert [shown_text(v, columns[i]) for v, i in zip(values, visible, strict=True)] == shown
    # Real Excel dates, not text.
    received = titles.index("Received")
    assert isinstance(rows[1][received], dt.datetime)
    wb.close()


def add_complaints(count: int) -> None:
    """*count* more complaints, inserted in bulk (the export needs several chunks)."""
    customer = Customer.select().first()
    now = utcnow()
    rows = [
        {
            "number": f"CC-BULK-{i:05d}",
            "customer": customer.id,
            "received_at": now - dt.timedelta(minutes=i),
            "description": "bulk",
            "due_at": now + dt.timedelta(days=7),
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]
    with write_transaction():
        for start in range(0, count, 500):
            Complaint.insert_many(rows[start : start + 500]).execute()


def test_cancelling_a_long_export_leaves_no_file_and_the_window_responsive(
    qtbot, list_window, save_as, monkeypatch, ops
):
    view: RegisterView = list_window.centralWidget()
    target, _asked = save_as
    add_complaints(4500)  # three chunks of 2,000 rows
    view.refresh()
    ops()
    # The export's second chunk waits until the test has pressed Cancel: a "long" export
    # without a sleep, so the test cannot race it.
    reached, release = threading.Event(), threading.Event()
    real_page = COMPLAINTS.page

    def slow_page(flt, **kw):
        if threading.current_thread() is not threading.main_thread() and kw.get("offset"):
            reached.set()
            release.wait(20)
        return real_page(flt, **kw)

    monkeypatch.setattr(COMPLAINTS, "page", slow_page)

    qtbot.mouseClick(export_button(view), Qt.MouseButton.LeftButton)
    job = view.export_job
    qtbot.waitUntil(reached.is_set, timeout=20000)
    qtbot.waitUntil(job.dialog.isVisible, timeout=10000)

    # The window still answers while the export runs: timers fire; a re-query is queued
    # behind the export on the one database worker (database calls are serialised).
    ticked: list[bool] = []
    QTimer.singleShot(10, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=5000)
    view.filter_bar.search.setText("CC-BULK-0000")
    view.apply_controls()
    assert view.model.isLoading()
    assert job.is_running()
    assert not view.export_action.isEnabled()  # one export of a list at a time

    cancel = job.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.isVisible()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    with qtbot.waitSignal(job.finished, timeout=30000):
        pass
    assert job.outcome.cancelled
    ops()  # the queued re-query ran after the export
    assert view.model.totalCount() == 10  # CC-BULK-00000 … CC-BULK-00009
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no partial file either
    assert "cancelled" in list_window.statusBar().currentMessage()
    assert view.export_message is None
    assert view.export_action.isEnabled()
    QCoreApplication.processEvents()


def test_a_file_that_cannot_be_written_gives_a_clear_message(qtbot, list_window, tmp_path):
    view: RegisterView = list_window.centralWidget()
    blocked = tmp_path / "locked.xlsx"
    blocked.mkdir()  # a folder where the file should go: the final rename fails
    job = export_actions.export_register_view(view, blocked)
    with qtbot.waitSignal(job.finished, timeout=30000):
        pass
    assert job.outcome.error is not None
    box = view.export_message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "locked.xlsx" in box.text() and "could not be written" in box.text()
    assert "failed" in list_window.statusBar().currentMessage()
    box.close()


def test_no_file_chosen_means_no_export(qtbot, list_window, monkeypatch):
    view: RegisterView = list_window.centralWidget()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert view.export_to_excel() is None
    assert view.export_job is None


def test_shown_column_keys_follow_the_header(qtbot, list_window):
    view: RegisterView = list_window.centralWidget()
    header = view.table.horizontalHeader()
    keys = [c.key for c in view.model.columns()]
    assert export_actions.shown_column_keys(view) == keys
    header.moveSection(header.visualIndex(keys.index("status")), 0)
    header.hideSection(keys.index("number"))
    shown = export_actions.shown_column_keys(view)
    assert shown[0] == "status" and "number" not in shown
    assert sorted(shown) == sorted(k for k in keys if k != "number")


def test_file_names_are_safe():
    assert export_actions.safe_file_part(" Customer complaints / 顾客抱怨 ") == (
        "Customer-complaints---顾客抱怨"
    )
    assert export_actions.safe_file_part("../..") == "export"


def test_a_job_that_ends_while_its_progress_dialog_updates_finishes_afterwards(qtbot):
    """QProgressDialog.setValue() processes events once a modal dialog is shown: the job's
    end, delivered from in there, must wait until setValue() has returned (it deletes the
    dialog: deleting it under setValue() crashed the program)."""
    import threading

    from PySide6.QtWidgets import QWidget

    from cqms_desktop.ui import jobs
    from cqms_desktop.ui.operations.worker import Task, database_worker

    parent = QWidget()
    qtbot.addWidget(parent)
    job = jobs.start_job(parent, "Export", lambda progress, _cancelled: progress(1, 2) or 7)
    # The worker is serial: once a task queued after the job runs, the job's progress and
    # its end are both queued to the GUI thread.
    ran = threading.Event()
    database_worker().submit(Task(ran.set, lambda _result, _error: None))
    assert ran.wait(10)
    steps: list[str] = []
    real_set_value = job.dialog.setValue

    def set_value(value: int) -> None:
        steps.append("setValue")
        QCoreApplication.processEvents()  # as a shown, modal QProgressDialog does
        real_set_value(value)
        steps.append("setValue done")

    job.dialog.setValue = set_value
    seen_at_end: list[list[str]] = []
    job.finished.connect(lambda: seen_at_end.append(list(steps)))
    outcome = job.wait(10000)
    assert outcome is not None and outcome.succeeded and outcome.result == 7
    assert seen_at_end == [["setValue", "setValue done"]]
