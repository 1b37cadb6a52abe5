"""The company calendar: Chinese public holidays and make-up working days (调休) 2025–2027 from
the ``holidays`` library, the company's own closing and working days, deadlines counted on it,
recomputation of unhandled deadlines (audited, one transaction), the schema step, backups."""

from __future__ import annotations

from datetime import date, datetime

import peewee as pw
import pytest

from cqms_desktop.domain.company_calendar import CompanyCalendar, DayKind
from cqms_desktop.domain.deadlines import DeadlineRules, add_days
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.enums import Severity
from cqms_desktop.domain.errors import NotFoundError, PermissionDenied, ValidationError
from cqms_desktop.services import admin, backup, calendar
from cqms_desktop.services.base import Actor
from cqms_desktop.store import audit, migrations
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import AuditLog, Complaint, Holiday
from cqms_desktop.store.steps import calendar_days as step
from tests.complaint_steps import register

#: After every receipt the tests register, whatever day the suite runs on.
pytestmark = pytest.mark.clock_at("2026-11-20T02:00")


def d(text: str) -> date:
    return date.fromisoformat(text)


def public(year: int) -> dict[date, DayKind]:
    return {entry.day: entry.kind for entry in calendar.public_days(year)}


# ------------------------------------------------------------ the public schedule 2025–2027
#: Make-up working days (调休上班) of the State Council's notices, all on weekends.
MAKE_UP_DAYS = {
    2025: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    2026: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}

