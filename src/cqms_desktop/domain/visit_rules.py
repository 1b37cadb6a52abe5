"""5.1.1: where a visit's customer requests go.

The procedure forwards a visit's requests to QA, the Technical Section, Manufacturing and
Administration. Sales may leave a department out (a request about delivery dates is nothing
for the Technical Section), but then says why: the reason is kept with the visit, printed on
its form and shown in the register, so the four-department rule is never broken silently.
"""

from __future__ import annotations

from collections.abc import Iterable

from .enums import Department
from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP
from .validation import optional_text

#: 5.1.1: a visit's requests go to these four departments.
VISIT_DEPARTMENTS: tuple[Department, ...] = (
    Department.QA,
    Department.TECHNICAL,
    Department.MANUFACTURING,
    Department.ADMINISTRATION,
)

#: Longest reason for leaving departments out.
REASON_LIMIT = 2000


def departments_left_out(requests: str, routed: Iterable[str]) -> tuple[Department, ...]:
    """The 5.1.1 departments a visit with *requests* is not routed to (none without requests)."""
    if not (requests or "").strip():
        return ()
    chosen = {str(code) for code in routed}
    return tuple(d for d in VISIT_DEPARTMENTS if d.value not in chosen)


def checked_routing_reason(requests: str, routed: Iterable[str], reason: str | None) -> str:
    """The reason to keep for routing a visit with *requests* to *routed*.

    Blank when every department of 5.1.1 gets the requests (a reason no longer needed is
    dropped); required, naming the departments left out, when one is missing.
    """
    left_out = departments_left_out(requests, routed)
    text = optional_text(reason, "routing_reason", REASON_LIMIT)
    if not left_out:
        return ""
    if not text:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field}: the requests go to QA, the Technical Section, Manufacturing and "
                "Administration (5.1.1); say why they do not go to {departments}.",
            ),
            field="routing_reason",
            departments=left_out,
        )
    return text
