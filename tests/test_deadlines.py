"""Handling deadlines (5.2.3 a/b): urgent 2 days, normal 7; calendar or working days;
registered just before midnight, across a month end, holidays, time zones, due soon, actions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cqms_desktop.domain.company_calendar import CompanyCalendar
from cqms_desktop.domain.deadlines import (
    DeadlineRules,
    DeadlineState,
    action_due_soon,
    action_overdue,
    add_days,
    company_zone,
    complaint_due_utc,
    deadline_state,
    due_at,
    is_due_soon,
    is_overdue,
)
from cqms_desktop.domain.enums import Severity
from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.domain.settings import deadline_rules

CALENDAR = DeadlineRules()
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def test_urgent_two_days_normal_seven_days_to_the_end_of_the_day():
    received = datetime(2026, 3, 10, 9, 15)
    assert due_at(received, Severity.URGENT, CALENDAR) == datetime(2026, 3, 12, 23, 59, 59)
    assert due_at(received, Severity.NORMAL, CALENDAR) == datetime(2026, 3, 17, 23, 59, 59)


def test_registered_just_before_midnight_counts_from_that_day():
    late = datetime(2026, 3, 10, 23, 59, 59)
    early = datetime(2026, 3, 11, 0, 0, 0)
    assert due_at(late, Severity.URGENT, CALENDAR) == datetime(2026, 3, 12, 23, 59, 59)
    assert due_at(early, Severity.URGENT, CALENDAR) == datetime(2026, 3, 13, 23, 59, 59)


@pytest.mark.parametrize(
    ("received", "severity", "due_day"),
    [
        (date(2026, 1, 30), Severity.URGENT, date(2026, 2, 1)),
        (date(2026, 2, 27), Severity.URGENT, date(2026, 3, 1)),  # not a leap year
        (date(2028, 2, 27), Severity.URGENT, date(2028, 2, 29)),  # leap year
        (date(2026, 12, 28), Severity.NORMAL, date(2027, 1, 4)),  # across the year end
    ],
)
def test_across_month_and_year_ends(received, severity, due_day):
    got = due_at(datetime.combine(received, datetime.min.time()), severity, CALENDAR)
    assert got.date() == due_day


def closed_on(*days: date) -> CompanyCalendar:
    """A calendar with these closed days and no make-up working days."""
    return CompanyCalendar(closed=frozenset(days))


def test_working_day_calendar_skips_weekends_and_holidays():
    rules = DeadlineRules(working_days=True, calendar=closed_on(date(2026, 10, 1)))
    # Tuesday 29 Sep 2026 + 2 working days: Wed 30 Sep, (Thu 1 Oct holiday) Fri 2 Oct.
    assert add_days(date(2026, 9, 29), 2, rules) == date(2026, 10, 2)
    # Friday + 2 working days: Monday, Tuesday.
    assert add_days(date(2026, 3, 13), 2, rules) == date(2026, 3, 17)
    # Received on a Saturday: the count starts with Monday.
    assert add_days(date(2026, 3, 14), 2, rules) == date(2026, 3, 17)
    # Normal: seven working days from Friday 25 Sep over the National Day holidays.
    golden_week = DeadlineRules(
        working_days=True,
        calendar=closed_on(*(date(2026, 10, d) for d in range(1, 8))),
    )
    # Mon 28, Tue 29, Wed 30, (1–7 Oct off), Thu 8, Fri 9, Mon 12, Tue 13.
    assert add_days(date(2026, 9, 25), 7, golden_week) == date(2026, 10, 13)
    assert add_days(date(2026, 9, 25), 7, CALENDAR) == date(2026, 10, 2)


def test_settings_build_the_rules():
    rules = deadline_rules(
        {"deadline_urgent_days": 1, "deadline_normal_days": 5, "deadline_working_days": True},
        closed_on(date(2026, 5, 1)),
    )
    assert (rules.limit(Severity.URGENT), rules.limit(Severity.NORMAL)) == (1, 5)
    assert rules.working_days and not rules.is_working_day(date(2026, 5, 1))


def test_settings_build_the_due_soon_window():
    assert deadline_rules({"due_soon_hours": 6}).due_soon == timedelta(hours=6)
    assert deadline_rules({}).due_soon == timedelta(hours=24)
    assert deadline_rules({"due_soon_hours": 0}).due_soon == timedelta(hours=24)


def test_time_zone_decides_the_local_day():
    # 16:30 UTC on 30 April is 00:30 on 1 May in Shanghai: the count starts on 1 May there,
    # but on 30 April in Berlin (18:30).
    received_utc = datetime(2026, 4, 30, 16, 30)
    shanghai = complaint_due_utc(received_utc, Severity.URGENT, CALENDAR, SHANGHAI)
    berlin = complaint_due_utc(received_utc, Severity.URGENT, CALENDAR, BERLIN)
    assert shanghai == datetime(2026, 5, 3, 15, 59, 59)  # 3 May 23:59:59 +08:00
    assert berlin == datetime(2026, 5, 2, 21, 59, 59)  # 2 May 23:59:59 +02:00


def test_summer_time_change_does_not_move_the_deadline_by_an_hour():
    # Received on Friday 27 March 2026 in Berlin (UTC+1); due 3 April (UTC+2 by then).
    received_utc = datetime(2026, 3, 27, 9, 0)
    due = complaint_due_utc(received_utc, Severity.NORMAL, CALENDAR, BERLIN)
    assert due == datetime(2026, 4, 3, 21, 59, 59)


def test_working_days_with_holidays_in_the_company_zone():
    rules = DeadlineRules(working_days=True, calendar=closed_on(date(2026, 5, 1)))
    # Thursday 30 April 23:30 in Shanghai (15:30 UTC): Thu + 2 working days, 1 May holiday,
    # weekend → Monday 4 May, Tuesday 5 May.
    due = complaint_due_utc(datetime(2026, 4, 30, 15, 30), Severity.URGENT, rules, SHANGHAI)
    assert due == datetime(2026, 5, 5, 15, 59, 59)


def test_company_zone_names():
    assert company_zone("") is None
    assert company_zone("Asia/Shanghai") == SHANGHAI
    with pytest.raises(ValidationError) as err:
        company_zone("Mars/Olympus")
    assert err.value.field == "timezone"


def test_overdue_and_due_soon_states():
    due = datetime(2026, 3, 12, 23, 59, 59)
    assert not is_overdue(due, due, None)
    assert is_overdue(due, due + timedelta(seconds=1), None)
    assert not is_overdue(due, due + timedelta(days=3), due - timedelta(hours=1))
    assert is_overdue(due, due, due + timedelta(hours=1))  # handled late stays late
    assert is_due_soon(due, due - timedelta(hours=23), None)
    assert not is_due_soon(due, due - timedelta(hours=25), None)
    assert is_due_soon(due, due - timedelta(hours=40), None, window=timedelta(hours=48))
    assert deadline_state(due, due - timedelta(days=3), None) == DeadlineState.ON_TIME
    assert deadline_state(due, due - timedelta(hours=2), None) == DeadlineState.DUE_SOON
    assert deadline_state(due, due + timedelta(hours=2), None) == DeadlineState.OVERDUE
    assert deadline_state(due, due, due - timedelta(days=1)) == DeadlineState.HANDLED
    handled_late = due + timedelta(minutes=1)
    assert deadline_state(due, due, handled_late) == DeadlineState.HANDLED_LATE


def test_corrective_actions_are_overdue_after_their_due_day():
    due = date(2026, 3, 31)
    assert not action_overdue(due, "open", date(2026, 3, 31))
    assert action_overdue(due, "open", date(2026, 4, 1))
    assert not action_overdue(due, "done", date(2026, 4, 30))
    assert not action_overdue(None, "open", date(2026, 4, 30))
    assert action_due_soon(due, "open", date(2026, 3, 30))
    assert not action_due_soon(due, "verified", date(2026, 3, 30))
