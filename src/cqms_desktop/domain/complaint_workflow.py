"""The one place where a complaint's states, steps and the roles allowed to take them live.

Procedure 5.2 and 4.1–4.5: Sales registers a complaint and communicates with the customer, QA
investigates, decides countermeasures and verifies them, the General Manager approves the
closure and is the only one who may reopen a closed complaint.
"""

from __future__ import annotations

from dataclasses import dataclass

from .enums import ComplaintStatus as S
from .enums import Department as D
from .errors import PermissionDenied, TransitionError
from .i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True, slots=True)
class Step:
    """One allowed transition: its code, label, source states, target state and departments."""

    code: str
    label: str
    sources: frozenset[S]
    target: S
    departments: frozenset[D]


def _step(code: str, label: str, sources: set[S], target: S, departments: set[D]) -> Step:
    return Step(code, label, frozenset(sources), target, frozenset(departments))


STEPS: dict[str, Step] = {
    s.code: s
    for s in (
        _step(
            "start_investigation",
            QT_TRANSLATE_NOOP("Workflow", "Start investigation"),
            {S.REGISTERED},
            S.INVESTIGATING,
            {D.QA},
        ),
        _step(
            "feed_back_plan",
            QT_TRANSLATE_NOOP("Workflow", "Feed preliminary plan back to Sales"),
            {S.INVESTIGATING},
            S.COUNTERMEASURES,
            {D.QA},
        ),
        _step(
            "release_to_sales",
            QT_TRANSLATE_NOOP("Workflow", "Countermeasures verified: notify Sales"),
            {S.COUNTERMEASURES},
            S.CUSTOMER_NOTICE,
            {D.QA},
        ),
        _step(
            "customer_accepted",
            QT_TRANSLATE_NOOP("Workflow", "Customer accepted"),
            {S.CUSTOMER_NOTICE},
            S.AWAITING_APPROVAL,
            {D.SALES},
        ),
        _step(
            "customer_rejected",
            QT_TRANSLATE_NOOP("Workflow", "Customer did not accept"),
            {S.CUSTOMER_NOTICE},
            S.INVESTIGATING,
            {D.SALES},
        ),
        _step(
            "approve_close",
            QT_TRANSLATE_NOOP("Workflow", "Approve and close"),
            {S.AWAITING_APPROVAL},
            S.CLOSED,
            {D.GENERAL_MANAGER},
        ),
        _step(
            "reopen",
            QT_TRANSLATE_NOOP("Workflow", "Reopen"),
            {S.CLOSED},
            S.INVESTIGATING,
            {D.GENERAL_MANAGER},
        ),
    )
}

#: States that count as "open" for dashboards and overdue lists.
OPEN_STATES = frozenset(set(S) - {S.CLOSED})

#: Who is shown the overdue complaints when the program opens: QA handles complaints (4.2),
#: the General Manager supervises the handling (4.5).
OVERDUE_WATCHERS = frozenset({D.QA, D.GENERAL_MANAGER})


def allowed_steps(status: S, department: D) -> list[Step]:
    """The steps a user of *department* may take on a complaint in *status* (for the UI)."""
    return [s for s in STEPS.values() if status in s.sources and department in s.departments]


def check_step(code: str, status: S, department: D) -> Step:
    """Return the step if *department* may take it from *status*; raise a clear error if not."""
    step = STEPS.get(code)
    if step is None:
        raise TransitionError(QT_TRANSLATE_NOOP("Errors", "Unknown step: {step}"), step=code)
    if status not in step.sources:
        raise TransitionError(
            QT_TRANSLATE_NOOP(
                "Errors", "“{step}” is not possible while the complaint is “{status}”."
            ),
            step=step.label,
            status=status.label,
        )
    if department not in step.departments:
        raise PermissionDenied(
            QT_TRANSLATE_NOOP("Errors", "Only {departments} may take the step “{step}”."),
            step=step.label,
            departments=", ".join(d.label for d in D if d in step.departments),
        )
    return step
