"""The rules of reminders and escalation (issue 12, 5.2.3 a/b "in time"):

- a digest lists a user's "My work" (:mod:`.work_items`) in three sections: overdue, due
  soon (within the ``due_soon_hours`` window), and the rest;
- an item is reminded to a recipient at most once per company day (the claim key
  :func:`item_key` with the day);
- a complaint still not handled ``escalation_after_hours`` after its deadline is escalated
  to QA's head and the General Manager (:func:`escalation_due`).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from enum import StrEnum

from .work_items import WorkItem


class Section(StrEnum):
    """Where a line goes in a digest (in this order)."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    WAITING = "waiting"


def section_of(item: WorkItem, now: datetime, today: date, window: timedelta) -> Section:
    """*item*'s section at *now* (naive UTC) on the company's *today*."""
    if item.overdue:
        return Section.OVERDUE
    if item.due_at is not None:
        return Section.DUE_SOON if now <= item.due_at <= now + window else Section.WAITING
    if item.due is not None:
        # A day-deadline (an action, a survey) is due soon from the window's last day on.
        days = max(1, int(window.total_seconds() // 86400))
        return Section.DUE_SOON if item.due <= today + timedelta(days=days) else Section.WAITING
    return Section.WAITING


def item_key(item: WorkItem) -> str:
    """A stable name of one "My work" line for the once-a-day claim: its kind, record and —
    since one complaint can have several countermeasures — a digest of what it is about."""
    about = hashlib.sha1(item.summary.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    return f"{item.kind}:{item.record_kind}:{item.record_id}:{about}"


def escalation_key(complaint_id: int) -> str:
    """The claim name of a complaint's escalation."""
    return f"escalation:complaint:{complaint_id}"


def escalation_due(
    due_at: datetime, handled_at: datetime | None, now: datetime, after: timedelta
) -> bool:
    """A complaint not handled by *after* past its deadline *due_at* is escalated at *now*."""
    return handled_at is None and now >= due_at + after


def escalation_cutoff(now: datetime, after: timedelta) -> datetime:
    """Deadlines at or before this instant are escalated at *now* (the SQL form of
    :func:`escalation_due`: ``due_at + after <= now`` ⇔ ``due_at <= now - after``)."""
    return now - after
