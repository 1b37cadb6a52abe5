"""The input limits every backend shares (issue #15 item 11): the domain validators never
crash and never let through what a backend cannot store, whatever they are given."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqms_desktop.domain import complaint_values as cv
from cqms_desktop.domain import validation as v
from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.domain.input_limits import (
    AMOUNT_LIMIT,
    INT_MAX,
    MAX_YEAR,
    MIN_YEAR,
    check_value,
    naive_utc,
)
from tests.fuzzing import ANYTHING, DAYS, MOMENTS, NUMBERS, TEXTS, fuzz

COMPLAINT_FIELDS = [
    *cv.TEXT_LIMITS,
    *cv.QUANTITY_FIELDS,
    *cv.DATE_FIELDS,
    *cv.DATETIME_FIELDS,
    *cv.COST_FIELDS,
    "severity",
    "received_via",
    "responsibility",
    *cv.RECORD_FIELDS,
]


def _storable(value: object) -> None:
    """What a validator returned is something every backend stores."""
    if isinstance(value, str):
        assert "\x00" not in value
        value.encode("utf-8")  # no lone surrogate
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        assert -(2**31) <= value <= INT_MAX
    elif isinstance(value, Decimal):
        assert value.is_finite() and 0 <= value < AMOUNT_LIMIT
        assert value.as_tuple().exponent == -2
    elif isinstance(value, datetime):
        assert value.tzinfo is None and MIN_YEAR <= value.year <= MAX_YEAR
    elif isinstance(value, date):
        assert MIN_YEAR <= value.year <= MAX_YEAR


# ---------------------------------------------------------------- fuzzing


@fuzz(600)
@given(name=st.sampled_from(COMPLAINT_FIELDS), value=ANYTHING)
def test_complaint_values_are_clean_or_refused_naming_the_field(name, value):
    try:
        clean = cv.clean_values({name: value})
    except ValidationError as err:
        assert err.field == name
        str(err)  # the message formats
        return
    _storable(clean[name])


VALIDATORS = [
    lambda x: v.required_text(x, "description", 100),
    lambda x: v.optional_text(x, "caller", 100),
    lambda x: v.code(x),
    lambda x: v.username(x),
    lambda x: v.password(x),
    lambda x: v.choice(x, "severity", ["normal", "urgent"]),
    lambda x: v.non_negative_int(x, "quantity"),
    lambda x: v.money(x, "cost_freight"),
    lambda x: cv.as_utc(x, "received_at"),
    lambda x: cv.as_date(x, "onsite_on"),
]


@fuzz(600)
@given(index=st.integers(0, len(VALIDATORS) - 1), value=ANYTHING)
def test_every_validator_returns_a_storable_value_or_a_validation_error(index, value):
    try:
        result = VALIDATORS[index](value)
    except ValidationError as err:
        assert err.field
        str(err)
        return
    _storable(result)


@fuzz(400)
@given(
    value=st.one_of(
        ANYTHING, st.lists(ANYTHING, max_size=3), st.dictionaries(TEXTS, ANYTHING, max_size=3)
    )
)
def test_the_boundary_check_refuses_or_passes_never_crashes(value):
    try:
        check_value(value, "value")
    except ValidationError:
        return


@fuzz(300)
@given(moment=MOMENTS)
def test_a_time_is_stored_as_naive_utc_of_the_same_instant_or_refused(moment):
    try:
        stored = naive_utc(moment, "received_at")
    except ValidationError as err:
        assert err.field == "received_at"
        return
    assert stored.tzinfo is None and MIN_YEAR <= stored.year <= MAX_YEAR
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        same_instant = moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        assert stored == same_instant


@fuzz(200)
@given(number=NUMBERS)
def test_quantities_are_whole_numbers_within_32_bits(number):
    try:
        got = v.non_negative_int(number, "qty_affected")
    except ValidationError as err:
        assert err.field == "qty_affected"
        return
    assert got is not None and 0 <= got <= INT_MAX


@fuzz(200)
@given(day=DAYS, text=TEXTS)
def test_dates_are_within_the_allowed_years(day, text):
    for value in (day, text):
        try:
            got = cv.as_date(value, "onsite_on")
        except ValidationError:
            continue
        _storable(got)


# ---------------------------------------------------------------- the cases of the issue


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x\udfff"])
def test_nul_and_lone_surrogates_are_refused_naming_the_field(text):
    with pytest.raises(ValidationError, match="cannot be stored") as caught:
        cv.clean_values({"description": text})
    assert caught.value.field == "description"
    with pytest.raises(ValidationError) as caught:
        v.optional_text(text, "caller")
    assert caught.value.field == "caller"


@pytest.mark.parametrize("value", [99999999999999999999, "99999999999999999999", 2**31, 1e20])
def test_huge_quantities_are_refused_naming_the_field(value):
    with pytest.raises(ValidationError) as caught:
        cv.clean_values({"qty_affected": value})
    assert caught.value.field == "qty_affected"


def test_the_largest_quantity_every_backend_stores_is_accepted():
    assert cv.clean_values({"qty_delivered": INT_MAX}) == {"qty_delivered": INT_MAX}


@pytest.mark.parametrize(
    "value", ["1e30", Decimal("1e30"), 1e30, "10000000000", "9999999999.995", "NaN", "sNaN", "-Inf"]
)
def test_costs_beyond_decimal_12_2_are_refused_not_approximated(value):
    with pytest.raises(ValidationError) as caught:
        cv.clean_values({"cost_freight": value})
    assert caught.value.field == "cost_freight"


def test_the_largest_cost_is_kept_exactly():
    assert v.money("9,999,999,999.99", "cost_scrap") == Decimal("9999999999.99")


@pytest.mark.parametrize(
    "value",
    [
        datetime(1, 1, 1),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=8))),
        datetime(9999, 12, 31, 23, 59, 59),
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
        "0001-01-01T00:00:00+08:00",
        "9999-12-31",
    ],
)
def test_year_1_and_year_9999_are_refused(value):
    with pytest.raises(ValidationError, match="between the years") as caught:
        cv.clean_values({"received_at": value})
    assert caught.value.field == "received_at"


def test_a_received_time_with_an_offset_is_converted_to_utc():
    china = timezone(timedelta(hours=8))
    clean = cv.clean_values({"received_at": datetime(2026, 11, 1, 10, 0, tzinfo=china)})
    assert clean["received_at"] == datetime(2026, 11, 1, 2, 0)
