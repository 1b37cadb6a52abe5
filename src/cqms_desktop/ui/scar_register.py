"""The SCAR register (5.2.3 c): every Supplier Corrective Action Request, beside the complaint
list — search, status, date and "Reply overdue" filters (the overdue flag is the domain rule
in SQL, ``services/deadline_sql.scar_reply_overdue_condition``). SCARs are raised from their
complaint, so the list opens existing ones only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..services import scars
from ..services.base import Actor
from .change_bridge import follow_changes
from .register_view import RegisterView
from .scar_dialog import ScarDialog


class ScarRegisterPage(QWidget):
    """The SCAR list; a double-click opens the SCAR editor."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.view = RegisterView(
            scars.SCARS,
            actor,
            self,
            settings_key="scars",
            opener=self.open_scar,
            can_create=False,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.dialog: ScarDialog | None = None
        follow_changes(self, self.view.on_changed)

    def open_scar(self, scar_id: int | None) -> ScarDialog | None:
        """Open SCAR *scar_id* (a new one is raised from its complaint, not here)."""
        if scar_id is None:
            return None
        self.dialog = ScarDialog(self.actor, scar_id=scar_id, parent=self)
        self.dialog.changed.connect(lambda _i: self.view.refresh())
        self.dialog.open()
        return self.dialog
