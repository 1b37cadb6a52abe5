"""First start (company + first administrator, demonstration data on request) and the
background job runner it uses."""

from __future__ import annotations

import sys
import threading
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from cqms_desktop.services import admin
from cqms_desktop.services.base import Actor
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.models import Customer, User
from cqms_desktop.ui import first_run, jobs
from cqms_desktop.ui.first_run import FirstRunDialog

pytestmark = pytest.mark.gui


def fill(qtbot, dialog: FirstRunDialog, **values: str) -> None:
    data = {
        "company_name": "宁波精密机械有限公司",
        "username": "admin",
        "full_name": "王管理",
        "password": "first-secret",
        "password_again": "first-secret",
        **values,
    }
    for name, text in data.items():
        edit = getattr(dialog, name)
        edit.clear()
        if text.isascii():
            qtbot.keyClicks(edit, text)
        else:  # QTest can type only what a keyboard key produces; Chinese comes from an IME
            edit.insert(text)


def make_dialog(qtbot) -> FirstRunDialog:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def test_first_start_creates_the_company_and_the_administrator(qtbot, database):
    assert admin.needs_first_run()
    dialog = make_dialog(qtbot)
    fill(qtbot, dialog)
    qtbot.mouseClick(dialog.demo_checkbox, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not admin.needs_first_run()
    assert settings_store.get("company_name") == "宁波精密机械有限公司"
    user = User.get(User.username == "admin")
    assert user.is_admin and user.full_name == "王管理" and user.last_login_at is not None
    assert dialog.actor is not None and dialog.actor.username == "admin"
    assert dialog.actor.is_admin
    assert dialog.load_demo


def test_different_passwords_are_refused_and_nothing_is_created(qtbot, database):
    dialog = make_dialog(qtbot)
    fill(qtbot, dialog, password_again="first-secreT")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.message.text() == "The two passwords are not the same."
    assert admin.needs_first_run()
    assert settings_store.get("company_name") != "宁波精密机械有限公司"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("password", "short", "Password must have at least"),
        ("company_name", "", "Company name"),
        ("username", "", "User name"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(qtbot, database, field, value, expected):
    dialog = make_dialog(qtbot)
    fill(
        qtbot,
        dialog,
        **{field: value, **({"password_again": value} if field == "password" else {})},
    )
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.actor is None
    assert expected in dialog.message.text()
    assert dialog.focusWidget() is getattr(dialog, field)
    assert admin.needs_first_run()


def test_demonstration_data_is_off_unless_ticked(qtbot, database):
    dialog = make_dialog(qtbot)
    fill(qtbot, dialog)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.load_demo


# ---------------------------------------------------------------- demonstration data
@pytest.fixture
def fake_demo(monkeypatch):
    """A stand-in ``services.demo`` whose generate_demo writes real rows from the worker."""
    calls: list[dict] = []

    def generate_demo(*, seed=1, scale=1, progress=None, cancelled=None):
        calls.append({"seed": seed, "scale": scale, "thread": threading.current_thread()})
        for i in range(3):
            if cancelled is not None and cancelled():
                raise RuntimeError("stopped")
            admin.add_customer(Actor.system(), code=f"D{i}", name=f"演示顾客 {i}")
            if progress is not None:
                progress(i + 1, 3)
        return types.SimpleNamespace(records=3, users=[], password="demo-pw")

    module = types.ModuleType("cqms_desktop.services.demo")
    module.generate_demo = generate_demo
    monkeypatch.setitem(sys.modules, "cqms_desktop.services.demo", module)
    return calls


def test_demo_data_is_generated_off_the_gui_thread(qtbot, database, fake_demo, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *args: None))
    outcome = first_run.load_demo_data(None)
    assert outcome.succeeded and outcome.result.records == 3
    (call,) = fake_demo
    assert (call["seed"], call["scale"]) == (1, 1)
    assert call["thread"] is not threading.main_thread()
    assert Customer.select().count() == 3


@pytest.mark.logged_errors
def test_a_failing_demo_generation_is_shown(qtbot, database, monkeypatch):
    def generate_demo(**kwargs):
        raise ValueError("demo broke")

    module = types.ModuleType("cqms_desktop.services.demo")
    module.generate_demo = generate_demo
    monkeypatch.setitem(sys.modules, "cqms_desktop.services.demo", module)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    outcome = first_run.load_demo_data(None)
    assert isinstance(outcome.error, ValueError)
    assert len(shown) == 1 and "demo broke" in shown[0]


def test_real_demo_data_after_the_first_start_fills_the_registers(qtbot, database, monkeypatch):
    pytest.importorskip("cqms_desktop.services.demo")
    from cqms_desktop.store.models import Complaint, Feedback, Survey, Visit

    admin.first_run(company_name="宁波精密", username="boss", full_name="Boss", password="pw-12345")
    informed: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda parent, title, text: informed.append(text))
    )
    outcome = first_run.load_demo_data(None)
    assert outcome.succeeded, outcome.error
    assert min(m.select().count() for m in (Complaint, Feedback, Survey, Visit)) > 0
    assert settings_store.get("company_name") == "宁波精密"
    assert f"{outcome.result.records} records" in informed[0]
    assert outcome.result.password in informed[0]


