"""What each step of a complaint requires, who may edit which section, and the date rules.

The states and transitions live in :mod:`.complaint_workflow`; this module adds the content
rules of procedure 5.2 that a transition or a save must satisfy:

- **feed back the preliminary plan (5.2.3 c, d1):** the investigation and the responsibility are
  recorded; for *company* or *undetermined* responsibility a preliminary improvement plan
  (countermeasures are required), otherwise a written explanation to the customer;
- **notify Sales (5.2.4):** every corrective action verified by QA; for *company* or
  *undetermined* responsibility at least one long-term countermeasure;
- **customer accepted / not accepted (5.2.5):** the oral notice and the copy sent are recorded
  (after the customer's last refusal, in a second round); a refusal gives its reason;
- **approval and closure (4.5):** the customer has accepted, closure not before acceptance;
- **reopen:** a reason;
- dates in order, nothing in the future, the verifier is not the action's owner;
- **repeat complaints:** same customer and product (and defect category) within
  ``repeat_window_months`` months of an earlier complaint.

Everything here works on plain mappings of field values (``record.__data__`` for a stored row),
so it has no SQL and no Qt and is tested on its own.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from . import validation as v
from .enums import ActionStatus, ActionType, Channel, Responsibility, Severity
from .enums import ComplaintStatus as S
from .enums import Department as D
from .errors import PermissionDenied, TransitionError, ValidationError
from .fields import FIELD_LABELS
from .i18n import QT_TRANSLATE_NOOP

#: Labels of the complaint's fields, for messages that name a field (context ``Fields``).
COMPLAINT_FIELD_LABELS: dict[str, str] = {
    "lot": QT_TRANSLATE_NOOP("Fields", "Lot / batch"),
    "received_via": QT_TRANSLATE_NOOP("Fields", "Received via"),
    "customer_request": QT_TRANSLATE_NOOP("Fields", "Customer's request"),
    "defect_category": QT_TRANSLATE_NOOP("Fields", "Defect category"),
    "qa_owner": QT_TRANSLATE_NOOP("Fields", "QA owner"),
    "investigation": QT_TRANSLATE_NOOP("Fields", "Investigation and analysis"),
    "cause": QT_TRANSLATE_NOOP("Fields", "Cause"),
    "evidence": QT_TRANSLATE_NOOP("Fields", "Evidence"),
    "team": QT_TRANSLATE_NOOP("Fields", "Team"),
    "onsite_by": QT_TRANSLATE_NOOP("Fields", "On-site investigation by"),
    "onsite_on": QT_TRANSLATE_NOOP("Fields", "On-site investigation date"),
    "onsite_findings": QT_TRANSLATE_NOOP("Fields", "On-site findings"),
    "responsibility": QT_TRANSLATE_NOOP("Fields", "Responsibility"),
    "explanation": QT_TRANSLATE_NOOP("Fields", "Written explanation to the customer"),
    "preliminary_plan": QT_TRANSLATE_NOOP("Fields", "Preliminary improvement plan"),
    "plan_fed_back_at": QT_TRANSLATE_NOOP("Fields", "Plan fed back to Sales"),
    "dispatch_by": QT_TRANSLATE_NOOP("Fields", "On-site dispatch: who"),
    "dispatch_on": QT_TRANSLATE_NOOP("Fields", "On-site dispatch: date"),
    "dispatch_action": QT_TRANSLATE_NOOP("Fields", "On-site dispatch: what was done"),
    "fg_checked": QT_TRANSLATE_NOOP("Fields", "Finished goods checked"),
    "fg_held": QT_TRANSLATE_NOOP("Fields", "Finished goods held"),
    "fg_nonconforming": QT_TRANSLATE_NOOP("Fields", "Finished goods nonconforming"),
    "wip_checked": QT_TRANSLATE_NOOP("Fields", "Work in progress checked"),
    "wip_held": QT_TRANSLATE_NOOP("Fields", "Work in progress held"),
    "wip_nonconforming": QT_TRANSLATE_NOOP("Fields", "Work in progress nonconforming"),
    "nc_report_number": QT_TRANSLATE_NOOP("Fields", "Nonconforming-product report (QP1301)"),
    "oral_notice_at": QT_TRANSLATE_NOOP("Fields", "Oral notice: when"),
    "oral_notice_by": QT_TRANSLATE_NOOP("Fields", "Oral notice: by"),
    "oral_notice_to": QT_TRANSLATE_NOOP("Fields", "Oral notice: to whom"),
    "copy_sent_at": QT_TRANSLATE_NOOP("Fields", "Copy sent: when"),
    "copy_sent_via": QT_TRANSLATE_NOOP("Fields", "Copy sent: how"),
    "copy_sent_to": QT_TRANSLATE_NOOP("Fields", "Copy sent: to whom"),
    "customer_accepted_at": QT_TRANSLATE_NOOP("Fields", "Accepted by the customer"),
    "approved_at": QT_TRANSLATE_NOOP("Fields", "Approval"),
    "closed_at": QT_TRANSLATE_NOOP("Fields", "Closure"),
    "reopen_reason": QT_TRANSLATE_NOOP("Fields", "Reason for reopening"),
    "cost_compensation": QT_TRANSLATE_NOOP("Fields", "Compensation"),
    "cost_freight": QT_TRANSLATE_NOOP("Fields", "Freight"),
    "cost_scrap": QT_TRANSLATE_NOOP("Fields", "Scrap"),
    "cost_rework": QT_TRANSLATE_NOOP("Fields", "Rework"),
    "cost_replacement": QT_TRANSLATE_NOOP("Fields", "Replacement"),
    "actions": QT_TRANSLATE_NOOP("Fields", "Long-term countermeasures"),
    "action_type": QT_TRANSLATE_NOOP("Fields", "Type of countermeasure"),
    "execution_note": QT_TRANSLATE_NOOP("Fields", "What was done"),
    "executed_at": QT_TRANSLATE_NOOP("Fields", "Carried out on"),
    "verification_result": QT_TRANSLATE_NOOP("Fields", "Verification result"),
    "verified_at": QT_TRANSLATE_NOOP("Fields", "Verified on"),
    "verified_by": QT_TRANSLATE_NOOP("Fields", "Verified by"),
    "attachment": QT_TRANSLATE_NOOP("Fields", "Attachment"),
    "timezone": QT_TRANSLATE_NOOP("Fields", "Time zone"),
    "feedback": QT_TRANSLATE_NOOP("Fields", "Customer Quality Feedback"),
    "version": QT_TRANSLATE_NOOP("Fields", "Version"),
    "due_at": QT_TRANSLATE_NOOP("Fields", "Handling deadline"),
    "handled_at": QT_TRANSLATE_NOOP("Fields", "Handled"),
    "repeat_of": QT_TRANSLATE_NOOP("Fields", "Repeat complaint of"),
    "executed_by": QT_TRANSLATE_NOOP("Fields", "Carried out by"),
    "complaint": QT_TRANSLATE_NOOP("Fields", "Complaint"),
    "accepted": QT_TRANSLATE_NOOP("Fields", "Accepted"),
    "recorded_at": QT_TRANSLATE_NOOP("Fields", "Recorded at"),
    "recorded_by": QT_TRANSLATE_NOOP("Fields", "Recorded by"),
    "approved_by": QT_TRANSLATE_NOOP("Fields", "Approved by"),
    "filename": QT_TRANSLATE_NOOP("Fields", "File name"),
    "number": QT_TRANSLATE_NOOP("Fields", "Number"),
}
# Error messages look labels up in the shared table; add ours without touching the shared file
# (another engineer owns it) and without overriding a label it already defines.
for _key, _label in COMPLAINT_FIELD_LABELS.items():
    FIELD_LABELS.setdefault(_key, _label)

#: Responsibilities that require countermeasures (5.2.3 c); the others need an explanation.
COUNTERMEASURES_REQUIRED = frozenset({Responsibility.COMPANY, Responsibility.UNDETERMINED})

#: A PC's clock may run a little ahead of the server's; a "future" time within this is fine.
CLOCK_SKEW = timedelta(minutes=10)

TEXT_LIMITS: dict[str, int] = {
    "lot": 64,
    "description": 8000,
    "customer_request": 4000,
    "defect_category": 64,
    "investigation": 8000,
    "cause": 4000,
    "evidence": 4000,
    "team": 255,
    "onsite_by": 100,
    "onsite_findings": 4000,
    "explanation": 8000,
    "preliminary_plan": 8000,
    "dispatch_by": 100,
    "dispatch_action": 4000,
    "nc_report_number": 64,
    "oral_notice_by": 100,
    "oral_notice_to": 100,
    "copy_sent_via": 64,
    "copy_sent_to": 100,
}
QUANTITY_FIELDS = (
    "qty_affected",
    "qty_delivered",
    "fg_checked",
    "fg_held",
    "fg_nonconforming",
    "wip_checked",
    "wip_held",
    "wip_nonconforming",
)
DATE_FIELDS = ("onsite_on", "dispatch_on")
DATETIME_FIELDS = ("received_at", "oral_notice_at", "copy_sent_at")
COST_FIELDS = ("cost_compensation", "cost_freight", "cost_scrap", "cost_rework", "cost_replacement")
RECORD_FIELDS = ("customer", "product", "qa_owner")  # foreign keys: ids, checked by the service


# ---------------------------------------------------------------------------- sections
@dataclass(frozen=True, slots=True)
class Section:
    """A section of the Complaint Handling Form: its fields, who edits them and when."""

    code: str
    label: str
    fields: tuple[str, ...]
    departments: frozenset[D]
    states: frozenset[S]


_QA_WORK = frozenset({S.INVESTIGATING, S.COUNTERMEASURES})

SECTIONS: tuple[Section, ...] = (
    Section(
        "registration",
        QT_TRANSLATE_NOOP("Sections", "Registration"),
        (
            "customer",
            "product",
            "lot",
            "qty_affected",
            "qty_delivered",
            "received_at",
            "received_via",
            "description",
            "customer_request",
            "defect_category",
            "severity",
        ),
        frozenset({D.SALES}),
        frozenset({S.REGISTERED}),
    ),
    Section(
        "investigation",
        QT_TRANSLATE_NOOP("Sections", "Investigation and analysis"),
        (
            "qa_owner",
            "investigation",
            "cause",
            "evidence",
            "team",
            "onsite_by",
            "onsite_on",
            "onsite_findings",
        ),
        frozenset({D.QA}),
        _QA_WORK,
    ),
    Section(
        "responsibility",
        QT_TRANSLATE_NOOP("Sections", "Responsibility"),
        ("responsibility", "explanation"),
        frozenset({D.QA}),
        _QA_WORK,
    ),
    Section(
        "emergency",
        QT_TRANSLATE_NOOP("Sections", "Emergency countermeasures and containment"),
        (
            "preliminary_plan",
            "dispatch_by",
            "dispatch_on",
            "dispatch_action",
            "fg_checked",
            "fg_held",
            "fg_nonconforming",
            "wip_checked",
            "wip_held",
            "wip_nonconforming",
            "nc_report_number",
        ),
        frozenset({D.QA}),
        _QA_WORK,
    ),
    Section(
        "communication",
        QT_TRANSLATE_NOOP("Sections", "Customer communication"),
        (
            "oral_notice_at",
            "oral_notice_by",
            "oral_notice_to",
            "copy_sent_at",
            "copy_sent_via",
            "copy_sent_to",
        ),
        frozenset({D.SALES}),
        frozenset({S.CUSTOMER_NOTICE}),
    ),
    Section(
        "costs",
        QT_TRANSLATE_NOOP("Sections", "Cost of poor quality"),
        COST_FIELDS,
        frozenset({D.SALES, D.QA}),
        frozenset(set(S) - {S.CLOSED}),
    ),
)
SECTION_OF: dict[str, Section] = {f: s for s in SECTIONS for f in s.fields}

#: States in which long-term countermeasures may be added, changed and carried out.
ACTION_STATES = _QA_WORK


def editable_fields(status: S, department: D) -> frozenset[str]:
    """The fields a user of *department* may change on a complaint in *status* (for the UI)."""
    return frozenset(
        f for s in SECTIONS if status in s.states and department in s.departments for f in s.fields
    )


def check_edit(fields: Iterable[str], status: S, department: D) -> None:
    """Refuse a save that touches a field the user may not change now, naming the field."""
    if status == S.CLOSED:
        raise TransitionError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "A closed complaint is read-only; only the General Manager can reopen it.",
            )
        )
    for name in fields:
        section = SECTION_OF.get(name)
        if section is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be changed here."), field=name
            )
        if department not in section.departments:
            raise PermissionDenied(
                QT_TRANSLATE_NOOP("Errors", "Only {departments} may change {field}."),
                field=name,
                departments=", ".join(d.label for d in D if d in section.departments),
            )
        if status not in section.states:
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors", "{field} cannot be changed while the complaint is “{status}”."
                ),
                field=name,
                status=status.label,
            )


# ---------------------------------------------------------------------------- values
def as_utc(value: Any, name: str) -> datetime | None:
    """A time as the naive UTC value the database stores: aware times are converted, naive
    ones are taken as UTC already, ISO strings are parsed; empty → ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _bad_time(name, value) from None
    if not isinstance(value, datetime):
        raise _bad_time(name, value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def as_date(value: Any, name: str) -> date | None:
    """A calendar date (or ISO string); empty → ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be a date, not “{value}”."),
            field=name,
            value=value,
        ) from None


def _bad_time(name: str, value: Any) -> ValidationError:
    return ValidationError(
        QT_TRANSLATE_NOOP("Errors", "{field} must be a date and time, not “{value}”."),
        field=name,
        value=value,
    )


def _record_id(value: Any) -> int | None:
    if value is None or value == "":
        return None
    got = getattr(value, "id", value)
    if isinstance(got, bool) or not isinstance(got, int):
        try:
            return int(str(got))
        except ValueError:
            return -1  # no such record; the service reports it naming the field
    return got


def clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise the complaint fields in *values*; raises naming the first bad one.

    Unknown names are refused: a typo must not be silently dropped.
    """
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("description",):
            clean[name] = v.required_text(value, name, TEXT_LIMITS[name])
        elif name in TEXT_LIMITS:
            clean[name] = v.optional_text(value, name, TEXT_LIMITS[name])
        elif name in QUANTITY_FIELDS:
            clean[name] = v.non_negative_int(value, name)
        elif name in DATE_FIELDS:
            clean[name] = as_date(value, name)
        elif name in DATETIME_FIELDS:
            clean[name] = as_utc(value, name)
            if name == "received_at" and clean[name] is None:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=name
                )
        elif name in COST_FIELDS:
            clean[name] = v.money(value, name)
        elif name == "severity":
            clean[name] = v.choice(value, name, [s.value for s in Severity])
        elif name == "received_via":
            clean[name] = v.choice(value, name, [c.value for c in Channel])
        elif name == "responsibility":
            clean[name] = (
                ""
                if value in (None, "")
                else v.choice(value, name, [r.value for r in Responsibility])
            )
        elif name in RECORD_FIELDS:
            clean[name] = _record_id(value)
            if name == "customer" and clean[name] is None:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=name
                )
        else:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be changed here."), field=name
            )
    return clean


