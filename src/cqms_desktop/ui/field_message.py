"""One way for a small dialog to say why its input was refused, at the field at fault."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QLineEdit


def show_field_message(
    message: QLabel, fields: Mapping[str, QLineEdit], text: str, field: str | None
) -> None:
    """Show *text* in *message* and put the cursor into *field* (if it is one of *fields*),
    its content selected so that typing replaces it."""
    message.setText(text)
    message.show()
    widget = fields.get(field or "")
    if widget is not None:
        widget.setFocus()
        widget.selectAll()
