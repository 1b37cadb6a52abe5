"""Several writers at the same moment: :func:`run_together` calls a function in *n* threads
released together, each on its own database connection (peewee keeps one per thread)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from cqms_desktop.store import db as dbmod


def run_together(n: int, work: Callable[[int], Any], timeout: float = 120) -> list[Any]:
    """Call ``work(i)`` for i in 0..n-1, each in its own thread, all released at once.

    Returns each call's result or the exception it raised, in the order of *i*. Each thread
    closes its own connection at the end. (The clock is global: the threads share the test's.)
    """
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:
            results[i] = exc
        finally:
            database = dbmod.database_proxy.obj
            if database is not None and not database.is_closed():
                database.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a concurrent writer hung"
    return results


def outcomes(results: list[Any]) -> dict[str, int]:
    """How many results were returned and how many raised each exception class."""
    counts: dict[str, int] = {}
    for result in results:
        key = type(result).__name__ if isinstance(result, BaseException) else "saved"
        counts[key] = counts.get(key, 0) + 1
    return counts
