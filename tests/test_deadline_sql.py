"""The complaint list's deadline flags (SQL) agree with the domain's deadline rules (Python)
over one table of cases, on SQLite, PostgreSQL and MariaDB, with the due-soon window taken
from the settings in both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cqms_desktop.domain import clock
from cqms_desktop.domain.deadlines import DeadlineState, action_overdue, deadline_state
from cqms_desktop.domain.settings import deadline_rules
from cqms_desktop.services import admin
from cqms_desktop.services.base import Actor
from cqms_desktop.services.complaint_deadlines import company_today, current_zone
from cqms_desktop.services.complaint_queries import overdue_actions
from cqms_desktop.services.registers import COMPLAINTS, Filter
from cqms_desktop.store import audit
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Complaint, CorrectiveAction

#: Due times relative to now, around the edges of the overdue and due-soon windows.
DUE_OFFSETS = [
    timedelta(days=-2),
    timedelta(seconds=-1),
    timedelta(0),
    timedelta(seconds=1),
    timedelta(hours=10),
    timedelta(hours=23, minutes=59),
    timedelta(hours=24),
    timedelta(hours=24, seconds=1),
    timedelta(hours=40),
    timedelta(hours=48),
    timedelta(hours=48, seconds=1),
    timedelta(days=6),
]
#: Handled: not yet, an hour before the due time, an hour after it.
HANDLED = [None, timedelta(hours=-1), timedelta(hours=1)]


def make_cases(now) -> dict[int, tuple]:
    customer = admin.add_customer(Actor.system(), code="C1", name="Kunde GmbH")
    cases = {}
    with write_transaction():
        for i, offset in enumerate(DUE_OFFSETS):
            for j, handled in enumerate(HANDLED):
                due = now + offset
                handled_at = None if handled is None else min(due + handled, now)
                row = audit.create(
                    Complaint,
                    "system",
                    number=f"CC-2026-{i:02d}{j}",
                    customer=customer.id,
                    received_at=due - timedelta(days=7),
                    description="case",
                    due_at=due,
                    handled_at=handled_at,
                    status="investigating",
                )
                cases[row.id] = (due, handled_at)
    return cases


def ids(flt: Filter) -> set[int]:
    return {row["id"] for row in COMPLAINTS.page(flt, limit=1000)}


@pytest.mark.backends
@pytest.mark.parametrize("hours", [24, 48])
def test_overdue_and_due_soon_flags_agree_with_the_domain(any_database, frozen_clock, hours):
    with write_transaction():
        settings_store.put("due_soon_hours", hours)
    now = clock.utcnow()
    cases = make_cases(now)
    window = deadline_rules(settings_store.get_all()).due_soon
    assert window == timedelta(hours=hours)
    states = {
        cid: deadline_state(due, now, handled, window) for cid, (due, handled) in cases.items()
    }
    expected_overdue = {cid for cid, s in states.items() if s == DeadlineState.OVERDUE}
    expected_soon = {cid for cid, s in states.items() if s == DeadlineState.DUE_SOON}
    assert expected_overdue and expected_soon  # the table reaches both states
    assert ids(Filter(overdue=True)) == expected_overdue
    assert ids(Filter(due_soon=True)) == expected_soon
    # The list's own flag columns say the same for every row.
    rows = {row["id"]: row for row in COMPLAINTS.page(Filter(), limit=1000)}
    assert {cid for cid, row in rows.items() if row["overdue"]} == expected_overdue
    assert {cid for cid, row in rows.items() if row["due_soon"]} == expected_soon


@pytest.mark.backends
def test_overdue_countermeasures_agree_with_the_domain(any_database, frozen_clock):
    """Overdue = not carried out after its due day, of an open complaint: the list filter, the
    overdue-actions query and the domain rule pick the same ones."""
    now = clock.utcnow()
    today = company_today(now, current_zone())
    customer = admin.add_customer(Actor.system(), code="C1", name="Kunde GmbH")
    expected_actions, expected_complaints = set(), set()
    with write_transaction():
        for n, status in enumerate(("investigating", "closed")):
            complaint = audit.create(
                Complaint,
                "system",
                number=f"CC-2026-9{n}",
                customer=customer.id,
                received_at=now - timedelta(days=30),
                description="case",
                due_at=now - timedelta(days=23),
                status=status,
            )
            for days in (-3, -1, 0, 1):
                for action_status in ("open", "done", "verified"):
                    action = audit.create(
                        CorrectiveAction,
                        "system",
                        complaint=complaint.id,
                        action_type="process",
                        description="case",
                        department="manufacturing",
                        due_date=today + timedelta(days=days),
                        status=action_status,
                    )
                    if status != "closed" and action_overdue(action.due_date, action_status, today):
                        expected_actions.add(action.id)
                        expected_complaints.add(complaint.id)
    assert expected_actions  # the table reaches the state
    assert {a.id for a in overdue_actions(today)} == expected_actions
    assert ids(Filter(extra={"actions_overdue": True})) == expected_complaints
