"""Hypothesis settings and strategies for the fuzz tests (issue #15 item 11).

Every fuzz test runs a fixed number of examples, derandomized (the same examples on every run
and in CI: no flaky failures, no example database) and without a deadline (a slow CI machine is
no bug). The strategies mix ordinary values with the ones that broke the program: NUL, lone
surrogates, 10^20, 1e30, NaN, year 1 and 9999, times with offsets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz(examples: int) -> settings:
    """Settings for a fuzz test running *examples* examples, deterministically."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        # One database per test, reused by every example: each example only adds rows.
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


NASTY_TEXTS = [
    "\x00",
    "ok\x00",
    "\ud800",
    "a\udfffb",
    "99999999999999999999",
    "1e30",
    "-1",
    '=HYPERLINK("http://x")',
    " ",
    "",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59-05:00",
    "2026-11-01T10:00:00+08:00",
]
NASTY_NUMBERS = [
    99999999999999999999,
    2**31,
    2**31 - 1,
    -(2**31) - 1,
    2**63,
    -1,
    0,
    Decimal("1e30"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-Infinity"),
    Decimal("9999999999.995"),
    float("nan"),
    float("inf"),
    1e30,
    True,
]
OFFSETS = st.builds(
    timezone,
    st.timedeltas(
        min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
    ),
)
MOMENTS = st.one_of(
    st.datetimes(timezones=st.one_of(st.none(), OFFSETS, st.just(UTC))),
    st.sampled_from(
        [
            datetime(1, 1, 1),
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=8))),
            datetime(9999, 12, 31, 23, 59, 59),
            datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
            datetime(2026, 11, 1, 10, 0, tzinfo=timezone(timedelta(hours=8))),
        ]
    ),
)
DAYS = st.one_of(st.dates(), st.sampled_from([date(1, 1, 1), date(9999, 12, 31)]))
TEXTS = st.one_of(st.text(max_size=40), st.sampled_from(NASTY_TEXTS))
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(NASTY_NUMBERS),
    st.decimals(),
    st.floats(),
)
#: Anything a caller might pass where a value is expected.
ANYTHING = st.one_of(st.none(), TEXTS, NUMBERS, MOMENTS, DAYS)