def test_the_real_demo_generator_has_the_agreed_signature():
    demo = pytest.importorskip("cqms_desktop.services.demo")
    import inspect

    params = inspect.signature(demo.generate_demo).parameters
    assert {"seed", "scale", "progress", "cancelled"} <= set(params)
    assert all(params[p].kind is inspect.Parameter.KEYWORD_ONLY for p in ("seed", "progress"))


# ---------------------------------------------------------------- the job runner
def test_a_job_reports_progress_and_its_result(qtbot):
    seen: list[tuple[int, int]] = []
    threads: list[threading.Thread] = []

    def job(progress, cancelled):
        threads.append(threading.current_thread())
        for i in range(5):
            progress(i + 1, 5)
            progress(i + 1, 5)  # repeats are dropped
        return "done"

    running = jobs.Job(None, "Counting", "Counting…", job)
    running._progress.progressed.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(running.succeeded, timeout=10_000) as result:
        running.start()
    assert result.args == ["done"]
    assert running.outcome.succeeded and running.outcome.result == "done"
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert threads[0] is not threading.main_thread()
    assert not running.is_running()


def test_a_job_emits_exactly_one_result_signal(qtbot):
    results: list[object] = []

    def job(progress, cancelled):
        return 42

    running = jobs.start_job(None, "Answer", job)
    running.succeeded.connect(results.append)
    running.failed.connect(lambda e: results.append(("failed", e)))
    running.cancelled_.connect(lambda: results.append("cancelled"))
    running.wait()
    assert results == [42]


@pytest.mark.logged_errors
def test_a_failing_job_delivers_its_exception(qtbot):
    def job(progress, cancelled):
        raise KeyError("missing")

    outcome = jobs.run_job(None, "Failing", job)
    assert not outcome.succeeded and isinstance(outcome.error, KeyError)


def test_cancel_stops_a_job_that_polls(qtbot):
    started = threading.Event()

    def job(progress, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        raise jobs.JobCancelled()

    running = jobs.start_job(None, "Endless", job)
    assert started.wait(10)
    assert running.is_running() and not running.is_cancel_requested()
    cancel_button = running.dialog.findChild(QPushButton)
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    outcome = running.wait(10_000)
    assert outcome is not None and outcome.cancelled and outcome.error is None
    assert running.is_cancel_requested()


def test_a_job_that_finishes_despite_cancel_still_succeeds(qtbot):
    release = threading.Event()

    def job(progress, cancelled):
        release.wait(10)
        return "finished anyway"

    running = jobs.start_job(None, "Stubborn", job)
    running.cancel()
    release.set()
    outcome = running.wait(10_000)
    assert outcome.succeeded and outcome.result == "finished anyway"


def test_cancelling_demo_data_says_so(qtbot, database, fake_demo, monkeypatch):
    informed: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda parent, title, text: informed.append(text))
    )
    original = jobs.Job.start

    def start_cancelled(self):
        self.cancel()  # the user pressed Cancel before the first record
        return original(self)

    monkeypatch.setattr(jobs.Job, "start", start_cancelled)
    outcome = first_run.load_demo_data(None)
    assert outcome.cancelled
    assert informed == ["Loading the demonstration data was cancelled; nothing was saved."]
    assert Customer.select().count() == 0
