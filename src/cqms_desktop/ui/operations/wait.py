"""Waiting for one database call without freezing the window.

Some flows need the answer before they go on — a save before the editor reloads, a workflow
step, an acknowledgement, a hand-over. :func:`call_and_wait` queues the call on the one
database worker like any :class:`~.ops.CollectionOp` (busy cursor while it runs) and spins a
local event loop until the answer is in, so the window keeps painting and the database is never
touched from the GUI thread. The call must not touch widgets: read their values first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer

from ...domain.errors import DatabaseError
from ...domain.i18n import QT_TRANSLATE_NOOP
from .ops import CollectionOp
from .worker import database_worker

#: A call whose answer never came back (the database was switched while it waited).
CALL_LOST = QT_TRANSLATE_NOOP(
    "Errors", "The change did not complete because the database connection changed."
)


def call_and_wait(work: Callable[[], Any]) -> tuple[bool, Any]:
    """Run *work* on the database worker and wait for it, the window painting meanwhile.

    Returns ``(True, result)`` or ``(False, the exception)``; nothing is shown here.
    """
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def finished(key: str, value: Any) -> None:
        outcome[key] = value
        loop.quit()

    def check_worker() -> None:
        # A result the worker dropped (the program switched databases meanwhile) would
        # leave this loop waiting: an idle worker (everything delivered) ends it.
        if not outcome and database_worker().is_idle():
            finished("error", DatabaseError(CALL_LOST))

    watchdog = QTimer()
    watchdog.setInterval(250)
    watchdog.timeout.connect(check_worker)
    try:
        CollectionOp(None, work).success(lambda r: finished("result", r)).failure(
            lambda e: finished("error", e)
        ).with_busy_cursor().run_in_background()
        if not outcome:
            watchdog.start()
            loop.exec()
    finally:
        watchdog.stop()
    if "error" in outcome:
        return False, outcome["error"]
    return True, outcome.get("result")
