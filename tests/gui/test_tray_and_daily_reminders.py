"""The tray's overdue count and new-item notification, and the running program's once-a-day
reminder run (only where the PC can send; once per day per PC; claims make it once overall)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from cqms_desktop.domain.work_items import WorkItem, WorkKind
from cqms_desktop.services import reminders
from cqms_desktop.ui import daily_reminders
from cqms_desktop.ui.daily_reminders import DailyReminders
from cqms_desktop.ui.work_tray import WorkTray, arrived, badge_icon, item_key

pytestmark = pytest.mark.gui


def _item(number: str, overdue: bool, kind: WorkKind = WorkKind.COMPLAINT_STEP) -> WorkItem:
    return WorkItem(
        kind=kind,
        record_kind="complaint",
        record_id=int(number[-4:]),
        number=number,
        customer="Müller GmbH",
        summary="Gratbildung",
        due=date(2026, 6, 1),
        overdue=overdue,
    )


def test_the_tray_counts_overdue_and_announces_only_new_lines(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    tray = WorkTray(window, available=False)
    first = [_item("CC-2026-0001", True), _item("CC-2026-0002", False)]
    assert tray.update(first) == []  # the first look is the baseline, not news
    assert tray.overdue == 1
    returned = _item("CC-2026-0003", True)
    assert tray.update([*first, returned]) == [returned]
    assert "CC-2026-0003" in tray.last_message and tray.overdue == 2
    assert tray.update([*first, returned]) == []  # nothing new the next time
    assert arrived({item_key(first[0])}, first) == [first[1]]


def test_the_badge_icon_draws_a_count(qtbot):
    plain, badged = badge_icon(QWidget().windowIcon(), 0), badge_icon(QWidget().windowIcon(), 7)
    assert not plain.isNull() and not badged.isNull()
    assert plain.pixmap(64, 64).toImage() != badged.pixmap(64, 64).toImage()


@pytest.mark.clock_at("2026-06-15T08:30")
def test_the_running_program_reminds_once_a_day_and_only_when_it_can_send(
    qtbot, database, monkeypatch, ops
):
    runs: list[int] = []
    monkeypatch.setattr(reminders, "remind", lambda username="system": runs.append(1))
    monkeypatch.setattr(daily_reminders, "FROM_HOUR", 0)
    owner = QWidget()
    qtbot.addWidget(owner)
    daily = DailyReminders(owner)
    assert daily.check()  # not set up: it runs, but sends nothing
    ops()
    assert runs == [] and daily.last_report is None
    assert not daily.check()  # once a day on this PC
    QSettings().remove(daily_reminders.SETTINGS_KEY)
    monkeypatch.setattr(reminders, "ready_to_send", lambda: True)
    assert daily.check()
    ops()
    assert runs == [1]
    monkeypatch.setattr(daily_reminders, "FROM_HOUR", 25)  # not yet time today
    QSettings().remove(daily_reminders.SETTINGS_KEY)
    assert not daily.check()
