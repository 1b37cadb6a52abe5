"""Read and write the shared business settings (JSON values in the ``setting`` table).

Whenever the ``timezone`` setting is read or written, the program's clock follows it
(:func:`domain.clock.set_company_zone`): every local date and time is the company's.
"""

from __future__ import annotations

import json
from typing import Any

from ..domain import clock
from ..domain.deadlines import company_zone
from ..domain.errors import ValidationError
from ..domain.settings import DEFAULTS
from .models import Setting

ZONE_KEY = "timezone"


def _follow_zone(name: Any) -> None:
    try:
        zone = company_zone(str(name or ""))
    except ValidationError:  # refused when saved; an old bad value means the PC's zone
        zone = None
    clock.set_company_zone(zone)


def follow_company_zone() -> None:
    """Install the stored company time zone in the clock (after opening a database)."""
    get(ZONE_KEY)


def get(key: str) -> Any:
    """One setting, or its default."""
    row = Setting.get_or_none(Setting.key == key)
    value = json.loads(row.value) if row is not None else DEFAULTS.get(key)
    if key == ZONE_KEY:
        _follow_zone(value)
    return value


def get_all() -> dict[str, Any]:
    """Every setting, defaults filled in."""
    values = dict(DEFAULTS)
    for row in Setting.select():
        values[row.key] = json.loads(row.value)
    _follow_zone(values.get(ZONE_KEY))
    return values


def put(key: str, value: Any) -> None:
    """Store one setting (the caller runs in a transaction and audits)."""
    text = json.dumps(value, ensure_ascii=False)
    # Update-then-insert works the same on all three backends (no REPLACE on PostgreSQL).
    if Setting.update(value=text).where(Setting.key == key).execute() == 0:
        Setting.insert(key=key, value=text).execute()
    if key == ZONE_KEY:
        _follow_zone(value)
