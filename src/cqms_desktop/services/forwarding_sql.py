"""The 5.1.2 forwarding rule of :mod:`cqms_desktop.domain.forwarding_rule` as SQL.

The condition is built from the domain rule's :meth:`~ForwardingRule.cutoff`, so the list and
"My work" cannot disagree with it; ``tests/test_forwarding_sql.py`` runs both over one table
of cases on every backend.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import peewee as pw

from ..domain.clock import utcnow
from ..domain.enums import FeedbackStatus
from ..domain.forwarding_rule import ForwardingRule
from ..store import settings as settings_store
from ..store.models import Feedback


def current_rule() -> ForwardingRule:
    """The forwarding rule of the shared settings."""
    return ForwardingRule.from_settings(settings_store.get_all())


def not_forwarded_in_time_condition(
    now: datetime | None = None, rule: ForwardingRule | None = None
) -> Any:
    """Condition of :meth:`ForwardingRule.is_late`: open and received before the cutoff."""
    rule = rule or current_rule()
    return (Feedback.status == FeedbackStatus.OPEN.value) & (
        Feedback.received_at < rule.cutoff(now or utcnow())
    )


def not_forwarded_in_time_query(now: datetime | None = None) -> pw.ModelSelect[Feedback]:
    """The feedback not forwarded in time."""
    return Feedback.select().where(not_forwarded_in_time_condition(now))
