"""The SQL-paged table model: Qt's model checks, paging, SQL sorting, filters, formatting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon

from cqms_desktop.domain.clock import to_local, utcnow
from cqms_desktop.services.registers import (
    COMPLAINTS,
    CUSTOMERS,
    REGISTERS,
    Filter,
)
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Customer
from cqms_desktop.ui.register_model import RecordIdRole, RegisterModel

pytestmark = pytest.mark.gui


def _column(model: RegisterModel, key: str) -> list[str]:
    col = model.columnOfKey(key)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_every_register_model_passes_qt_model_checks(qtmodeltester, sample, kind, ops):
    model = RegisterModel(REGISTERS[kind], page_size=2)
    ops()  # rows are read on the database worker
    # Qt's own QAbstractItemModelTester (pytest-qt's default; it stays connected, so paging in,
    # sorting and filtering are checked as they happen). pytest-qt's pure-Python tester is not
    # used: with PySide6 6.12 it crashes the interpreter at exit after a few dozen checks,
    # even though each of its checks passes.
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        ops()
    model.sort(0, Qt.SortOrder.AscendingOrder)
    ops()
    model.fetchMore(QModelIndex())
    ops()
    model.setFilter(Filter(text="C00"))
    model.refresh()  # overtakes the filter's own load: only the newest result is shown
    ops()


def test_rows_are_fetched_a_page_at_a_time(sample, ops):
    with write_transaction():
        for i in range(25):
            audit.create(Customer, "system", code=f"K{i:03d}", name=f"Kunde {i}")
    model = RegisterModel(CUSTOMERS, page_size=10)
    assert model.isLoading() and model.rowCount() == 0  # nothing read on the GUI thread
    ops()
    assert model.totalCount() == 28
    assert model.rowCount() == 10
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    ops()
    assert model.rowCount() == 20
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # while a page is on its way: asked for after it
    ops()
    assert model.rowCount() == 28
    assert not model.canFetchMore(QModelIndex())
    # The pages join up: no record twice, none missing, in the register's order.
    codes = _column(model, "code")
    assert codes == sorted(codes) and len(set(codes)) == 28


def test_sorting_is_done_in_sql_across_all_pages(sample, ops):
    model = RegisterModel(COMPLAINTS, page_size=3)
    due = model.columnOfKey("due_at")
    model.sort(due, Qt.SortOrder.AscendingOrder)
    ops()
    assert model.sortKey() == ("due_at", False)
    assert model.rowCount() == 3
    # The first page already holds the earliest deadlines of the whole table.
    first_page = {model.data(model.index(r, 0), RecordIdRole) for r in range(3)}
    assert set(sample.overdue) <= first_page
    model.sort(due, Qt.SortOrder.DescendingOrder)
    ops()
    assert model.data(model.index(0, 0), RecordIdRole) == sample.on_time[0]


def test_a_new_filter_starts_again_from_the_first_page(sample, qtbot, ops):
    model = RegisterModel(COMPLAINTS, page_size=2)
    ops()
    model.fetchMore(QModelIndex())
    ops()
    assert model.rowCount() == 4
    with qtbot.waitSignal(model.modelReset):
        model.setFilter(Filter(overdue=True, open_only=True))
    assert model.totalCount() == 2
    ids = {model.data(model.index(r, 0), RecordIdRole) for r in range(model.rowCount())}
    assert ids == set(sample.overdue)
    model.setFilter(Filter(customer_id=sample.customers[2]))
    ops()
    assert set(_column(model, "customer")) == {"Acme Ltd"}
    model.setFilter(Filter(text="no such thing"))
    ops()
    assert model.rowCount() == 0 and model.totalCount() == 0


def test_values_are_formatted_per_column_kind(sample, ops):
    model = RegisterModel(COMPLAINTS)
    ops()
    row = model.rowOfId(sample.overdue[0])
    record = model.rowRecord(row)

    def shown(key: str) -> str:
        return model.data(model.index(row, model.columnOfKey(key)))

    assert shown("received_at") == to_local(record["received_at"]).strftime("%Y-%m-%d %H:%M")
    assert shown("severity") == "Urgent"  # the enum's label, not the stored code "urgent"
    assert shown("status") == "Investigating"
    assert shown("overdue") == "Yes"
    assert shown("handled_at") == ""
    assert shown("customer") == "上海汽车配件有限公司"
    assert model.data(model.index(row, 3), RecordIdRole) == sample.overdue[0]


def test_overdue_and_due_soon_rows_carry_colour_and_an_icon(sample, ops):
    model = RegisterModel(COMPLAINTS)
    ops()
    overdue = model.rowOfId(sample.overdue[0])
    soon = model.rowOfId(sample.due_soon[0])
    fine = model.rowOfId(sample.on_time[0])
    for row in (overdue, soon):
        assert isinstance(model.data(model.index(row, 2), Qt.ItemDataRole.BackgroundRole), QBrush)
        icon = model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QIcon) and not icon.isNull()
        assert model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    overdue_bg = model.data(model.index(overdue, 1), Qt.ItemDataRole.BackgroundRole)
    soon_bg = model.data(model.index(soon, 1), Qt.ItemDataRole.BackgroundRole)
    assert overdue_bg.color() != soon_bg.color()
    assert model.data(model.index(fine, 1), Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(model.index(fine, 0), Qt.ItemDataRole.DecorationRole) is None


def test_refresh_sees_new_records_and_keeps_the_loaded_rows(sample, ops):
    model = RegisterModel(COMPLAINTS, page_size=2)
    ops()
    model.fetchMore(QModelIndex())
    ops()
    loaded = model.rowCount()
    with write_transaction():
        audit.create(
            COMPLAINTS.model,
            "system",
            number="CC-2026-0099",
            customer=sample.customers[0],
            received_at=utcnow(),
            description="new",
            due_at=utcnow() + timedelta(days=7),
        )
    model.refresh()
    ops()
    assert model.totalCount() == 8
    assert model.rowCount() == loaded
    assert _column(model, "number")[0] == "CC-2026-0099"


def test_a_page_for_a_filter_the_user_left_is_dropped(sample, ops):
    model = RegisterModel(COMPLAINTS, page_size=2)
    ops()
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.totalCount()))
    model.setFilter(Filter(text="no such thing"))  # filter A …
    model.setFilter(Filter(overdue=True, open_only=True))  # … then B before A's rows arrive
    ops()
    assert resets == [2]  # only B's result was shown; A's, arriving later, was dropped
    ids = {model.data(model.index(r, 0), RecordIdRole) for r in range(model.rowCount())}
    assert ids == set(sample.overdue)


def test_a_page_asked_for_before_a_reload_is_dropped(sample, ops):
    model = RegisterModel(COMPLAINTS, page_size=3)
    ops()
    model.fetchMore(QModelIndex())  # rows 3–4 of the old order …
    model.sort(model.columnOfKey("due_at"), Qt.SortOrder.AscendingOrder)  # … then a new order
    ops()
    assert model.rowCount() == 3  # the old order's page was not appended to the new rows
    first = {model.data(model.index(r, 0), RecordIdRole) for r in range(3)}
    assert set(sample.overdue) <= first
