"""The company's time zone everywhere (issue #11, item 3): with ``timezone=Asia/Shanghai`` on
a PC in Europe/Berlin, a complaint received 1 October 02:30 company time belongs to 1 October
in the register filters, the review periods, the xlsx times, "today" and the yearly numbers."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.exports.register_xlsx import local_naive
from cqms_desktop.services import admin, feedback
from cqms_desktop.services.kpis.period import parse_period
from cqms_desktop.services.registers import REGISTERS, Filter
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from tests.complaint_steps import register

#: After every receipt the tests register, whatever day the suite runs on.
pytestmark = pytest.mark.clock_at("2026-11-20T02:00")


#: 1 October 2026, 02:30 in Shanghai (UTC+8) = 30 September 18:30 UTC = 20:30 in Berlin.
RECEIVED = datetime(2026, 9, 30, 18, 30)


@pytest.fixture
def shanghai(berlin_time, actors, system):
    admin.update_settings(system, {"timezone": "Asia/Shanghai"})
    return actors


@pytest.mark.clock_at("2026-09-30T18:30")
def test_today_is_the_company_s(shanghai):
    assert clock.today() == date(2026, 10, 1)
    assert clock.local_now().utcoffset().total_seconds() == 8 * 3600


def test_register_filters_use_the_company_s_day(shanghai, system):
    customer = admin.add_customer(system, code="C1", name="宁波模具厂")
    product = admin.add_product(system, part_number="PN-1", name="壳体")
    register(shanghai[D.SALES], customer, product, received_at=RECEIVED)
    complaints = REGISTERS["complaints"]
    day = date(2026, 10, 1)
    assert complaints.count(Filter(date_from=day, date_to=day)) == 1
    assert complaints.count(Filter(date_to=date(2026, 9, 30))) == 0


def test_review_periods_run_from_the_company_s_midnight(shanghai):
    september = parse_period("2026-09")
    assert september.end_utc == datetime(2026, 9, 30, 16, 0)  # 1 Oct 00:00 in Shanghai
    assert not september.start_utc <= RECEIVED < september.end_utc
    october = parse_period("2026Q4")
    assert october.start_utc <= RECEIVED < october.end_utc


def test_xlsx_times_are_the_company_s(shanghai):
    assert local_naive(RECEIVED) == datetime(2026, 10, 1, 2, 30)


@pytest.mark.clock_at("2026-12-31T17:30")
def test_the_yearly_number_follows_the_company_s_year(shanghai, system):
    customer = admin.add_customer(system, code="C2", name="常州精密")
    record = feedback.register_feedback(
        shanghai[D.SALES],
        customer_id=customer.id,
        channel="phone",
        description="Burrs",
        received_at=datetime(2026, 12, 31, 17, 0),  # 1 January 2027, 01:00 in Shanghai
    )
    assert record.number.startswith("FB-2027-")


def test_without_the_setting_the_pc_s_zone_is_used(berlin_time, database):
    assert parse_period("2026-09").end_utc == datetime(2026, 9, 30, 22, 0)  # Berlin, UTC+2
    assert local_naive(RECEIVED) == datetime(2026, 9, 30, 20, 30)


def test_the_zone_comes_with_the_database(shanghai, database):
    url = database.url
    dbmod.close_database()
    assert clock.company_zone() is None  # closed: no company any more
    dbmod.open_database(url)
    migrations.migrate()
    assert str(clock.company_zone()) == "Asia/Shanghai"
