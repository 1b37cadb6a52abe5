"""Reads and writes that run on the database worker, with results on the GUI thread.

``QueryOp(parent, read, success)`` reads; ``CollectionOp(parent, write)`` runs a service call
that writes. Both are configured by chaining and started with :meth:`run_in_background`::

    QueryOp(self, lambda: register.page(flt, 0, 200), self._show_page)
        .latest_of(self._page_guard)   # a page for an old filter is dropped
        .with_busy_cursor()
        .run_in_background()

    CollectionOp(self, lambda: complaints.save(actor, ...))
        .success(self._saved)
        .run_in_background()

Failures: a ``failure`` callback gets the exception. Without one, a
:class:`~cqms_desktop.domain.errors.CqmsError` (an expected refusal: a conflict, a permission)
is shown to the user; anything else is logged with its traceback *and* shown — never
swallowed. Results for a *parent* (the widget or model that asked) that has been deleted
meanwhile are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget

from ...domain.errors import CqmsError, DatabaseUnavailable
from ...services.database import open_connection_target
from .worker import DatabaseSwitched, Task, database_worker

log = logging.getLogger(__name__)

T = TypeVar("T")


class LatestOnly:
    """A stale-result guard: of the ops started with it, only the newest one's result counts.

    A list asks for filter A, then the user switches to filter B: A's page, arriving after
    B was asked for, is dropped instead of overwriting B's.
    """

    def __init__(self) -> None:
        self.generation = 0

    def next(self) -> int:
        """A new op starts: the ones before it become stale."""
        self.generation += 1
        return self.generation

    def invalidate(self) -> None:
        """Drop whatever is under way (the view was reset or closed)."""
        self.generation += 1


class _BusyCursor:
    """One override cursor for all ops the user waits on (nested overrides are counted)."""

    depth = 0

    @classmethod
    def push(cls) -> None:
        if QApplication.instance() is not None:
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
            cls.depth += 1

    @classmethod
    def pop(cls) -> None:
        if cls.depth > 0:
            cls.depth -= 1
            QApplication.restoreOverrideCursor()


def report_failure(parent: QObject | None, exc: BaseException) -> None:
    """The default failure handling: show a refusal; log and show anything unexpected.

    *parent* is the widget that asked (a model: the widget owning it), for the message box.
    """
    from ..error_handling import open_error

    if not isinstance(exc, CqmsError):
        log.error("a background database operation failed", exc_info=exc)
    while parent is not None and shiboken6.isValid(parent) and not isinstance(parent, QWidget):
        parent = parent.parent()
    widget = parent if isinstance(parent, QWidget) and shiboken6.isValid(parent) else None
    open_error(widget, exc)


def report_read_failure(parent: QObject | None, exc: BaseException) -> None:
    """:func:`report_failure` for a background read, except during an outage: then the status
    bar says the server is away (the worker's ``connectionLost``) instead of a message box
    per list, tile and chart, and the next refresh reads again."""
    if isinstance(exc, DatabaseUnavailable):
        log.info("a background read failed, the server is unreachable: %s", exc)
        return
    report_failure(parent, exc)


class _Op(Generic[T]):
    """What QueryOp and CollectionOp share: the call, the callbacks, the guard, the cursor."""

    #: Leave an outage to the status bar rather than a message box (background reads).
    _quiet_outage = False

    def __init__(self, parent: QObject | None, fn: Callable[[], T]) -> None:
        self._parent = parent
        self._fn = fn
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._guard: LatestOnly | None = None
        self._busy = False

    def success(self, callback: Callable[[T], None]) -> _Op[T]:
        """Call *callback(result)* on the GUI thread when the call returned."""
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> _Op[T]:
        """Call *callback(exception)* on the GUI thread instead of the default reporting."""
        self._failure = callback
        return self

    def latest_of(self, guard: LatestOnly) -> _Op[T]:
        """Drop this op's result (and failure) if a newer op of *guard* started meanwhile."""
        self._guard = guard
        return self

    def with_busy_cursor(self) -> _Op[T]:
        """Show the busy cursor until the result is in (for an op the user waits on)."""
        self._busy = True
        return self

    def run_in_background(self) -> None:
        """Queue the call on the database worker; callbacks run later on the GUI thread."""
        generation = self._guard.next() if self._guard is not None else 0
        if self._busy:
            _BusyCursor.push()

        def deliver(result: Any, error: BaseException | None) -> None:
            if self._busy:
                _BusyCursor.pop()
            if isinstance(error, DatabaseSwitched):
                return  # asked of a database that has been closed since: nothing to show
            if self._guard is not None and self._guard.generation != generation:
                return  # stale: a newer op of the same guard is under way or done
            parent = self._parent
            if parent is not None and not shiboken6.isValid(parent):
                return  # the widget that asked is gone
            if error is None:
                if self._success is not None:
                    self._success(result)
            elif self._failure is not None:
                self._failure(error)
            elif self._quiet_outage:
                report_read_failure(parent, error)
            else:
                report_failure(parent, error)

        database_worker().submit(Task(self._fn, deliver, open_connection_target()))


class QueryOp(_Op[T]):
    """A read on the database worker; *success(result)* runs on the GUI thread. A read that
    fails because the server is unreachable is not shown in a box (the status bar says so)."""

    _quiet_outage = True

    def __init__(
        self, parent: QObject | None, op: Callable[[], T], success: Callable[[T], None]
    ) -> None:
        super().__init__(parent, op)
        self._success = success


class CollectionOp(_Op[T]):
    """A service call that writes, on the database worker; see :meth:`success`/:meth:`failure`.

    The service itself checks permissions, runs one transaction and emits one change event;
    the views hear of it through the application's change bridge.
    """


#: The name the issue uses for a writing op.
WriteOp = CollectionOp
