"""The dashboard's charts show what the database says, and follow changes.

Every expected figure is computed here with plain SQL per month or quarter, with period
bounds converted by ``zoneinfo`` (tests/review_data.py), independently of
``services.dashboard_queries`` and ``services.kpis``.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import QBarCategoryAxis, QLineSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from cqms_desktop.domain import clock
from cqms_desktop.domain.clock import utcnow
from cqms_desktop.services import dashboard_queries as dq
from cqms_desktop.services.base import unit_of_work
from cqms_desktop.store import audit
from cqms_desktop.store.db import database_proxy, write_transaction
from cqms_desktop.store.models import Complaint, Customer
from cqms_desktop.ui.dashboard_charts import DashboardCharts
from tests.gui.gui_data import populate
from tests.review_data import build_dataset, local

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("on_the_dashboard")]


#: The moment the charts are drawn for: its 12 months are 2025-12 … 2026-11.
NOW = local(2026, 11, 20, 12)
MONTHS = [(2025, 12)] + [(2026, m) for m in range(1, 12)]
QUARTERS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
            "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]  # fmt: skip
#: Categories added to the review data set so that some fall under "other categories".
EXTRA_CATEGORIES = {"crack": 5, "rust": 3, "colour": 2, "dent": 1}


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month's first local midnight and the next month's, as naive UTC (zoneinfo)."""
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return local(year, month, 1), local(*after, 1)


def sql(query: str, *params) -> list[tuple]:
    """Rows of a plain SQL query on the test database."""
    return list(database_proxy.execute_sql(query, params).fetchall())


@pytest.fixture
def generated(berlin_time, database):
    """The review data set plus complaints of more categories, spread over the months."""
    build_dataset(seed=11)
    customers = [c.id for c in Customer.select(Customer.id)]
    with write_transaction():
        n = 0
        for category, count in EXTRA_CATEGORIES.items():
            for i in range(count):
                received = local(2026, 1 + (n * 5) % 11, 3 + i, 9)
                Complaint.insert(
                    number=f"CC-X{n:03d}",
                    customer=customers[n % len(customers)],
                    received_at=received,
                    description="extra",
                    defect_category=category,
                    severity="urgent" if n % 3 == 0 else "normal",
                    due_at=received + timedelta(days=2),
                    handled_at=received + timedelta(days=1 + n % 3),
                    created_at=received,
                    updated_at=received,
                ).execute()
                n += 1


@pytest.fixture
def charts(qtbot, generated, ops):
    """The charts widget drawn for :data:`NOW` (read on the database worker)."""
    widget = DashboardCharts(clock=lambda: NOW)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    ops()
    return widget


# ---------------------------------------------------------------------- expected, in SQL
def expected_categories() -> tuple[dict[str, list[int]], list[int]]:
    """Per category (``""``: none) its count per month; and the month totals."""
    per: dict[str, list[int]] = {}
    for i, (y, m) in enumerate(MONTHS):
        start, end = month_bounds(y, m)
        rows = sql(
            "SELECT defect_category, COUNT(*) FROM complaint "
            "WHERE received_at >= ? AND received_at < ? GROUP BY defect_category",
            start,
            end,
        )
        for category, count in rows:
            per.setdefault(category or "", [0] * len(MONTHS))[i] = count
    totals = [sum(v[i] for v in per.values()) for i in range(len(MONTHS))]
    return per, totals


def expected_rates(severity: str | None) -> list[float | None]:
    """On-time rate (%) per month: on time ÷ (on time + late + unhandled and past due)."""
    rates: list[float | None] = []
    for y, m in MONTHS:
        start, end = month_bounds(y, m)
        where = "received_at >= ? AND received_at < ?"
        params: list = [start, end]
        if severity:
            where += " AND severity = ?"
            params.append(severity)
        on_time, late, overdue = sql(
            "SELECT "
            "SUM(CASE WHEN handled_at IS NOT NULL AND handled_at <= due_at THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN handled_at IS NOT NULL AND handled_at > due_at THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN handled_at IS NULL AND due_at < ? THEN 1 ELSE 0 END) "
            f"FROM complaint WHERE {where}",
            NOW,
            *params,
        )[0]
        judged = (on_time or 0) + (late or 0) + (overdue or 0)
        rates.append(100.0 * on_time / judged if judged else None)
    return rates


def line_values(series: QLineSeries, length: int) -> list[float | None]:
    """A line's y per x index (``None`` where it has no point)."""
    values: list[float | None] = [None] * length
    for point in series.points():
        values[round(point.x())] = point.y()
    return values


