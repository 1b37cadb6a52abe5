"""GUI test fixtures: each test gets its own PC settings (QSettings), data folder and language.

Nothing a GUI test does may leak into the developer's real QSettings or data folder, nor into
the next test (a remembered database URL or an installed Chinese translator would).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings

from cqms_desktop.domain.enums import Department
from cqms_desktop.services.base import Actor
from cqms_desktop.ui import i18n
from cqms_desktop.ui.main_window import MainWindow
from tests.fake_keyring import MemoryKeyring
from tests.gui.gui_data import make_actor


@pytest.fixture(autouse=True)
def isolated_pc(tmp_path, monkeypatch, qapp) -> Iterator[None]:
    """Per-test QSettings (INI files under tmp), data folder, and no CQMS_DB or machine-wide
    preset from outside."""
    settings_dir = tmp_path / "qsettings"
    settings_dir.mkdir()
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CQMS_DATA_DIR", str(data_dir))
    monkeypatch.delenv("CQMS_DB", raising=False)
    # No machine-wide preset from the PC running the tests (tests write one here when needed).
    monkeypatch.setenv("CQMS_MACHINE_SETTINGS", str(tmp_path / "machine" / "cqms.ini"))
    # Database passwords go to an in-memory credential store, never the PC's real one.
    monkeypatch.delenv("CQMS_DB_PASSWORD", raising=False)
    previous_keyring = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(settings_dir))
    QSettings().clear()
    yield
    QSettings().clear()
    keyring.set_keyring(previous_keyring)
    i18n.remove_translators()


# Qt's off-screen platform (used for every GUI test) warns on each dialog with a size
# constraint; it is a limit of that platform, not a fault of the widget under test.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def pytest_collection_modifyitems(config, items) -> None:
    """Ignore the off-screen platform's size-hint warning in the GUI tests of this folder."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def window_actor() -> Actor:
    """Who the ``window`` fixture opens the main window for: a QA engineer. A test module
    that needs another department or an administrator overrides this fixture."""
    return make_actor(Department.QA)


@pytest.fixture
def window(qtbot, database, sample, window_actor: Actor) -> MainWindow:
    """The main window on the sample rows, for ``window_actor``, shown. It does not save its
    layout on close: a test of the layout memory opens windows of its own."""
    win = MainWindow(window_actor, database)
    win.remember_layout = False
    qtbot.addWidget(win)
    win.show()
    wait_for_ops(qtbot)  # its lists, counts and charts are read on the database worker
    return win


# ---------------------------------------------------------------------- background operations
def wait_for_ops(qtbot, timeout: int = 10000) -> None:
    """Wait until the database worker is idle and every queued result has been delivered
    (list pages, dashboard figures, the visit plan…), then let the change bridge's coalescing
    settle. An op that raised has been reported by then: unexpected errors are logged, which
    fails the test (``fail_on_logged_errors``)."""
    from PySide6.QtCore import QCoreApplication

    from cqms_desktop.ui.change_bridge import application_bridge
    from cqms_desktop.ui.operations import database_worker

    worker, bridge = database_worker(), application_bridge()
    # Change events a service just emitted are queued to the bridge: let them in, then wait
    # until the bridge has passed them on and the reads the views asked for are delivered.
    QCoreApplication.processEvents()
    qtbot.waitUntil(lambda: bridge.is_quiet() and worker.is_idle(), timeout=timeout)


@pytest.fixture
def ops(qtbot):
    """``ops()`` waits for the background operations (see :func:`wait_for_ops`)."""
    return lambda timeout=10000: wait_for_ops(qtbot, timeout)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    """Before a test's fixtures are torn down (its database closed or dropped), let the reads
    it queued finish: they belong to this test, not to the next one's database.

    A plain (not wrapping) hook run first: after pytest-qt's teardown wrapper has closed the
    test's widgets — closing can still queue a read — and before the fixtures' finalizers."""
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

    from cqms_desktop.ui.operations.worker import running_worker

    worker = running_worker()
    if worker is not None and QCoreApplication.instance() is not None:
        deadline = QDeadlineTimer(10000)
        while not worker.is_idle() and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):  # noqa: F811 - a wrapper beside the plain hook above
    """A modal dialog left open when pytest-qt closes the test's widgets (an unsaved-changes
    question after a failed assertion, say) would block the teardown forever — and
    pytest-timeout no longer watches by then, so the whole run would hang without a word.
    While the test is torn down, a watchdog dismisses any modal dialog, and the teardown then
    names it on stderr (shown with the test's report)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    app = QApplication.instance()
    dismissed: list[str] = []

    def dismiss() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog):
            text = modal.text() if isinstance(modal, QMessageBox) else ""
            dismissed.append(f"{type(modal).__name__} {modal.windowTitle()!r} {text!r}")
            modal.reject()

    watchdog = QTimer(app) if app is not None else None
    if watchdog is not None:
        watchdog.setInterval(200)
        watchdog.timeout.connect(dismiss)
        watchdog.start()
    try:
        return (yield)
    finally:
        if watchdog is not None:
            watchdog.stop()
            watchdog.deleteLater()
        if dismissed:  # said, not failed: it may be a late message of an earlier test
            print("modal dialog dismissed at teardown:", "; ".join(dismissed), file=sys.stderr)


@pytest.fixture
def on_the_dashboard(request) -> None:
    """For tests that watch the dashboard: show its tab in the ``window`` they use (the
    window opens on "My work"). Modules use it with ``pytest.mark.usefixtures``."""
    if "window" in request.fixturenames:
        request.getfixturevalue("window").select_tab("dashboard")