#: Closed weekdays of the big holidays (weekends inside them are closed anyway).
CLOSED_WEEKDAYS = {
    2025: ["2025-01-28", "2025-01-31", "2025-02-03", "2025-02-04", "2025-05-05", "2025-10-08"],
    2026: ["2026-02-16", "2026-02-20", "2026-02-23", "2026-10-01", "2026-10-06", "2026-10-07"],
    2027: ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-10-04", "2027-10-05"],
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_make_up_working_days_are_weekend_days_marked_working(year):
    days = public(year)
    working = sorted(day for day, kind in days.items() if kind == DayKind.WORKING)
    assert working == [d(x) for x in MAKE_UP_DAYS[year]]
    assert all(day.weekday() >= 5 for day in working)


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_the_holiday_weekdays_are_closed(year):
    days = public(year)
    for day in CLOSED_WEEKDAYS[year]:
        assert days[d(day)] == DayKind.CLOSED, day
    assert days[date(year, 1, 1)] == DayKind.CLOSED


def test_2026_spring_festival_and_national_day_on_the_calendar():
    cal = CompanyCalendar.from_days((e.day, e.kind) for e in calendar.public_days(2026))
    # Spring Festival: Saturdays 14 and 28 February are worked, 16–23 February are not.
    assert cal.is_working_day(d("2026-02-14")) and cal.is_working_day(d("2026-02-28"))
    assert not any(cal.is_working_day(date(2026, 2, n)) for n in range(15, 24))
    assert cal.is_working_day(d("2026-02-24"))
    # National Day: Sunday 20 September and Saturday 10 October are worked; 1–7 October off.
    assert cal.is_working_day(d("2026-09-20")) and cal.is_working_day(d("2026-10-10"))
    assert not any(cal.is_working_day(date(2026, 10, n)) for n in range(1, 8))
    # An ordinary weekend stays off.
    assert not cal.is_working_day(d("2026-10-11"))


def test_a_make_up_day_names_the_day_off_it_pays_for():
    notes = {e.day: e.note for e in calendar.public_days(2026)}
    assert notes[d("2026-09-20")] == "调休上班（2026-10-06 休息）"
    assert notes[d("2026-10-01")] == "国庆节"
    english = {e.day: e.note for e in calendar.public_days(2026, "en_US")}
    assert english[d("2026-10-10")] == "Make-up working day (day off 2026-10-07)"


# ------------------------------------------------------------ deadlines on the calendar
def rules_for(*years: int, closed=(), working=()) -> DeadlineRules:
    days = [(e.day, e.kind) for y in years for e in calendar.public_days(y)]
    days += [(d(x), DayKind.CLOSED) for x in closed] + [(d(x), DayKind.WORKING) for x in working]
    return DeadlineRules(working_days=True, calendar=CompanyCalendar.from_days(days))


@pytest.mark.parametrize(
    ("received", "severity", "due", "why"),
    [
        ("2026-09-29", Severity.URGENT, "2026-10-08", "Wed 30 Sep, then 1–7 Oct off"),
        ("2026-09-29", Severity.NORMAL, "2026-10-14", "Sat 10 Oct is a make-up working day"),
        ("2026-09-18", Severity.URGENT, "2026-09-21", "Sun 20 Sep is a make-up working day"),
        ("2026-02-13", Severity.URGENT, "2026-02-24", "Sat 14 Feb worked, 16–23 Feb off"),
        ("2025-09-26", Severity.URGENT, "2025-09-29", "Sun 28 Sep 2025 is worked"),
        ("2025-01-24", Severity.NORMAL, "2025-02-10", "26 Jan, 8 Feb worked; 28 Jan–4 Feb off"),
        ("2027-02-04", Severity.URGENT, "2027-02-12", "5–10 Feb 2027 off"),
        ("2026-12-31", Severity.URGENT, "2027-01-05", "New Year's Day 2027 over the year end"),
    ],
)
def test_deadlines_across_holidays_and_make_up_days(received, severity, due, why):
    rules = rules_for(2025, 2026, 2027)
    assert add_days(d(received), rules.limit(severity), rules) == d(due), why


def test_company_closing_and_extra_working_days_count():
    rules = rules_for(2026, closed=["2026-12-24"], working=["2026-11-07"])
    # Wed 23 Dec: Thu 24 closed (company) → Fri 25, Mon 28.
    assert add_days(d("2026-12-23"), 2, rules) == d("2026-12-28")
    # Fri 6 Nov: Sat 7 Nov worked (company) → Sat 7, Mon 9.
    assert add_days(d("2026-11-06"), 2, rules) == d("2026-11-09")


# ------------------------------------------------------------ services
@pytest.fixture
def master_data():
    sys_actor = Actor.system()
    customer = admin.add_customer(sys_actor, code="C1", name="宁波模具厂")
    product = admin.add_product(sys_actor, part_number="PN-1", name="Gehäuse")
    return customer, product


def shanghai_working_days() -> None:
    with write_transaction():
        settings_store.put("deadline_working_days", True)
        settings_store.put("timezone", "Asia/Shanghai")


def test_loading_the_holidays_moves_an_unhandled_deadline_audited(actors, master_data, system):
    shanghai_working_days()
    customer, product = master_data
    # Tuesday 29 September 2026, 10:00 in Shanghai, urgent.
    c = register(actors[D.SALES], customer, product, received_at=datetime(2026, 9, 29, 2, 0))
    assert c.due_at == datetime(2026, 10, 1, 15, 59, 59)  # weekends only: Thursday 1 October
    change = calendar.load_public_holidays(system, year=2026)
    assert len(change.added) == 28 and change.deadlines_moved == 1
    assert Complaint.get_by_id(c.id).due_at == datetime(2026, 10, 8, 15, 59, 59)
    moves = [r for r in audit.history("complaint", c.id) if r.field == "due_at"]
    assert (moves[-1].username, moves[-1].new_value) == ("system", "2026-10-08 15:59:59")
    entries = AuditLog.select().where(
        (AuditLog.table_name == "holiday") & (AuditLog.action == "create")
    )
    assert entries.count() >= 28
    # Loading again changes nothing.
    again = calendar.load_public_holidays(system, year=2026)
    assert (again.added, again.changed, again.removed, again.deadlines_moved) == ([], [], [], 0)


def test_a_refresh_keeps_the_company_s_days_and_drops_stale_public_ones(database, system):
    calendar.add_day(system, day="2026-10-10", kind="closed", note="Factory maintenance")
    with write_transaction():
        audit.create(Holiday, "system", day=d("2026-03-02"), kind="closed", source="public")
    change = calendar.load_public_holidays(system, year=2026)
    assert change.kept == [d("2026-10-10")]
    assert change.removed == [d("2026-03-02")]
    row = Holiday.get(Holiday.day == d("2026-10-10"))
    assert (row.kind, row.source, row.name) == ("closed", "company", "Factory maintenance")


def test_adding_and_removing_days_is_checked(actors, system):
    with pytest.raises(PermissionDenied):
        calendar.add_day(actors[D.QA], day="2026-12-24", kind="closed")
    with pytest.raises(ValidationError) as err:
        calendar.add_day(system, day="2026-02-30", kind="closed")
    assert err.value.field == "day" and "2026-02-30" in str(err.value)
    with pytest.raises(ValidationError) as err:
        calendar.add_day(system, day="2026-12-24", kind="maybe")
    assert err.value.field == "day_kind" and "Kind of day" in str(err.value)
    calendar.add_day(system, day="2026-12-24", kind="closed")
    with pytest.raises(ValidationError):
        calendar.add_day(system, day="2026-12-24", kind="working")
    calendar.remove_day(system, day="2026-12-24")
    with pytest.raises(NotFoundError):
        calendar.remove_day(system, day="2026-12-24")


def test_a_change_and_its_recomputation_are_one_transaction(
    actors, master_data, system, monkeypatch
):
    shanghai_working_days()
    customer, product = master_data
    c = register(actors[D.SALES], customer, product, received_at=datetime(2026, 11, 2, 2, 0))

    def broken(username):
        raise RuntimeError("disk full")

    monkeypatch.setattr(calendar, "recompute_deadlines", broken)
    with pytest.raises(RuntimeError):
        calendar.add_day(system, day="2026-11-03", kind="closed")
    assert not Holiday.select().exists()
    assert Complaint.get_by_id(c.id).due_at == c.due_at


def test_an_import_file_is_all_or_nothing(tmp_path, database, system):
    good = tmp_path / "days.csv"
    good.write_text("date,kind,note\n2026-12-24,closed,平安夜\n2026-12-26,班,\n", "utf-8-sig")
    change = calendar.import_days(system, calendar.read_days_file(good))
    assert change.added == [d("2026-12-24"), d("2026-12-26")]
    assert Holiday.get(Holiday.day == d("2026-12-26")).kind == "working"
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind\n2026-12-31,closed\n2026-12-32,closed\n", "utf-8")
    with pytest.raises(ValidationError) as err:
        calendar.read_days_file(bad)
    assert str(err.value).startswith("Row 3: Date must be a date")
    twice = [calendar.calendar_day("2027-01-04", "closed")] * 2
    with pytest.raises(ValidationError):
        calendar.import_days(system, twice)
    assert not Holiday.select().where(Holiday.day >= d("2026-12-31")).exists()


def test_an_xlsx_import_reads_dates_and_chinese_headings(tmp_path, database, system):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "备注"])
    sheet.append([datetime(2027, 2, 20), "上班", "补班"])
    sheet.append([date(2027, 2, 11), "休", ""])
    path = tmp_path / "days.xlsx"
    book.save(path)
    days = calendar.read_days_file(path)
    assert [(x.day, x.kind, x.note) for x in days] == [
        (d("2027-02-20"), DayKind.WORKING, "补班"),
        (d("2027-02-11"), DayKind.CLOSED, ""),
    ]


