"""Demonstration data for ``cqms demo``, the first-run dialog and the benchmarks.

Callers import from here: :func:`generate_demo` and the names around it. The work is split
by step: :mod:`.generate` checks the preconditions and runs the load; the rows come from the
builders in :mod:`.people` (users, customers, products), :mod:`.customer_service` (visits,
surveys, service records), :mod:`.feedback` and :mod:`.complaints`, all derived from
:mod:`.builder_base`; :mod:`.batch_insert` writes them and :mod:`.name_pools` holds the names
and texts they draw from.
"""

from __future__ import annotations

from .generate import (
    AUDIT_MARKER,
    CURRENT_COMPLAINTS,
    CUSTOMERS_PER_SCALE,
    FOREIGN_PER_SCALE,
    MAX_SCALE,
    Cancelled,
    DemoCancelled,
    DemoSummary,
    Progress,
    generate_demo,
)
from .name_pools import DEMO_PASSWORD

__all__ = [
    "AUDIT_MARKER",
    "CURRENT_COMPLAINTS",
    "CUSTOMERS_PER_SCALE",
    "DEMO_PASSWORD",
    "FOREIGN_PER_SCALE",
    "MAX_SCALE",
    "Cancelled",
    "DemoCancelled",
    "DemoSummary",
    "Progress",
    "generate_demo",
]
