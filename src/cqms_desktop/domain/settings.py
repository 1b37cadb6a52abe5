"""Business settings shared by every PC, with their defaults.

They live in the database's ``setting`` table (JSON values), so that the form codes, the
deadlines and the survey target are the same on every office PC. PC-local preferences (window
geometry, column layout, UI language, last database URL) live in ``QSettings`` instead.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .backup_schedule import BACKUP_DEFAULTS
from .deadlines import DeadlineRules
from .mail_settings import MAIL_DEFAULTS

#: Controlled forms: key → (default form code, default revision).
FORMS: dict[str, tuple[str, str]] = {
    "visit": ("QR-0701-01", "A/0"),
    "feedback": ("QR-0701-02", "A/0"),
    "survey": ("QR-0701-03", "A/0"),
    "complaint": ("QR-0701-04", "A/0"),
    "service": ("QR-0701-05", "A/0"),
    "8d": ("QR-0701-06", "A/0"),
}

DEFAULTS: dict[str, Any] = {
    "company_name": "",
    "timezone": "",  # empty: the PC's own time zone
    "deadline_urgent_days": 2,
    "deadline_normal_days": 7,
    "deadline_working_days": False,
    "due_soon_hours": 24,
    "ack_overdue_days": 2,
    "action_due_days": 30,
    "repeat_window_months": 12,
    "visit_interval_months": 1,
    "survey_scale_min": 1,
    "survey_scale_max": 5,
    "survey_target": 4.0,
    "survey_weights": {"quality": 1, "service": 1, "price": 1, "delivery": 1},
    "attachment_max_mb": 20,
    **{f"form_code_{k}": code for k, (code, _) in FORMS.items()},
    **{f"form_revision_{k}": rev for k, (_, rev) in FORMS.items()},
    **MAIL_DEFAULTS,
    **BACKUP_DEFAULTS,
}


def deadline_rules(
    settings: dict[str, Any], holidays: frozenset[date] = frozenset()
) -> DeadlineRules:
    """The deadline rules from a settings mapping (missing keys take their defaults)."""
    s = {**DEFAULTS, **settings}
    return DeadlineRules(
        urgent_days=int(s["deadline_urgent_days"]),
        normal_days=int(s["deadline_normal_days"]),
        working_days=bool(s["deadline_working_days"]),
        holidays=holidays,
        # An empty or zero setting means the default, not "never due soon".
        due_soon=timedelta(hours=int(s["due_soon_hours"] or DEFAULTS["due_soon_hours"])),
    )
