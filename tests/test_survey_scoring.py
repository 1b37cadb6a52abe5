"""5.1.3 scoring rules: the scale, the weighted overall score, the target and quarters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.domain.survey_scoring import (
    OVERALL,
    Quarter,
    ScoringRules,
    below_target,
    not_returned_in_time,
    overall_score,
    parse_quarter,
    quarter_of,
    quarters_between,
    validate_score,
    validate_scores,
)

DEFAULT = ScoringRules()


def test_default_rules_come_from_the_settings_defaults():
    rules = ScoringRules.from_settings({})
    assert (rules.scale_min, rules.scale_max, rules.target) == (1, 5, Decimal("4.0"))
    assert set(rules.weights.values()) == {Decimal(1)}


@pytest.mark.parametrize("bad", [0, 6, -1, 10])
def test_a_score_outside_the_scale_is_refused_naming_the_item(bad):
    with pytest.raises(ValidationError) as err:
        validate_scores({"price": bad}, DEFAULT)
    assert err.value.field == "score_price"
    assert "Price score must be between 1 and 5" in str(err.value)


def test_a_score_that_is_not_a_whole_number_is_refused():
    with pytest.raises(ValidationError) as err:
        validate_score("4.5", "score_quality", DEFAULT)
    assert err.value.field == "score_quality"
    assert "whole number" in str(err.value)


def test_scale_edges_and_blank_are_accepted():
    assert validate_score(1, "score_quality", DEFAULT) == 1
    assert validate_score("5", "score_quality", DEFAULT) == 5
    assert validate_score("", "score_quality", DEFAULT) is None
    assert validate_score(None, "score_quality", DEFAULT) is None


def test_a_wider_scale_from_the_settings_accepts_ten():
    rules = ScoringRules.from_settings({"survey_scale_min": 0, "survey_scale_max": 10})
    assert validate_score(10, "score_quality", rules) == 10
    assert validate_score(0, "score_quality", rules) == 0


def test_equal_weights_give_the_plain_mean():
    # (4 + 3 + 5 + 3) / 4 = 3.75
    scores = {"quality": 4, "service": 3, "price": 5, "delivery": 3}
    assert overall_score(scores, DEFAULT) == Decimal("3.75")


def test_weights_from_the_settings_are_applied():
    rules = ScoringRules.from_settings(
        {"survey_weights": {"quality": 3, "service": 1, "price": 1, "delivery": 1}}
    )
    # (3*5 + 1*2 + 1*2 + 1*2) / 6 = 21/6 = 3.5
    scores = {"quality": 5, "service": 2, "price": 2, "delivery": 2}
    assert overall_score(scores, rules) == Decimal("3.50")


def test_unanswered_items_drop_out_of_the_mean_and_rounding_is_half_up():
    # (5 + 4 + 4) / 3 = 4.333… → 4.33 ; (5 + 4 + 5)/3 = 4.666… → 4.67
    assert overall_score({"quality": 5, "service": 4, "price": 4}, DEFAULT) == Decimal("4.33")
    assert overall_score({"quality": 5, "service": 4, "price": 5}, DEFAULT) == Decimal("4.67")
    assert overall_score({}, DEFAULT) is None


def test_below_target_on_one_item_even_if_the_overall_is_fine():
    scores = {"quality": 5, "service": 5, "price": 3, "delivery": 5}  # overall 4.5
    overall = overall_score(scores, DEFAULT)
    assert overall == Decimal("4.50")
    assert below_target(scores, overall, DEFAULT) == ["price"]


def test_below_target_on_the_overall_score_and_items():
    scores = {"quality": 4, "service": 3, "price": 4, "delivery": 4}  # 3.75
    overall = overall_score(scores, DEFAULT)
    assert below_target(scores, overall, DEFAULT) == ["service", OVERALL]


def test_exactly_on_target_is_not_below():
    scores = {"quality": 4, "service": 4, "price": 4, "delivery": 4}
    assert below_target(scores, overall_score(scores, DEFAULT), DEFAULT) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-Q4", Quarter(2026, 4)),
        ("2026-q1", Quarter(2026, 1)),
        (" 2027 - Q2 ", Quarter(2027, 2)),
    ],
)
def test_quarters_are_parsed(text, expected):
    assert parse_quarter(text) == expected


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "2026Q4", "Q4-2026", "2026-4", "abc"])
def test_a_quarter_that_does_not_exist_is_refused(text):
    with pytest.raises(ValidationError) as err:
        parse_quarter(text)
    assert err.value.field == "quarter"
    assert "is not a quarter" in str(err.value)


def test_a_quarter_year_out_of_range_and_an_empty_quarter_are_refused():
    with pytest.raises(ValidationError, match="out of range"):
        parse_quarter("1899-Q1")
    with pytest.raises(ValidationError, match="Quarter is required"):
        parse_quarter("  ")


def test_quarter_date_ranges():
    assert (Quarter(2026, 1).start, Quarter(2026, 1).end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (Quarter(2024, 1).end) == date(2024, 3, 31)
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert Quarter(2026, 2).end == date(2026, 6, 30)
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2027, 1).previous() == Quarter(2026, 4)
    assert quarter_of(date(2026, 11, 23)) == Quarter(2026, 4)
    assert quarter_of(date(2026, 4, 1)).code == "2026-Q2"
    assert [q.code for q in quarters_between(Quarter(2025, 4), Quarter(2026, 2))] == [
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
    ]


def test_not_returned_is_flagged_only_after_the_quarter_ends():
    q3 = Quarter(2026, 3)
    assert not not_returned_in_time(q3, None, date(2026, 9, 30))
    assert not_returned_in_time(q3, None, date(2026, 10, 1))
    assert not not_returned_in_time(q3, date(2026, 9, 2), date(2026, 10, 1))
