"""5.1.1 every active customer at least once a month: the matrix and the compliance rates,
against examples worked out by hand, from plain data and through SQL on every backend."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.visit_plan import CellState, PlanCustomer, Rate, build_plan
from cqms_desktop.services import admin, visit_plan_queries, visits
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Customer, User

V, C, NY, M, F, NR = (
    CellState.VISITED,
    CellState.COVERED,
    CellState.NOT_YET,
    CellState.MISSED,
    CellState.FUTURE,
    CellState.NOT_REQUIRED,
)

# The hand-worked example (today = 15 March 2026):
#   A (Wang, customer all year)     visits: Jan ×2, Mar ×1 → Jan V, Feb M, Mar V, Apr… future
#   B (Wang, taken on 10 Feb 2026)  visits: Feb ×1        → Jan not required, Feb V, Mar not yet
#   C (Li, customer all year)       visits: Jan, Feb      → Jan V, Feb V, Mar not yet
# March is in progress: shown, not counted in any rate until it ends (1 of 3 visited so far).
# Month rates: Jan 2/2 = 100 %, Feb 2/3 = 66.67 %, Mar… nothing counted yet.
# Wang: A 1 of 2 (Jan, Feb) + B 1 of 1 (Feb) = 2/3 = 66.67 %; Li: 2/2 = 100 %; overall 4/5 = 80 %.
A = PlanCustomer(1, "A", "Alpha", "Wang")
B = PlanCustomer(2, "B", "Beta", "Wang", since=date(2026, 2, 10))
CC = PlanCustomer(3, "C", "Gamma", "Li")
COUNTS = {(1, 2026, 1): 2, (1, 2026, 3): 1, (2, 2026, 2): 1, (3, 2026, 1): 1, (3, 2026, 2): 1}
TODAY = date(2026, 3, 15)


def test_matrix_cells_match_the_hand_worked_example():
    plan = build_plan(2026, TODAY, [CC, A, B], COUNTS)
    cells = {row.customer.code: row.cells[:4] for row in plan.rows}
    assert cells == {"A": (V, M, V, F), "B": (NR, V, NY, F), "C": (V, V, NY, F)}
    assert [r.customer.code for r in plan.rows] == ["A", "B", "C"]
    assert all(cell is F for row in plan.rows for cell in row.cells[3:])
    assert plan.rows[0].visits[:3] == (2, 0, 1)


def test_compliance_per_month_per_sales_person_and_overall():
    plan = build_plan(2026, TODAY, [A, B, CC], COUNTS)
    assert [r.percent for r in plan.month_rates[:4]] == [
        Decimal("100.00"),
        Decimal("66.67"),
        None,
        None,
    ]
    assert plan.month_rates[1] == Rate(2, 3)
    assert plan.progress == Rate(1, 3)  # March so far: A visited, B and C not yet
    assert plan.sales_rates == {"Li": Rate(2, 2), "Wang": Rate(2, 3)}
    assert plan.sales_rates["Wang"].percent == Decimal("66.67")
    assert plan.overall == Rate(4, 5)
    assert plan.overall.percent == Decimal("80.00")


def test_this_months_customers_not_yet_visited():
    plan = build_plan(2026, TODAY, [A, B, CC], COUNTS)
    assert [c.code for c in plan.not_yet_visited()] == ["B", "C"]
    # Looking back at 2025 from 2026: nothing is "this month".
    assert build_plan(2025, TODAY, [A], {}).not_yet_visited() == []


def test_past_year_has_no_not_yet_and_a_future_year_is_all_future():
    past = build_plan(2025, TODAY, [A], {(1, 2025, 12): 1})
    assert past.rows[0].cells == (M,) * 11 + (V,)
    assert past.overall == Rate(1, 12)
    future = build_plan(2027, TODAY, [A], {})
    assert set(future.rows[0].cells) == {F}
    assert future.overall.percent is None


def test_a_two_month_interval_lets_a_visit_cover_the_next_month():
    # Interval 2: the December 2025 visit covers January 2026; February has none in Jan/Feb.
    counts = {(1, 2025, 12): 1, (1, 2026, 3): 1}
    plan = build_plan(2026, date(2026, 4, 10), [A], counts, interval_months=2)
    assert plan.rows[0].cells[:5] == (C, M, V, C, F)
    assert plan.overall == Rate(2, 3)  # April is in progress: not counted yet


def test_last_day_of_the_month_is_still_not_yet():
    plan = build_plan(2026, date(2026, 2, 28), [A], {})
    assert plan.rows[0].cells[:3] == (M, NY, F)


# ------------------------------------------------------------------ the month in progress
DECEMBER = {(1, 2026, m): 1 for m in range(1, 12)} | {(3, 2026, m): 1 for m in range(1, 12)}


@pytest.mark.parametrize("day", [date(2026, 12, 1), date(2026, 12, 31)])
def test_december_in_progress_does_not_pull_the_rate_down(day):
    """On the 1st and on the last day of December, nobody visited in December yet: the year
    stays at its January–November rate; December is shown in progress."""
    plan = build_plan(2026, day, [A, CC], DECEMBER)
    assert [row.cells[11] for row in plan.rows] == [NY, NY]
    assert plan.in_progress(12) and not plan.in_progress(11)
    assert plan.overall == Rate(22, 22) and plan.overall.percent == Decimal("100.00")
    assert plan.month_rates[11] == Rate() and plan.month_rates[11].percent is None
    assert plan.progress == Rate(0, 2)
    assert plan.sales_rates == {"Li": Rate(11, 11), "Wang": Rate(11, 11)}
    assert [c.code for c in plan.not_yet_visited()] == ["A", "C"]


def test_once_the_month_has_ended_an_unvisited_month_counts_as_missed():
    plan = build_plan(2026, date(2027, 1, 1), [A, CC], DECEMBER)
    assert [row.cells[11] for row in plan.rows] == [M, M]
    assert plan.month_rates[11] == Rate(0, 2)
    assert plan.overall == Rate(22, 24)
    assert plan.progress is None  # the plan's year is over: nothing in progress


def test_a_visit_in_the_month_in_progress_shows_but_counts_only_when_it_ends():
    counts = DECEMBER | {(1, 2026, 12): 1}
    during = build_plan(2026, date(2026, 12, 15), [A, CC], counts)
    assert [row.cells[11] for row in during.rows] == [V, NY]
    assert during.progress == Rate(1, 2) and during.overall == Rate(22, 22)
    after = build_plan(2026, date(2027, 1, 1), [A, CC], counts)
    assert after.overall == Rate(23, 24)


@pytest.mark.parametrize(
    "day",
    [
        # Noon UTC: the same calendar day in the PC's zone from UTC-11 to UTC+11.
        pytest.param(1, marks=pytest.mark.clock_at("2026-12-01T12:00")),
        pytest.param(31, marks=pytest.mark.clock_at("2026-12-31T12:00")),
    ],
)
def test_the_service_on_the_first_and_last_day_of_december(actors, day):
    """Through SQL with the program's clock on 1 and on 31 December: still in progress."""
    sales = actors[Department.SALES]
    wang = User.get_by_id(sales.user_id)
    a = _customer(sales, "A", wang)
    with write_transaction():
        audit.update(Customer, a.id, "test", {"created_at": datetime(2025, 6, 1, 12)})
    for month in range(1, 12):
        visits.record_visit(
            sales, customer_id=a.id, visit_date=f"2026-{month:02d}-10", purpose="routine"
        )
    plan = visit_plan_queries.visit_plan(2026)
    assert plan.today == date(2026, 12, day) and plan.in_progress(12)
    assert plan.overall == Rate(11, 11)
    assert plan.progress == Rate(0, 1)


