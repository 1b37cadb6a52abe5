"""Cell values for an import: converting a cell to the target field's type (dates, whole
numbers, yes/no, choice lists, text length) and resolving the references a row makes to
customers, products and users already in the database. A value that does not fit raises
:class:`_Bad`, which the row checks turn into a :class:`~.report.Problem`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from openpyxl.utils.datetime import from_excel

from ...domain.errors import ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...domain.input_limits import INT_MAX, MAX_YEAR, MIN_YEAR, check_text
from ...store.models import Customer, Product, User
from .mapping import ImportSpec, TargetField, enum_words, normalise
from .reader import _blank

#: Date (and date-time) formats accepted when a date is written as text.
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y.%m.%d", "%Y年%m月%d日")
TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", "T%H:%M", "T%H:%M:%S")
_TRUE_WORDS = {"true", "yes", "y", "1", "x", "✓", "是", "ja", "j", "wahr"}
_FALSE_WORDS = {"false", "no", "n", "0", "否", "nein", "falsch", ""}


class _Bad(Exception):
    """A cell value that does not convert; carries the problem's message."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return "" if value is None else str(value).strip()


def _whole_seconds(value: datetime) -> datetime:
    """*value* rounded to the second: Excel stores times as fractions of a day, which read
    back a few microseconds off (12:00:04.999998)."""
    return (value + timedelta(microseconds=500_000)).replace(microsecond=0)


def parse_datetime(value: Any) -> datetime | None:
    """A cell as a local date and time: Excel dates, serial numbers, or text in one of
    :data:`DATE_FORMATS` (optionally with a time), in the years every backend and the
    deadline arithmetic handle. ``None`` for an empty cell."""
    moment = _parse_datetime(value)
    if moment is not None and not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise _Bad(
            QT_TRANSLATE_NOOP("Errors", "{field} must be between the years {first} and {last}."),
            first=MIN_YEAR,
            last=MAX_YEAR,
        )
    return moment


def _parse_datetime(value: Any) -> datetime | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return _whole_seconds(value)
    if isinstance(value, date):
        return datetime.combine(value, time.min)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # the serial numbers Excel shows as 1900-01-01 … 9999-12-31
            return _whole_seconds(from_excel(value))
        raise _Bad(QT_TRANSLATE_NOOP("Errors", "“{value}” is not a date."), value=value)
    text = " ".join(str(value).split())
    for day_format in DATE_FORMATS:
        for time_format in TIME_FORMATS:
            try:
                return datetime.strptime(text, day_format + time_format)
            except ValueError:
                continue
    raise _Bad(
        QT_TRANSLATE_NOOP(
            "Errors",
            "“{value}” is not a date; write it like 2026-11-23, 2026/11/23 or 23.11.2026.",
        ),
        value=text,
    )


