"""What the complaint workflow does to the feedback a complaint came from (5.2.1 → 5.1.2).

A quality-problem feedback sent to QA becomes a complaint (:func:`.feedback.send_to_qa` calls
:func:`.complaints.register_complaint`), and closing that complaint closes the feedback. 5.2.1
starts every complaint from a Customer Quality Feedback Form, so a complaint registered
directly gets its feedback record in the same transaction (:func:`feedback_for_new_complaint`).
These steps live here, below both use-case modules, so that ``feedback`` may use
``complaints`` without ``complaints`` importing ``feedback`` back (no import cycle).
"""

from __future__ import annotations

from datetime import datetime

from ..domain.clock import utcnow
from ..domain.enums import FeedbackStatus, FeedbackType, Severity
from ..store import audit
from ..store.counters import next_number
from ..store.models import Feedback


def feedback_for_new_complaint(
    username: str,
    user_id: int | None,
    *,
    customer_id: int,
    received_at: datetime,
    received_via: str,
    description: str,
    severity: str,
    number_year: int,
) -> Feedback:
    """The Customer Quality Feedback Form of a complaint registered without one (5.2.1): the
    customer's call, letter or visit as the complaint records it, typed a quality problem and
    already handed to QA. Inside the caller's transaction; the caller checked the values."""
    return audit.create(
        Feedback,
        username,
        number=next_number("feedback", number_year),
        customer=customer_id,
        received_at=received_at,
        channel=received_via,
        description=description,
        urgent=severity == Severity.URGENT.value,
        type=FeedbackType.QUALITY.value,
        status=FeedbackStatus.COMPLAINT.value,
        registered_by=user_id,
    )


def close_by_complaint(feedback_id: int, username: str, result: str) -> None:
    """Close the feedback because its complaint was closed (called by the complaint service
    inside its own transaction; no permission check of its own)."""
    record = audit.get_for_update(Feedback, feedback_id)
    if record.status == FeedbackStatus.CLOSED.value:
        return
    audit.update(
        Feedback,
        feedback_id,
        username,
        {"status": FeedbackStatus.CLOSED.value, "result": result, "closed_at": utcnow()},
    )