def _not_future(value: datetime | None, name: str, now: datetime) -> None:
    if value is not None and value > now + CLOCK_SKEW:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be in the future."), field=name
        )


def label_of(name: str) -> str:
    """The untranslated label of a field (context ``Fields``)."""
    return COMPLAINT_FIELD_LABELS.get(name) or FIELD_LABELS.get(name, name)


def check_consistency(
    record: Mapping[str, Any],
    *,
    now: datetime,
    today: date | None = None,
    received_day: date | None = None,
) -> None:
    """Cross-field rules on a complaint's values (stored values overlaid with the changes).

    *now* is naive UTC; *today* and *received_day* (the receipt's calendar day) are dates in
    the company's zone, for checking the on-site and dispatch dates.
    """
    for name in DATETIME_FIELDS:
        _not_future(record.get(name), name, now)
    if today is not None:
        for name in DATE_FIELDS:
            day = record.get(name)
            if day is not None:
                v.not_in_future(day, name, today)
    affected, delivered = record.get("qty_affected"), record.get("qty_delivered")
    if affected is not None and delivered is not None and affected > delivered:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be more than {other}."),
            field="qty_affected",
            other=label_of("qty_delivered"),
        )
    for prefix in ("fg", "wip"):
        checked, bad = record.get(f"{prefix}_checked"), record.get(f"{prefix}_nonconforming")
        if checked is not None and bad is not None and bad > checked:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be more than {other}."),
                field=f"{prefix}_nonconforming",
                other=label_of(f"{prefix}_checked"),
            )
    received = record.get("received_at")
    for name in ("oral_notice_at", "copy_sent_at"):
        v.ordered(received, record.get(name), name, label_of("received_at"))
    if received_day is not None:
        for name in DATE_FIELDS:
            v.ordered(received_day, record.get(name), name, label_of("received_at"))


