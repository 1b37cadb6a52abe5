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
# Month rates: Jan 2/2 = 100 %, Feb 2/3 = 66.67 %, Mar 1/3 = 33.33 %, Apr… nothing due.
# Wang: A 2 of 3 due + B 1 of 2 due = 3/5 = 60 %; Li: 2/3 = 66.67 %; overall 5/8 = 62.5 %.
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
        Decimal("33.33"),
        None,
    ]
    assert plan.month_rates[1] == Rate(2, 3)
    assert plan.sales_rates == {"Li": Rate(2, 3), "Wang": Rate(3, 5)}
    assert plan.sales_rates["Wang"].percent == Decimal("60.00")
    assert plan.overall == Rate(5, 8)
    assert plan.overall.percent == Decimal("62.50")


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
    assert plan.overall == Rate(3, 4)


def test_last_day_of_the_month_is_still_not_yet():
    plan = build_plan(2026, date(2026, 2, 28), [A], {})
    assert plan.rows[0].cells[:3] == (M, NY, F)


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
    assert [r.percent for r in plan.month_rates[:3]] == [
        Decimal("100.00"),
        Decimal("66.67"),
        Decimal("33.33"),
    ]
    assert plan.sales_rates == {"": Rate(2, 3), wang.full_name: Rate(3, 5)}
    assert [c.code for c in visit_plan_queries.not_visited_this_month(TODAY)] == ["B", "C"]
    counts = visit_plan_queries.visit_counts(date(2026, 1, 1), date(2026, 12, 31))
    assert counts[(a.id, 2026, 1)] == 2
    assert (c.id, 2025, 12) not in counts
