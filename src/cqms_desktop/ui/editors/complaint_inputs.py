"""Input widgets of the Complaint editor: optional local dates and times, the drop target for
attachments, combo boxes with an empty entry — and a work-around for a PySide6 6.12 bug.

Times are typed and shown in the PC's local time; the editor hands them to the services as
timezone-aware values, which store them as UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QMimeData, Qt, QTime, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QToolButton,
    QWidget,
)

from ...domain import clock
from ...domain.clock import to_local
from ..dropped_data import can_attach, dropped_items

#: The data of a combo box's empty entry: an empty string (never a record id or a code), so
#: that "nothing chosen" survives the round trip through a QVariant unambiguously.
NO_CHOICE = ""


def aware_local(text: str) -> Any:
    """A typed local "YYYY-MM-DD HH:MM" as an aware time; other text is passed on unchanged
    so that the service refuses it naming the field."""
    text = text.strip()
    if not text:
        return None
    try:
        return clock.aware_local(datetime.fromisoformat(text))
    except ValueError:
        return text


def choice(combo: QComboBox) -> Any:
    """The chosen item's data; ``None`` for the empty entry."""
    data = combo.currentData()
    return None if data == NO_CHOICE else data


class DateTimeInput(QWidget):
    """A text box for a local date (and time) that may be empty, with a "now" button."""

    def __init__(self, with_time: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.with_time = with_time
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(
            QCoreApplication.translate("ComplaintEditor", "YYYY-MM-DD HH:MM")
            if with_time
            else QCoreApplication.translate("ComplaintEditor", "YYYY-MM-DD")
        )
        self.now_button = QToolButton(self)
        self.now_button.setText(
            QCoreApplication.translate("ComplaintEditor", "Now")
            if with_time
            else QCoreApplication.translate("ComplaintEditor", "Today")
        )
        self.now_button.clicked.connect(self.set_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.now_button)

    def set_now(self) -> None:
        """Fill in the current local time (or today)."""
        now = clock.local_now()
        self.edit.setText(now.strftime("%Y-%m-%d %H:%M" if self.with_time else "%Y-%m-%d"))

    def setReadOnly(self, read_only: bool) -> None:
        """Read-only: the text cannot be changed and "now" is hidden."""
        self.edit.setReadOnly(read_only)
        self.now_button.setVisible(not read_only)

    def isReadOnly(self) -> bool:
        """True when the value cannot be changed."""
        return self.edit.isReadOnly()

    def text(self) -> str:
        """The typed text."""
        return self.edit.text()

    def setText(self, text: str) -> None:
        """Show *text*."""
        self.edit.setText(text)

    # The input protocol of .input_state (dirty tracking and drafts).
    def input_value(self) -> str:
        """The typed text."""
        return self.edit.text()

    def set_input_value(self, value: str | None) -> None:
        """Show an :meth:`input_value`."""
        self.edit.setText(value or "")

    def input_signals(self) -> list[Any]:
        """Emitted when the text changes (typed or "now")."""
        return [self.edit.textChanged]


class AttachmentList(QListWidget):
    """The attachments, accepting files dropped from the desktop or a mail program (Outlook's
    FileGroupDescriptorW + FileContents) and screenshots pasted with Ctrl+V."""

    files_dropped = Signal(list)
    #: ``[(name, bytes), …]`` from a mail program's drop or a pasted image.
    data_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.drops_allowed = True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.drops_allowed and can_attach(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if self.drops_allowed and can_attach(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.drops_allowed and self.take_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            if self.drops_allowed:
                self.take_mime(QGuiApplication.clipboard().mimeData())
            event.accept()
            return
        super().keyPressEvent(event)

    def names(self) -> set[str]:
        """The file names listed (so a pasted screenshot gets a new one)."""
        return {
            str(self.item(row).data(Qt.ItemDataRole.UserRole + 1)) for row in range(self.count())
        }

    def take_mime(self, mime: QMimeData | None) -> bool:
        """Emit what *mime* holds as files or data; False when it holds nothing to attach."""
        items = dropped_items(mime, self.names()) if mime is not None else []
        paths = [str(i.path) for i in items if i.path is not None]
        data = [(i.name, i.data) for i in items if i.data is not None]
        if paths:
            self.files_dropped.emit(paths)
        if data:
            self.data_dropped.emit(data)
        return bool(paths or data)


class LocalDateTimeEdit(QWidget):
    """Date and time received, edited in local time, given as naive UTC."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QDateTimeEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addStretch(1)

    def setDateTime(self, value: QDateTime) -> None:
        """Show *value* (local)."""
        self.edit.setDateTime(value)

    def set_utc(self, value: datetime) -> None:
        """Show a stored UTC time in local time."""
        local = to_local(value)
        self.edit.setDateTime(
            QDateTime(
                QDate(local.year, local.month, local.day),
                QTime(local.hour, local.minute, local.second),
            )
        )

    # The input protocol of .input_state (dirty tracking and drafts).
    def input_value(self) -> str:
        """The shown local time as ``yyyy-MM-ddTHH:mm``."""
        return self.edit.dateTime().toString("yyyy-MM-ddTHH:mm")

    def set_input_value(self, value: str) -> None:
        """Show an :meth:`input_value`."""
        moment = QDateTime.fromString(str(value), "yyyy-MM-ddTHH:mm")
        if moment.isValid():
            self.edit.setDateTime(moment)

    def input_signals(self) -> list[Any]:
        """Emitted when the date or time changes."""
        return [self.edit.dateTimeChanged]

    def utc(self) -> datetime:
        """The shown local time as an aware datetime (the service stores it as UTC)."""
        shown: datetime = self.edit.dateTime().toPython()
        # Whole minutes, as shown: a notice typed "now" in the same minute must not count
        # as earlier than the receipt because of hidden seconds.
        return clock.aware_local(shown.replace(second=0, microsecond=0, tzinfo=None))