def approx_list(values: list[float | None]) -> list:
    return [None if v is None else pytest.approx(v, abs=1e-9) for v in values]


# ---------------------------------------------------------------------- the figures
def test_complaints_per_month_by_category_equal_sql_counts(charts):
    per, totals = expected_categories()
    named = sorted((k for k in per if k), key=lambda k: (-sum(per[k]), k))
    top, rest = named[: dq.TOP_CATEGORIES], named[dq.TOP_CATEGORIES :]
    assert rest, "the data set must have more categories than get a series of their own"
    (series,) = charts.categories.series()
    bars = {bar.label(): [int(bar.at(i)) for i in range(bar.count())] for bar in series.barSets()}
    expected = {k: per[k] for k in top}
    expected["Other categories"] = [sum(per[k][i] for k in rest) for i in range(len(MONTHS))]
    if "" in per:
        expected["(not categorised)"] = per[""]
    assert bars == expected
    assert [bar.label() for bar in series.barSets()][: len(top)] == top  # largest first
    assert [sum(v[i] for v in bars.values()) for i in range(len(MONTHS))] == totals
    (axis,) = [a for a in charts.categories.axes() if isinstance(a, QBarCategoryAxis)]
    assert axis.categories() == [f"{m:02d}/{y % 100:02d}" for y, m in MONTHS]


def test_on_time_rates_equal_sql_counts(charts):
    lines = {s.name(): s for s in charts.on_time.series()}
    assert set(lines) == {"All complaints", "Urgent (within 2 days)", "Normal (within 7 days)"}
    assert line_values(lines["All complaints"], 12) == approx_list(expected_rates(None))
    assert line_values(lines["Urgent (within 2 days)"], 12) == approx_list(expected_rates("urgent"))
    assert line_values(lines["Normal (within 7 days)"], 12) == approx_list(expected_rates("normal"))
    assert any(v is not None for v in expected_rates(None))


def test_satisfaction_per_item_and_quarter_equals_sql_averages(charts):
    lines = {s.name(): s for s in charts.satisfaction.series()}
    assert set(lines) == {"Quality", "Service", "Price", "Delivery", "Satisfaction target 4"}
    for item in ("quality", "service", "price", "delivery"):
        expected = []
        for quarter in QUARTERS:
            (average,) = sql(
                f"SELECT AVG(score_{item}) FROM survey WHERE quarter = ? AND status = 'returned'",
                quarter,
            )[0]
            expected.append(None if average is None else float(average))
        assert line_values(lines[item.title()], len(QUARTERS)) == approx_list(expected)
        assert any(v is not None for v in expected)
    target = [p.y() for p in lines["Satisfaction target 4"].points()]
    assert target == [4.0, 4.0]


def test_top_customers_equal_sql_counts(charts):
    start, _ = month_bounds(*MONTHS[0])
    _, end = month_bounds(*MONTHS[-1])
    rows = sql(
        "SELECT c.code, c.name, COUNT(*), "
        "SUM(CASE WHEN k.severity = 'urgent' THEN 1 ELSE 0 END) "
        "FROM complaint k JOIN customer c ON c.id = k.customer_id "
        "WHERE k.received_at >= ? AND k.received_at < ? "
        "GROUP BY c.id, c.code, c.name ORDER BY COUNT(*) DESC, c.code LIMIT ?",
        start,
        end,
        dq.TOP_CUSTOMERS,
    )
    (series,) = charts.customers.series()
    urgent, normal = series.barSets()
    (axis,) = [a for a in charts.customers.axes() if isinstance(a, QBarCategoryAxis)]
    shown = list(reversed(axis.categories()))  # drawn bottom-up: the most at the top
    assert [label.split(" ")[0] for label in shown] == [r[0] for r in rows]
    n = len(rows)
    assert n >= 3
    assert [int(urgent.at(n - 1 - i)) for i in range(n)] == [r[3] for r in rows]
    assert [int(urgent.at(n - 1 - i) + normal.at(n - 1 - i)) for i in range(n)] == [
        r[2] for r in rows
    ]


def test_monthly_figures_agree_with_the_review_trend(generated):
    """The dashboard and the management-review workbook count the same complaints."""
    from cqms_desktop.services import kpis

    figures = dq.dashboard_figures(NOW)
    trend = kpis.trend(kpis.Scope(kpis.Period.month(2026, 11), now=NOW))
    assert [row.month for row in trend] == figures.on_time.months
    assert [row.complaints.received for row in trend] == figures.categories.month_totals()
    assert [row.complaints.on_time_rate for row in trend] == [
        t.rate for t in figures.on_time.overall
    ]


