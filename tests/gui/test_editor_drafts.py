"""Drafts: what a user typed in a record editor survives a crash (the editor destroyed without
closing) and a lost database connection, is offered back on the next opening, and never
overwrites a change someone else saved meanwhile.

The data folder is the test's own (``CQMS_DATA_DIR``, see ``tests/gui/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

import peewee
import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from cqms_desktop import paths
from cqms_desktop.domain.clock import to_local
from cqms_desktop.domain.enums import Department
from cqms_desktop.services import feedback as feedback_service
from cqms_desktop.services.database import DatabaseInfo
from cqms_desktop.store import audit
from cqms_desktop.store.models import Feedback, Visit
from cqms_desktop.ui.editors import drafts, questions
from cqms_desktop.ui.editors.questions import Answer
from cqms_desktop.ui.editors.record_editor import RecordEditor
from tests.gui.gui_data import make_actor
from tests.gui.test_editor_guard import KINDS, TYPED, Questions, open_from_list, type_text

pytestmark = pytest.mark.gui


@pytest.fixture
def window_actor():
    """Sales, who may edit every kind of record of the sample."""
    return make_actor(Department.SALES)


@pytest.fixture
def asked(monkeypatch) -> Iterator[Questions]:
    """Every question goes here; a test queues the answers."""
    fake = Questions()
    monkeypatch.setattr(questions, "ask", fake)
    yield fake
    fake.finished = True


@pytest.fixture
def quick_drafts(monkeypatch) -> None:
    """Drafts written 50 ms after the last keystroke instead of 1.5 s (one test keeps the
    real delay)."""
    monkeypatch.setattr(RecordEditor, "DRAFT_DELAY_MS", 50)


def crash(editor: RecordEditor) -> None:
    """The program dies with the editor open: the widget goes without any close event."""
    shiboken6.delete(editor)
    QApplication.processEvents()


def test_drafts_live_in_the_data_folder_per_database_and_user(database, monkeypatch):
    path = drafts.draft_path("visit", 7, "zhang.wei")
    assert path.name == "visit-7.json"
    assert path.parent.name == "zhang.wei"
    assert path.parent.parent.parent == paths.data_dir() / "drafts"
    assert drafts.draft_path("visit", None, "zhang.wei").name == "visit-new.json"
    assert drafts.draft_path("visit", 7, "liu.yang").parent != path.parent  # another user's
    for odd in ("../王", "..", "a/b"):
        folder = drafts.draft_path("visit", 7, odd).parent
        assert folder.parent == path.parent.parent and folder.name.startswith("u-")
    other = DatabaseInfo("postgresql://cqms@server/cqms", "postgresql", "cqms@server/cqms")
    monkeypatch.setattr(drafts, "current", lambda: other)
    assert drafts.draft_path("visit", 7, "zhang.wei").parent != path.parent  # another database


@pytest.mark.usefixtures("quick_drafts")
@pytest.mark.parametrize("name", sorted(KINDS))
def test_typed_input_survives_a_crash_and_is_restored(qtbot, window, sample, asked, name):
    kind = KINDS[name]
    record_id = kind.record_id(sample)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, kind.input(editor), TYPED)
    path = drafts.draft_path(kind.record, record_id, window.actor.username)
    qtbot.waitUntil(path.exists, timeout=3000)
    crash(editor)
    assert path.exists()  # nothing deleted it on the way down

    asked.answers = [Answer.RESTORE]
    again = open_from_list(qtbot, window, kind, record_id)
    assert len(asked.asked) == 1
    title, text, answers = asked.asked[0]
    assert (title, answers) == ("Unsaved changes found", (Answer.RESTORE, Answer.DISCARD))
    saved_at = drafts.read_draft(kind.record, record_id, window.actor.username).saved_at
    assert f"from {to_local(saved_at):%Y-%m-%d %H:%M}" in text
    shown = kind.input(again)
    value = shown.toPlainText() if hasattr(shown, "toPlainText") else shown.text()
    assert value.endswith(TYPED)
    assert again.is_dirty()

    assert again.save()
    assert kind.stored(record_id).endswith(TYPED.strip())
    assert not path.exists()  # saved: the draft is gone
    again.close()
    assert len(asked.asked) == 1  # saved: closing asks nothing


def test_the_draft_is_written_a_moment_after_typing_stops(qtbot, window, sample, asked):
    kind = KINDS["complaint"]
    record_id = kind.record_id(sample)
    editor = open_from_list(qtbot, window, kind, record_id)
    path = drafts.draft_path("complaint", record_id, window.actor.username)
    type_text(qtbot, kind.input(editor), TYPED)
    assert not path.exists()  # not on every keystroke
    qtbot.waitUntil(path.exists, timeout=RecordEditor.DRAFT_DELAY_MS + 2000)
    assert (
        drafts.read_draft("complaint", record_id, window.actor.username)
        .values["description"]
        .endswith(TYPED)
    )
    # Typed back to what was loaded: nothing unsaved, no draft.
    kind.input(editor).setPlainText(kind.stored(record_id))
    qtbot.waitUntil(lambda: not path.exists(), timeout=RecordEditor.DRAFT_DELAY_MS + 2000)
    editor.close()
    assert asked.asked == []


@pytest.mark.usefixtures("quick_drafts")
@pytest.mark.parametrize("name", ["visit", "complaint"])
def test_a_new_records_draft_is_offered_for_the_next_new_record(qtbot, window, sample, asked, name):
    kind = KINDS[name]
    editor = open_from_list(qtbot, window, kind, None)
    type_text(qtbot, kind.input(editor), "Half typed")
    path = drafts.draft_path(kind.record, None, window.actor.username)
    qtbot.waitUntil(path.exists, timeout=3000)
    crash(editor)

    asked.answers = [Answer.RESTORE]
    again = open_from_list(qtbot, window, kind, None)
    shown = kind.input(again)
    value = shown.toPlainText() if hasattr(shown, "toPlainText") else shown.text()
    assert value == "Half typed"
    asked.answers = [Answer.DISCARD]
    again.close()
    assert not path.exists()


@pytest.mark.usefixtures("quick_drafts")
def test_discarding_the_offer_deletes_the_draft(qtbot, window, sample, asked):
    kind = KINDS["service"]
    record_id = kind.record_id(sample)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, kind.input(editor), TYPED)
    qtbot.waitUntil(
        drafts.draft_path("service", record_id, window.actor.username).exists, timeout=3000
    )
    crash(editor)
    asked.answers = [Answer.DISCARD]
    again = open_from_list(qtbot, window, kind, record_id)
    assert not kind.input(again).text().endswith(TYPED)
    assert not again.is_dirty()
    assert drafts.read_draft("service", record_id, window.actor.username) is None
    again.close()
    open_from_list(qtbot, window, kind, record_id).close()
    assert len(asked.asked) == 1  # not offered again


@pytest.mark.usefixtures("quick_drafts")
def test_a_restored_draft_does_not_overwrite_a_newer_change(qtbot, window, sample, asked):
    kind = KINDS["feedback"]
    record_id = kind.record_id(sample)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, editor.caller, "Mr. Wang")
    qtbot.waitUntil(
        drafts.draft_path("feedback", record_id, window.actor.username).exists, timeout=3000
    )
    crash(editor)
    # Meanwhile a colleague corrects the same feedback on another PC.
    fresh = Feedback.get_by_id(record_id)
    feedback_service.update_feedback(
        make_actor(Department.SALES, name="colleague"),
        feedback_id=record_id,
        version=fresh.version,
        caller="Ms. Li",
    )

    asked.answers = [Answer.RESTORE]
    again = open_from_list(qtbot, window, kind, record_id)
    assert again.caller.text() == "Mr. Wang"
    assert again.opened_version == fresh.version  # the version the draft was typed on
    assert not again.save()  # refused as a conflict, not saved over the colleague's change
    assert "Changed by someone else" in again.fields.message_box.windowTitle()
    again.fields.message_box.close()
    assert Feedback.get_by_id(record_id).caller == "Ms. Li"
    assert (
        drafts.read_draft("feedback", record_id, window.actor.username).values["caller"]
        == "Mr. Wang"
    )
    asked.finished = True


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_save_without_the_database_keeps_the_input_locally(
    qtbot, window, sample, asked, monkeypatch, name
):
    kind = KINDS[name]
    record_id = kind.record_id(sample)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, kind.input(editor), TYPED)

    def unreachable(*_args, **_kwargs):
        raise peewee.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(audit, "update", unreachable)
    assert not editor.save()
    box = editor.message_box
    assert box is not None and box.isVisible()
    assert "cannot be reached" in box.text()
    assert "kept on this PC" in box.informativeText()
    box.close()
    draft = drafts.read_draft(kind.record, record_id, window.actor.username)
    assert draft is not None and str(draft.values[kind.field]).endswith(TYPED)
    assert editor.isVisible() and editor.is_dirty()
    before = kind.stored(record_id)
    assert not before.endswith(TYPED.strip())

    # The connection is back: saving now works and the draft goes.
    monkeypatch.undo()
    monkeypatch.setattr(questions, "ask", asked)
    assert editor.save()
    assert kind.stored(record_id).endswith(TYPED.strip())
    assert drafts.read_draft(kind.record, record_id, window.actor.username) is None


@pytest.mark.usefixtures("quick_drafts")
@pytest.mark.clock_at("2027-03-01T10:00")  # the sample's numbers are 2026's: no clash
def test_a_new_visit_saved_removes_the_new_draft(qtbot, window, sample, asked):
    editor = open_from_list(qtbot, window, KINDS["visit"], None)
    editor.customer.set_customer(sample.customers[0])
    type_text(qtbot, editor.purpose, "Audit of the new line")
    qtbot.waitUntil(drafts.draft_path("visit", None, window.actor.username).exists, timeout=3000)
    assert editor.save()
    assert not drafts.draft_path("visit", None, window.actor.username).exists()
    assert not drafts.draft_path("visit", editor.record_id, window.actor.username).exists()
    assert Visit.get_by_id(editor.record_id).purpose == "Audit of the new line"
    editor.close()
    assert asked.asked == []


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_save_runs_on_the_database_worker_and_the_window_keeps_painting(
    qtbot, window, sample, asked, monkeypatch, name
):
    import threading
    import time

    from PySide6.QtCore import QTimer

    kind = KINDS[name]
    record_id = kind.record_id(sample)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, kind.input(editor), TYPED)
    threads: list[threading.Thread] = []
    real_update = audit.update

    def slow_update(*args, **kwargs):
        threads.append(threading.current_thread())
        time.sleep(0.3)  # a slow server
        return real_update(*args, **kwargs)

    monkeypatch.setattr(audit, "update", slow_update)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    assert editor.save()
    timer.stop()
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert len(ticks) >= 5  # the GUI thread ran its timers while the worker saved
    assert kind.stored(record_id).endswith(TYPED.strip())
    assert not editor.is_dirty()


def test_a_save_whose_answer_is_dropped_does_not_hang(qtbot, window, sample, asked, monkeypatch):
    """The worker drops the answer of a call queued for a database the program has switched
    away from; the editor must not wait for it forever."""
    from cqms_desktop.services.database import open_connection_target
    from cqms_desktop.ui.operations import database_worker, wait
    from cqms_desktop.ui.operations.worker import Task

    class DroppedOp:
        def __init__(self, _parent, fn) -> None:
            self.fn = fn

        def success(self, _callback):
            return self

        def failure(self, _callback):
            return self

        def with_busy_cursor(self):
            return self

        def run_in_background(self) -> None:
            database_worker().submit(Task(self.fn, lambda _r, _e: None, open_connection_target()))

    kind = KINDS["visit"]
    record_id = kind.record_id(sample)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, kind.input(editor), TYPED)
    monkeypatch.setattr(wait, "CollectionOp", DroppedOp)
    assert not editor.save()
    assert "database connection changed" in editor.message_box.text()
    assert "kept on this PC" in editor.message_box.informativeText()
    editor.message_box.close()
    assert drafts.read_draft("visit", record_id, window.actor.username) is not None
    asked.finished = True
