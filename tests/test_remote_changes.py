"""What another PC changed is found through the audit trail's change counter (issue #15 item
14), between two processes, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest

from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import Department
from cqms_desktop.services import admin, remote_changes, visits
from cqms_desktop.services.base import Actor
from tests.remote_writer import run_elsewhere
from tests.users import make_user


@pytest.mark.backends
def test_another_process_change_is_found_with_who_and_which_record(any_database):
    sales = make_user(Department.SALES, "wang.fang")
    other = make_user(Department.SALES, "li.na")
    customer = admin.add_customer(Actor.system(), code="C1", name="Kunde")
    visit = visits.record_visit(
        sales, customer_id=customer.id, visit_date=clock.today(), purpose="Jahresgespräch"
    )
    head = remote_changes.change_head()
    assert remote_changes.changes_since(head).changes == []  # nothing new yet

    run_elsewhere(any_database.url, other.username, visit.id, "Reklamation besprochen")

    found = remote_changes.changes_since(head, except_user=sales.username)
    assert found.last_id > head
    assert {(c.table, c.record_id, c.username) for c in found.changes} >= {
        ("visit", visit.id, "li.na")
    }
    assert {"visit"} <= found.kinds
    change = next(c for c in found.changes if c.table == "visit")
    assert change.full_name == "Li.Na"  # tests.users: the user name, title-cased
    # This PC's own changes are left out (they were announced here already) …
    visits.update_visit(sales, visit_id=visit.id, version=visit.version + 1, purpose="Mein Text")
    mine = remote_changes.changes_since(found.last_id, except_user=sales.username)
    assert mine.changes == [] and mine.last_id > found.last_id
    # … and a flood (an import elsewhere) is "everything", from the newest row on.
    flood = remote_changes.changes_since(found.last_id - remote_changes.BATCH - 1)
    assert flood.kinds == frozenset({"*"}) and flood.last_id == remote_changes.change_head()


@pytest.mark.backends
@pytest.mark.parametrize("backend_url", ["postgresql"], indirect=True)  # LISTEN/NOTIFY
def test_postgresql_tells_a_listener_at_once_when_another_process_commits(any_database):
    import threading

    from cqms_desktop.services import change_notifications

    sales = make_user(Department.SALES, "wang.fang")
    make_user(Department.SALES, "li.na")
    customer = admin.add_customer(Actor.system(), code="C1", name="Kunde")
    visit = visits.record_visit(
        sales, customer_id=customer.id, visit_date=clock.today(), purpose="Jahresgespräch"
    )
    assert change_notifications.available()
    heard = threading.Event()
    listener = change_notifications.ChangeListener(heard.set)
    listener.start()
    try:
        assert listener.listening.wait(10)
        assert not heard.wait(0.3)  # nothing committed yet
        run_elsewhere(any_database.url, "li.na", visit.id, "Reklamation besprochen")
        assert heard.wait(5), "no notification within 5 s of the other process's commit"
    finally:
        listener.stop()
