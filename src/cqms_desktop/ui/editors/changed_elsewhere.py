"""The line an open editor shows when someone on another PC changed its record
(issue #15 item 14): who and when, and a Reload button. Until then the optimistic lock
still refuses a save over their change; with the line the user learns it before typing on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ...domain.clock import to_local
from ...services.remote_changes import RemoteChange

#: An editor's record kind → the audit trail's table of its record.
TABLE_OF_KIND = {
    "complaint": "complaint",
    "feedback": "feedback",
    "visit": "visit",
    "survey": "survey",
    "service": "service_record",
}


def change_for(
    changes: list[RemoteChange], kind: str, record_id: int | None
) -> RemoteChange | None:
    """The change among *changes* of the record of *kind* and *record_id*, if any."""
    table = TABLE_OF_KIND.get(kind)
    if table is None or record_id is None:
        return None
    for change in changes:
        if change.table == table and change.record_id == record_id:
            return change
    return None


class ChangedElsewhereBanner(QFrame):
    """ "Changed by 周军 (zhou.jun) at 10:42 on another PC — Reload" above an editor's form."""

    def __init__(self, reload: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changedElsewhere")
        self.setStyleSheet("#changedElsewhere { background: #fff3cd; border: 1px solid #e0b252; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.reload_button = QPushButton(QCoreApplication.translate("Editors", "Reload"), self)
        self.reload_button.setObjectName("reloadChanged")
        self.reload_button.clicked.connect(reload)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.reload_button)
        self.hide()

    def show_change(self, change: RemoteChange) -> None:
        """Say who changed the record and when (local time), and show the line."""
        who = f"{change.full_name} ({change.username})" if change.full_name else change.username
        self.label.setText(
            QCoreApplication.translate(
                "Editors",
                "{who} changed this record on another PC at {time}. Reload to see the change; "
                "saving now would be refused.",
            ).format(who=who, time=to_local(change.at).strftime("%H:%M"))
        )
        self.show()
