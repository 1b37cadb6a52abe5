"""What the complaint workflow does to the feedback a complaint came from (5.2.1 → 5.1.2).

A quality-problem feedback sent to QA becomes a complaint (:func:`.feedback.send_to_qa` calls
:func:`.complaints.register_complaint`), and closing that complaint closes the feedback. The
closing step lives here, below both use-case modules, so that ``feedback`` may use
``complaints`` without ``complaints`` importing ``feedback`` back (no import cycle).
"""

from __future__ import annotations

from ..domain.clock import utcnow
from ..domain.enums import FeedbackStatus
from ..store import audit
from ..store.models import Feedback


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
