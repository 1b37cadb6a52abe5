"""The lists' filters as a clerk uses them: dates typed in the usual ways or picked from a
calendar that opens on today, each filter removed with one click, the line of active filters
with "Clear all" (a dashboard drill-down included), and a list empty only because of its
filters saying so."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QToolButton

from cqms_desktop.services.registers import REGISTERS, Filter
from cqms_desktop.ui.date_filter import DateFilterEdit, parse_typed_date
from cqms_desktop.ui.register_view import RegisterView

pytestmark = pytest.mark.gui


# ------------------------------------------------------------------ reading a typed date
@pytest.mark.parametrize(
    "typed",
    ["2026-07-01", "2026/7/1", "2026/07/01", "2026.7.1", "20260701", " 2026-7-1 ", "2026年7月1日"],
)
def test_the_usual_ways_of_writing_a_date_are_read(typed):
    assert parse_typed_date(typed) == date(2026, 7, 1)


@pytest.mark.parametrize(
    "typed", ["2026-13-01", "2026-02-30", "2026-7", "202671", "tomorrow", "Any20260701"]
)
def test_text_that_is_no_date_is_refused(typed):
    with pytest.raises(ValueError):
        parse_typed_date(typed)


def test_an_empty_text_is_no_date():
    assert parse_typed_date("  ") is None


# ------------------------------------------------------------------ the date field
def _type(qtbot, edit: DateFilterEdit, text: str) -> None:
    edit.edit.setFocus()
    edit.edit.clear()
    qtbot.keyClicks(edit.edit, text)
    qtbot.keyClick(edit.edit, Qt.Key.Key_Return)


def _complaints(window) -> RegisterView:
    window.select_tab("complaints")
    return window.views["complaints"]


def test_a_typed_date_filters_the_list_and_is_shown_as_a_date(qtbot, window, ops):
    view = _complaints(window)
    bar = view.filter_bar
    _type(qtbot, bar.date_from, "2026/7/1")
    ops()
    assert bar.date_from.value() == date(2026, 7, 1)
    assert bar.date_from.edit.text() == "2026-07-01"
    assert view.model.filter().date_from == date(2026, 7, 1)
    expected = REGISTERS["complaints"].count(Filter(date_from=date(2026, 7, 1)))
    assert view.model.totalCount() == expected
    assert "From 2026-07-01" in bar.chip_texts()


def test_a_complete_date_applies_after_a_pause_in_typing_without_enter(qtbot, window, ops):
    view = _complaints(window)
    edit = view.filter_bar.date_to
    edit.edit.setFocus()
    qtbot.keyClicks(edit.edit, "20260701")
    qtbot.waitUntil(lambda: view.model.filter().date_to == date(2026, 7, 1))
    assert edit.edit.text() == "2026-07-01"


def test_text_that_is_no_date_is_kept_marked_and_filters_nothing(qtbot, window, ops):
    view = _complaints(window)
    edit = view.filter_bar.date_from
    _type(qtbot, edit, "2026-02-30")
    ops()
    assert not edit.is_valid()
    assert edit.value() is None
    assert edit.edit.text() == "2026-02-30"  # what the user typed is not thrown away
    assert "is not a date" in edit.edit.toolTip()
    assert view.model.filter().date_from is None
    assert not view.filter_bar.active_line.isVisibleTo(view)
    # Corrected, the date applies and the mark goes.
    _type(qtbot, edit, "2026-02-28")
    assert edit.is_valid() and edit.value() == date(2026, 2, 28)
    assert view.model.filter().date_from == date(2026, 2, 28)


def test_the_clear_button_removes_a_date_with_one_click(qtbot, window, ops):
    view = _complaints(window)
    edit = view.filter_bar.date_from
    _type(qtbot, edit, "2026-07-01")
    assert view.model.filter().date_from == date(2026, 7, 1)
    clear_button = next(b for b in edit.edit.findChildren(QToolButton) if b.isVisible())
    qtbot.mouseClick(clear_button, Qt.MouseButton.LeftButton)
    assert edit.value() is None and edit.edit.text() == ""
    assert view.model.filter().date_from is None


@pytest.mark.clock_at("2026-07-15T10:00")
# A popup on the offscreen platform: it cannot raise or grab the keyboard there.
@pytest.mark.qt_log_ignore(
    "This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)"
)
def test_the_calendar_opens_on_today_and_a_picked_day_filters(qtbot, window, ops):
    view = _complaints(window)
    edit = view.filter_bar.date_to
    calendar = edit.open_calendar()
    assert calendar.selectedDate() == QDate(2026, 7, 15)
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 7)
    calendar.clicked.emit(QDate(2026, 7, 3))
    assert not calendar.isVisible()
    assert edit.value() == date(2026, 7, 3) and edit.edit.text() == "2026-07-03"
    assert view.model.filter().date_to == date(2026, 7, 3)
    # Opened again it shows the chosen day, not today.
    assert edit.open_calendar().selectedDate() == QDate(2026, 7, 3)
    calendar.hide()


# ------------------------------------------------------------------ the line of active filters
def test_each_active_filter_is_listed_and_removed_with_one_click(qtbot, window, ops):
    view = _complaints(window)
    bar = view.filter_bar
    assert not bar.active_line.isVisibleTo(view)
    assert bar.overdue is not None and bar.status is not None
    bar.overdue.setChecked(True)
    _type(qtbot, bar.date_from, "2026-01-01")
    bar.search.setText("CC-")
    qtbot.waitUntil(lambda: view.model.filter().text == "CC-")
    assert bar.active_line.isVisibleTo(view)
    assert bar.chip_texts() == ["Text: “CC-”", "From 2026-01-01", "Overdue"]
    # The ✕ of the date chip removes the date only.
    chip = next(c for c in bar.chips if c.text() == "From 2026-01-01")
    qtbot.mouseClick(chip.remove_button, Qt.MouseButton.LeftButton)
    assert bar.chip_texts() == ["Text: “CC-”", "Overdue"]
    assert bar.date_from.value() is None
    flt = view.model.filter()
    assert (flt.text, flt.date_from, flt.overdue) == ("CC-", None, True)
    # Clear all: the whole list again, the line hidden.
    qtbot.mouseClick(bar.clear_all_button, Qt.MouseButton.LeftButton)
    ops()
    assert view.model.filter() == Filter()
    assert bar.search.text() == "" and not bar.overdue.isChecked()
    assert not bar.active_line.isVisibleTo(view)
    assert view.model.totalCount() == REGISTERS["complaints"].count(Filter())


def test_a_dashboard_drill_down_shows_in_the_line_and_an_empty_result_says_why(qtbot, window, ops):
    description = "Open complaints"
    window.show_filtered("complaints", Filter(open_only=True, overdue=True), description)
    view = window.views["complaints"]
    bar = view.filter_bar
    ops()
    assert bar.chip_texts() == [description, "Overdue"]
    assert bar.special.isVisibleTo(window)
    # A search on top of the drill-down that matches nothing: the list says it is the filters.
    bar.search.setText("no such complaint zzz")
    qtbot.waitUntil(lambda: view.model.filter().text == "no such complaint zzz")
    ops()
    assert view.model.totalCount() == 0
    assert view.is_empty_by_filters()
    assert "No records match the filters" in view.empty_label.text()
    assert description in bar.chip_texts()
    view.empty_label.linkActivated.emit("clear")  # the "Clear all" link in the message
    ops()
    assert view.model.filter() == Filter()
    assert not view.is_empty_by_filters()
    assert not bar.special.isVisibleTo(window)
    assert view.model.totalCount() == REGISTERS["complaints"].count(Filter()) > 0


def test_an_empty_register_without_filters_shows_no_filter_message(qtbot, database, ops):
    from cqms_desktop.domain.enums import Department
    from tests.gui.gui_data import make_actor

    view = RegisterView(REGISTERS["service"], make_actor(Department.SALES))
    qtbot.addWidget(view)
    view.show()
    ops()
    assert view.model.totalCount() == 0
    assert not view.is_empty_by_filters()
