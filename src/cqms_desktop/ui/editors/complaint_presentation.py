"""What the Complaint editor shows and how: which fields are multi-line or date inputs,
the deadline states' icons, texts and colours, and the helpers that turn stored values
(enum codes, UTC times) into the text shown in the form."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStyle

from ...domain import enums as E
from ...domain.clock import to_local
from ...domain.deadlines import DeadlineState
from ...domain.i18n import QT_TRANSLATE_NOOP
from ..i18n import enum_text

S = E.ComplaintStatus
D = E.Department
CONTEXT = "ComplaintEditor"
TEXT_FIELDS_MULTILINE = (
    "description",
    "customer_request",
    "investigation",
    "cause",
    "evidence",
    "onsite_findings",
    "explanation",
    "preliminary_plan",
    "dispatch_action",
)
#: Fields shown as text boxes holding a local date / date and time (may be empty).
DATE_INPUTS = ("onsite_on", "dispatch_on")
DATETIME_INPUTS = ("oral_notice_at", "copy_sent_at")
STATE_ICONS = {
    DeadlineState.OVERDUE: QStyle.StandardPixmap.SP_MessageBoxCritical,
    DeadlineState.DUE_SOON: QStyle.StandardPixmap.SP_MessageBoxWarning,
    DeadlineState.HANDLED_LATE: QStyle.StandardPixmap.SP_MessageBoxWarning,
    DeadlineState.HANDLED: QStyle.StandardPixmap.SP_DialogApplyButton,
    DeadlineState.ON_TIME: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
STATE_TEXT = {
    DeadlineState.OVERDUE: QT_TRANSLATE_NOOP("ComplaintEditor", "Overdue"),
    DeadlineState.DUE_SOON: QT_TRANSLATE_NOOP("ComplaintEditor", "Due soon"),
    DeadlineState.HANDLED_LATE: QT_TRANSLATE_NOOP("ComplaintEditor", "Handled late"),
    DeadlineState.HANDLED: QT_TRANSLATE_NOOP("ComplaintEditor", "Handled in time"),
    DeadlineState.ON_TIME: QT_TRANSLATE_NOOP("ComplaintEditor", "On time"),
}
_ERROR_STYLE = "border: 2px solid #c62828;"


def tr(text: str) -> str:
    """Translate *text* in the editor's context."""
    return QCoreApplication.translate(CONTEXT, text)


def _enum_text(enum: type[E.LabeledEnum], value: str | None) -> str:
    if not value:
        return ""
    try:
        return enum_text(enum(value).label)
    except ValueError:
        return value


def _local(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
