"""ui.operations: one database worker; QueryOp / CollectionOp results on the GUI thread."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.services.registers import COMPLAINTS, Filter
from cqms_desktop.store import db as dbmod
from cqms_desktop.ui.operations import CollectionOp, LatestOnly, QueryOp, database_worker


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_reads_run_on_one_worker_thread_and_results_arrive_on_the_gui_thread(
    qtbot, sample, parent, ops
):
    threads: list[threading.Thread] = []
    results: list[tuple[int, bool]] = []

    def read() -> int:
        threads.append(threading.current_thread())
        return COMPLAINTS.count(Filter())

    for _ in range(3):
        QueryOp(
            parent,
            read,
            lambda n: results.append((n, QThread.currentThread() is parent.thread())),
        ).run_in_background()
    assert results == []  # nothing ran on the GUI thread
    ops()
    assert results == [(7, True)] * 3
    assert len(set(threads)) == 1 and threads[0] is not threading.main_thread()


def test_only_the_newest_of_a_guard_is_delivered(qtbot, database, parent, ops):
    guard = LatestOnly()
    seen: list[str] = []
    for name in ("A", "B", "C"):
        QueryOp(parent, lambda n=name: n, seen.append).latest_of(guard).run_in_background()
    ops()
    assert seen == ["C"]


def test_a_result_for_a_deleted_widget_is_dropped(qtbot, database, ops):
    seen: list[int] = []
    widget = QWidget()
    QueryOp(widget, lambda: 1, seen.append).run_in_background()
    shiboken6.delete(widget)  # closed before the result could be delivered
    ops()
    assert seen == []


def test_a_refusal_is_shown_to_the_user(qtbot, database, parent, ops):
    def refuse() -> None:
        raise ValidationError("Nope.")

    CollectionOp(parent, refuse).run_in_background()
    ops()
    boxes = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and boxes[0].text() == "Nope."
    boxes[0].close()


@pytest.mark.logged_errors
def test_an_unexpected_error_is_logged_and_shown(
    qtbot, database, parent, ops, fail_on_logged_errors
):
    def crash() -> None:
        raise ZeroDivisionError("boom")

    CollectionOp(parent, crash).run_in_background()
    ops()
    assert any("boom" in str(r.exc_info[1]) for r in fail_on_logged_errors.records if r.exc_info)
    boxes = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "ZeroDivisionError: boom" in boxes[0].text()
    boxes[0].close()


def test_a_failure_callback_replaces_the_default_and_success_is_not_called(
    qtbot, database, parent, ops
):
    failures: list[BaseException] = []
    successes: list[object] = []

    def refuse() -> None:
        raise ValidationError("Nope.")

    CollectionOp(parent, refuse).success(successes.append).failure(
        failures.append
    ).run_in_background()
    ops()
    assert successes == [] and [str(e) for e in failures] == ["Nope."]
    assert not parent.findChildren(QMessageBox)


def test_the_busy_cursor_shows_while_the_user_waits(qtbot, database, parent, ops):
    release = threading.Event()
    QueryOp(
        parent, lambda: release.wait(10), lambda _r: None
    ).with_busy_cursor().run_in_background()
    assert QApplication.overrideCursor() is not None
    release.set()
    ops()
    assert QApplication.overrideCursor() is None


def test_a_read_queued_for_a_closed_database_does_not_run_on_the_next(
    qtbot, database, parent, ops, tmp_path
):
    release = threading.Event()
    ran: list[str] = []
    delivered: list[object] = []
    worker = database_worker()
    QueryOp(parent, lambda: release.wait(10), delivered.append).run_in_background()  # occupies it
    QueryOp(parent, lambda: ran.append("stale"), delivered.append).run_in_background()
    dbmod.open_database(dbmod.sqlite_url(tmp_path / "next.sqlite3"))  # the user switches
    release.set()
    ops()
    assert ran == [] and delivered == [True]
    assert worker.is_idle()
