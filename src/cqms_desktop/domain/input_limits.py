"""What every backend can store: the limits all input is checked against before it is used.

SQLite, PostgreSQL and MariaDB disagree at the edges — PostgreSQL refuses a NUL character in
text, no backend's driver can encode a lone surrogate as UTF-8, PostgreSQL's ``integer`` and
MariaDB's ``INT`` overflow above 2,147,483,647 where SQLite stores 64 bits, SQLite keeps a
``DECIMAL`` as a float and rounds costs from 10^10 on, and Python's own ``datetime`` overflows
when year 1 or 9999 is moved across a time zone. A value outside the common ground is refused
here, naming the field, so the program behaves the same on every backend and never fails deep
in a driver:

- :func:`check_text` — no NUL, no lone surrogate (``"\\ud800"``);
- :func:`check_whole_number` — within the 32-bit range of the ``IntegerField`` and id columns;
- :func:`check_amount` — a finite amount below 10^10 that fits ``DECIMAL(12, 2)``;
- :func:`check_moment` / :func:`check_day` — years :data:`MIN_YEAR` … :data:`MAX_YEAR`;
  :func:`naive_utc` converts a time with an offset to the naive UTC the database stores;
- :func:`check_value` — any of these by the value's type (lists and mappings item by item):
  the one check every service call's arguments pass (``services.normalise``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP

#: The largest whole number every backend stores in an integer or id column (PostgreSQL
#: ``integer``, MariaDB ``INT``; SQLite would take 64 bits).
INT_MAX = 2**31 - 1
INT_MIN = -(2**31)
#: Amounts are ``DECIMAL(12, 2)``: at most ten digits before the point (SQLite keeps them as
#: floats, exact to 15 significant digits, so the twelve allowed are never rounded).
AMOUNT_PLACES = 2
AMOUNT_LIMIT = Decimal(10) ** 10
AMOUNT_MAX_TEXT = "9,999,999,999.99"
#: Dates and times outside these years are typing mistakes (and year 1 or 9999 overflows as
#: soon as it is moved across a time zone or a deadline is added).
MIN_YEAR = 1900
MAX_YEAR = 2999

# NUL (PostgreSQL refuses it in text) and UTF-16 surrogates, which are only ever "lone" in a
# Python str (a proper pair is one code point) and cannot be encoded as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def check_text(text: str, field: str) -> str:
    """*text* unchanged, or a :class:`ValidationError` naming the first unstorable character."""
    found = _UNSTORABLE.search(text)
    if found is not None:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field} contains a character that cannot be stored ({code}); remove it.",
            ),
            field=field,
            code=f"U+{ord(found.group()):04X}",
        )
    return text


def check_whole_number(number: int, field: str, *, minimum: int = INT_MIN) -> int:
    """*number* unchanged if it lies in ``minimum … INT_MAX``; else refused naming *field*."""
    if number > INT_MAX:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} is too large (at most {max})."),
            field=field,
            max=f"{INT_MAX:,}",
        )
    if number < minimum:
        if minimum == 0:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be negative."), field=field
            )
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} is too small (at least {min})."),
            field=field,
            min=f"{minimum:,}",
        )
    return number


def check_amount(amount: Decimal, field: str) -> Decimal:
    """A finite amount ≥ 0 below 10^10, rounded to cents; refused naming *field* otherwise.

    The range is checked before rounding: rounding 1e30 to cents would need more digits than
    the decimal context has (``decimal.InvalidOperation``).
    """
    if not amount.is_finite():
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be an amount, not “{value}”."),
            field=field,
            value=str(amount),
        )
    if amount < 0:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be negative."), field=field
        )
    rounded = amount.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)) if amount < AMOUNT_LIMIT else None
    if rounded is None or rounded >= AMOUNT_LIMIT:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} is too large (at most {max})."),
            field=field,
            max=AMOUNT_MAX_TEXT,
        )
    return rounded


def _year_error(field: str) -> ValidationError:
    return ValidationError(
        QT_TRANSLATE_NOOP("Errors", "{field} must be between the years {first} and {last}."),
        field=field,
        first=MIN_YEAR,
        last=MAX_YEAR,
    )


def check_day(day: date, field: str) -> date:
    """*day* unchanged if its year lies in :data:`MIN_YEAR` … :data:`MAX_YEAR`."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _year_error(field)
    return day


def naive_utc(moment: datetime, field: str) -> datetime:
    """*moment* as naive UTC in whole seconds (an offset converted, naive taken as UTC), its
    year checked before and after the conversion (which could otherwise overflow)."""
    check_day(moment, field)
    if moment.tzinfo is not None:
        offset = moment.utcoffset()
        if offset is None:  # a tzinfo that does not know its offset: take the time as UTC
            moment = moment.replace(tzinfo=None)
        else:
            moment = (moment.replace(tzinfo=None) - offset).replace(tzinfo=None)
            check_day(moment, field)
    return moment.replace(microsecond=0)


def check_moment(moment: datetime, field: str) -> datetime:
    """*moment* unchanged if it (and its UTC equivalent) lies in the allowed years."""
    naive_utc(moment, field)
    return moment


def field_of(name: str) -> str:
    """The field an argument name stands for: ``customer_id`` → ``customer``."""
    return name[:-3] if name.endswith("_id") else name


def check_value(value: Any, field: str) -> None:
    """Refuse *value* (naming *field*) if some backend could not store it; see the module."""
    if value is None or isinstance(value, bool | bytes | bytearray | memoryview):
        return
    if isinstance(value, str):
        check_text(value, field)
    elif isinstance(value, int):
        check_whole_number(value, field)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 1e15:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} must be a number, not “{value}”."),
                field=field,
                value=str(value),
            )
    elif isinstance(value, Decimal):
        if not value.is_finite() or abs(value) >= Decimal(10) ** 15:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} must be a number, not “{value}”."),
                field=field,
                value=str(value),
            )
    elif isinstance(value, datetime):
        check_moment(value, field)
    elif isinstance(value, date):
        check_day(value, field)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_value(item, field_of(str(key)))
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_value(item, field)


def record_number(value: Any) -> int | None:
    """A record id from an int or its text; ``None`` if it is none a backend could hold (the
    caller then reports "no such record" naming its field)."""
    if isinstance(value, bool):
        return None
    number = getattr(value, "id", value)
    if not isinstance(number, int):
        try:
            number = int(str(number).strip())
        except ValueError:
            return None
    return number if INT_MIN <= number <= INT_MAX else None
