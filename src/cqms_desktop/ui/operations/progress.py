"""Long jobs on the database worker, with a progress dialog and a Cancel button.

A *job* is a plain function that receives two callables and returns a result::

    def job(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> T:
        for i, item in enumerate(items):
            if cancelled():
                raise JobCancelled()        # or return early: see "Outcome" below
            work(item)
            progress(i + 1, len(items))     # (done, total); total 0 = "busy", no percentage
        return summary

The job runs on the application's database worker (:mod:`.worker`), after any read or write
queued before it; ``progress`` may be called as often as you like (only changes reach the GUI);
``cancelled()`` becomes true when the user presses Cancel. The job must not touch widgets.
Database access works: the worker thread has its own connection.

Two ways to run it, both on the GUI thread:

- :func:`start_job` returns a :class:`Job` at once; connect to its signals
  ``succeeded(result)``, ``failed(exception)``, ``cancelled_()`` and ``finished()`` (always
  last). The progress dialog opens after :data:`SHOW_AFTER_MS` so quick jobs do not flash.
- :func:`run_job` starts the job and waits (the GUI keeps painting and the Cancel button
  works) until it is over, then returns a :class:`JobOutcome`. Handy in start-up flows::

      outcome = run_job(parent, tr("Loading demonstration data"), generate)
      if outcome.error is not None:
          show_error(parent, outcome.error)

Outcome: a job that returns normally has *succeeded*, even if Cancel was pressed meanwhile (it
finished anyway). A job that raises after Cancel was pressed, or raises :class:`JobCancelled`,
was *cancelled*. Any other exception is *failed* and is logged with its traceback. Jobs are
responsible for leaving data consistent when cancelled (e.g. one transaction per job).
Unexpected exceptions are logged with their traceback; a :class:`CqmsError` (an expected
refusal such as a bad file name) only as one line. Show ``outcome.error`` with
:func:`cqms_desktop.ui.error_handling.show_error`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ...domain.errors import CqmsError
from .worker import Task, call_at_quit, database_worker

log = logging.getLogger(__name__)

T = TypeVar("T")
ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
JobFn = Callable[[ProgressFn, CancelledFn], T]

#: Jobs shorter than this never show the progress dialog.
SHOW_AFTER_MS = 400


class JobCancelled(Exception):
    """Raised by a job that stops because the user pressed Cancel."""


@dataclass
class JobOutcome(Generic[T]):
    """How a job ended: exactly one of *result* (with ``succeeded``), *error*, *cancelled*."""

    succeeded: bool = False
    result: T | None = None
    error: BaseException | None = None
    cancelled: bool = False


class _Progress(QObject):
    """Carries a job's progress from the database worker to the GUI thread (queued)."""

    progressed = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self._last: tuple[int, int] | None = None

    def report(self, done: int, total: int) -> None:  # called on the worker thread
        value = (int(done), int(total))
        if value != self._last:  # a job reporting every row must not flood the GUI thread
            self._last = value
            self.progressed.emit(*value)


def _run(fn: JobFn[Any], progress: _Progress, cancel: threading.Event) -> JobOutcome[Any]:
    """Run the job function (on the database worker) and say how it ended."""
    outcome: JobOutcome[Any] = JobOutcome()
    try:
        outcome.result = fn(progress.report, cancel.is_set)
        outcome.succeeded = True
    except JobCancelled:
        outcome.cancelled = True
    except BaseException as exc:
        if cancel.is_set():
            outcome.cancelled = True
            log.info("job stopped after cancel: %r", exc)
        else:
            if isinstance(exc, CqmsError):  # an expected refusal, shown to the user
                log.info("background job refused: %s", exc)
            else:
                log.error("background job failed", exc_info=exc)
            outcome.error = exc
    return outcome