def _int(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _Bad(QT_TRANSLATE_NOOP("Errors", "“{value}” is not a whole number."), value=value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace(",", "")
        if not re.fullmatch(r"[+-]?\d+", text):
            raise _Bad(QT_TRANSLATE_NOOP("Errors", "“{value}” is not a whole number."), value=value)
        number = int(text)
    if number < 0:
        raise _Bad(QT_TRANSLATE_NOOP("Errors", "{field} cannot be negative."))
    if number > INT_MAX:  # 10^20 would crash the insert on every backend
        raise _Bad(
            QT_TRANSLATE_NOOP("Errors", "{field} is too large (at most {max})."),
            max=f"{INT_MAX:,}",
        )
    return number


def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    word = normalise(value)
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False if word else None
    raise _Bad(QT_TRANSLATE_NOOP("Errors", "“{value}” is not yes or no."), value=value)


def _enum(target: TargetField, value: Any) -> str | None:
    if _blank(value):
        return None
    assert target.enum is not None
    code = enum_words(target.enum).get(normalise(value))
    if code is None:
        raise _Bad(
            QT_TRANSLATE_NOOP("Errors", "“{value}” is not one of: {choices}."),
            value=_text(value),
            choices=", ".join(m.label for m in target.enum),
        )
    return code


def _convert(target: TargetField, value: Any) -> Any:
    """The cell *value* converted for *target* (references stay text, resolved later)."""
    if target.type == "datetime":
        return parse_datetime(value)
    if target.type == "int":
        return _int(value)
    if target.type == "bool":
        return _bool(value)
    if target.type == "enum":
        return _enum(target, value)
    text = _text(value)
    try:
        check_text(text, target.key)
    except ValidationError as err:
        raise _Bad(err.message, **err.params) from None
    if target.max_length is not None and len(text) > target.max_length:
        raise _Bad(
            QT_TRANSLATE_NOOP("Errors", "{field} is too long (at most {max} characters)."),
            max=target.max_length,
        )
    return text


@dataclass
class _Lookups:
    """What rows refer to, loaded once: customers, products, users (casefolded keys)."""

    customer_codes: dict[str, int]
    customer_names: dict[str, list[int]]
    products: dict[str, int]
    usernames: dict[str, int]
    user_names: dict[str, list[int]]

    @classmethod
    def load(cls, spec: ImportSpec) -> _Lookups:
        keys = {f.type for f in spec.fields}
        codes: dict[str, int] = {}
        names: dict[str, list[int]] = {}
        # The .tuples() rows are plain tuples; the peewee stubs type a query's rows as models.
        if "customer" in keys:
            customer_rows = Customer.select(
                Customer._meta.primary_key, Customer.code, Customer.name
            ).tuples()
            for cid, code, name in cast(Iterable[tuple[int, str, str]], customer_rows):
                codes[code.casefold()] = cid
                names.setdefault(name.strip().casefold(), []).append(cid)
        products: dict[str, int] = {}
        if "product" in keys:
            product_rows = Product.select(Product._meta.primary_key, Product.part_number).tuples()
            products = {
                pn.casefold(): pid for pid, pn in cast(Iterable[tuple[int, str]], product_rows)
            }
        usernames: dict[str, int] = {}
        user_names: dict[str, list[int]] = {}
        if "user" in keys:
            user_rows = User.select(User._meta.primary_key, User.username, User.full_name).tuples()
            for uid, username, full in cast(Iterable[tuple[int, str, str]], user_rows):
                usernames[username.casefold()] = uid
                user_names.setdefault(full.strip().casefold(), []).append(uid)
        return cls(codes, names, products, usernames, user_names)

    def customer(self, code: str, name: str) -> int:
        if code:
            found = self.customer_codes.get(code.casefold())
            if found is None:
                raise _Bad(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "There is no customer with the code “{value}”; add the customer or "
                        "import the customer list first.",
                    ),
                    value=code,
                )
            return found
        ids = self.customer_names.get(name.casefold(), [])
        if not ids:
            raise _Bad(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no customer named “{value}”; add the customer or import the "
                    "customer list first.",
                ),
                value=name,
            )
        if len(ids) > 1:
            raise _Bad(
                QT_TRANSLATE_NOOP(
                    "Errors", "Several customers are named “{value}”; give the customer code."
                ),
                value=name,
            )
        return ids[0]

    def product(self, part_number: str) -> int | None:
        if not part_number:
            return None
        found = self.products.get(part_number.casefold())
        if found is None:
            raise _Bad(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no product with the part number “{value}”; import the products "
                    "first.",
                ),
                value=part_number,
            )
        return found

    def user(self, text: str) -> int | None:
        if not text:
            return None
        found = self.usernames.get(text.casefold())
        if found is not None:
            return found
        ids = self.user_names.get(text.casefold(), [])
        if len(ids) == 1:
            return ids[0]
        raise _Bad(
            QT_TRANSLATE_NOOP(
                "Errors", "There is no single user “{value}”; give the user name or full name."
            ),
            value=text,
        )
