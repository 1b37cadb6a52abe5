"""The deadline rules of :mod:`cqms_desktop.domain.deadlines` as SQL conditions, in one place.

Lists, counts and the dashboard filter and flag in SQL; the editor, "My work" and the forms
judge one record in Python. Each condition here mirrors the domain function named in its
docstring and takes the same inputs (now, the company's today, the due-soon window of the
settings); ``tests/test_deadline_sql.py`` runs both over one table of cases on every backend.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import peewee as pw

from ..domain.clock import utcnow
from ..domain.complaint_workflow import OPEN_STATES
from ..domain.enums import ActionStatus, ScarStatus
from ..domain.settings import deadline_rules
from ..store import settings as settings_store
from ..store.models import Complaint, CorrectiveAction, Scar
from .complaint_deadlines import company_today, current_zone


def _flag(condition: Any) -> Any:
    return pw.Case(None, [(condition, 1)], 0)


def complaint_is_open() -> Any:
    """SQL of :data:`domain.complaint_workflow.OPEN_STATES`."""
    return Complaint.status.in_(sorted(s.value for s in OPEN_STATES))


def complaint_overdue_expr(now: datetime | None = None) -> Any:
    """1/0 of :func:`domain.deadlines.is_overdue` for a complaint not yet handled: past its
    handling deadline (5.2.3 a/b) — needs action now."""
    now = now or utcnow()
    return _flag(Complaint.handled_at.is_null() & (Complaint.due_at < now))


def complaint_late_expr() -> Any:
    """1/0: handled, but after its handling deadline (history; no action needed any more)."""
    return _flag(Complaint.handled_at.is_null(False) & (Complaint.handled_at > Complaint.due_at))


def complaint_due_soon_expr(now: datetime | None = None, window: timedelta | None = None) -> Any:
    """1/0 of :func:`domain.deadlines.is_due_soon`: not handled, not overdue, due within
    *window* — by default the ``due_soon_hours`` setting, as in the complaint editor."""
    now = now or utcnow()
    if window is None:
        window = deadline_rules(settings_store.get_all()).due_soon
    return _flag(
        Complaint.handled_at.is_null()
        & (Complaint.due_at >= now)
        & (Complaint.due_at <= now + window)
    )


def action_overdue_condition(today: date) -> Any:
    """Condition of :func:`domain.deadlines.action_overdue`: not carried out
    (:func:`~domain.deadlines.action_is_open`) after the end of its due day."""
    return (CorrectiveAction.status == ActionStatus.OPEN.value) & (
        CorrectiveAction.due_date < today
    )


def overdue_actions_query(today: date | None = None) -> pw.ModelSelect[CorrectiveAction]:
    """The overdue countermeasures of open complaints (a closed complaint waits for nothing),
    judged on the company's *today*; joined with their complaint."""
    if today is None:
        today = company_today(utcnow(), current_zone())
    return (
        CorrectiveAction.select(CorrectiveAction, Complaint)
        .join(Complaint, pw.JOIN.INNER)
        .where(action_overdue_condition(today) & complaint_is_open())
    )


def scar_reply_overdue_condition(today: date) -> Any:
    """Condition of :func:`domain.scar_rules.reply_overdue`: the supplier's reply still
    awaited after the end of its due day."""
    return (Scar.status == ScarStatus.AWAITING_REPLY.value) & (Scar.reply_due < today)


def scar_reply_overdue_expr(today: date | None = None) -> Any:
    """1/0 of :func:`scar_reply_overdue_condition` on the company's *today*."""
    if today is None:
        today = company_today(utcnow(), current_zone())
    return _flag(scar_reply_overdue_condition(today))
