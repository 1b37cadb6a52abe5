"""Inputs change only when the user means it: the mouse wheel scrolls the form, not a value.

Scrolling a long form with the wheel used to change whatever combo box, spin box or date edit
passed under the pointer (a complaint's Responsibility turned from Company into Supplier, and
the next workflow step saved it). :class:`WheelGuard` is one application-wide event filter:
over an input that does not have the keyboard focus, a wheel turn scrolls the nearest scroll
area instead; once the user has clicked or tabbed into the input, the wheel changes its value
as usual. It also gives those inputs ``StrongFocus``, so that the wheel alone cannot focus them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

#: Inputs whose value the wheel changes.
GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)

#: How far up from the widget under the pointer a guarded input may be: a spin box's or an
#: editable combo's own line edit receives the wheel first.
_MAX_DEPTH = 2


def guarded_input(widget: QWidget | None) -> QWidget | None:
    """The value input *widget* belongs to (itself or its parent), or ``None``."""
    for _ in range(_MAX_DEPTH):
        if widget is None:
            return None
        # A scroll bar is a slider, but turning the wheel over it is meant to scroll.
        if isinstance(widget, GUARDED) and not isinstance(widget, QScrollBar):
            return widget
        widget = widget.parentWidget()
    return None


def _scroll_bar_of(widget: QWidget) -> QScrollBar | None:
    """The vertical scroll bar of the scroll area *widget* sits in, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent.verticalScrollBar()
        parent = parent.parentWidget()
    return None


class WheelGuard(QObject):
    """Event filter for the whole application; see the module documentation."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Redirect a wheel turn over an unfocused input to the surrounding scroll area."""
        if event.type() == QEvent.Type.Polish and isinstance(watched, GUARDED):
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        target = guarded_input(watched)
        if target is None or target.hasFocus():
            return False
        bar = _scroll_bar_of(target)
        if bar is not None and bar.isVisible():
            QCoreApplication.sendEvent(bar, event)
        return True  # the value stays as it was


def install(app: QApplication) -> WheelGuard:
    """Install the guard on *app* (once; a second call returns the installed guard)."""
    existing = app.findChild(WheelGuard)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