# ---------------------------------------------------------------------------- steps
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
        needed = ["oral_notice_at", "oral_notice_to"]
        if step == "customer_accepted":
            needed += ["copy_sent_at", "copy_sent_via", "copy_sent_to"]
        problems += [_missing(n) for n in needed if _blank(record, n)]
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


# ---------------------------------------------------------------------------- actions
def clean_action_values(values: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Check a corrective action's type, description, department, owner and due date."""
    clean: dict[str, Any] = {}
    if "action_type" in values or not partial:
        clean["action_type"] = v.choice(
            values.get("action_type"), "action_type", [a.value for a in ActionType]
        )
    if "description" in values or not partial:
        clean["description"] = v.required_text(values.get("description"), "description", 4000)
    if "department" in values or not partial:
        clean["department"] = v.choice(values.get("department"), "department", [d.value for d in D])
    if "owner" in values:
        clean["owner"] = _record_id(values["owner"])
    if "due_date" in values:
        clean["due_date"] = as_date(values["due_date"], "due_date")
    return clean


def check_verifier(owner_id: int | None, verifier_id: int | None) -> None:
    """The action's owner must not verify it (independent verification, 5.2.4)."""
    if owner_id is not None and verifier_id is not None and owner_id == verifier_id:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "{field}: the owner of an action cannot verify it; ask another QA user."
            ),
            field="verified_by",
        )


