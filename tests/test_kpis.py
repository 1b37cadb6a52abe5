"""Management-review KPIs: the Period type, and every figure reconciled with an independent
plain-Python computation from the inserted rows, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cqms_desktop.domain.errors import NotFoundError, ValidationError
from cqms_desktop.services import kpis as K
from tests.review_data import (
    ITEMS,
    expected,
    local,
)

# (period, customer code or None, the moment of the review as local Berlin time)
SCOPES = [
    ("2026-Q4", None, (2027, 1, 20, 9)),  # a past quarter
    ("2026-Q4", None, (2026, 11, 18, 14)),  # the current quarter: cut-off is now
    ("2026", None, (2027, 1, 20, 9)),  # a year
    ("2026-03", None, (2026, 12, 1, 8)),  # a month (with the DST change on 29 March)
    ("2026-Q4", "C02", (2027, 1, 20, 9)),  # one customer (named "=1+1")
    ("2026-11", "C01", (2026, 12, 1, 8)),
]


# ---------------------------------------------------------------------- periods
@pytest.mark.parametrize(
    ("text", "code", "start", "end"),
    [
        ("2026-11", "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-2", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", "2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026Q4", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-q1", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        (" 2026 ", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods_parse_to_their_first_and_last_day(text, code, start, end):
    period = K.parse_period(text)
    assert (period.code, period.start, period.end) == (code, start, end)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-13", "month 13"),
        ("2026-00", "month 0"),
        ("2026Q5", "Q5"),
        ("2026-Q0", "Q0"),
        ("1899", "year 1899"),
        ("Q4 2026", "not a period"),
        ("2026-11-05", "not a period"),
        ("", "required"),
    ],
)
def test_periods_that_do_not_exist_are_refused_with_a_clear_message(text, words):
    with pytest.raises(ValidationError) as err:
        K.parse_period(text)
    assert err.value.field == "period"
    assert words in str(err.value)


def test_period_months_quarters_and_trend_window():
    year = K.parse_period("2026")
    assert [m.code for m in year.months()][::11] == ["2026-01", "2026-12"]
    assert year.quarter_codes() == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert K.parse_period("2026-11").quarter_codes() == ["2026-Q4"]
    trend = K.parse_period("2026-Q1").trend_months()
    assert (len(trend), trend[0].code, trend[-1].code) == (12, "2025-04", "2026-03")


def test_period_bounds_are_local_midnights_in_utc(berlin_time):
    period = K.parse_period("2026-Q2")
    assert period.start_utc == datetime(2026, 3, 31, 22, 0)  # CEST, UTC+2
    assert period.end_utc == datetime(2026, 6, 30, 22, 0)
    assert K.parse_period("2026-01").start_utc == datetime(2025, 12, 31, 23, 0)  # CET


# ---------------------------------------------------------------------- reconciliation
def _approx(value):
    return None if value is None else pytest.approx(value, abs=1e-6)


def assert_complaints_match(figures: K.ComplaintFigures, want: dict) -> None:
    got = {
        "received": figures.received,
        "urgent": figures.urgent,
        "normal": figures.normal,
        "on_time": figures.on_time,
        "late": figures.late,
        "overdue_unhandled": figures.overdue_unhandled,
        "on_time_rate": figures.on_time_rate,
        "closed": figures.closed,
        "mean_days_to_close": figures.mean_days_to_close,
        "median_days_to_close": figures.median_days_to_close,
        "open_at_end": figures.open_at_end,
        "open_long": figures.open_long,
        "repeat": figures.repeat,
    }
    assert got == {k: (_approx(v) if isinstance(v, float) else v) for k, v in want.items()}


def assert_costs_match(got: K.CostFigures, want: dict, where: str) -> None:
    """The cost of poor quality against the plain-Python computation, to the cent."""
    assert got.currency == "CNY"
    assert got.totals == want["totals"], where
    assert got.complaints == want["complaints"], where
    for attribute in ("by_customer", "by_product", "by_defect_category", "by_responsibility"):
        rows = {r.key: (r.total, r.complaints) for r in getattr(got, attribute)}
        assert rows == want[attribute], (where, attribute)
        totals = [r.total for r in getattr(got, attribute)]
        assert totals == sorted(totals, reverse=True), (where, attribute)  # largest first
    assert [r.total for r in got.pareto] == want["pareto"], where
    if got.pareto:
        assert got.pareto[-1].cumulative == pytest.approx(1.0)
    assert got.trend == want["trend"], where


@pytest.mark.backends
def test_every_kpi_equals_an_independent_computation(dataset):
    for period, customer, moment in SCOPES:
        now = local(*moment)
        want = expected(dataset, period, now, customer)
        got = K.review_kpis(period, customer_code=customer, now=now)
        where = f"{period} {customer} {moment}"
        assert_complaints_match(got.complaints, want["complaints"])
        assert vars(got.actions) == want["actions"], where
        assert got.feedback_by_type == want["feedback"], where
        assert [(m.month, m.visited, m.active) for m in got.visits_by_month] == want["visits"]
        s, ws = got.surveys, want["surveys"]
        assert (s.total, s.sent, s.returned) == (ws["total"], ws["sent"], ws["returned"]), where
        for item in ITEMS:
            assert s.item_averages[item] == _approx(ws[f"avg_{item}"]), (where, item)
        assert s.overall_average == _approx(ws["avg_overall"]), where
        assert s.below_target == ws["below"], where
        pareto = {r.key: r.count for r in got.pareto_defects}
        assert pareto == dict(want["pareto_defects"]), where
        assert {r.key: r.count for r in got.pareto_responsibility} == dict(
            want["pareto_responsibility"]
        ), where
        assert_customers_match(got.customers, want["customers"])
        assert_costs_match(got.costs, want["costs"], where)
        assert len(got.trend) == 12
        for row, (month, figures, feedback, visited, active) in zip(
            got.trend, want["trend"], strict=True
        ):
            assert row.month == month
            assert_complaints_match(
                row.complaints,
                {**figures, "mean_days_to_close": None, "median_days_to_close": None},
            )
            assert (row.feedback, row.visits.visited, row.visits.active) == (
                feedback,
                visited,
                active,
            ), (where, month)


def assert_customers_match(rows: list[K.CustomerRow], want: dict[str, dict]) -> None:
    assert sorted(r.code for r in rows) == sorted(want)
    for r in rows:
        w = want[r.code]
        c = r.complaints
        assert (c.received, c.urgent, c.on_time, c.late, c.overdue_unhandled) == (
            w["received"],
            w["urgent"],
            w["on_time"],
            w["late"],
            w["overdue_unhandled"],
        ), r.code
        assert (c.open_at_end, c.repeat, c.closed) == (w["open_at_end"], w["repeat"], w["closed"])
        assert (r.feedback, r.visits, r.months_visited) == (
            w["feedback"],
            w["visits"],
            w["months_visited"],
        ), r.code
        assert r.surveys_returned == w["surveys_returned"], r.code
        assert r.survey_overall == _approx(w["survey_overall"]), r.code
        assert r.below_target == w["below_target"], r.code


def test_the_data_set_exercises_every_case(dataset):
    """Guard against a data set that would let a wrong KPI pass with zeros."""
    want = expected(dataset, "2026", local(2027, 1, 20, 9))
    c = want["complaints"]
    assert min(c["on_time"], c["late"], c["overdue_unhandled"], c["closed"], c["repeat"]) > 0
    assert c["open_at_end"] > c["open_long"] > 0
    assert min(want["actions"].values()) > 0
    assert all(want["feedback"].values())
    assert want["surveys"]["below"] and want["surveys"]["returned"] > 0
    quarter = expected(dataset, "2026-Q4", local(2026, 11, 18, 14))
    assert quarter["complaints"]["overdue_unhandled"] >= 0
    assert any(v for _, v, _ in quarter["visits"])


def test_an_empty_period_gives_zeros_not_an_error(any_database):
    kpis = K.review_kpis("2031-Q1", now=datetime(2026, 11, 1))
    assert kpis.is_empty
    assert kpis.complaints.received == kpis.actions.overdue == kpis.feedback_total == 0
    assert kpis.complaints.on_time_rate is None and kpis.visit_compliance is None
    assert kpis.pareto_defects == [] and kpis.customers == []
    assert [r.complaints.received for r in kpis.trend] == [0] * 12


def test_an_unknown_customer_is_named_in_the_error(database):
    with pytest.raises(NotFoundError) as err:
        K.review_kpis("2026", customer_code="NOPE")
    assert "NOPE" in str(err.value)


def test_pareto_shares_add_up_and_are_sorted(dataset):
    rows = K.review_kpis("2026", now=local(2027, 1, 20)).pareto_defects
    counts = [r.count for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert rows[-1].cumulative == pytest.approx(1.0)
    assert sum(r.share for r in rows) == pytest.approx(1.0)
    assert {r.label for r in rows if not r.key} == {K.NOT_CATEGORISED}


def test_the_month_in_progress_is_not_yet_due_for_visits(dataset):
    """As in the visit plan: a review of the running quarter counts only the months that have
    ended, so on 18 November the quarter's compliance is October's (November can still be
    visited), and the trend shows nothing due for November yet."""
    got = K.review_kpis("2026-Q4", now=local(2026, 11, 18, 14))
    assert [m.month for m in got.visits_by_month] == ["2026-10"]
    november = next(row for row in got.trend if row.month == "2026-11")
    assert (november.visits.visited, november.visits.active) == (0, 0)
    ended = K.review_kpis("2026-Q4", now=local(2026, 12, 1, 0))  # 1 Dec, just after midnight
    assert [m.month for m in ended.visits_by_month] == ["2026-10", "2026-11"]


def _summary(kpis: K.ReviewKpis) -> dict[str, object]:
    c = kpis.complaints
    return {
        "closed": c.closed,
        "open_at_end": c.open_at_end,
        "open_long": c.open_long,
        "mean_days": c.mean_days_to_close,
        "median_days": c.median_days_to_close,
        "visits": [(m.month, m.visited, m.active) for m in kpis.visits_by_month],
        "trend": [
            (r.month, r.complaints.closed, r.complaints.open_at_end, r.visits.active)
            for r in kpis.trend
        ],
    }


@pytest.mark.backends
@pytest.mark.parametrize("listed", [500, 0], ids=["named", "subquery"])
def test_a_past_review_does_not_change_when_records_change_later(dataset, listed, monkeypatch):
    """2026-Q3 reviewed in January, then a customer deactivated and a complaint closed in the
    quarter reopened (both through the audited store, as the services do): the figures as at
    the end of the quarter are read back from the audit trail and stay as they were."""
    from cqms_desktop.domain import clock
    from cqms_desktop.services.kpis import as_of
    from cqms_desktop.store import audit
    from cqms_desktop.store import db as dbmod
    from cqms_desktop.store.models import Complaint, Customer

    monkeypatch.setattr(as_of, "_LISTED", listed)  # records named in the query, or a subquery
    review_at = local(2027, 1, 20, 9)
    before = _summary(K.review_kpis("2026-Q3", now=review_at))
    start, end = local(2026, 7, 1), local(2026, 10, 1)
    closed = [c for c in dataset.complaints if c["closed_at"] and start <= c["closed_at"] < end]
    assert closed and before["closed"] > 0
    reopened = closed[0]
    with clock.use_clock(clock.FrozenClock(local(2026, 11, 3, 10))), dbmod.write_transaction():
        audit.update(Customer, dataset.customer("C01")["id"], "gm.test", {"active": False})
        audit.update(Complaint, reopened["id"], "gm.test",
                     {"status": "investigating", "closed_at": None})  # fmt: skip
    # Today's figures for the running quarter do move...
    assert Customer.get_by_id(dataset.customer("C01")["id"]).active is False
    # ...but the past quarter's do not.
    assert _summary(K.review_kpis("2026-Q3", now=review_at)) == before
