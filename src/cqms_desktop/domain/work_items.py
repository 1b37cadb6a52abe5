"""What waits for whom: the procedure's duties of each department, as one list per user.

The "My work" tab (and the reminders built on it) ask one question: what must *this* user or
their department do next? The answers come from the procedure's own rules, never restated:

- a complaint waits for the departments that may take one of its workflow steps in its state
  (:data:`~cqms_desktop.domain.complaint_workflow.STEPS`: QA from registration to release,
  Sales for the customer's answer, the General Manager for approval); a closed complaint waits
  for nobody (reopening is the GM's choice, not a duty);
- a long-term countermeasure waits for its department (or its owner) until it is carried out
  (5.2.4), then for QA to verify it — never for its owner or whoever carried it out, as
  verification must be independent;
- a feedback waits for Sales until it is forwarded (5.1.2 "immediately");
- a routed visit request or feedback waits for each department addressed until it is
  acknowledged (5.1.1 / 5.1.2);
- a satisfaction survey sent and not returned by the end of its quarter waits for Sales to
  chase it (5.1.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .complaint_workflow import STEPS
from .enums import ActionStatus, ComplaintStatus, Department
from .i18n import QT_TRANSLATE_NOOP


class WorkKind(StrEnum):
    """The kinds of duty a "My work" line stands for, in the order the list groups them."""

    COMPLAINT_STEP = "complaint_step"
    ACTION_TO_CARRY_OUT = "action_to_carry_out"
    ACTION_TO_VERIFY = "action_to_verify"
    FEEDBACK_TO_FORWARD = "feedback_to_forward"
    ROUTING_TO_ACKNOWLEDGE = "routing_to_acknowledge"
    SURVEY_TO_CHASE = "survey_to_chase"
    SCAR_REPLY_OVERDUE = "scar_reply_overdue"
    SCAR_TO_VERIFY = "scar_to_verify"

    @property
    def label(self) -> str:
        """The English label (translate in context ``MyWork``)."""
        return WORK_KIND_LABELS[self]


WORK_KIND_LABELS: dict[WorkKind, str] = {
    WorkKind.COMPLAINT_STEP: QT_TRANSLATE_NOOP("MyWork", "Complaint to handle"),
    WorkKind.ACTION_TO_CARRY_OUT: QT_TRANSLATE_NOOP("MyWork", "Countermeasure to carry out"),
    WorkKind.ACTION_TO_VERIFY: QT_TRANSLATE_NOOP("MyWork", "Countermeasure to verify"),
    WorkKind.FEEDBACK_TO_FORWARD: QT_TRANSLATE_NOOP("MyWork", "Feedback to forward"),
    WorkKind.ROUTING_TO_ACKNOWLEDGE: QT_TRANSLATE_NOOP("MyWork", "Request to acknowledge"),
    WorkKind.SURVEY_TO_CHASE: QT_TRANSLATE_NOOP("MyWork", "Survey to chase"),
    WorkKind.SCAR_REPLY_OVERDUE: QT_TRANSLATE_NOOP("MyWork", "SCAR: supplier reply overdue"),
    WorkKind.SCAR_TO_VERIFY: QT_TRANSLATE_NOOP("MyWork", "SCAR to verify or close"),
}

#: Which department's duty each kind is, where it is one department's (the others depend on
#: the record: a complaint's state, an action's department, a routing's addressee).
DUTY_OF: dict[WorkKind, Department] = {
    WorkKind.ACTION_TO_VERIFY: Department.QA,
    WorkKind.FEEDBACK_TO_FORWARD: Department.SALES,
    WorkKind.SURVEY_TO_CHASE: Department.SALES,
    WorkKind.SCAR_REPLY_OVERDUE: Department.QA,
    WorkKind.SCAR_TO_VERIFY: Department.QA,
}


def complaint_states_waiting_on(department: Department) -> frozenset[ComplaintStatus]:
    """The open complaint states in which *department* has a workflow step to take."""
    return frozenset(
        state
        for step in STEPS.values()
        if department in step.departments
        for state in step.sources
        if state != ComplaintStatus.CLOSED
    )


def action_waits_for_verification(status: str) -> bool:
    """5.2.4: a countermeasure carried out waits for QA's verification."""
    return status == ActionStatus.DONE


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One line of a user's "My work" list."""

    kind: WorkKind
    record_kind: str  # "complaint", "feedback", "visit", "survey"
    record_id: int
    number: str
    customer: str
    summary: str  # what it is about, as entered (a description, an action)
    due: date | None  # the day it must be done by, in the company's calendar
    overdue: bool
    detail: str = ""  # e.g. the customer's reason for refusing the handling result
    mine: bool = False  # addressed to this user in person (an action's owner)
    due_at: datetime | None = None  # for complaints: the exact moment (naive UTC)


def sort_key(item: WorkItem) -> tuple[bool, date, str]:
    """Overdue first, then by due day (none last), then by number."""
    return (not item.overdue, item.due or date.max, item.number)
