"""Management reviews the General Manager signed off (issue #11 item 13).

A signed-off review is kept as it was signed: the workbook byte for byte and its Summary
figures. Exporting that period again re-prints the kept workbook, and the figures of today are
compared with the kept ones so that a later correction shows as a note instead of silently
changing a record management has approved.

The workbook and its figures are made by the exports layer (which may read services, not the
other way round) and handed to :func:`sign_off_review`, which checks who signs, that the period
has ended and that it was not signed before, and stores both in one audited transaction.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ..domain.clock import utcnow
from ..domain.enums import Department
from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit
from ..store.db import retry_transient
from ..store.models import ReviewSignoff
from .base import Actor, require, unit_of_work
from .kpis import find_customer, parse_period
from .normalise import checked_input

#: A figure of the Summary sheet: a count, a rate or average, or nothing (no data).
Figure = int | float | None


@dataclass(frozen=True)
class SignedReview:
    """A review as it was signed off."""

    period: str
    customer_code: str
    signed_by: str
    signed_at: datetime  # naive UTC
    language: str
    note: str
    figures: dict[str, Figure]
    workbook: bytes


@dataclass(frozen=True)
class FigureChange:
    """A Summary figure that differs today from the one signed off."""

    code: str
    signed: Figure
    today: Figure


def _clean_figures(figures: Mapping[str, object]) -> dict[str, Figure]:
    clean: dict[str, Figure] = {}
    for code, value in figures.items():
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            if isinstance(value, float) and not math.isfinite(value):
                value = None
            clean[str(code)] = value
        else:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The review figure “{code}” is not a number."),
                field="figures",
                code=code,
            )
    return clean


@checked_input
@retry_transient
def sign_off_review(
    actor: Actor,
    *,
    period: str,
    customer_code: str | None = None,
    language: str = "",
    figures: Mapping[str, object],
    workbook: bytes,
    note: str = "",
) -> SignedReview:
    """Sign off the review of *period* (and one customer): keep *workbook* and *figures*.

    Only the General Manager signs off; the period must have ended (figures of a period in
    progress still move) and not have been signed off before.
    """
    require(actor, departments=[Department.GENERAL_MANAGER])
    parsed = parse_period(period)
    code = (customer_code or "").strip()
    if code:
        code = find_customer(code).code
    now = utcnow()
    if parsed.end_utc > now:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "The review of {period} can be signed off once the period has ended."
            ),
            field="period",
            period=parsed.code,
        )
    if not workbook:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "There is no workbook to sign off."), field="workbook"
        )
    clean = _clean_figures(figures)
    with unit_of_work("review_signoff"):
        earlier = ReviewSignoff.get_or_none(
            (ReviewSignoff.period == parsed.code) & (ReviewSignoff.customer_code == code)
        )
        if earlier is not None:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The review of {period} was already signed off by {user} on {day}."
                ),
                field="period",
                period=parsed.code,
                user=earlier.signed_by,
                day=earlier.signed_at.date().isoformat(),
            )
        audit.create(
            ReviewSignoff,
            actor.username,
            period=parsed.code,
            customer_code=code,
            signed_by=actor.username,
            signed_at=now,
            language=language,
            note=note.strip(),
            figures=json.dumps(clean, sort_keys=True),
            workbook=workbook,
            workbook_sha256=hashlib.sha256(workbook).hexdigest(),
        )
    found = signed_review(parsed.code, code)
    assert found is not None  # just written
    return found


def signed_review(period: str, customer_code: str | None = None) -> SignedReview | None:
    """The signed-off review of *period* (and one customer), or ``None`` if not signed off.

    A kept workbook whose bytes no longer match the hash written at signing is refused (the
    audit trail and ``cqms check`` say more).
    """
    parsed = parse_period(period)
    code = (customer_code or "").strip()
    if code:
        code = find_customer(code).code
    row = ReviewSignoff.get_or_none(
        (ReviewSignoff.period == parsed.code) & (ReviewSignoff.customer_code == code)
    )
    if row is None:
        return None
    workbook = bytes(row.workbook)
    if hashlib.sha256(workbook).hexdigest() != row.workbook_sha256:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The kept workbook of the {period} review has been altered since it was signed.",
            ),
            field="workbook",
            period=parsed.code,
        )
    return SignedReview(
        period=row.period,
        customer_code=row.customer_code,
        signed_by=row.signed_by,
        signed_at=row.signed_at,
        language=row.language,
        note=row.note,
        figures=_clean_figures(json.loads(row.figures)),
        workbook=workbook,
    )


def figure_changes(signed: Mapping[str, Figure], today: Mapping[str, Figure]) -> list[FigureChange]:
    """The figures that differ between the signed-off review and today's (rates and averages
    compared to 9 decimals, so a float round trip is not a change)."""

    def same(a: Figure, b: Figure) -> bool:
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)

    codes = list(signed) + [c for c in today if c not in signed]
    return [
        FigureChange(code, signed.get(code), today.get(code))
        for code in codes
        if not same(signed.get(code), today.get(code))
    ]
