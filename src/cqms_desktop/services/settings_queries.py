"""Reading the shared business settings (the administrator changes them through
:func:`.admin.update_settings`).

Any logged-in user may read them (the login dialog shows the company name before anyone is
logged in), so these reads take no actor, like the other reads.
"""

from __future__ import annotations

from typing import Any

from ..store import settings as settings_store


def company_name() -> str:
    """The company's name as set at the first start (trimmed; empty if none)."""
    return str(settings_store.get("company_name") or "").strip()


def all_settings() -> dict[str, Any]:
    """Every business setting by key, defaults filled in."""
    return settings_store.get_all()
