"""Section 9 of the Complaint editor, the attachments: the list (a drop target), and adding,
opening, saving and removing files.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
)

from ...services import complaint_queries as queries
from ...services import complaints as svc
from .complaint_inputs import AttachmentList


class ComplaintAttachmentsMixin:
    """The attachments list and its commands; mixed into :class:`~.complaints.ComplaintEditor`."""

    def _attachments_box(self) -> QGroupBox:
        box = QGroupBox(
            QCoreApplication.translate("ComplaintEditor", "9. Attachments (drop files here)"), self
        )
        box.setObjectName("sectionAttachments")
        layout = QHBoxLayout(box)
        self.attachments = AttachmentList(self)
        self.attachments.setObjectName("attachmentList")
        self.attachments.setMaximumHeight(120)
        self.attachments.files_dropped.connect(self.add_attachments)
        self.attachments.data_dropped.connect(self.add_attachment_data)
        self.attachments.itemDoubleClicked.connect(lambda _item: self.open_attachment())
        buttons = QVBoxLayout()
        self.attach_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Add file…"), self
        )
        self.attach_button.clicked.connect(self.choose_attachments)
        self.open_attachment_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Open"), self
        )
        self.open_attachment_button.clicked.connect(self.open_attachment)
        self.save_attachment_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Save as…"), self
        )
        self.save_attachment_button.clicked.connect(self.save_attachment)
        self.remove_attachment_button = QPushButton(
            QCoreApplication.translate("ComplaintEditor", "Remove"), self
        )
        self.remove_attachment_button.clicked.connect(self.remove_attachment)
        for button in (
            self.attach_button,
            self.open_attachment_button,
            self.save_attachment_button,
            self.remove_attachment_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.attachments, 1)
        layout.addLayout(buttons)
        return box

    def _show_attachments(self, detail: queries.ComplaintDetail) -> None:
        self.attachments.clear()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for info in detail.attachments:
            size = f"{info.size / 1024:.0f} KB" if info.size >= 1024 else f"{info.size} B"
            item = QListWidgetItem(icon, f"{info.filename}  ({size}, {info.added_by})")
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, info.filename)
            self.attachments.addItem(item)

    def add_attachments(self, paths: list[str]) -> bool:
        """Store the files at *paths* with the complaint (one transaction per file)."""
        if self.record_id is None:
            return False
        ok = True
        complaint_id = self.record_id
        for path in paths:
            ok = self.perform(
                lambda p=path: svc.add_attachment(self.actor, complaint_id=complaint_id, path=p)
            )
            if not ok:
                break
        return ok

    def add_attachment_data(self, items: list[tuple[str, bytes]]) -> bool:
        """Store *items* (name, bytes) — a mail program's drop, a pasted screenshot."""
        if self.record_id is None:
            return False
        complaint_id = self.record_id
        for name, data in items:
            if not self.perform(
                lambda n=name, d=data: svc.add_attachment_data(
                    self.actor, complaint_id=complaint_id, filename=n, data=d
                )
            ):
                return False
        return True

    def choose_attachments(self) -> None:
        """Pick files with the file dialog and attach them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self, QCoreApplication.translate("ComplaintEditor", "Attach files")
        )
        if paths:
            self.add_attachments(paths)

    def _selected_attachment(self) -> tuple[int, str] | None:
        item = self.attachments.currentItem()
        if item is None:
            return None
        return item.data(Qt.ItemDataRole.UserRole), item.data(Qt.ItemDataRole.UserRole + 1)

    def open_attachment(self) -> None:
        """Open the selected attachment with the desktop's program for it."""
        chosen = self._selected_attachment()
        if chosen is None:
            return
        # A large file takes a moment to read: on the database worker, the window painting.
        ok, path = self._run_on_worker(lambda: svc.open_attachment_copy(attachment_id=chosen[0]))
        if ok:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save_attachment(self) -> None:
        """Save the selected attachment as a file the user chooses."""
        chosen = self._selected_attachment()
        if chosen is None:
            return
        target, _ = QFileDialog.getSaveFileName(
            self, QCoreApplication.translate("ComplaintEditor", "Save attachment"), chosen[1]
        )
        if target:
            self._run_on_worker(lambda: svc.save_attachment(attachment_id=chosen[0], target=target))

    def remove_attachment(self) -> None:
        """Remove the selected attachment."""
        chosen = self._selected_attachment()
        if chosen is not None:
            self.perform(lambda: svc.remove_attachment(self.actor, attachment_id=chosen[0]))
