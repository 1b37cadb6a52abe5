"""Supplier Corrective Action Requests (procedure 5.2.3 c, issue 13 item 1): when the
investigation finds the supplier responsible, QA asks the supplier for containment, the root
cause and a corrective action by a reply due date, records the supplier's reply, verifies it and
closes the request.

States (:class:`.enums.ScarStatus`) and the steps between them::

    awaiting_reply --record_reply--> replied --verify(effective)--> verified --close--> closed
                                     replied --verify(not effective)--> awaiting_reply

A reply found not effective goes back to the supplier with a new reply due date. Plain Python:
the services check permissions and store; lists judge "overdue" in SQL with the same rule
(:func:`reply_overdue`, ``services/deadline_sql.scar_reply_overdue_condition``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from . import validation as v
from .complaint_values import as_date
from .enums import ComplaintStatus, Responsibility, ScarStatus
from .errors import TransitionError, ValidationError
from .fields import FIELD_LABELS
from .i18n import QT_TRANSLATE_NOOP

#: Field labels of a SCAR (context ``Fields``), added to :data:`.fields.FIELD_LABELS`.
SCAR_FIELD_LABELS: dict[str, str] = {
    "supplier": QT_TRANSLATE_NOOP("Fields", "Supplier"),
    "part": QT_TRANSLATE_NOOP("Fields", "Part"),
    "lot": QT_TRANSLATE_NOOP("Fields", "Lot / batch"),
    "defect": QT_TRANSLATE_NOOP("Fields", "Defect"),
    "evidence": QT_TRANSLATE_NOOP("Fields", "Evidence"),
    "containment": QT_TRANSLATE_NOOP("Fields", "Containment asked of the supplier"),
    "reply_due": QT_TRANSLATE_NOOP("Fields", "Reply due"),
    "root_cause": QT_TRANSLATE_NOOP("Fields", "Root cause"),
    "corrective_action": QT_TRANSLATE_NOOP("Fields", "Corrective action"),
    "effective_date": QT_TRANSLATE_NOOP("Fields", "Effective from"),
    "replied_at": QT_TRANSLATE_NOOP("Fields", "Reply recorded"),
    "verification_result": QT_TRANSLATE_NOOP("Fields", "Verification result"),
    "verified_at": QT_TRANSLATE_NOOP("Fields", "Verified on"),
    "verified_by": QT_TRANSLATE_NOOP("Fields", "Verified by"),
    "email": QT_TRANSLATE_NOOP("Fields", "E-mail"),
    "phone": QT_TRANSLATE_NOOP("Fields", "Phone"),
}
for _key, _label in SCAR_FIELD_LABELS.items():
    FIELD_LABELS.setdefault(_key, _label)

#: The request's own fields QA fills in and may correct while the supplier has not replied.
REQUEST_FIELDS = ("part", "lot", "defect", "evidence", "containment", "reply_due")
#: States in which the request still waits on someone (lists' "open only", My work).
OPEN_STATES = frozenset({ScarStatus.AWAITING_REPLY, ScarStatus.REPLIED, ScarStatus.VERIFIED})


# ---------------------------------------------------------------- raising
def check_may_raise(responsibility: str, complaint_status: str) -> None:
    """A SCAR is raised only from a complaint whose responsibility is the supplier's, and not
    after the complaint was closed."""
    if responsibility != Responsibility.SUPPLIER.value:
        raise TransitionError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "A SCAR is raised only when the complaint's responsibility is “Supplier” "
                "(5.2.3 c); set the responsibility first.",
            ),
            field="responsibility",
        )
    if complaint_status == ComplaintStatus.CLOSED.value:
        raise TransitionError(
            QT_TRANSLATE_NOOP("Errors", "The complaint is closed: no SCAR can be raised from it.")
        )


def may_raise(responsibility: str, complaint_status: str) -> bool:
    """Whether :func:`check_may_raise` lets a SCAR be raised (the editor's button)."""
    return (
        responsibility == Responsibility.SUPPLIER.value
        and complaint_status != ComplaintStatus.CLOSED.value
    )


def default_reply_due(today: date, reply_days: int) -> date:
    """The reply due date of a new request: *reply_days* calendar days after *today*."""
    return today + timedelta(days=max(1, int(reply_days)))


def clean_request(values: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Check the request's fields: part, lot, defect (required), evidence, containment
    (required), reply due date."""
    clean: dict[str, Any] = {}
    if "part" in values or not partial:
        clean["part"] = v.optional_text(values.get("part"), "part", 200)
    if "lot" in values or not partial:
        clean["lot"] = v.optional_text(values.get("lot"), "lot", 64)
    if "defect" in values or not partial:
        clean["defect"] = v.required_text(values.get("defect"), "defect", 4000)
    if "evidence" in values or not partial:
        clean["evidence"] = v.optional_text(values.get("evidence"), "evidence", 4000)
    if "containment" in values or not partial:
        clean["containment"] = v.required_text(values.get("containment"), "containment", 4000)
    if "reply_due" in values:
        clean["reply_due"] = as_date(values["reply_due"], "reply_due")
    return clean


def check_reply_due(reply_due: date, raised_day: date) -> None:
    """The reply cannot be due before the request was raised."""
    if reply_due < raised_day:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be before the day the SCAR was raised."),
            field="reply_due",
        )


# ---------------------------------------------------------------- steps
def _require_state(status: str, wanted: ScarStatus, message: str) -> None:
    if status != wanted.value:
        raise TransitionError(message, status=ScarStatus(status).label)


def check_can_edit_request(status: str) -> None:
    """The request is corrected only while it waits for the supplier's reply."""
    _require_state(
        status,
        ScarStatus.AWAITING_REPLY,
        QT_TRANSLATE_NOOP(
            "Errors", "The request cannot be changed once the supplier replied (it is “{status}”)."
        ),
    )


def clean_reply(root_cause: Any, corrective_action: Any, effective_date: Any) -> dict[str, Any]:
    """The supplier's reply: root cause, corrective action and the date it takes effect, all
    required."""
    effective = as_date(effective_date, "effective_date")
    if effective is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} is required."), field="effective_date"
        )
    return {
        "root_cause": v.required_text(root_cause, "root_cause", 4000),
        "corrective_action": v.required_text(corrective_action, "corrective_action", 4000),
        "effective_date": effective,
    }


