"""Administration: the business settings every PC shares (stored in the database).

The page is generated from the settings registry (``domain.settings.SETTINGS``): one row per
setting in its group, with the widget of its type, its range and unit, its label and its help
as a tooltip, so a setting is declared in one place only. Saved through
:func:`services.admin.update_settings`, which checks every value against the same registry
and audits every change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import CqmsError
from ...domain.settings import SETTINGS, Group, SettingSpec, SettingType
from ...services import admin
from ...services.base import Actor
from ...services.settings_queries import all_settings
from .forms import FieldForm


def _t(text: str) -> str:
    return QCoreApplication.translate("Settings", text) if text else ""


def _limit(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


class SettingEditor:
    """The widget of one setting: shows a stored value, gives back what the user set."""

    def __init__(self, spec: SettingSpec, parent: QWidget) -> None:
        self.spec = spec
        self.parts: dict[str, QSpinBox] = {}
        self.widget = self._make(parent)
        tips = [_t(spec.help)]
        if spec.minimum is not None and spec.maximum is not None:
            tips.append(
                QCoreApplication.translate("Settings", "Allowed: {min} to {max}{unit}").format(
                    min=_limit(spec.minimum), max=_limit(spec.maximum), unit=_t(spec.unit)
                )
            )
        self.widget.setToolTip("\n".join(t for t in tips if t))

    def _make(self, parent: QWidget) -> QWidget:
        spec = self.spec
        low = int(spec.minimum) if spec.minimum is not None else 0
        high = int(spec.maximum) if spec.maximum is not None else 2_147_483_647
        match spec.type:
            case SettingType.INTEGER:
                spin = QSpinBox(parent)
                spin.setRange(low, high)
                spin.setSuffix(_t(spec.unit))
                return spin
            case SettingType.DECIMAL:
                number = QDoubleSpinBox(parent)
                number.setRange(spec.minimum or 0.0, spec.maximum or 1e9)
                number.setDecimals(spec.decimals)
                number.setSingleStep(10.0**-spec.decimals)
                number.setSuffix(_t(spec.unit))
                return number
            case SettingType.FLAG:
                return QCheckBox(_t(spec.label), parent)
            case SettingType.WEIGHTS:
                row = QWidget(parent)
                line = QHBoxLayout(row)
                line.setContentsMargins(0, 0, 0, 0)
                for part, label in spec.parts.items():
                    spin = QSpinBox(row)
                    spin.setRange(low, high)
                    line.addWidget(QLabel(_t(label), row))
                    line.addWidget(spin)
                    self.parts[part] = spin
                return row
            case _:
                text = QLineEdit(parent)
                if spec.max_length:
                    text.setMaxLength(spec.max_length)
                if spec.type == SettingType.TIME_ZONE:
                    text.setPlaceholderText(
                        QCoreApplication.translate("Settings", "empty: each PC's own time zone")
                    )
                return text

    @property
    def row_label(self) -> str:
        """The form row's label (a check box carries its own)."""
        return "" if self.spec.type == SettingType.FLAG else _t(self.spec.label)

    def set_value(self, value: Any) -> None:
        """Show *value* (as stored)."""
        widget = self.widget
        if isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, QDoubleSpinBox):
            widget.setValue(float(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value or ""))
        else:
            weights = dict(value or {})
            for part, spin in self.parts.items():
                spin.setValue(int(weights.get(part, self.spec.default[part])))

    def value(self) -> Any:
        """What the widget shows, typed as the setting is stored."""
        widget = self.widget
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QDoubleSpinBox):
            return round(widget.value(), self.spec.decimals)
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QLineEdit):
            return widget.text().strip()
        return {part: spin.value() for part, spin in self.parts.items()}


class SettingsPage(QWidget):
    """Edit the shared business settings; only changed keys are saved (and audited)."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.loaded: dict[str, Any] = {}
        inner = QWidget()
        inner.setMaximumWidth(900)  # long lines of form fields are hard to read
        column = QVBoxLayout(inner)

        #: The editor of each setting, by key, in the registry's order.
        self.editors: dict[str, SettingEditor] = {}
        #: The form of each group (a setting's error shows under its row).
        self.groups: dict[Group, FieldForm] = {}
        for group in Group:
            specs = [spec for spec in SETTINGS if spec.group == group]
            if not specs:
                continue
            box = QGroupBox(_t(group.label), inner)
            layout = QFormLayout(box)
            if group != Group.COMPANY:
                layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
            form = FieldForm(self, layout)
            for spec in specs:
                editor = SettingEditor(spec, box)
                form.add(spec.key, editor.row_label, editor.widget)
                self.editors[spec.key] = editor
            self.groups[group] = form
            column.addWidget(box)
        column.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.save_button = QPushButton(self.tr("Save settings"), self)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Undo changes"), self)
        self.revert_button.clicked.connect(lambda: self.load())
        self.status = QLabel(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.load()

    def widget(self, key: str) -> QWidget:
        """The widget that edits setting *key*."""
        return self.editors[key].widget

    # ------------------------------------------------------------------ values
    def load(self, *, keep_status: bool = False) -> None:
        """Show the settings as stored in the database."""
        self.loaded = all_settings()
        for key, editor in self.editors.items():
            editor.set_value(self.loaded[key])
        self._clear_errors()
        if not keep_status:
            self.status.clear()

    def values(self) -> dict[str, Any]:
        """Every setting as the form shows it."""
        return {key: editor.value() for key, editor in self.editors.items()}

    def changed(self) -> dict[str, Any]:
        """The settings that differ from what was loaded."""
        return {k: val for k, val in self.values().items() if self.loaded.get(k) != val}

    def save(self) -> bool:
        """Save the changed settings; show an error next to its field when refused."""
        self._clear_errors()
        self.status.clear()
        changes = self.changed()
        if not changes:
            self.status.setText(self.tr("Nothing to save."))
            return True
        try:
            admin.update_settings(self.actor, changes)
        except CqmsError as exc:
            self._show_error(exc)
            return False
        self.load()
        self.status.setText(self.tr("Saved ({n} changed).").format(n=len(changes)))
        return True

    # ------------------------------------------------------------------ errors
    def _forms(self) -> list[FieldForm]:
        return list(self.groups.values())

    def _clear_errors(self) -> None:
        for form in self._forms():
            form.clear_errors()

    def error_text(self, key: str) -> str:
        """The error shown next to setting *key* ('' when none)."""
        for form in self._forms():
            if key in form.errors:
                return form.error_text(key)
        return ""

    def _show_error(self, exc: CqmsError) -> None:
        key = exc.field or exc.params.get("key")
        forms = self._forms()
        for form in forms:
            if key in form.errors:
                form.show_error(exc)
                return
        forms[0].show_error(exc)
