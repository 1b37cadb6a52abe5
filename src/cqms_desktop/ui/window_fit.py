"""Windows that fit the screen they open on, at the size this PC left them.

Every dialog, record editor and the main window call :func:`fit_window` once in their
constructor (instead of a fixed ``resize``). It

- sizes the window to its wanted size, shrunk to the screen's available area (a 1366×768
  laptop at 125 % scaling offers about 1093×614 logical pixels, less the task bar), leaving
  room for the window frame;
- remembers the size per window kind in ``QSettings`` when the window is hidden, and opens
  at that size next time — only if it still fits the current screen (a PC moved from a large
  monitor to its laptop screen gets the fitted default, not a window below the screen edge);
- moves a shown window back inside the available area.

Dialogs keep their buttons outside any scroll area, so they stay visible however small the
window gets; long content scrolls (:func:`scrolling`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

#: Room kept for the window manager's frame and title bar (not known before the first show).
FRAME_ALLOWANCE = QSize(16, 40)

#: QSettings group of the remembered window sizes.
SETTINGS_GROUP = "windowSize"


def available_area(widget: QWidget | None = None) -> QRect:
    """The part of the screen *widget* is on (else the primary screen) that windows may use."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _frame_extra(window: QWidget) -> QSize:
    """How much larger than its client area the window's frame is (an allowance before the
    first show, when the window manager has not framed it yet)."""
    if window.isVisible():
        frame, inner = window.frameGeometry(), window.geometry()
        extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
        if extra.width() > 0 or extra.height() > 0:
            return extra
    return FRAME_ALLOWANCE


def fitted_size(window: QWidget, wanted: QSize) -> QSize:
    """*wanted*, shrunk so that the framed window fits the available screen area."""
    area = available_area(window)
    extra = _frame_extra(window)
    return QSize(
        max(1, min(wanted.width(), area.width() - extra.width())),
        max(1, min(wanted.height(), area.height() - extra.height())),
    )


def fits(window: QWidget, size: QSize) -> bool:
    """Whether a window of *size* (client area) fits the available screen area."""
    return fitted_size(window, size) == size


def _key(kind: str) -> str:
    return f"{SETTINGS_GROUP}/{kind}"


def remembered_size(kind: str) -> QSize | None:
    """The size this PC last left a window of *kind* at, if any."""
    value = QSettings().value(_key(kind))
    if isinstance(value, QSize) and value.isValid() and not value.isEmpty():
        return value
    return None


class _Keeper(QObject):
    """Remembers the window's size when it is hidden, keeps it on screen when it is shown."""

    def __init__(self, window: QWidget, kind: str) -> None:
        super().__init__(window)
        self.kind = kind
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Show: back inside the available area; hide: remember the size."""
        if isinstance(watched, QWidget) and watched.isWindow():
            if event.type() == QEvent.Type.Show:
                keep_inside(watched)
            elif event.type() == QEvent.Type.Hide and not (
                watched.isMaximized() or watched.isFullScreen()
            ):
                QSettings().setValue(_key(self.kind), watched.size())
        return False


def keep_inside(window: QWidget) -> None:
    """Shrink and move *window* so that its frame lies inside the available screen area."""
    if window.isMaximized() or window.isFullScreen():
        return
    size = fitted_size(window, window.size())
    if size != window.size():
        window.resize(size)
    area = available_area(window)
    frame = window.frameGeometry()
    dx = max(0, area.left() - frame.left()) - max(0, frame.right() - area.right())
    dy = max(0, area.top() - frame.top()) - max(0, frame.bottom() - area.bottom())
    if dx or dy:
        window.move(window.pos().x() + dx, window.pos().y() + dy)


def fit_window(window: QWidget, kind: str, width: int = 0, height: int = 0) -> None:
    """Open *window* at the size remembered for *kind* if it fits, else at *width* × *height*
    (0: the window's own size hint) shrunk to the screen; remember its size on hiding."""
    hint = window.sizeHint()
    wanted = QSize(width or hint.width(), height or hint.height())
    saved = remembered_size(kind)
    if saved is not None and fits(window, saved):
        wanted = saved
    window.resize(fitted_size(window, wanted))
    _Keeper(window, kind)


class _FullScrollArea(QScrollArea):
    """A scroll area that asks for its content's whole size (Qt's own hint stops at about
    24 lines), so a window shows everything when the screen allows and scrolls otherwise."""

    def sizeHint(self) -> QSize:
        """The content's size hint plus room for the vertical scroll bar."""
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint().expandedTo(content.minimumSizeHint())
        height = hint.height()
        if content.hasHeightForWidth():  # wrapped labels: their height at this width
            height = max(height, content.heightForWidth(hint.width()))
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), height)


def scrolling(content: QWidget, parent: QWidget) -> QScrollArea:
    """*content* in a frameless scroll area that scrolls when the window is too small for it
    (the window's buttons stay outside it, always visible)."""
    area = _FullScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area