# ------------------------------------------------------------ schema step and backups
class _HolidayV1(pw.Model):
    """The holiday table as schema 1 made it."""

    day = pw.DateField(unique=True)
    name = pw.CharField(max_length=100, default="")

    class Meta:
        table_name = "holiday"


@pytest.mark.backends
def test_the_step_adds_kind_and_source_to_a_schema_1_holiday_table(any_database):
    database = dbmod.database_proxy.obj
    with database.bind_ctx([_HolidayV1]):
        database.drop_tables([Holiday])
        database.create_tables([_HolidayV1])
        _HolidayV1.create(day=d("2026-05-01"), name="劳动节")
    with database.atomic():
        step.upgrade(database)
    with database.atomic():
        step.upgrade(database)  # re-runnable
    row = Holiday.get(Holiday.day == d("2026-05-01"))
    assert (row.name, row.kind, row.source) == ("劳动节", "closed", "company")
    assert migrations.STEPS[migrations.LATEST] is step.upgrade


def test_a_backup_restores_the_calendar(tmp_path, database, system):
    calendar.load_public_holidays(system, year=2026)
    calendar.add_day(system, day="2026-11-07", kind="working", note="Stocktaking")
    before = [(r.day, r.kind, r.source, r.name) for r in calendar.calendar_days()]
    path = tmp_path / "cqms.cqmsbak"
    backup.backup(path)
    key = backup.backup_key()  # a restore into a new database needs the key that signed it
    dbmod.close_database()
    dbmod.open_database(dbmod.sqlite_url(tmp_path / "restored.sqlite3"))
    migrations.migrate()
    backup.restore(path, key=key)
    after = [(r.day, r.kind, r.source, r.name) for r in calendar.calendar_days()]
    assert after == before and ("2026-11-07", "working") in [
        (x[0].isoformat(), x[1]) for x in after
    ]