def check_execution(executed_at: datetime, received_at: datetime | None, now: datetime) -> None:
    """An action is carried out after the complaint was received and not in the future.

    (Not "after it was typed in": departments often act on a decision before QA records it.)
    """
    _not_future(executed_at, "executed_at", now)
    v.ordered(received_at, executed_at, "executed_at", label_of("received_at"))


def check_verification(executed_at: datetime | None, verified_at: datetime, now: datetime) -> None:
    """Verification comes after execution and not in the future."""
    if executed_at is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "{field}: the action must be carried out before it can be verified."
            ),
            field="verified_at",
        )
    _not_future(verified_at, "verified_at", now)
    v.ordered(executed_at, verified_at, "verified_at", label_of("executed_at"))


# ---------------------------------------------------------------------------- repeats
def months_before(moment: datetime, months: int) -> datetime:
    """*moment* minus *months* calendar months (the day clipped to the month's length)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _same_category(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def is_repeat(new: Mapping[str, Any], earlier: Mapping[str, Any], window_months: int) -> bool:
    """*new* repeats *earlier*: same customer and product, the same defect category when the
    new one names one, received before it and within *window_months* months."""
    if new.get("product") is None or earlier.get("id") == new.get("id"):
        return False
    if earlier.get("customer") != new.get("customer") or earlier.get("product") != new.get(
        "product"
    ):
        return False
    if (new.get("defect_category") or "").strip() and not _same_category(
        new.get("defect_category"), earlier.get("defect_category")
    ):
        return False
    received, before = new["received_at"], earlier["received_at"]
    return months_before(received, window_months) <= before <= received


def find_repeat(
    new: Mapping[str, Any], candidates: Iterable[Mapping[str, Any]], window_months: int
) -> Mapping[str, Any] | None:
    """The most recent earlier complaint that *new* repeats, or ``None``."""
    matches = [c for c in candidates if is_repeat(new, c, window_months)]
    return max(matches, key=lambda c: (c["received_at"], c.get("id") or 0), default=None)


def total_cost(record: Mapping[str, Any]) -> Decimal | None:
    """The sum of the cost fields that are filled in (``None`` when none is)."""
    values = [Decimal(record[n]) for n in COST_FIELDS if record.get(n) is not None]
    return sum(values, Decimal("0")) if values else None
