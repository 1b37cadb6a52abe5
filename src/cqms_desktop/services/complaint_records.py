"""Shared helpers of the complaint use cases (:mod:`.complaints`,
:mod:`.complaint_actions`, :mod:`.complaint_attachments`): loading a complaint for update
with its version checked, the receipt's day in the company's zone, and the common errors.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..domain.enums import Department as D
from ..domain.errors import PermissionDenied, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit
from ..store.models import Complaint
from .complaint_deadlines import company_today, current_zone


def _load(complaint_id: int, version: int | None = None) -> Complaint:
    record = audit.get_for_update(Complaint, complaint_id)
    if version is not None and record.version != version:
        raise audit.conflict(record)
    return record


def _no_such(field: str) -> ValidationError:
    return ValidationError(QT_TRANSLATE_NOOP("Errors", "{field}: no such record."), field=field)


def _today_and_received(
    record_values: dict[str, Any], settings: dict[str, Any], now: datetime
) -> tuple[date, date | None]:
    """Today and the receipt's day, both in the company's zone (for the date rules)."""
    zone = current_zone(settings)
    today = company_today(now, zone)
    received = record_values.get("received_at")
    received_day = company_today(received, zone) if received is not None else None
    return today, received_day


def _only(*departments: D) -> PermissionDenied:
    return PermissionDenied(
        QT_TRANSLATE_NOOP("Errors", "Only {departments} may do this."),
        departments=", ".join(d.label for d in departments),
    )
