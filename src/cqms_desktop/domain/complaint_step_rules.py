"""What each step of a complaint's workflow requires before it may be taken (procedure 5.2, 4.5).

- **feed back the preliminary plan (5.2.3 c, d1):** investigation and responsibility recorded; a
  preliminary improvement plan for *company* or *undetermined* responsibility, otherwise a
  written explanation to the customer;
- **notify Sales (5.2.4):** every corrective action verified by QA; for *company* or
  *undetermined* responsibility at least one long-term countermeasure;
- **customer accepted / not accepted (5.2.5):** oral notice and copy sent recorded (after the
  customer's last refusal); a refusal gives its reason;
- **approval and closure (4.5):** the customer has accepted, closure not before acceptance;
- **reopen:** a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .complaint_field_labels import label_of
from .enums import ActionStatus, Responsibility
from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP

#: Responsibilities that require countermeasures (5.2.3 c); the others need an explanation.
COUNTERMEASURES_REQUIRED = frozenset({Responsibility.COMPANY, Responsibility.UNDETERMINED})


def _missing(name: str) -> ValidationError:
    return ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=name)


def _blank(record: Mapping[str, Any], name: str) -> bool:
    value = record.get(name)
    return value is None or (isinstance(value, str) and not value.strip())


def needs_countermeasures(responsibility: str | None) -> bool:
    """True for company or undetermined responsibility (5.2.3 c)."""
    return responsibility in {r.value for r in COUNTERMEASURES_REQUIRED}


def step_problems(
    step: str,
    record: Mapping[str, Any],
    actions: Sequence[Mapping[str, Any]] = (),
    responses: Sequence[Mapping[str, Any]] = (),
    *,
    now: datetime,
    reason: str = "",
) -> list[ValidationError]:
    """Everything that keeps *step* from being taken, first problem first (empty: allowed).

    *record* holds the complaint's values, *actions* its corrective actions and *responses*
    the customer's earlier answers (each with ``accepted`` and ``recorded_at``).
    """
    problems: list[ValidationError] = []
    if step == "feed_back_plan":
        for name in ("investigation", "responsibility"):
            if _blank(record, name):
                problems.append(_missing(name))
        if not _blank(record, "responsibility"):
            needed = (
                "preliminary_plan"
                if needs_countermeasures(record.get("responsibility"))
                else "explanation"
            )
            if _blank(record, needed):
                problems.append(_missing(needed))
    elif step == "release_to_sales":
        if needs_countermeasures(record.get("responsibility")) and not actions:
            problems.append(
                ValidationError(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{field}: at least one long-term countermeasure is required when the "
                        "company is responsible or responsibility is undetermined.",
                    ),
                    field="actions",
                )
            )
        for action in actions:
            if action.get("status") != ActionStatus.VERIFIED:
                problems.append(
                    ValidationError(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "{field}: “{action}” has not been verified by QA yet.",
                        ),
                        field="actions",
                        action=_short(action.get("description", "")),
                    )
                )
    elif step in ("customer_accepted", "customer_rejected"):
        # A list, not the one field name ``needed`` holds in the branches above.
        required = ["oral_notice_at", "oral_notice_to"]
        if step == "customer_accepted":
            required += ["copy_sent_at", "copy_sent_via", "copy_sent_to"]
        problems += [_missing(n) for n in required if _blank(record, n)]
        last_refusal = max(
            (r["recorded_at"] for r in responses if not r.get("accepted")), default=None
        )
        for name in ("oral_notice_at", "copy_sent_at"):
            when = record.get(name)
            if last_refusal is not None and when is not None and when < last_refusal:
                problems.append(
                    ValidationError(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "{field} is from before the customer's last refusal: record the "
                            "new notice of this round.",
                        ),
                        field=name,
                    )
                )
        if step == "customer_rejected" and not reason.strip():
            problems.append(_missing("reason"))
    elif step == "approve_close":
        accepted = record.get("customer_accepted_at")
        if accepted is None:
            problems.append(_missing("customer_accepted_at"))
        elif now < accepted:
            problems.append(
                ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "{field} cannot be before {other}."),
                    field="closed_at",
                    other=label_of("customer_accepted_at"),
                )
            )
    elif step == "reopen" and not reason.strip():
        problems.append(_missing("reason"))
    return problems


def check_step_requirements(
    step: str,
    record: Mapping[str, Any],
    actions: Sequence[Mapping[str, Any]] = (),
    responses: Sequence[Mapping[str, Any]] = (),
    *,
    now: datetime,
    reason: str = "",
) -> None:
    """Raise the first of :func:`step_problems`, if any."""
    problems = step_problems(step, record, actions, responses, now=now, reason=reason)
    if problems:
        raise problems[0]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