# ------------------------------------------------------------------ the SQL side
def _customer(actor, code: str, rep: User | None, active: bool = True) -> Customer:
    customer = admin.add_customer(
        actor, code=code, name=f"Customer {code}", sales_rep=rep.id if rep else None
    )
    if not active:
        customer = admin.update_customer(
            actor, customer_id=customer.id, version=customer.version, active=False
        )
    return customer


@pytest.mark.backends
def test_visit_plan_from_the_database_matches_the_hand_worked_example(any_actors):
    sales = any_actors[Department.SALES]
    wang = User.get_by_id(sales.user_id)
    a = _customer(sales, "A", wang)
    b = _customer(sales, "B", wang)
    c = _customer(sales, "C", None)
    _customer(sales, "X", wang, active=False)  # inactive: not in the plan
    # B was taken on 10 Feb 2026 (created_at is UTC; noon keeps it on that local day).
    with write_transaction():
        audit.update(Customer, b.id, "test", {"created_at": datetime(2026, 2, 10, 12)})
        for cust in (a, c):
            audit.update(Customer, cust.id, "test", {"created_at": datetime(2025, 6, 1, 12)})
    for cust, day in [
        (a, "2026-01-05"),
        (a, "2026-01-20"),
        (a, "2026-03-02"),
        (b, "2026-02-11"),
        (c, "2026-01-30"),
        (c, "2026-02-01"),
        (c, "2025-12-31"),  # another year: not counted in 2026
    ]:
        visits.record_visit(sales, customer_id=cust.id, visit_date=day, purpose="routine")
    plan = visit_plan_queries.visit_plan(2026, TODAY)
    cells = {row.customer.code: row.cells[:4] for row in plan.rows}
    assert cells == {"A": (V, M, V, F), "B": (NR, V, NY, F), "C": (V, V, NY, F)}
    assert [r.percent for r in plan.month_rates[:3]] == [Decimal("100.00"), Decimal("66.67"), None]
    assert plan.progress == Rate(1, 3)
    assert plan.sales_rates == {"": Rate(2, 2), wang.full_name: Rate(2, 3)}
    assert [c.code for c in visit_plan_queries.not_visited_this_month(TODAY)] == ["B", "C"]
    counts = visit_plan_queries.visit_counts(date(2026, 1, 1), date(2026, 12, 31))
    assert counts[(a.id, 2026, 1)] == 2
    assert (c.id, 2025, 12) not in counts
