"""What tests need from outside Python: the PostgreSQL / MariaDB servers and programs on PATH.

Server backends: ``CQMS_TEST_PG`` and ``CQMS_TEST_MYSQL`` give admin URLs (defaults: the
local servers with trust / empty-password root). Outside CI an unreachable server or a missing
program skips its tests with the reason; with ``CI=true`` the same tests fail instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable

import pytest

from cqms_desktop.store import db as dbmod

PG_ADMIN = os.environ.get("CQMS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
MYSQL_ADMIN = os.environ.get("CQMS_TEST_MYSQL", "mysql://root@127.0.0.1:3306/mysql")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_counter = itertools.count()


def _unavailable(backend: str, reason: str) -> None:
    message = f"{backend} server not reachable: {reason}"
    if IN_CI:
        pytest.fail(message + " (CI=true: server backends must run)")
    pytest.skip(message)


def server_admin(backend: str):
    """An open admin connection (a peewee database) to the server, or skip/fail."""
    url = PG_ADMIN if backend == "postgresql" else MYSQL_ADMIN
    try:
        database, info = dbmod.make_database(url)
        dbmod.connect_checked(database, info)
    except Exception as exc:
        _unavailable(backend, str(exc))
    return database, url


def create_server_database(backend: str) -> tuple[str, Callable[[], None]]:
    """Create an empty database on the *backend* server: its URL and a function to drop it."""
    admin_db, admin_url = server_admin(backend)
    name = f"cqms_test_{os.getpid()}_{next(_counter)}"
    if backend == "postgresql":
        admin_db.execute_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin_db.execute_sql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    else:
        admin_db.execute_sql(f"DROP DATABASE IF EXISTS `{name}`")
        admin_db.execute_sql(
            f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    base = admin_url.rsplit("/", 1)[0]
    url = f"{base}/{name}"

    def drop() -> None:
        dbmod.close_database()
        if backend == "postgresql":
            admin_db.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            admin_db.execute_sql(f"DROP DATABASE IF EXISTS `{name}`")
        admin_db.close()

    return url, drop


def require_program(*names: str, package: str) -> str:
    """The path of the first of *names* found on PATH; without it the test is skipped, or
    fails under ``CI=true`` (``bash tools/test.sh`` installs *package*)."""
    import shutil

    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{names[0]} is not installed (Debian package {package})"
    if IN_CI:
        pytest.fail(message + " — tools/setup.sh --for-tests installs it")
    pytest.skip(message)


#: The marks of a slow build-and-install test: it runs under ``CI=true`` or with
#: ``CQMS_PACKAGING_TESTS=1`` (``tools/test.sh`` runs it once, not in the clock re-runs).
PACKAGING = [
    pytest.mark.packaging,
    pytest.mark.skipif(
        not IN_CI and os.environ.get("CQMS_PACKAGING_TESTS") != "1",
        reason="slow packaging test: runs with CI=true or CQMS_PACKAGING_TESTS=1",
    ),
]
