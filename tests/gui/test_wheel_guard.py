"""The mouse wheel scrolls a form; it changes an input's value only when that input has the
focus (one application-wide guard, installed by the program at start)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cqms_desktop import app as app_module
from cqms_desktop.ui import wheel_guard

pytestmark = pytest.mark.gui


@pytest.fixture
def guard(qapp) -> Iterator[wheel_guard.WheelGuard]:
    installed = wheel_guard.install(qapp)
    yield installed
    qapp.removeEventFilter(installed)
    installed.setParent(None)
    installed.deleteLater()


def turn_wheel(widget: QWidget, notches: int = -1) -> None:
    """Turn the wheel over *widget* (negative: towards the user, i.e. scroll down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def value_of(widget: QWidget):
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QDateTimeEdit):  # QDateEdit too
        return widget.dateTime()
    return widget.value()


def long_form(qtbot) -> tuple[QScrollArea, list[QWidget]]:
    """A form taller than its window, with one input of every kind in the middle."""
    inner = QWidget()
    column = QVBoxLayout(inner)
    combo = QComboBox()
    combo.addItems(["Company", "Supplier", "Customer"])
    spin = QSpinBox()
    spin.setRange(0, 100)
    spin.setValue(50)
    double = QDoubleSpinBox()
    double.setValue(5.0)
    day = QDateEdit(QDate(2026, 6, 15))
    moment = QDateTimeEdit(QDateTime(QDate(2026, 6, 15), QDateTime().time()))
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 10)
    slider.setValue(5)
    inputs: list[QWidget] = [combo, spin, double, day, moment, slider]
    column.addSpacing(600)
    for widget in inputs:
        column.addWidget(widget)
    column.addSpacing(600)
    area = QScrollArea()
    area.setWidget(inner)
    area.setWidgetResizable(True)
    area.resize(300, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, inputs


def test_the_wheel_over_an_unfocused_input_scrolls_the_form_and_keeps_the_value(qtbot, guard):
    area, inputs = long_form(qtbot)
    bar = area.verticalScrollBar()
    for widget in inputs:
        before, position = value_of(widget), bar.value()
        turn_wheel(widget)
        assert value_of(widget) == before, type(widget).__name__
        assert bar.value() > position, f"the form did not scroll over {type(widget).__name__}"
        if isinstance(widget, QAbstractSpinBox):
            # Under a real pointer the wheel reaches the spin box's own line edit first.
            position = bar.value()
            turn_wheel(widget.lineEdit())
            assert value_of(widget) == before, type(widget).__name__
            assert bar.value() > position
        assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus or isinstance(widget, QSlider)


def test_a_focused_input_still_takes_the_wheel(qtbot, guard):
    area, inputs = long_form(qtbot)
    area.activateWindow()
    for widget in inputs:
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        before = value_of(widget)
        turn_wheel(widget)
        assert value_of(widget) != before, type(widget).__name__


def test_without_the_guard_the_wheel_would_change_values(qtbot, qapp):
    """The situation the guard exists for (and proof that the tests above can fail)."""
    # A test that made the program's application object left its guard installed.
    installed = qapp.findChildren(wheel_guard.WheelGuard)
    for guard in installed:
        qapp.removeEventFilter(guard)
    try:
        _area, inputs = long_form(qtbot)
        combo = inputs[0]
        turn_wheel(combo)
        assert combo.currentIndex() == 1
    finally:
        for guard in installed:
            qapp.installEventFilter(guard)


def test_the_program_installs_the_guard_once(qapp):
    app = app_module.create_application([])
    try:
        assert len(app.findChildren(wheel_guard.WheelGuard)) == 1
        app_module.create_application([])
        assert len(app.findChildren(wheel_guard.WheelGuard)) == 1
    finally:
        for installed in app.findChildren(wheel_guard.WheelGuard):
            app.removeEventFilter(installed)
            installed.setParent(None)
            installed.deleteLater()


def test_scrolling_the_complaint_form_leaves_responsibility_alone(qtbot, guard, actors, sample):
    """The case from the office: QA scrolls the long form over the Responsibility combo."""
    from cqms_desktop.domain.enums import Department
    from cqms_desktop.ui.editors import complaints as editor_module

    editor = editor_module.open_editor(None, actors[Department.QA], sample.on_time[0])
    qtbot.addWidget(editor)
    qtbot.waitExposed(editor)
    combo = editor.widgets["responsibility"]
    assert combo.isEnabled() and not combo.hasFocus()
    before = combo.currentIndex()
    for _ in range(3):
        turn_wheel(combo)
    assert combo.currentIndex() == before
