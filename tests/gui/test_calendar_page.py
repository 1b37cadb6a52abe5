"""Administration → Company calendar: a year's days, loading the public schedule, adding,
removing and importing days; deadlines of unhandled complaints follow."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from cqms_desktop.domain.enums import Department
from cqms_desktop.services import calendar
from cqms_desktop.store.models import Holiday
from cqms_desktop.ui.admin.calendar_page import CalendarPage
from tests.gui.gui_data import make_actor

pytestmark = [pytest.mark.gui, pytest.mark.clock_at("2026-06-15T02:00")]


@pytest.fixture
def boss(database):
    return make_actor(Department.ADMINISTRATION, is_admin=True, name="boss")


@pytest.fixture
def page(qtbot, boss, ops):
    widget = CalendarPage(boss)
    qtbot.addWidget(widget)
    widget.show()
    ops()
    return widget


def shown_days(page) -> list[tuple[str, str, str]]:
    return [
        (
            page.table.item(r, 0).text(),
            page.table.item(r, 2).text(),
            page.table.item(r, 3).text(),
        )
        for r in range(page.table.rowCount())
    ]


def test_a_year_of_public_holidays_is_loaded_with_one_click(page, ops):
    assert page.year.value() == 2026 and page.table.rowCount() == 0
    page.load_button.click()
    ops()
    ops()  # the reload after the load
    days = dict((d, (kind, source)) for d, kind, source in shown_days(page))
    assert days["2026-10-01"] == ("Closed (holiday)", "Public holiday schedule")
    assert days["2026-09-20"] == ("Working day (make-up / extra)", "Public holiday schedule")
    assert "28 added" in page.status.text()
    assert page.summary.text() == "2026: 22 closed days, 6 working days on a weekend."
    page.year.setValue(2027)
    ops()
    assert page.table.rowCount() == 0


def test_a_day_is_added_with_kind_and_note_and_removed(page, ops, qtbot):
    dialog = page.add_day()
    dialog.day.setDate(QDate(2026, 12, 24))
    dialog.kind.setCurrentIndex(dialog.kind.findData("closed"))
    dialog.note.setText("年终盘点")
    assert dialog.try_save()
    ops()
    assert shown_days(page) == [("2026-12-24", "Closed (holiday)", "Company")]
    assert page.table.item(0, 4).text() == "年终盘点"
    # The same day again is refused next to the date, nothing typed is lost.
    again = page.add_day()
    again.day.setDate(QDate(2026, 12, 24))
    again.note.setText("twice")
    assert not again.try_save()
    assert "already in the calendar" in again.fields.error_text("day")
    assert again.note.text() == "twice"
    again.reject()
    page.table.selectRow(0)
    page.remove_selected(confirm=False)
    ops()
    ops()
    assert page.table.rowCount() == 0
    assert not Holiday.select().exists()


def test_a_file_is_imported(page, ops, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text("date,kind,note\n2026-11-07,working,Stocktaking\n", "utf-8")
    page.import_file(str(path))
    ops()
    ops()
    assert shown_days(page) == [("2026-11-07", "Working day (make-up / extra)", "Company")]
    assert calendar.calendar_days(2026)[0].day == date(2026, 11, 7)
