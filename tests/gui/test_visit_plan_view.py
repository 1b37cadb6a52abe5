"""The visit plan on the first and last day of a month: the month in progress is shown as in
progress and does not pull the year's compliance down (on 1 December: not 0 %)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.visit_plan import CellState
from cqms_desktop.services import admin, visits
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Customer
from cqms_desktop.ui.visit_plan_view import VisitPlanView

pytestmark = pytest.mark.gui

DECEMBER = 3 + 11  # the column of December (code, name, Sales person, then the months)


@pytest.mark.parametrize(
    "day",
    [
        # Noon UTC: the same calendar day in the PC's zone from UTC-11 to UTC+11.
        pytest.param(1, marks=pytest.mark.clock_at("2026-12-01T12:00")),
        pytest.param(31, marks=pytest.mark.clock_at("2026-12-31T12:00")),
    ],
)
def test_december_in_progress_is_shown_and_not_counted(qtbot, actors, ops, day):
    sales = actors[Department.SALES]
    customer = admin.add_customer(sales, code="A001", name="Visited every month")
    with write_transaction():
        audit.update(Customer, customer.id, "test", {"created_at": datetime(2025, 6, 1, 12)})
    for month in range(1, 12):
        visits.record_visit(
            sales, customer_id=customer.id, visit_date=f"2026-{month:02d}-05", purpose="routine"
        )
    view = VisitPlanView()  # today from the program's clock
    qtbot.addWidget(view)
    view.show()
    ops()
    model = view.model
    assert model.plan is not None and model.plan.today == date(2026, 12, day)
    assert model.cell_state(0, DECEMBER) is CellState.NOT_YET
    total = model.rowCount() - 1
    assert model.data(model.index(total, DECEMBER)) == "in progress"
    assert model.headerData(DECEMBER, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == (
        "12 ▸"
    )
    overall = model.data(model.index(total, 3 + 12))
    assert overall == "100.00 % (11/11)"  # not 0 %, not 11/12
    assert model.data(model.index(0, 3 + 12)) == "100.00 % (11/11)"
    assert view.sales.item(0, 1).text() == "100.00 % (11/11)"
    assert "0 of 1 customers visited so far" in view.todo.text()


@pytest.mark.clock_at("2026-12-15T12:00")
def test_only_the_month_in_progress_is_as_wide_as_its_note(qtbot, actors, ops):
    """The month in progress shows "in progress" whole; the other months stay narrow, so the
    year fits a laptop's width beside the customers' names."""
    admin.add_customer(actors[Department.SALES], code="A001", name="Customer")
    view = VisitPlanView()
    qtbot.addWidget(view)
    view.resize(1060, 500)
    view.show()
    ops()
    header = view.table.horizontalHeader()
    note = view.table.fontMetrics().horizontalAdvance("in progress")
    assert header.sectionSize(DECEMBER) > note
    november = header.sectionSize(DECEMBER - 1)
    assert november < note
    assert sum(header.sectionSize(c) for c in range(header.count())) <= view.table.width()