class Job(QObject):
    """A running job: its progress dialog, its worker thread and its result signals."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled_ = Signal()
    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        label: str,
        fn: JobFn[Any],
        *,
        cancellable: bool = True,
    ) -> None:
        super().__init__()
        self._cancel_event = threading.Event()
        self.outcome: JobOutcome[Any] | None = None
        # While the progress dialog's setValue() runs (it processes events once a modal
        # dialog is shown), the job's end is held back: it would delete the dialog under it.
        self._updating_dialog = 0  # depth: setValue() may deliver further progress inside
        self._held_outcome: JobOutcome[Any] | None = None
        self.dialog = QProgressDialog(label, None, 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if cancellable:
            self.dialog.setCancelButtonText(self.tr("Cancel"))
            self.dialog.canceled.connect(self.cancel)
        else:
            self.dialog.setCancelButton(None)
        self.dialog.setValue(0)  # starts QProgressDialog's "show after" timer
        self._fn = fn
        self._progress = _Progress()
        self._progress.progressed.connect(self._on_progress)

    def start(self) -> Job:
        """Start the worker thread (done by :func:`start_job`)."""
        _running.add(self)
        fn, progress, cancel = self._fn, self._progress, self._cancel_event

        def deliver(outcome: JobOutcome[Any], error: BaseException | None) -> None:
            # _run catches everything the job raises; an error here is the runner's own.
            self._on_done(outcome if error is None else JobOutcome(error=error))

        database_worker().submit(Task(lambda: _run(fn, progress, cancel), deliver))
        return self

    @Slot()
    def cancel(self) -> None:
        """Ask the job to stop; it sees ``cancelled()`` become true."""
        self._cancel_event.set()
        self.dialog.setLabelText(self.tr("Cancelling…"))

    def is_cancel_requested(self) -> bool:
        """True once Cancel was pressed (or :meth:`cancel` called)."""
        return self._cancel_event.is_set()

    def is_running(self) -> bool:
        """True until the outcome has been delivered."""
        return self.outcome is None

    def wait(self, timeout_ms: int | None = None) -> JobOutcome[Any] | None:
        """Run the GUI event loop until the job is over (or *timeout_ms* passed)."""
        if self.outcome is None:
            loop = QEventLoop()
            self.finished.connect(loop.quit)
            if timeout_ms is not None:
                QTimer.singleShot(timeout_ms, loop.quit)
            if self.outcome is None:
                loop.exec()
        return self.outcome

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if total > 0 and self.outcome is None:
            self._updating_dialog += 1
            try:
                if self.dialog.maximum() != total:
                    self.dialog.setRange(0, total)
                self.dialog.setValue(min(done, total))
            finally:
                self._updating_dialog -= 1
            if self._updating_dialog == 0 and self._held_outcome is not None:
                held, self._held_outcome = self._held_outcome, None
                self._on_done(held)

    @Slot(object)
    def _on_done(self, outcome: JobOutcome[Any]) -> None:
        if self._updating_dialog:  # delivered from inside setValue(): finish after it
            self._held_outcome = outcome
            return
        self.outcome = outcome
        self.dialog.reset()
        self.dialog.hide()
        _running.discard(self)
        if outcome.succeeded:
            self.succeeded.emit(outcome.result)
        elif outcome.cancelled:
            self.cancelled_.emit()
        else:
            self.failed.emit(outcome.error)
        self.finished.emit()
        self.dialog.deleteLater()


# Running jobs are kept alive here: a Job nobody holds must not be freed mid-run.
_running: set[Job] = set()


def cancel_all() -> None:
    """Ask every running job to stop (the application quits)."""
    for job in list(_running):
        job.cancel()


call_at_quit(cancel_all)


def start_job(
    parent: QWidget | None,
    title: str,
    fn: JobFn[Any],
    *,
    label: str = "",
    cancellable: bool = True,
) -> Job:
    """Start *fn* on a worker thread with a progress dialog; returns the running :class:`Job`."""
    return Job(parent, title, label or title, fn, cancellable=cancellable).start()


def run_job(
    parent: QWidget | None,
    title: str,
    fn: JobFn[T],
    *,
    label: str = "",
    cancellable: bool = True,
) -> JobOutcome[T]:
    """Run *fn* like :func:`start_job`, wait for it with the GUI responsive, return the outcome."""
    outcome = start_job(parent, title, fn, label=label, cancellable=cancellable).wait()
    assert outcome is not None  # wait() without a timeout returns only when the job is over
    return outcome
