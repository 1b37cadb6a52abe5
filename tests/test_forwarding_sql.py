"""5.1.2: the SQL condition "feedback not forwarded in time" agrees with the domain rule over
cases just before and after the cutoff, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cqms_desktop.domain import clock
from cqms_desktop.domain.forwarding_rule import ForwardingRule, cutoff
from cqms_desktop.services import admin
from cqms_desktop.services.base import Actor
from cqms_desktop.services.forwarding_sql import not_forwarded_in_time_query
from cqms_desktop.store import audit
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Feedback

#: Received this long before the cutoff (negative: after it).
OFFSETS = [
    timedelta(days=3),
    timedelta(seconds=1),
    timedelta(0),
    timedelta(seconds=-1),
    timedelta(hours=-1),
]
STATUSES = ["open", "routed", "closed"]


def test_cutoff_is_now_minus_the_setting():
    now = clock.utcnow()
    assert cutoff(now, {"forward_within_hours": 6}) == now - timedelta(hours=6)
    assert cutoff(now, {}) == now - timedelta(hours=4)


@pytest.mark.backends
@pytest.mark.parametrize("hours", [1, 4, 72])
def test_sql_agrees_with_the_rule(any_database, frozen_clock, hours):
    with write_transaction():
        settings_store.put("forward_within_hours", hours)
    now = clock.utcnow()
    rule = ForwardingRule.from_settings(settings_store.get_all())
    assert rule.within == timedelta(hours=hours)
    customer = admin.add_customer(Actor.system(), code="C1", name="Kunde GmbH")
    expected = set()
    with write_transaction():
        for i, offset in enumerate(OFFSETS):
            for j, status in enumerate(STATUSES):
                received = rule.cutoff(now) - offset
                row = audit.create(
                    Feedback,
                    "system",
                    number=f"FB-2026-{i}{j}",
                    customer=customer.id,
                    channel="phone",
                    received_at=received,
                    description="case",
                    status=status,
                )
                if rule.is_late(status, received, now):
                    expected.add(row.id)
    assert expected and len(expected) < len(OFFSETS) * len(STATUSES)
    assert {f.id for f in not_forwarded_in_time_query(now)} == expected