# ---------------------------------------------------------------------- following changes
def add_complaint(category: str) -> None:
    """A complaint received now, through a unit of work (so the change is announced)."""
    customer = Customer.select().first()
    now = utcnow()
    with unit_of_work("complaint"):
        audit.create(
            Complaint,
            "system",
            number=f"CC-NEW-{category}",
            customer=customer.id,
            received_at=now,
            description="new",
            defect_category=category,
            due_at=now + timedelta(days=7),
        )


def category_counts(charts: DashboardCharts) -> Counter:
    (series,) = charts.categories.series()
    return Counter(
        {bar.label(): int(sum(bar.at(i) for i in range(bar.count()))) for bar in series.barSets()}
    )


def test_charts_redraw_after_a_change(qtbot, window):
    charts = window.dashboard.charts
    assert category_counts(charts) == Counter({"burr": 7})
    with qtbot.waitSignal(charts.updated, timeout=10000):
        add_complaint("crack")
    assert category_counts(charts) == Counter({"burr": 7, "crack": 1})


def test_a_hidden_dashboard_redraws_when_shown_again(qtbot, window):
    charts = window.dashboard.charts
    window.select_tab("complaints")
    updates: list[bool] = []
    charts.updated.connect(lambda: updates.append(True))
    add_complaint("crack")
    qtbot.wait(2 * 300 + 100)  # longer than the bridge's and the charts' coalescing
    assert updates == [] and "crack" not in category_counts(charts)
    with qtbot.waitSignal(charts.updated, timeout=10000):
        window.select_tab("dashboard")
    assert category_counts(charts)["crack"] == 1


def test_a_redraw_pending_when_the_dashboard_is_hidden_waits_until_it_is_shown(qtbot, window):
    # The dashboard's periodic tick (time passed) can start the charts' coalescing just before
    # the user switches tabs: the redraw then waits for the dashboard to be shown again.
    charts = window.dashboard.charts
    charts.on_changed()
    window.select_tab("complaints")
    updates: list[bool] = []
    charts.updated.connect(lambda: updates.append(True))
    qtbot.wait(300 + 100)
    assert updates == []
    with qtbot.waitSignal(charts.updated, timeout=10000):
        window.select_tab("dashboard")


def test_unrelated_changes_do_not_redraw(qtbot, window):
    charts = window.dashboard.charts
    updates: list[bool] = []
    charts.updated.connect(lambda: updates.append(True))
    charts.on_changed(frozenset({"visit", "feedback"}))
    qtbot.wait(400)
    assert updates == []


def test_figures_are_read_on_the_database_worker(qtbot, window, monkeypatch):
    from cqms_desktop.ui import dashboard_charts

    charts = window.dashboard.charts
    threads: list[threading.Thread] = []
    real = dashboard_charts.dashboard_figures

    def recording(now):
        threads.append(threading.current_thread())
        return real(now)

    monkeypatch.setattr(dashboard_charts, "dashboard_figures", recording)
    with qtbot.waitSignal(charts.updated, timeout=10000):
        add_complaint("crack")
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert not charts.is_reading()
    assert category_counts(charts)["crack"] == 1
    assert charts.last_duration is not None


def test_a_read_overtaken_by_a_newer_one_is_dropped(qtbot, window, ops):
    charts = window.dashboard.charts
    drawn: list[bool] = []
    charts.updated.connect(lambda: drawn.append(True))
    charts.refresh()
    charts.refresh()  # the first read's figures arrive after this was asked for
    ops()
    assert drawn == [True] and not charts.is_reading()


