"""Carries the services' change events (``services.base.changes``) to the GUI thread.

A service emits one event per committed unit of work, from whatever thread ran it (a
background job, the GUI thread). Lists and the dashboard must only touch their widgets on the
GUI thread, so :class:`ChangeBridge` forwards each event through a queued signal, merges the
events of one burst (an import of 500 rows emits 500 events) into one, and re-emits them as
:attr:`ChangeBridge.changed` with the set of changed kinds.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from ..services import base

#: How long to wait for more events of the same burst before telling the views.
COALESCE_MS = 50


class ChangeBridge(QObject):
    """Re-emits ``services.base.changes`` events on the GUI thread as :attr:`changed`."""

    #: The kinds of record that changed (a ``frozenset[str]``), emitted on the GUI thread.
    changed = Signal(object)
    # Internal: crosses from the emitting thread to ours (queued connection).
    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None, bus: base.ChangeBus | None = None) -> None:
        super().__init__(parent)
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._flush)
        self._arrived.connect(self._collect, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = (bus or base.changes).subscribe(self._on_change)
        self.destroyed.connect(self._unsubscribe)

    def _on_change(self, kinds: frozenset[str]) -> None:
        # Runs on the emitting thread: only hand over, never touch widgets here.
        self._arrived.emit(kinds)

    @Slot(object)
    def _collect(self, kinds: frozenset[str]) -> None:
        self._pending.update(kinds)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        kinds = frozenset(self._pending)
        self._pending.clear()
        if kinds:
            self.changed.emit(kinds)

    def close(self) -> None:
        """Stop listening (also done automatically when the bridge is destroyed)."""
        self._unsubscribe()
        self._timer.stop()
