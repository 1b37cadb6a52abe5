"""The repeat-complaint rule: same customer and product (and defect category) within
``repeat_window_months`` months of an earlier complaint.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any


def months_before(moment: datetime, months: int) -> datetime:
    """*moment* minus *months* calendar months (the day clipped to the month's length)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _same_category(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def is_repeat(new: Mapping[str, Any], earlier: Mapping[str, Any], window_months: int) -> bool:
    """*new* repeats *earlier*: same customer and product, the same defect category when the
    new one names one, received before it and within *window_months* months."""
    if new.get("product") is None or earlier.get("id") == new.get("id"):
        return False
    if earlier.get("customer") != new.get("customer") or earlier.get("product") != new.get(
        "product"
    ):
        return False
    if (new.get("defect_category") or "").strip() and not _same_category(
        new.get("defect_category"), earlier.get("defect_category")
    ):
        return False
    received: datetime = new["received_at"]
    before: datetime = earlier["received_at"]
    if before == received and new.get("id") is not None:
        # Received at the same moment: the one registered first is the earlier, so that two
        # such complaints never point at each other.
        return bool((earlier.get("id") or 0) < new["id"])
    return months_before(received, window_months) <= before <= received


def find_repeat(
    new: Mapping[str, Any], candidates: Iterable[Mapping[str, Any]], window_months: int
) -> Mapping[str, Any] | None:
    """The most recent earlier complaint that *new* repeats, or ``None``."""
    matches = [c for c in candidates if is_repeat(new, c, window_months)]
    return max(matches, key=lambda c: (c["received_at"], c.get("id") or 0), default=None)
