"""The one database worker: a single long-lived thread that runs every background database call.

Why one thread: database calls from the GUI are serialised (no two pages of the same list race
each other on one connection), and peewee's per-thread connection lives on that one thread.
The worker closes its connection when its queue runs dry and when the proxy was pointed at
another database (a switch in the settings, a fresh test database): an idle connection held
open would keep a SQLite file busy and stop a server database from being dropped.

Results come back through a queued signal to :class:`DatabaseWorker`, which lives on the GUI
thread; callers never use this module directly but :mod:`.ops` and :mod:`.progress`.
"""

from __future__ import annotations

import atexit
import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from ...domain.errors import DatabaseUnavailable
from ...services.database import open_connection_target

if TYPE_CHECKING:  # the worker only compares and closes the database it is given
    import peewee

log = logging.getLogger(__name__)

#: How long quitting waits for the running task (a cancelled job) before leaving it behind.
QUIT_WAIT_MS = 5000


class DatabaseSwitched(Exception):
    """The task was queued for a database that is no longer the open one: it did not run."""


@dataclass(eq=False)
class Task:
    """One call to run on the worker; *deliver* gets (result, error) back on the GUI thread.

    A task with a *database* runs only if that is still the open database when its turn
    comes (else it is delivered a :class:`DatabaseSwitched`): a read queued for the database
    just closed must not run against the next one.
    """

    fn: Callable[[], Any]
    deliver: Callable[[Any, BaseException | None], None]
    database: peewee.Database | None = None


class _Thread(QThread):
    """Takes tasks off the queue one at a time; ``None`` stops it."""

    def __init__(self, tasks: queue.SimpleQueue[Task | None], owner: DatabaseWorker) -> None:
        super().__init__()
        self.setObjectName("cqms-database-worker")
        self._tasks = tasks
        self._owner = owner
        self._database: peewee.Database | None = None  # whose connection this thread may hold

    def run(self) -> None:  # runs on the worker thread
        while True:
            task = self._tasks.get()
            if task is None:
                self._close_connection()
                return
            self._follow_switch()
            result: Any = None
            error: BaseException | None = None
            if task.database is not None and task.database is not self._database:
                error = DatabaseSwitched()
            else:
                try:
                    result = task.fn()
                except BaseException as exc:  # handed to the GUI thread, which reports it
                    error = exc
            if self._tasks.empty():
                self._close_connection()
            self._owner.finished.emit(task, result, error)
            # Never let the last reference to what a task holds (a widget's bound method, a
            # job's QObject, an exception's frames) die on this thread: Qt objects must be
            # destroyed on the GUI thread, or the process crashes. The GUI thread lets go.
            self._owner.release_on_gui_thread((task, result, error))
            task = result = error = None

    def _follow_switch(self) -> None:
        """Close the connection to a database the proxy no longer points at."""
        current = open_connection_target()
        if current is not self._database:
            self._close_connection()
            self._database = current

    def _close_connection(self) -> None:
        database = self._database
        try:
            if database is not None and not database.is_closed():
                database.close()
        except Exception:  # closing must never turn a finished task into a failure
            log.exception("closing the database worker's connection failed")


class DatabaseWorker(QObject):
    """Owns the worker thread; counts the tasks whose results were not yet delivered."""

    #: Internal: (task, result, error), emitted on the worker thread, delivered on ours.
    finished = Signal(object, object, object)
    #: No task is queued, running or waiting to be delivered.
    idle = Signal()
    #: A call failed because the database server could not be reached (once per outage).
    connectionLost = Signal()
    #: The first call that worked after :attr:`connectionLost`: the server is back.
    connectionBack = Signal()
    #: Internal: the worker handed references over for release (see release_on_gui_thread).
    _handed_over = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: queue.SimpleQueue[Task | None] = queue.SimpleQueue()
        self._pending = 0
        self._lost = False  # the last call that reached the server failed to
        # References the worker thread hands over, released here on the GUI thread.
        self._to_release: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = _Thread(self._tasks, self)
        self.finished.connect(self._deliver)
        self._handed_over.connect(self._release, Qt.ConnectionType.QueuedConnection)
        self._thread.start()

    def release_on_gui_thread(self, references: object) -> None:
        """Called on the worker thread: keep *references* until the GUI thread drops them."""
        self._to_release.put(references)
        self._handed_over.emit()

    @Slot()
    def _release(self) -> None:
        while True:
            try:
                self._to_release.get_nowait()
            except queue.Empty:
                return

    def submit(self, task: Task) -> None:
        """Queue *task*; its ``deliver`` runs on the GUI thread when it is over."""
        if not self._thread.isRunning():
            raise RuntimeError("the database worker has been stopped")
        self._pending += 1
        self._tasks.put(task)

    def pending(self) -> int:
        """Tasks submitted whose results have not been delivered yet."""
        return self._pending

    def is_idle(self) -> bool:
        """True when nothing is queued, running or waiting to be delivered."""
        return self._pending == 0

    @Slot(object, object, object)
    def _deliver(self, task: Task, result: Any, error: BaseException | None) -> None:
        self._note_connection(error)
        try:
            task.deliver(result, error)
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.idle.emit()

    def _note_connection(self, error: BaseException | None) -> None:
        """Follow the server's reachability from the calls' outcomes (for the status bar)."""
        if isinstance(error, DatabaseUnavailable):
            if not self._lost:
                self._lost = True
                self.connectionLost.emit()
        elif error is None and self._lost:
            self._lost = False
            self.connectionBack.emit()

    def stop(self, wait_ms: int = QUIT_WAIT_MS) -> None:
        """Let the queued tasks finish, stop the thread (its connection closed) and wait."""
        if self._thread.isRunning():
            self._tasks.put(None)
            if not self._thread.wait(wait_ms):
                log.warning("the database worker did not stop within %d ms", wait_ms)
        self._release()


_worker: DatabaseWorker | None = None


def database_worker() -> DatabaseWorker:
    """The application's database worker, started on first use and stopped at quit."""
    global _worker
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("the database worker needs a QApplication")
    if _worker is None or not shiboken6.isValid(_worker) or _worker.parent() is not app:
        _worker = DatabaseWorker(app)
        app.aboutToQuit.connect(_stop_at_quit)
        # Also at interpreter exit (tests never quit the application): a QThread destroyed
        # while it runs aborts the process.
        atexit.register(_stop_at_quit)
    return _worker


def running_worker() -> DatabaseWorker | None:
    """The application's database worker if it has been started, else ``None``."""
    return _worker


#: Called before the worker stops at quit (the progress jobs register their cancel here, so
#: that they see ``cancelled()`` and the queue can drain).
_at_quit: list[Callable[[], None]] = []


def call_at_quit(callback: Callable[[], None]) -> None:
    """Have *callback* run when the application quits, before the worker stops."""
    if callback not in _at_quit:
        _at_quit.append(callback)


def _stop_at_quit() -> None:
    """Cancel what runs (the progress jobs see ``cancelled()``) and stop the worker."""
    global _worker
    for callback in list(_at_quit):
        callback()
    if _worker is not None and shiboken6.isValid(_worker):  # at exit, the app may be gone
        _worker.stop()
    _worker = None
