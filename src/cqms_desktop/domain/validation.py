"""Small validators shared by the services; each raises a ValidationError naming the field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP
from .input_limits import check_amount, check_text, check_whole_number

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
MIN_PASSWORD_LENGTH = 8


def required_text(value: Any, field: str, max_length: int | None = None) -> str:
    """A non-blank string, stripped; optionally at most *max_length* characters."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=field)
    return optional_text(text, field, max_length)


def optional_text(value: Any, field: str, max_length: int | None = None) -> str:
    """A string, stripped; empty when missing. Refused with NUL or a lone surrogate (see
    :mod:`.input_limits`)."""
    text = check_text("" if value is None else str(value), field).strip()
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} is too long (at most {max} characters)."),
            field=field,
            max=max_length,
        )
    return text


def choice(value: Any, field: str, allowed: Iterable[str]) -> str:
    """One of *allowed* (enum codes)."""
    allowed = list(allowed)
    text = "" if value is None else str(value)
    if text not in allowed:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{value}” is not one of the allowed values."),
            field=field,
            value=text,
        )
    return text


def code(value: Any, field: str = "code") -> str:
    """A short code: letters, digits, dot, dash, underscore; starts with a letter or digit."""
    text = required_text(value, field)
    if not _CODE_RE.match(text):
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field} may contain only letters, digits, “.”, “-” and “_” (at most 32).",
            ),
            field=field,
        )
    return text


def username(value: Any) -> str:
    """A login name."""
    text = required_text(value, "username")
    if not _USERNAME_RE.match(text):
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field} must be 2–64 letters, digits or “._@-”, without spaces.",
            ),
            field="username",
        )
    return text


def password(value: Any) -> str:
    """A new password: at least :data:`MIN_PASSWORD_LENGTH` characters."""
    text = check_text("" if value is None else str(value), "password")
    if len(text) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must have at least {min} characters."),
            field="password",
            min=MIN_PASSWORD_LENGTH,
        )
    return text


def non_negative_int(value: Any, field: str, *, required: bool = False) -> int | None:
    """A whole number 0 … :data:`.input_limits.INT_MAX` (``None`` when empty and not
    required)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=field)
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be a whole number, not “{value}”."),
            field=field,
            value=value,
        ) from None
    if isinstance(value, bool):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be a whole number, not “{value}”."),
            field=field,
            value=value,
        )
    return check_whole_number(number, field, minimum=0)


def money(value: Any, field: str) -> Decimal | None:
    """An amount 0 … 9,999,999,999.99 rounded to cents (``None`` when empty); a larger one
    (1e30) is refused, not approximated."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        value = str(value)  # not an amount: refused below, not taken as 1 or 0
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be an amount, not “{value}”."),
            field=field,
            value=value,
        ) from None
    return check_amount(amount, field)


def not_in_future(value: date, field: str, today: date) -> date:
    """A date that is not after *today*."""
    if value > today:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be in the future."), field=field
        )
    return value


def ordered(earlier: Any, later: Any, field: str, earlier_label: str) -> None:
    """Refuse *later* (named by *field*) if it comes before *earlier*."""
    if earlier is not None and later is not None and later < earlier:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be before {other}."),
            field=field,
            other=earlier_label,
        )
