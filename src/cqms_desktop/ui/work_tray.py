"""The tray icon while the program runs: the user's count of overdue "My work" items on the
icon, and a notification when something new arrives for them (a complaint returned by the
customer, a countermeasure assigned, an approval waiting…).

It follows the "My work" tab's list (read on the database worker, refreshed on every change),
so it costs no query of its own. Where the desktop has no system tray nothing is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QObject, QRect, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon, QWidget

from ..domain.work_items import WorkItem

ItemKey = tuple[str, str, int, str]


def item_key(item: WorkItem) -> ItemKey:
    """What makes a "My work" line the same line in the next refresh."""
    return (str(item.kind), item.record_kind, item.record_id, item.summary)


def arrived(before: set[ItemKey] | None, items: Iterable[WorkItem]) -> list[WorkItem]:
    """The lines of *items* that were not in *before* (nothing on the first look)."""
    if before is None:
        return []
    return [item for item in items if item_key(item) not in before]


def badge_icon(base: QIcon, count: int) -> QIcon:
    """*base* with *count* in a red disc (no disc for 0)."""
    pixmap = base.pixmap(64, 64) if not base.isNull() else QPixmap(64, 64)
    if base.isNull():
        pixmap.fill(QColor("#2f6f9f"))
    if count <= 0:
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#c62828"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRect(24, 24, 40, 40))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(22 if count < 100 else 16)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRect(24, 24, 40, 40), Qt.AlignmentFlag.AlignCenter, str(min(count, 999)))
    painter.end()
    return QIcon(pixmap)


class WorkTray(QObject):
    """Shows the overdue count and announces new "My work" lines."""

    def __init__(self, window: QWidget, *, available: bool | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.seen: set[ItemKey] | None = None
        self.overdue = 0
        self.last_message = ""
        if available is None:
            available = QSystemTrayIcon.isSystemTrayAvailable()
        self.tray: QSystemTrayIcon | None = None
        if available:
            self.tray = QSystemTrayIcon(self)
            self.tray.activated.connect(self._activated)
            self.tray.setIcon(self._base_icon())
            self.tray.show()

    def _base_icon(self) -> QIcon:
        icon = self.window.windowIcon()
        if icon.isNull():
            style = QApplication.style()
            icon = style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        return icon

    def _activated(self, _reason: QSystemTrayIcon.ActivationReason) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def update(self, items: list[WorkItem]) -> list[WorkItem]:
        """Take the newest "My work" list: the count on the icon, a notification for the new
        lines; returns them."""
        new = arrived(self.seen, items)
        self.seen = {item_key(item) for item in items}
        self.overdue = sum(1 for item in items if item.overdue)
        tooltip = QCoreApplication.translate(
            "WorkTray", "CQMS: {total} waiting for you, {overdue} overdue"
        ).format(total=len(items), overdue=self.overdue)
        if new:
            first = new[0]
            self.last_message = QCoreApplication.translate(
                "WorkTray", "{count} new in My work: {number} {customer}"
            ).format(count=len(new), number=first.number, customer=first.customer)
        if self.tray is not None:
            self.tray.setIcon(badge_icon(self._base_icon(), self.overdue))
            self.tray.setToolTip(tooltip)
            if new:
                self.tray.showMessage(
                    QCoreApplication.translate("WorkTray", "CQMS Desktop"),
                    self.last_message,
                    QSystemTrayIcon.MessageIcon.Information,
                    8000,
                )
        return new
