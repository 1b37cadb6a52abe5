"""Shared fixtures: a fresh database per test, on SQLite or on the PostgreSQL / MariaDB servers.

Server backends: ``CQMS_TEST_PG`` and ``CQMS_TEST_MYSQL`` give admin URLs (defaults: the
local servers with trust / empty-password root). Each test gets a database of its own, made
and dropped around it. Outside CI an unreachable server skips its tests with the reason; with
``CI=true`` the same tests fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
