"""Carries the services' change events (``services.base.changes``) to the GUI thread.

A service emits one event per committed unit of work, from whatever thread ran it (the
database worker, the GUI thread). Lists and the dashboard must only touch their widgets on the
GUI thread, so :class:`ChangeBridge` forwards each event through a queued signal, merges the
events of one burst (an import of 500 rows emits 500 events) into one, and re-emits them as
:attr:`ChangeBridge.changed` with the set of changed kinds.

**One bridge, owned by the application** (:func:`application_bridge`), never one per window:
a bridge created by a view outlived its window and refreshed a closed tab against whatever
database opened next.

**The rule for views: a view follows changes while it is shown.** :func:`follow_changes`
subscribes a widget's slot when the widget is shown and unsubscribes it when the widget is
hidden — closing a window hides it and its children, so a closed view never hears of a change —
or destroyed. A view shown again after missing changes is told once with the kinds ``{"*"}``
(or its *on_missed* callback runs) so it catches up. :func:`subscriber_count` counts the live
subscriptions (the tests check that none survives a closed window).
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from ..services import base

#: How long to wait for more events of the same burst before telling the views.
COALESCE_MS = 50

#: The kinds a view shown again is told when it missed changes while hidden.
MISSED = frozenset({"*"})


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
        #: The views following this bridge (see :func:`follow_changes`).
        self.subscriptions: set[ChangeSubscription] = set()
        #: How many bursts of changes have been passed on (a hidden view compares it).
        self.generation = 0

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
            self.generation += 1
            self.changed.emit(kinds)
            for subscription in list(self.subscriptions):
                if subscription in self.subscriptions:  # a slot may close another view
                    subscription.deliver(kinds)

    def is_quiet(self) -> bool:
        """True when no event is waiting to be passed on (the burst timer is not running)."""
        return not self._pending and not self._timer.isActive()

    def close(self) -> None:
        """Stop listening (also done automatically when the bridge is destroyed)."""
        self._unsubscribe()
        self._timer.stop()


_bridge: ChangeBridge | None = None


def application_bridge() -> ChangeBridge:
    """The application's one change bridge (created on first use, a child of the QApplication)."""
    global _bridge
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("the change bridge needs a QApplication")
    if _bridge is None or not shiboken6.isValid(_bridge) or _bridge.parent() is not app:
        _bridge = ChangeBridge(app)
    return _bridge


class ChangeSubscription(QObject):
    """A widget's slot, subscribed to the application bridge while the widget is shown."""

    def __init__(
        self,
        widget: QWidget,
        slot: Callable[[frozenset[str]], None],
        on_missed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._slot = slot
        self._on_missed = on_missed
        self._bridge = application_bridge()
        #: The bridge's generation when the widget stopped listening (None: listening, or
        #: never listened yet — a view reads its data when it is built).
        self._left_at: int | None = None
        widget.installEventFilter(self)
        widget.destroyed.connect(self.unsubscribe)
        if widget.isVisible():
            self.subscribe()

    def is_subscribed(self) -> bool:
        """True while the widget hears of changes."""
        return self in self._bridge.subscriptions

    def subscribe(self) -> None:
        """Follow changes (the widget was shown); catch up on what was missed."""
        if self.is_subscribed():
            return
        self._bridge.subscriptions.add(self)
        left_at, self._left_at = self._left_at, None
        # Catch up only if changes were passed on while the widget was hidden: switching
        # tabs back and forth must not re-read every list.
        if left_at is not None and left_at != self._bridge.generation:
            if self._on_missed is not None:
                self._on_missed()
            else:
                self._slot(MISSED)

    def unsubscribe(self) -> None:
        """Stop following changes (the widget was hidden, closed or destroyed)."""
        if self.is_subscribed():
            self._bridge.subscriptions.discard(self)
            self._left_at = self._bridge.generation

    def deliver(self, kinds: frozenset[str]) -> None:
        """Hand *kinds* to the widget's slot (only while subscribed)."""
        if self.is_subscribed() and shiboken6.isValid(self._widget):
            self._slot(kinds)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Subscribe on Show, unsubscribe on Hide (a close hides the window and its views)."""
        if watched is self._widget:
            if event.type() == QEvent.Type.Show:
                self.subscribe()
            elif event.type() == QEvent.Type.Hide:
                self.unsubscribe()
        return False


def follow_changes(
    widget: QWidget,
    slot: Callable[[frozenset[str]], None],
    on_missed: Callable[[], None] | None = None,
) -> ChangeSubscription:
    """Call *slot(kinds)* on the GUI thread for each burst of changes while *widget* is shown.

    Changes made while it was hidden are not queued: when it is shown again, *on_missed()* runs
    once (if given; else *slot* gets ``{"*"}``).
    """
    return ChangeSubscription(widget, slot, on_missed)


def subscriber_count() -> int:
    """How many views follow the application bridge right now."""
    return len(application_bridge().subscriptions)
