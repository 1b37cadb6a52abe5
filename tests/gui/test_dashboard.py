"""The dashboard: counts from SQL, each opening a list with exactly those records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import Department
from cqms_desktop.services.base import unit_of_work
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Circulation, Complaint, Visit
from cqms_desktop.ui.dashboard import TILES, Dashboard, current_quarter, dashboard_counts
from cqms_desktop.ui.register_view import RegisterView
from tests.gui.gui_data import make_actor, populate

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("on_the_dashboard")]


@pytest.fixture
def window_actor():
    """The shared ``window`` opens for a Sales user (no administration tab)."""
    return make_actor(Department.SALES)


def test_counts_come_from_the_database(sample):
    counts = dashboard_counts()
    assert counts == {
        "open_complaints": 6,  # 7 complaints, one closed
        "overdue": 2,
        "due_soon": 2,  # due in 10 h and in 40 h: within two days
        "actions_overdue": 1,
        "awaiting_ack": 1,  # one circulation acknowledged, one not
        "not_visited": 2,  # C001 was visited today, C002 seventy days ago, C003 never
        "surveys_open": 1,  # this quarter: one sent, one returned
        "cost_year": 0,  # no costs recorded in the sample
        "cost_year.amount": Decimal("0.00"),
        "currency": "CNY",
        "overdue_actions": 1,
    }


def test_the_cost_tile_totals_the_costs_of_this_years_complaints(qtbot, sample, ops):
    """This year (the company's) only: a complaint received last year does not count."""
    year = clock.today().year
    rows = list(Complaint.select().order_by(Complaint.id))
    last_year = rows[0]
    with write_transaction():
        Complaint.update(
            received_at=clock.to_utc(datetime(year - 1, 12, 31, 12)), cost_freight=Decimal("5")
        ).where(Complaint.id == last_year.id).execute()
        Complaint.update(cost_scrap=Decimal("100.10"), cost_rework=Decimal("0.45")).where(
            Complaint.id == rows[1].id
        ).execute()
        Complaint.update(cost_compensation=Decimal("2000")).where(
            Complaint.id == rows[2].id
        ).execute()
    this_year = [
        c for c in Complaint.select() if clock.to_local(c.received_at).year == year
    ]  # the sample dates its rows back from now: on 1 January some fall in last year
    want = sum(
        (c.cost_scrap or 0) + (c.cost_rework or 0) + (c.cost_compensation or 0) for c in this_year
    )
    counted = sum(c.id in (rows[1].id, rows[2].id) for c in this_year)
    counts = dashboard_counts()
    assert counts["cost_year"] == counted
    assert counts["cost_year.amount"] == Decimal(str(want)).quantize(Decimal("0.01"))
    dash = Dashboard(make_actor(Department.QA))
    qtbot.addWidget(dash)
    ops()
    tile = dash.buttons["cost_year"]
    assert tile.number.text().endswith(" CNY")
    assert tile.caption.text().startswith("Cost of poor quality this year\n")


def test_current_quarter_matches_the_survey_format():
    assert current_quarter(date(2026, 11, 23)) == "2026-Q4"
    assert current_quarter(date(2026, 1, 1)) == "2026-Q1"


def test_each_tile_shows_its_count_with_a_warning_icon_when_it_is_a_problem(qtbot, sample, ops):
    dash = Dashboard(make_actor(Department.QA))
    qtbot.addWidget(dash)
    ops()  # the counts are read on the database worker
    tile = dash.buttons["overdue"]
    assert tile.number.text() == "2"
    assert tile.caption.text() == "Overdue complaints"
    assert tile.property("problem") is True
    assert tile.icon_label.pixmap() is not None and not tile.icon_label.pixmap().isNull()
    plain = dash.buttons["open_complaints"]
    assert plain.property("problem") is False


@pytest.mark.parametrize("tile", [t for t in TILES if t.tab != "customers"], ids=lambda t: t.key)
def test_clicking_a_tile_opens_the_list_with_exactly_those_records(qtbot, window, tile, ops):
    expected = window.dashboard.counts[tile.key]
    qtbot.mouseClick(window.dashboard.buttons[tile.key], Qt.MouseButton.LeftButton)
    ops()
    assert window.current_tab() == tile.tab
    view = window.views[tile.tab]
    assert view.model.totalCount() == expected
    if tile.filter().extra or tile.filter().open_only:
        assert view.filter_bar.special.isVisibleTo(window)
        caption = window.dashboard.buttons[tile.key].caption.text()
        assert view.filter_bar.special.text() == caption.split("\n")[0]


def test_removing_the_dashboard_filter_shows_the_whole_list(qtbot, window, sample, ops):
    window.dashboard.open_tile("actions_overdue")
    view = window.views["complaints"]
    ops()
    assert [view.model.recordId(0)] == sample.complaints_with_late_actions
    view.filter_bar.clear_special.click()
    ops()
    assert view.model.totalCount() == 7
    assert not view.filter_bar.special.isVisibleTo(window)


def test_customers_not_visited_open_in_a_list_window(qtbot, window, sample, ops):
    window.dashboard.open_tile("not_visited")
    ops()
    dialog = window.dashboard.customer_window
    view = dialog.findChild(RegisterView)
    assert view.model.totalCount() == 2
    codes = {view.model.rowRecord(r)["code"] for r in range(view.model.rowCount())}
    assert codes == {"C002", "C003"}
    dialog.close()


def test_dashboard_recounts_after_a_change(qtbot, window, sample):
    dash = window.dashboard
    with unit_of_work("visit"):
        audit.create(
            Visit,
            "system",
            number="VS-2026-0003",
            customer=sample.customers[1],
            visit_date=clock.today(),
        )
    qtbot.waitUntil(lambda: dash.counts["not_visited"] == 1)
    assert dash.buttons["not_visited"].number.text() == "1"
    with unit_of_work("circulation"):
        Circulation.update(acknowledged_at=Circulation.sent_at, acknowledged_by="qa").execute()
    qtbot.waitUntil(lambda: dash.counts["awaiting_ack"] == 0)
    assert dash.buttons["awaiting_ack"].property("problem") is False


@pytest.mark.backends
def test_counts_and_list_sorting_work_on_every_backend(qtbot, any_database, ops):
    from cqms_desktop.services.registers import COMPLAINTS
    from cqms_desktop.ui.register_model import RegisterModel

    populate()
    counts = dashboard_counts()
    assert (counts["open_complaints"], counts["overdue"], counts["due_soon"]) == (6, 2, 2)
    assert (counts["awaiting_ack"], counts["not_visited"], counts["surveys_open"]) == (1, 2, 1)
    model = RegisterModel(COMPLAINTS, page_size=3)
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.AscendingOrder)
        ops()
        assert model.rowCount() == 3 and model.totalCount() == 7
