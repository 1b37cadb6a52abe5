"""Forms whose fields show their error right next to them (administration pages and the
record editors alike).

A service refuses bad input with a :class:`ValidationError` whose ``field`` names the record
field at fault; :class:`FieldForm` shows the translated message under that field's widget and
puts the cursor there. A :class:`ConflictError` (someone else saved the record since it was
opened) and every other :class:`CqmsError` are shown in a message box.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from ..domain.errors import ConflictError, CqmsError, ValidationError
from .error_handling import error_box

_ERROR_STYLE = "QLabel { color: #b00020; }"


class FieldForm:
    """A ``QFormLayout`` whose rows each carry an (initially hidden) error label."""

    def __init__(self, owner: QWidget, form: QFormLayout) -> None:
        self.owner = owner
        self.form = form
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, str] = {}
        self.message_box: QMessageBox | None = None

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        """Add the row for record field *name*, labelled *label* (already translated)."""
        holder = QWidget(self.owner)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = QLabel(holder)
        error.setObjectName(f"error_{name}")
        error.setStyleSheet(_ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        box.addWidget(error)
        self.form.addRow(label, holder)
        if label:
            self.labels[name] = label.rstrip(":")
        self.widgets[name] = widget
        self.errors[name] = error
        return widget

    def clear_errors(self) -> None:
        """Hide every field's error."""
        for error in self.errors.values():
            error.clear()
            error.hide()

    def error_text(self, name: str) -> str:
        """The error shown next to field *name* ('' when none)."""
        label = self.errors.get(name)
        return label.text() if label is not None and not label.isHidden() else ""

    def _translate(self, context: str, text: str) -> str:
        # A field the shared label list does not know (a settings key) is named as its row is.
        if context == "Fields" and text in self.labels:
            return self.labels[text]
        return QCoreApplication.translate(context, text)

    def show_error(self, exc: CqmsError) -> None:
        """Show *exc* next to its field, or in a message box when it names no field here."""
        text = exc.translated(self._translate)
        name = exc.field or exc.params.get("key")
        if isinstance(exc, ValidationError) and name in self.errors:
            self.errors[name].setText(text)
            self.errors[name].show()
            self.widgets[name].setFocus()
            return
        title = (
            QCoreApplication.translate("AdminForms", "Changed by someone else")
            if isinstance(exc, ConflictError)
            else None
        )
        self.message_box = error_box(self.owner, exc, title)
        self.message_box.open()
