"""PostgreSQL's LISTEN/NOTIFY as the fast path of live refresh (issue #15 item 14).

Every write transaction on PostgreSQL sends ``NOTIFY cqms_changes`` (delivered when it
commits: :class:`..store.server_connection.ServerPostgresqlDatabase`). A :class:`ChangeListener`
holds one connection of its own that only listens, on a thread of its own, and calls back
when a notification arrives — the window then polls the audit trail at once instead of at
its next tick. SQLite and MariaDB have no such thing; there the poll alone finds changes
(every few seconds, one primary-key lookup).

The listener never touches peewee or the window: it waits, and on each notification calls
*on_change* (which must be thread-safe, e.g. emit a Qt signal). It survives an outage: when
its connection drops it waits and connects again until stopped.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

import peewee

from ..store.db import database_proxy
from ..store.server_connection import CHANNEL

log = logging.getLogger(__name__)

#: How long the listener waits between checks of its stop flag, and before reconnecting.
TICK_SECONDS = 1.0
RECONNECT_SECONDS = 5.0


def available() -> bool:
    """True when the open database can notify (PostgreSQL)."""
    return isinstance(database_proxy.obj, peewee.PostgresqlDatabase)


def _connect_params() -> dict[str, Any]:
    database = database_proxy.obj
    assert isinstance(database, peewee.PostgresqlDatabase)
    params = dict(database.connect_params)
    params.pop("prefer_psycopg3", None)
    if str(database.database).startswith("postgresql://"):
        params.setdefault("conninfo", database.database)
    else:
        params.setdefault("dbname", database.database)
    return params


class ChangeListener:
    """Listens on its own thread; *on_change()* is called after each notification burst."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        self._on_change = on_change
        self._params = _connect_params()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cqms-listen", daemon=True)
        #: Set once the LISTEN is in place (tests wait for it).
        self.listening = threading.Event()

    def start(self) -> None:
        """Begin listening."""
        self._thread.start()

    def stop(self) -> None:
        """Stop listening (returns at once; the thread ends within a tick)."""
        self._stop.set()

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(**self._params, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    while not self._stop.is_set():
                        heard = False
                        for _notify in conn.notifies(timeout=TICK_SECONDS):
                            heard = True
                            break  # one call per burst: the poll reads everything new
                        if heard:
                            self._on_change()
            except Exception as exc:  # an outage: wait, then listen again
                self.listening.clear()
                log.info("listening for changes stopped (%s); trying again", exc)
                self._stop.wait(RECONNECT_SECONDS)
        with contextlib.suppress(Exception):
            self.listening.clear()
