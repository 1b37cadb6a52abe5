"""Reading, writing and watching an editor's inputs in one way, whatever the widget.

The record editors (:class:`~.record_editor.RecordEditor`) keep what each input showed when
the record was loaded, compare it with what it shows now (the "unsaved changes" question),
and write it to a draft file — so every value here is plain JSON: text, numbers, booleans,
``None``, ISO dates and lists.

Plain Qt inputs are known by type. A composite input of this package (an optional date, a
date-time with a "now" button, the circulation ticks) says itself how, with three methods:
``input_value()``, ``set_input_value(value)`` and ``input_signals()`` (the signals emitted
when the user changes it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ..customer_chooser import CustomerChooser

_DATETIME_FORMAT = "yyyy-MM-ddTHH:mm"


def read_input(widget: QWidget) -> Any:
    """What *widget* shows, as a JSON value."""
    if hasattr(widget, "input_value"):
        return widget.input_value()
    if isinstance(widget, CustomerChooser):
        return widget.customer_id()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QDateEdit):
        return widget.date().toString(Qt.DateFormat.ISODate)
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString(_DATETIME_FORMAT)
    raise TypeError(f"no input state for {type(widget).__name__}")


def write_input(widget: QWidget, value: Any) -> None:
    """Show *value* (as :func:`read_input` gave it) in *widget*; a value it cannot show (a
    choice that no longer exists) leaves it as it is."""
    if hasattr(widget, "set_input_value"):
        widget.set_input_value(value)
    elif isinstance(widget, CustomerChooser):
        widget.set_customer(value)
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QComboBox):
        for index in range(widget.count()):
            if widget.itemData(index) == value:
                widget.setCurrentIndex(index)
                break
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    elif isinstance(widget, QDateEdit):
        day = QDate.fromString(str(value), Qt.DateFormat.ISODate)
        if day.isValid():
            widget.setDate(day)
    elif isinstance(widget, QDateTimeEdit):
        moment = QDateTime.fromString(str(value), _DATETIME_FORMAT)
        if moment.isValid():
            widget.setDateTime(moment)
    else:
        raise TypeError(f"no input state for {type(widget).__name__}")


def input_signals(widget: QWidget) -> list[SignalInstance]:
    """The signals *widget* emits when its value changes."""
    if hasattr(widget, "input_signals"):
        signals: list[SignalInstance] = widget.input_signals()
        return signals
    if isinstance(widget, CustomerChooser):
        return [widget.customerChanged, widget.textChanged]
    table: list[tuple[type, Callable[[Any], SignalInstance]]] = [
        (QLineEdit, lambda w: w.textChanged),
        (QPlainTextEdit, lambda w: w.textChanged),
        (QComboBox, lambda w: w.currentIndexChanged),
        (QCheckBox, lambda w: w.toggled),
        (QSpinBox, lambda w: w.valueChanged),
        (QDateTimeEdit, lambda w: w.dateTimeChanged),
    ]
    for kind, signal in table:
        if isinstance(widget, kind):
            return [signal(widget)]
    raise TypeError(f"no input state for {type(widget).__name__}")
