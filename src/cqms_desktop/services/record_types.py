"""The record classes the UI names in type hints, re-exported so that ``ui/`` never imports
``store/`` (the layer rule, checked by ``.importlinter``).

The UI receives these records from the services (``get_survey`` returns a ``Survey``…) and
reads their fields; it never queries through them.
"""

from __future__ import annotations

from ..store.models import (
    AuditLog,
    Complaint,
    Customer,
    DefectCategory,
    Department,
    Feedback,
    Product,
    Scar,
    ServiceRecord,
    Supplier,
    Survey,
    User,
    Visit,
)

__all__ = [
    "AuditLog",
    "Complaint",
    "Customer",
    "DefectCategory",
    "Department",
    "Feedback",
    "Product",
    "Scar",
    "ServiceRecord",
    "Supplier",
    "Survey",
    "User",
    "Visit",
]
