"""Opening a record: the convention every record editor follows.

Each kind of record (the register kinds ``visits``, ``feedback``, ``complaints``, ``surveys``,
``service``…) gets its editor in a module of this package named after the kind, e.g.
``cqms_desktop/ui/editors/complaints.py``, providing::

    def open_editor(parent: QWidget, actor: Actor, record_id: int | None) -> Any:
        '''Open record *record_id* (None: a new one), usually as a dialog.'''

:func:`open_editor` below finds that module. Until it exists, an existing record is shown
read-only (every field of the row), and creating one says that this is not available yet.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import peewee as pw
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import NotFoundError
from ...domain.fields import FIELD_LABELS
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...services.base import Actor
from ...services.registers import REGISTERS, Column
from ..register_model import format_value
from ..window_fit import fit_window

#: Fields never shown in the read-only viewer.
_HIDDEN = frozenset({"password_hash", "data"})
_BOOKKEEPING = ("version", "created_at", "created_by", "updated_at", "updated_by")


def editor_module(kind: str) -> Any | None:
    """The editor module for *kind*, or ``None`` if none is installed."""
    name = f"{__name__}.{kind}"
    if not kind.isidentifier() or importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def open_editor(kind: str, parent: QWidget | None, actor: Actor, record_id: int | None) -> Any:
    """Open record *record_id* of *kind* (``None``: create one) in the kind's editor.

    Returns what the editor returns (usually its dialog); without an editor, the read-only
    :class:`RecordViewer` for an existing record or an information box for a new one.
    """
    module = editor_module(kind)
    if module is not None:
        return module.open_editor(parent, actor, record_id)
    title = (
        QCoreApplication.translate("Registers", REGISTERS[kind].title)
        if kind in REGISTERS
        else kind
    )
    if record_id is None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            title,
            QCoreApplication.translate(
                "Editors", "Creating this kind of record is not available yet."
            ),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.open()
        return box
    viewer = RecordViewer(kind, record_id, parent)
    viewer.open()
    return viewer


def _field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    if label is not None:
        return QCoreApplication.translate("Fields", label)
    return name.replace("_", " ").capitalize()


class RecordViewer(QDialog):
    """A read-only view of every field of one record (until its kind has an editor)."""

    def __init__(self, kind: str, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        register = REGISTERS[kind]
        record = register.model.get_or_none(register.model.id == record_id)
        if record is None:
            raise NotFoundError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The record no longer exists (it may have been deleted)."
                )
            )
        self.record = record
        number = getattr(record, "number", None) or getattr(record, "code", None) or record_id
        self.setWindowTitle(
            QCoreApplication.translate("Editors", "{title} {number} (read only)").format(
                title=QCoreApplication.translate("Registers", register.title), number=number
            )
        )
        self.values: dict[str, str] = {}
        form = QFormLayout()
        enums = {c.key: c for c in register.columns if c.kind == "enum"}
        fields = register.model._meta.sorted_fields
        # The record's own fields first; who changed it when (and its version) at the end.
        fields = [f for f in fields if f.name not in _BOOKKEEPING] + [
            f for f in fields if f.name in _BOOKKEEPING
        ]
        for field in fields:
            if field.name in _HIDDEN or isinstance(field, pw.BlobField | pw.AutoField):
                continue
            text = self._text(field, record, enums)
            self.values[field.name] = text
            if isinstance(field, pw.TextField) and "\n" in text:
                widget: QWidget = QPlainTextEdit(text)
                widget.setReadOnly(True)
                widget.setMaximumHeight(90)
            else:
                widget = QLabel(text)
                widget.setWordWrap(True)
                widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(_field_label(field.name), widget)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        fit_window(self, "record_viewer", 560, 600)

    @staticmethod
    def _text(field: pw.Field, record: pw.Model, enums: dict[str, Any]) -> str:
        if isinstance(field, pw.ForeignKeyField):
            related = getattr(record, field.name, None)
            if related is None:
                return ""
            for attr in ("number", "code", "full_name", "part_number"):
                if getattr(related, attr, None):
                    extra = getattr(related, "name", "")
                    value = getattr(related, attr)
                    return f"{value} — {extra}" if extra and attr == "code" else str(value)
            return str(related.get_id())
        value = getattr(record, field.name)
        if field.name in enums:
            return format_value(enums[field.name], value)
        kind = "text"
        if isinstance(field, pw.DateTimeField):
            kind = "datetime"
        elif isinstance(field, pw.DateField):
            kind = "date"
        elif isinstance(field, pw.BooleanField):
            kind = "bool"
        elif isinstance(field, pw.DecimalField):
            kind = "decimal"
        return format_value(Column(field.name, "", lambda: None, kind), value)
