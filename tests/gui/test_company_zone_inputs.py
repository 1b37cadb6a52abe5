"""Times typed into the editors are the company's (its time zone setting), as the times they
show are: with Shanghai on a PC in Berlin, a receipt time round-trips unchanged."""

from __future__ import annotations

from datetime import datetime

import pytest

from cqms_desktop.domain import clock
from cqms_desktop.services import admin
from cqms_desktop.ui.editors.complaint_inputs import LocalDateTimeEdit, aware_local

pytestmark = pytest.mark.gui


@pytest.fixture
def shanghai(berlin_time, database, system):
    admin.update_settings(system, {"timezone": "Asia/Shanghai"})


def test_a_shown_time_is_read_back_as_the_same_instant(qtbot, shanghai):
    edit = LocalDateTimeEdit()
    qtbot.addWidget(edit)
    stored = datetime(2026, 9, 30, 18, 30)  # 1 October 02:30 in Shanghai
    edit.set_utc(stored)
    assert edit.edit.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-10-01 02:30"
    assert clock.to_utc(edit.utc()) == stored


def test_a_typed_time_is_the_company_s(shanghai):
    typed = aware_local("2026-10-01 02:30")
    assert clock.to_utc(typed) == datetime(2026, 9, 30, 18, 30)