# ---------------------------------------------------------------------- review workbook
def test_review_workbook_from_the_dashboard(qtbot, window, tmp_path, monkeypatch):
    dash = window.dashboard
    target = tmp_path / "review.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    qtbot.mouseClick(dash.review_button, Qt.MouseButton.LeftButton)
    dialog = dash.review_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.period_edit.setText("2026Q5")
    assert not ok.isEnabled()
    assert "Q5" in dialog.period_note.text()
    dialog.period_edit.setText("2026-13")
    assert not ok.isEnabled()
    dialog.customer.setText("NO-SUCH-CUSTOMER")
    today = clock.today()
    dialog.period_edit.setText(f"{today.year}-{today.month:02d}")
    assert ok.isEnabled()
    ok.click()
    assert dialog.isVisible() and dialog.customer_note.isVisible()  # an unknown customer
    assert "NO-SUCH-CUSTOMER" in dialog.customer_note.text()
    dialog.customer.setText("C001")  # a code typed in full counts as chosen
    ok.click()
    qtbot.waitUntil(lambda: dash.review_job is not None, timeout=5000)  # once it has closed
    job = dash.review_job
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    assert job.outcome.succeeded, job.outcome.error
    message = dash.review_message
    assert isinstance(message, QMessageBox) and "review.xlsx" in message.text()
    wb = load_workbook(target, read_only=True)
    assert len(wb.sheetnames) > 3
    summary = [row for row in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    assert any("C001" in str(cell) for row in summary for cell in row if cell)


@pytest.mark.backends
def test_chart_queries_run_on_every_backend(any_database):
    populate()  # 7 complaints of the last 30 days, all "burr"; C001 has 3 (2 urgent)
    figures = dq.dashboard_figures()
    assert [(s.label, s.total) for s in figures.categories.series] == [("burr", 7)]
    assert sum(figures.categories.month_totals()) == 7
    overall = figures.on_time.overall
    assert sum(t.on_time for t in overall) == 1  # CC-2026-0006, handled before its limit
    assert sum(t.overdue_unhandled for t in overall) == 2  # CC-2026-0001 and -0002
    assert sum(t.late for t in overall) == 0
    top = [(c.code, c.urgent, c.total) for c in figures.top_customers]
    assert top == [("C001", 2, 3), ("C002", 0, 2), ("C003", 0, 2)]
    assert figures.satisfaction.returned[-1] == 1
    assert figures.satisfaction.target == 4.0


# ---------------------------------------------------------------------- drilling down
def test_clicking_a_month_opens_its_complaints(qtbot, window, ops):
    charts = window.dashboard.charts
    (series,) = charts.categories.series()
    bar = series.barSets()[0]
    month = len(charts.figures.categories.months) - 1  # populate()'s complaints are recent
    shown = int(sum(b.at(month) for b in series.barSets()))
    series.clicked.emit(month, bar)
    ops()  # the list is read on the database worker
    assert window.current_tab() == "complaints"
    view = window.views["complaints"]
    assert view.model.totalCount() == shown == charts.figures.categories.month_totals()[month]
    assert view.filter_bar.date_from.value().day == 1


# Mid-month, so that populate()'s two urgent complaints (5 days and 1 day old) both fall in
# the month the line's last point stands for.
@pytest.mark.clock_at("2026-06-15T10:00")
def test_clicking_a_line_opens_that_months_complaints_of_its_severity(qtbot, window, ops):
    charts = window.dashboard.charts
    lines = {s.name(): s for s in charts.on_time.series()}
    month = len(charts.figures.on_time.months) - 1
    lines["Urgent (within 2 days)"].clicked.emit(QPointF(month, 50.0))
    ops()
    view = window.views["complaints"]
    expected = sum(
        1
        for c in Complaint.select()
        if c.severity == "urgent" and c.received_at >= month_start_utc(charts, month)
    )
    assert window.current_tab() == "complaints"
    assert view.model.totalCount() == expected == 2
    assert view.filter_bar.severity.currentData() == "urgent"


def month_start_utc(charts: DashboardCharts, index: int) -> datetime:
    from cqms_desktop.services.kpis import parse_period

    return parse_period(charts.figures.categories.months[index]).start_utc


def test_clicking_a_customer_opens_its_complaints(qtbot, window, ops):
    charts = window.dashboard.charts
    (series,) = charts.customers.series()
    urgent, normal = series.barSets()
    top = urgent.count() - 1  # drawn bottom-up: the last bar is the customer with most
    series.clicked.emit(top, normal)
    ops()
    view = window.views["complaints"]
    assert window.current_tab() == "complaints"
    assert view.model.totalCount() == int(urgent.at(top) + normal.at(top)) == 3
    codes = {view.model.rowRecord(r)["customer_code"] for r in range(view.model.rowCount())}
    assert codes == {"C001"}


def test_clicking_a_quarter_opens_its_returned_surveys(qtbot, window, ops):
    charts = window.dashboard.charts
    quarter = len(charts.figures.satisfaction.quarters) - 1
    charts.open_quarter(quarter)
    ops()
    view = window.views["surveys"]
    assert window.current_tab() == "surveys"
    assert view.model.totalCount() == charts.figures.satisfaction.returned[quarter] == 1
