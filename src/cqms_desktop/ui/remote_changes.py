"""Live refresh across PCs (issue #15 item 14): the window polls the audit trail's change
counter (:mod:`..services.remote_changes`) on the database worker every :data:`POLL_MS`, and
what other PCs changed becomes the same change events this PC's own saves produce — lists,
the dashboard, My work and the visit plan refresh through the change bridge — while an open
editor whose record changed elsewhere shows who changed it and offers to reload.

On PostgreSQL a listener (:mod:`..services.change_notifications`) hears every other PC's
commit at once (LISTEN/NOTIFY) and asks for a poll straight away; the timer stays as the
fallback (and is the only way on SQLite and MariaDB).

One watcher per main window (:func:`current_watcher` finds it); it stops with its window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from ..services import base, change_notifications, remote_changes
from .operations import LatestOnly, QueryOp

#: How often the change counter is read (one primary-key lookup on every backend).
POLL_MS = 3000

_current: RemoteChangeWatcher | None = None


class RemoteChangeWatcher(QObject):
    """Polls for other PCs' changes while its window lives."""

    #: The records changed elsewhere since the last poll (``list[RemoteChange]``).
    recordsChanged = Signal(object)
    # Internal: the listener heard a commit (emitted on its thread, handled on ours).
    _notified = Signal()

    def __init__(self, username: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        global _current
        self.username = username
        self.last_id: int | None = None  # unknown until the first read
        self._reads = LatestOnly()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        _current = self
        me = id(self)
        self.destroyed.connect(lambda: _forget(me))
        self.listener: change_notifications.ChangeListener | None = None
        if change_notifications.available():
            self._notified.connect(self.poll, Qt.ConnectionType.QueuedConnection)
            self.listener = change_notifications.ChangeListener(self._notified.emit)
            self.listener.start()
            listener = self.listener
            self.destroyed.connect(listener.stop)
        self.poll()

    def poll(self) -> None:
        """Ask the worker what changed since the last poll (the first poll only starts)."""
        last, user = self.last_id, self.username
        if last is None:
            QueryOp(self, remote_changes.change_head, self._started).latest_of(
                self._reads
            ).run_in_background()
            return
        QueryOp(
            self, lambda: remote_changes.changes_since(last, except_user=user), self._arrived
        ).latest_of(self._reads).run_in_background()

    def stop(self) -> None:
        """No more polling nor listening (the window is closing)."""
        self._timer.stop()
        if self.listener is not None:
            self.listener.stop()

    def _started(self, head: int) -> None:
        self.last_id = head

    def _arrived(self, found: remote_changes.ChangesSince) -> None:
        self.last_id = found.last_id
        if found.kinds:
            base.changes.emit(found.kinds)  # the same event this PC's own saves send
        if found.changes:
            self.recordsChanged.emit(found.changes)


def _forget(watcher_id: int) -> None:
    global _current
    if _current is not None and id(_current) == watcher_id:
        _current = None


def current_watcher() -> RemoteChangeWatcher | None:
    """The watcher of the open main window, if any."""
    return _current
