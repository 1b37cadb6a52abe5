"""Long jobs with progress and Cancel: now part of :mod:`cqms_desktop.ui.operations`.

Kept as a thin re-export so callers and tests that import ``ui.jobs`` keep working; new code
imports from :mod:`.operations`.
"""

from __future__ import annotations

from .operations.progress import (
    SHOW_AFTER_MS,
    CancelledFn,
    Job,
    JobCancelled,
    JobFn,
    JobOutcome,
    ProgressFn,
    cancel_all,
    run_job,
    start_job,
)

__all__ = [
    "SHOW_AFTER_MS",
    "CancelledFn",
    "Job",
    "JobCancelled",
    "JobFn",
    "JobOutcome",
    "ProgressFn",
    "cancel_all",
    "run_job",
    "start_job",
]