def check_can_reply(status: str) -> None:
    """A reply is recorded while the request waits for it."""
    _require_state(
        status,
        ScarStatus.AWAITING_REPLY,
        QT_TRANSLATE_NOOP(
            "Errors",
            "A supplier reply is recorded only while one is awaited (the SCAR is “{status}”).",
        ),
    )


def check_can_verify(status: str) -> None:
    """QA verifies a recorded reply."""
    _require_state(
        status,
        ScarStatus.REPLIED,
        QT_TRANSLATE_NOOP(
            "Errors", "Only a recorded supplier reply can be verified (the SCAR is “{status}”)."
        ),
    )


def check_can_close(status: str) -> None:
    """Only a request whose reply was verified effective is closed."""
    _require_state(
        status,
        ScarStatus.VERIFIED,
        QT_TRANSLATE_NOOP(
            "Errors",
            "A SCAR is closed only after its reply was verified effective (it is “{status}”).",
        ),
    )


def may_verify(reply_recorded_by: str, verifier: str) -> bool:
    """Independent verification: whoever recorded the supplier's reply does not verify it."""
    return not (reply_recorded_by and reply_recorded_by == verifier)


def check_verifier(reply_recorded_by: str, verifier: str) -> None:
    """Refuse a verification by the person who recorded the reply (see :func:`may_verify`)."""
    if not may_verify(reply_recorded_by, verifier):
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field}: whoever recorded the supplier's reply cannot verify it; ask another "
                "QA user.",
            ),
            field="verified_by",
        )


def status_after_verification(effective: bool) -> ScarStatus:
    """Effective: verified (ready to close); not effective: back to the supplier."""
    return ScarStatus.VERIFIED if effective else ScarStatus.AWAITING_REPLY


def check_verification(result: Any, verified_at: datetime, replied_at: datetime | None) -> str:
    """The verification's result text (required), not before the reply was recorded."""
    text = v.required_text(result, "verification_result", 4000)
    v.ordered(replied_at, verified_at, "verified_at", SCAR_FIELD_LABELS["replied_at"])
    return text


# ---------------------------------------------------------------- deadlines
def reply_overdue(status: str, reply_due: date | None, today: date) -> bool:
    """The supplier's reply is overdue: still awaited after its due date."""
    return status == ScarStatus.AWAITING_REPLY.value and reply_due is not None and reply_due < today


def waiting_on_qa(status: str) -> bool:
    """A reply to verify or a verified request to close: QA's move."""
    return status in (ScarStatus.REPLIED.value, ScarStatus.VERIFIED.value)
