"""Forms of the administration area: :class:`RecordDialog`, the edit dialog of one record,
built on :class:`..field_form.FieldForm` (each field's error shown right next to it).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import CqmsError
from ..field_form import FieldForm
from ..window_fit import scrolling


class RecordDialog(QDialog):
    """Edit (or create) one record; :meth:`save` calls the service, errors stay in the form."""

    #: Emitted after a successful save with the saved record.
    saved = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        # Long forms scroll on a small screen; Save / Cancel below stay visible.
        body = QWidget(self)
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(body, self), 1)
        self.fields = FieldForm(self, form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def save(self) -> Any:
        """Call the service with the form's values; raise a CqmsError when refused."""
        raise NotImplementedError

    def try_save(self) -> bool:
        """Save; on success close the dialog, else show why and keep what was typed."""
        self.fields.clear_errors()
        try:
            record = self.save()
        except CqmsError as exc:
            self.fields.show_error(exc)
            return False
        self.saved.emit(record)
        self.accept()
        return True
