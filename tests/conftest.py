"""Shared fixtures: a fresh database per test, on SQLite or on the PostgreSQL / MariaDB servers.

Server backends: ``CQMS_TEST_PG`` and ``CQMS_TEST_MYSQL`` give admin URLs (defaults: the
local servers with trust / empty-password root). Each test gets a database of its own, made
and dropped around it. Outside CI an unreachable server skips its tests with the reason; with
``CI=true`` the same tests fail instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import datetime

import pytest
from argon2 import PasswordHasher

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import Department
from cqms_desktop.services import admin, auth
from cqms_desktop.services.base import Actor
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from cqms_desktop.store.models import Customer
from tests.external import create_server_database
from tests.gui.gui_data import Sample, populate
from tests.review_data import Dataset, build_dataset
from tests.review_data import berlin_time_fixture as berlin_time_fixture  # the berlin_time fixture
from tests.users import make_user

BACKENDS = ("sqlite", "postgresql", "mysql")


#: The instant the tests' clock starts at: ``CQMS_TEST_NOW`` (ISO 8601, naive means UTC), else
#: the real now. ``tools/test.sh`` also runs the suite at a month's and a year's first and last
#: day, so no test may depend on which day it runs.
TEST_START = (
    clock.parse_instant(os.environ["CQMS_TEST_NOW"])
    if os.environ.get("CQMS_TEST_NOW")
    else clock.SystemClock().now()
)


def _start_of(request: pytest.FixtureRequest) -> datetime:
    """:data:`TEST_START`, or the instant of the test's ``clock_at`` marker."""
    marker = request.node.get_closest_marker("clock_at")
    return clock.parse_instant(marker.args[0]) if marker else TEST_START


@pytest.fixture(autouse=True)
def test_clock(request: pytest.FixtureRequest) -> Iterator[clock.ShiftedClock]:
    """Every test runs on a clock that starts at :data:`TEST_START` (or its
    ``@pytest.mark.clock_at("2026-06-15T10:00")``) and runs on in real time. Autouse, so it is
    installed before the test's other fixtures make their rows."""
    # No company time zone carried over from another test's database.
    clock.set_company_zone(None)
    with clock.use_clock(clock.ShiftedClock(_start_of(request))) as installed:
        yield installed
    clock.set_company_zone(None)


@pytest.fixture
def frozen_clock(request: pytest.FixtureRequest) -> Iterator[clock.FrozenClock]:
    """A clock standing still at the test's start (move it with ``advance``/``set``)."""
    with clock.use_clock(clock.FrozenClock(_start_of(request))) as installed:
        yield installed


class _ErrorRecords(logging.Handler):
    """Collects the program's log records of level ERROR and above during one test."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_logged_errors(request: pytest.FixtureRequest) -> Iterator[_ErrorRecords]:
    """Fail a test on any error the program only logs (a change listener or a background job
    that raised, say): such an error would otherwise pass unseen. A test that provokes one on
    purpose says so with ``@pytest.mark.logged_errors`` and may read them from this fixture."""
    handler = _ErrorRecords()
    logger = logging.getLogger("cqms_desktop")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("logged_errors") is None:
        formatter = logging.Formatter("%(name)s: %(message)s")
        report = "\n".join(
            formatter.format(r)
            + ("\n" + formatter.formatException(r.exc_info) if r.exc_info else "")
            for r in handler.records
        )
        pytest.fail(f"the program logged {len(handler.records)} error(s):\n{report}")


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at production cost takes ~50 ms per hash; tests use the cheapest valid cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(auth, "hasher", cheap)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """URL of a fresh (not yet created) SQLite file in the test's temporary folder."""
    return dbmod.sqlite_url(tmp_path / "cqms.sqlite3")


def _open_migrated(url: str) -> dbmod.DatabaseInfo:
    info = dbmod.open_database(url)
    migrations.migrate()
    return info


@pytest.fixture
def database(sqlite_url: str) -> Iterator[dbmod.DatabaseInfo]:
    """A fresh, migrated SQLite database, open for the test."""
    info = _open_migrated(sqlite_url)
    yield info
    dbmod.close_database()


@pytest.fixture(params=BACKENDS)
def backend_url(request, tmp_path) -> Iterator[str]:
    """URL of a fresh empty database on each backend in turn (not yet opened)."""
    if request.param == "sqlite":
        yield dbmod.sqlite_url(tmp_path / "cqms.sqlite3")
        dbmod.close_database()
        return
    url, drop = create_server_database(request.param)
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def any_database(backend_url: str) -> dbmod.DatabaseInfo:
    """A fresh, migrated database on each backend in turn, open for the test."""
    return _open_migrated(backend_url)


@pytest.fixture
def system() -> Actor:
    """The command line's system actor (an administrator)."""
    return Actor.system()


@pytest.fixture
def actors(database) -> dict[Department, Actor]:
    """One user per department on the SQLite test database."""
    return {d: make_user(d) for d in Department}


@pytest.fixture
def any_actors(any_database) -> dict[Department, Actor]:
    """One user per department on each backend in turn."""
    return {d: make_user(d) for d in Department}


@pytest.fixture
def sample(database) -> Sample:
    """The varied sample rows (customers, products, users and records in every state) on the
    SQLite test database: :func:`tests.gui.gui_data.populate`."""
    return populate()


@pytest.fixture
def customer(any_actors) -> Customer:
    """A customer added by Sales, on each backend in turn."""
    return admin.add_customer(any_actors[Department.SALES], code="C1", name="上海汽配")


@pytest.fixture
def dataset(any_database, berlin_time) -> Dataset:
    """The management review's data set (:func:`tests.review_data.build_dataset`) on each
    backend in turn, with the PC's time zone in Berlin."""
    return build_dataset()
