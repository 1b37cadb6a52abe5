"""Read and write the shared business settings (JSON values in the ``setting`` table)."""

from __future__ import annotations

import json
from typing import Any

from ..domain.settings import DEFAULTS
from .models import Setting


def get(key: str) -> Any:
    """One setting, or its default."""
    row = Setting.get_or_none(Setting.key == key)
    return json.loads(row.value) if row is not None else DEFAULTS.get(key)


def get_all() -> dict[str, Any]:
    """Every setting, defaults filled in."""
    values = dict(DEFAULTS)
    for row in Setting.select():
        values[row.key] = json.loads(row.value)
    return values


def put(key: str, value: Any) -> None:
    """Store one setting (the caller runs in a transaction and audits)."""
    text = json.dumps(value, ensure_ascii=False)
    # Update-then-insert works the same on all three backends (no REPLACE on PostgreSQL).
    if Setting.update(value=text).where(Setting.key == key).execute() == 0:
        Setting.insert(key=key, value=text).execute()
