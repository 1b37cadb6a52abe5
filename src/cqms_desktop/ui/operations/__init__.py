"""One policy for work off the GUI thread (issue #8).

Every database call the window waits on — list pages and counts, the dashboard's figures and
tile counts, the visit plan, saves, exports, imports — runs on the application's one
**database worker** (:mod:`.worker`): a single long-lived thread, so calls are serialised and
peewee's per-thread connection lives there. The GUI thread only queues work and receives
results; it never blocks on the database for more than a frame.

- :class:`QueryOp` reads; its ``success(result)`` runs on the GUI thread.
- :class:`CollectionOp` (alias :data:`WriteOp`) runs a writing service call;
  ``.success()`` / ``.failure()``. Without a failure callback, a ``CqmsError`` is shown to the
  user and anything else logged *and* shown (:func:`report_failure`).
- ``.with_busy_cursor()`` shows the busy cursor while an op the user waits on is pending;
  ``.latest_of(guard)`` drops a result overtaken by a newer request (:class:`LatestOnly`).
- :func:`call_and_wait` runs one call the flow needs the answer of (a save, a workflow step)
  and spins a local event loop meanwhile, so the window keeps painting (:mod:`.wait`).
- Long jobs with a progress dialog and Cancel: :func:`start_job`; :func:`run_job` waits
  (only where a modal flow truly needs it, e.g. start-up) — see :mod:`.progress`.
"""

from __future__ import annotations

from .ops import CollectionOp, LatestOnly, QueryOp, WriteOp, report_failure, report_read_failure
from .progress import (
    SHOW_AFTER_MS,
    Job,
    JobCancelled,
    JobOutcome,
    cancel_all,
    run_job,
    start_job,
)
from .wait import call_and_wait
from .worker import DatabaseWorker, database_worker

__all__ = [
    "SHOW_AFTER_MS",
    "CollectionOp",
    "DatabaseWorker",
    "Job",
    "JobCancelled",
    "JobOutcome",
    "LatestOnly",
    "QueryOp",
    "WriteOp",
    "call_and_wait",
    "cancel_all",
    "database_worker",
    "report_failure",
    "report_read_failure",
    "run_job",
    "start_job",
]
