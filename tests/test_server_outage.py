"""A server outage does not make the program unusable (issue #15 item 1), on PostgreSQL and
MariaDB, through a TCP proxy that kills, refuses and stalls the connections:

* after the connections are killed (a server restart), the next read and the next save work
  without restarting the program;
* while the server is down, a call fails within the connect timeout with a clear
  "connection … lost" message (never a raw driver error), and works again once it is back;
* a server that stops answering is given up on after the read timeout, then recovers;
* a connection lost while the server commits raises "outcome unknown" (never "saved" or
  "not saved" by guess), and the record then shows whether it was saved.
"""

from __future__ import annotations

import time

import pytest

from cqms_desktop.domain.errors import DatabaseUnavailable, SaveOutcomeUnknown
from cqms_desktop.services import admin, customer_queries
from cqms_desktop.services.base import Actor
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import server_connection
from cqms_desktop.store.models import Customer
from tests.tcp_proxy import server_database_through_proxy

pytestmark = pytest.mark.backends

SHORT = server_connection.Timeouts(connect=2.0, statement=3.0, read=3.0)


@pytest.fixture(params=["postgresql", "mysql"])
def through_proxy(request, monkeypatch):
    """A migrated database on the server, opened through a proxy; the proxy."""
    with server_database_through_proxy(request.param) as (proxy, url):
        monkeypatch.setattr(server_connection, "TIMEOUTS", SHORT)
        dbmod.open_database(url)
        yield proxy


def _add(code: str) -> Customer:
    return admin.add_customer(Actor.system(), code=code, name=f"Kunde {code}")


def test_killed_connections_are_replaced_on_the_next_read_and_save(through_proxy):
    _add("K1")
    through_proxy.kill()  # the server restarted: every open connection is gone
    assert customer_queries.customer_by_code("K1") is not None  # a read: reconnects
    through_proxy.kill()
    _add("K2")  # a save: the lost transaction runs again on a new connection
    assert {c.code for c in Customer.select()} == {"K1", "K2"}


def test_a_server_that_is_down_is_reported_clearly_and_used_again_when_back(through_proxy):
    _add("D1")
    through_proxy.down()
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as lost:
        _add("D2")
    # Two connection attempts at most (the save and its one repeat), each within the timeout.
    assert time.monotonic() - started < 2 * SHORT.connect + 3
    assert "connection to the database server was lost" in str(lost.value)
    with pytest.raises(DatabaseUnavailable):
        customer_queries.customer_by_code("D1")
    through_proxy.up()
    _add("D2")  # no restart needed
    assert {c.code for c in Customer.select()} == {"D1", "D2"}


def test_a_stalled_server_is_given_up_on_after_the_read_timeout(through_proxy):
    _add("S1")
    through_proxy.stall()
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable):
        customer_queries.customer_by_code("S1")
    waited = time.monotonic() - started
    assert waited < 2 * (SHORT.read + SHORT.connect) + 3, waited
    through_proxy.resume()
    through_proxy.kill()  # the stalled connections are dead now
    assert customer_queries.customer_by_code("S1") is not None


def test_a_commit_whose_answer_is_lost_is_reported_as_unknown(through_proxy):
    _add("C1")
    through_proxy.kill_after(b"COMMIT")
    with pytest.raises(SaveOutcomeUnknown):
        _add("C2")
    # The next call works; the record says what happened (the server had the COMMIT).
    assert customer_queries.customer_by_code("C2") is not None
    assert Customer.select().where(Customer.code == "C2").count() == 1  # never twice
