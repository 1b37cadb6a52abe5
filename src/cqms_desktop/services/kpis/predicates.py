"""The SQL predicate behind each complaint and corrective-action KPI.

The same predicate counts a figure and sets the matching yes/no column of the review
workbook's Data sheets, so each number can be traced to its records.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ...domain import enums as E
from ...store.models import (
    Complaint,
    CorrectiveAction,
)
from .as_of import as_of
from .scope import NEVER, Scope, seconds_between

#: "Open over N days" in the review.
OPEN_LONG_DAYS = 30


def complaint_received(scope: Scope) -> Any:
    """SQL: received within the period."""
    return scope.within(Complaint.received_at)


def complaint_on_time() -> Any:
    """SQL: handled within its 2/7-day limit."""
    return Complaint.handled_at.is_null(False) & (Complaint.handled_at <= Complaint.due_at)


def complaint_late() -> Any:
    """SQL: handled, but after its limit."""
    return Complaint.handled_at.is_null(False) & (Complaint.handled_at > Complaint.due_at)


def complaint_overdue_unhandled(scope: Scope) -> Any:
    """SQL: not handled and its limit already past at the moment of the review."""
    return Complaint.handled_at.is_null() & (Complaint.due_at < scope.now)


def closure_as_of(scope: Scope) -> Any:
    """SQL: the complaint's closure as at the cut-off. A closing after the cut-off (empty
    before) is left to the column: it lies after the cut-off, which every figure checks; a
    reopening or a second closing after it (a closure before) is read back from the trail."""
    return as_of(Complaint.closed_at, scope, relevant=lambda old: old.is_null(False))


def status_as_of(scope: Scope) -> Any:
    """SQL: whether the complaint was closed at the cut-off, as far as its status tells: only a
    change away from "closed" after the cut-off (a reopening) needs the trail; a closing after
    it shows in the closure time."""
    closed = E.ComplaintStatus.CLOSED.value
    return as_of(Complaint.status, scope, relevant=lambda old: old == closed)


def complaint_closed_in(scope: Scope) -> Any:
    """SQL: closed within the period (as at its end: a later reopening does not undo it)."""
    return scope.within(closure_as_of(scope))


def complaint_open_at_end(scope: Scope) -> Any:
    """SQL: received before the cut-off and not closed before it (status and closure as they
    were at the cut-off, from the audit trail)."""
    if not scope.begun:
        return NEVER
    cutoff = scope.cutoff_utc
    closed_at = closure_as_of(scope)
    not_closed = (
        (status_as_of(scope) != E.ComplaintStatus.CLOSED.value)
        | closed_at.is_null()
        | (closed_at >= cutoff)
    )
    return (Complaint.received_at < cutoff) & not_closed


def complaint_open_long(scope: Scope, days: int = OPEN_LONG_DAYS) -> Any:
    """SQL: open at the cut-off and received more than *days* days before it."""
    old = Complaint.received_at < scope.cutoff_utc - timedelta(days=days)
    return complaint_open_at_end(scope) & old


def complaint_repeat() -> Any:
    """SQL: marked as a repeat of an earlier complaint."""
    return Complaint.repeat_of.is_null(False)


def close_seconds(scope: Scope) -> Any:
    """SQL: seconds from receipt to closure (the closure as at the cut-off)."""
    return seconds_between(Complaint.received_at, closure_as_of(scope))


def action_opened(scope: Scope) -> Any:
    """SQL: corrective action opened within the period."""
    return scope.within(CorrectiveAction.created_at)


def action_completed(scope: Scope) -> Any:
    """SQL: corrective action carried out within the period."""
    return scope.within(CorrectiveAction.executed_at)


def action_verified(scope: Scope) -> Any:
    """SQL: corrective action verified within the period."""
    return scope.within(CorrectiveAction.verified_at)


def action_overdue(scope: Scope) -> Any:
    """SQL: due before the cut-off day and not carried out by the cut-off."""
    if not scope.begun:
        return NEVER
    cutoff = scope.cutoff_utc
    return (
        (CorrectiveAction.created_at < cutoff)
        & (CorrectiveAction.due_date < scope.cutoff_day)
        & (CorrectiveAction.executed_at.is_null() | (CorrectiveAction.executed_at >= cutoff))
    )
