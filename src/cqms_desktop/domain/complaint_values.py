"""Checking and normalising a complaint's field values, and the cross-field date and quantity rules.

Text lengths, quantities, dates and times (stored as naive UTC), costs, choices and record ids;
:func:`check_consistency` adds the rules between fields (nothing in the future, dates in order,
no more nonconforming than checked); :func:`total_cost` sums the cost of poor quality.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from . import validation as v
from .complaint_field_labels import label_of
from .enums import Channel, Responsibility, Severity
from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP
from .input_limits import INT_MAX, INT_MIN, check_day, naive_utc

#: A PC's clock may run a little ahead of the server's; a "future" time within this is fine.
CLOCK_SKEW = timedelta(minutes=10)

TEXT_LIMITS: dict[str, int] = {
    "lot": 64,
    "description": 8000,
    "customer_request": 4000,
    "defect_category": 64,
    "investigation": 8000,
    "cause": 4000,
    "evidence": 4000,
    "team": 255,
    "onsite_by": 100,
    "onsite_findings": 4000,
    "explanation": 8000,
    "preliminary_plan": 8000,
    "dispatch_by": 100,
    "dispatch_action": 4000,
    "nc_report_number": 64,
    "oral_notice_by": 100,
    "oral_notice_to": 100,
    "copy_sent_via": 64,
    "copy_sent_to": 100,
}
QUANTITY_FIELDS = (
    "qty_affected",
    "qty_delivered",
    "fg_checked",
    "fg_held",
    "fg_nonconforming",
    "wip_checked",
    "wip_held",
    "wip_nonconforming",
)
DATE_FIELDS = ("onsite_on", "dispatch_on")
DATETIME_FIELDS = ("received_at", "oral_notice_at", "copy_sent_at")
COST_FIELDS = ("cost_compensation", "cost_freight", "cost_scrap", "cost_rework", "cost_replacement")
RECORD_FIELDS = ("customer", "product", "qa_owner")  # foreign keys: ids, checked by the service


def as_utc(value: Any, name: str) -> datetime | None:
    """A time as the naive UTC value the database stores: aware times are converted, naive
    ones are taken as UTC already, ISO strings are parsed; empty → ``None``. Years outside
    :data:`.input_limits.MIN_YEAR` … :data:`.input_limits.MAX_YEAR` are refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _bad_time(name, value) from None
    if not isinstance(value, datetime):
        raise _bad_time(name, value)
    return naive_utc(value, name)


def as_date(value: Any, name: str) -> date | None:
    """A calendar date (or ISO string); empty → ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return check_day(value.date(), name)
    if isinstance(value, date):
        return check_day(value, name)
    try:
        return check_day(date.fromisoformat(str(value).strip()), name)
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be a date, not “{value}”."),
            field=name,
            value=value,
        ) from None


def _bad_time(name: str, value: Any) -> ValidationError:
    return ValidationError(
        QT_TRANSLATE_NOOP("Errors", "{field} must be a date and time, not “{value}”."),
        field=name,
        value=value,
    )


def _record_id(value: Any) -> int | None:
    if value is None or value == "":
        return None
    got = getattr(value, "id", value)
    if isinstance(got, bool) or not isinstance(got, int):
        try:
            got = int(str(got))
        except ValueError:
            return -1  # no such record; the service reports it naming the field
    # An id no backend can hold is no record either (and must not reach the driver).
    return got if INT_MIN <= got <= INT_MAX else -1


def clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise the complaint fields in *values*; raises naming the first bad one.

    Unknown names are refused: a typo must not be silently dropped.
    """
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("description",):
            clean[name] = v.required_text(value, name, TEXT_LIMITS[name])
        elif name in TEXT_LIMITS:
            clean[name] = v.optional_text(value, name, TEXT_LIMITS[name])
        elif name in QUANTITY_FIELDS:
            clean[name] = v.non_negative_int(value, name)
        elif name in DATE_FIELDS:
            clean[name] = as_date(value, name)
        elif name in DATETIME_FIELDS:
            clean[name] = as_utc(value, name)
            if name == "received_at" and clean[name] is None:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=name
                )
        elif name in COST_FIELDS:
            clean[name] = v.money(value, name)
        elif name == "severity":
            clean[name] = v.choice(value, name, [s.value for s in Severity])
        elif name == "received_via":
            clean[name] = v.choice(value, name, [c.value for c in Channel])
        elif name == "responsibility":
            clean[name] = (
                ""
                if value in (None, "")
                else v.choice(value, name, [r.value for r in Responsibility])
            )
        elif name in RECORD_FIELDS:
            clean[name] = _record_id(value)
            if name == "customer" and clean[name] is None:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=name
                )
        else:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be changed here."), field=name
            )
    return clean


def _not_future(value: datetime | None, name: str, now: datetime) -> None:
    if value is not None and value > now + CLOCK_SKEW:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be in the future."), field=name
        )


def check_consistency(
    record: Mapping[str, Any],
    *,
    now: datetime,
    today: date | None = None,
    received_day: date | None = None,
) -> None:
    """Cross-field rules on a complaint's values (stored values overlaid with the changes).

    *now* is naive UTC; *today* and *received_day* (the receipt's calendar day) are dates in
    the company's zone, for checking the on-site and dispatch dates.
    """
    for name in DATETIME_FIELDS:
        _not_future(record.get(name), name, now)
    if today is not None:
        for name in DATE_FIELDS:
            day = record.get(name)
            if day is not None:
                v.not_in_future(day, name, today)
    affected, delivered = record.get("qty_affected"), record.get("qty_delivered")
    if affected is not None and delivered is not None and affected > delivered:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be more than {other}."),
            field="qty_affected",
            other=label_of("qty_delivered"),
        )
    for prefix in ("fg", "wip"):
        checked, bad = record.get(f"{prefix}_checked"), record.get(f"{prefix}_nonconforming")
        if checked is not None and bad is not None and bad > checked:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be more than {other}."),
                field=f"{prefix}_nonconforming",
                other=label_of(f"{prefix}_checked"),
            )
    received = record.get("received_at")
    for name in ("oral_notice_at", "copy_sent_at"):
        v.ordered(received, record.get(name), name, label_of("received_at"))
    if received_day is not None:
        for name in DATE_FIELDS:
            v.ordered(received_day, record.get(name), name, label_of("received_at"))


def total_cost(record: Mapping[str, Any]) -> Decimal | None:
    """The sum of the cost fields that are filled in (``None`` when none is)."""
    values = [Decimal(record[n]) for n in COST_FIELDS if record.get(n) is not None]
    return sum(values, Decimal("0")) if values else None
