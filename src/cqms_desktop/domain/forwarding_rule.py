"""5.1.2 "immediately": a feedback Sales registered but has not forwarded in time.

A feedback still open (registered, not routed to any department) more than the
``forward_within_hours`` setting after it was received is overdue. The rule is one object:
:meth:`ForwardingRule.is_late` judges one record in Python, :meth:`ForwardingRule.cutoff`
gives the moment the SQL condition of ``services.forwarding_sql`` compares with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .enums import FeedbackStatus

#: The default of the ``forward_within_hours`` setting.
DEFAULT_FORWARD_WITHIN_HOURS = 4


@dataclass(frozen=True, slots=True)
class ForwardingRule:
    """Feedback must be forwarded within *within* of being received."""

    within: timedelta

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ForwardingRule:
        """The rule of the shared settings (``forward_within_hours``)."""
        hours = settings.get("forward_within_hours", DEFAULT_FORWARD_WITHIN_HOURS)
        return cls(timedelta(hours=int(hours)))

    def cutoff(self, now: datetime) -> datetime:
        """Feedback received before this moment and still not forwarded is overdue."""
        return now - self.within

    def due_at(self, received_at: datetime) -> datetime:
        """The moment by which a feedback received at *received_at* must be forwarded."""
        return received_at + self.within

    def is_late(self, status: str, received_at: datetime, now: datetime) -> bool:
        """Still open (not routed) and received before :meth:`cutoff` of *now*."""
        return status == FeedbackStatus.OPEN and received_at < self.cutoff(now)


def cutoff(now: datetime, settings: Mapping[str, Any]) -> datetime:
    """:meth:`ForwardingRule.cutoff` with the rule of *settings*."""
    return ForwardingRule.from_settings(settings).cutoff(now)
