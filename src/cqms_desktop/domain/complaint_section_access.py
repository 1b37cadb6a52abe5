"""The sections of the Complaint Handling Form: their fields, which department edits them and in
which states, and the check that refuses a save touching a field the user may not change now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .complaint_values import COST_FIELDS
from .enums import ComplaintStatus as S
from .enums import Department as D
from .errors import PermissionDenied, TransitionError, ValidationError
from .i18n import QT_TRANSLATE_NOOP


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


@dataclass(frozen=True, slots=True)
class Correction:
    """Fields of a section another department may also complete or correct, and when."""

    fields: tuple[str, ...]
    departments: frozenset[D]
    states: frozenset[S]


#: What QA finds out during the investigation completes or corrects the registration data
#: (a complaint handed over from a feedback often arrives without product, lot or quantities):
#: QA may change these registration fields from its first step (the investigation) until
#: closure; while the complaint is registered they are Sales' alone. Every change is audited
#: with its old value.
CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        ("product", "lot", "qty_affected", "qty_delivered", "description", "defect_category"),
        frozenset({D.QA}),
        frozenset(set(S) - {S.REGISTERED, S.CLOSED}),
    ),
)


def _grants(name: str) -> list[tuple[frozenset[D], frozenset[S]]]:
    """Who may change field *name* in which states: its section's and any correction's."""
    section = SECTION_OF[name]
    grants = [(section.departments, section.states)]
    grants += [(c.departments, c.states) for c in CORRECTIONS if name in c.fields]
    return grants


#: States in which long-term countermeasures may be added, changed and carried out.
ACTION_STATES = _QA_WORK


def editable_fields(status: S, department: D) -> frozenset[str]:
    """The fields a user of *department* may change on a complaint in *status* (for the UI)."""
    return frozenset(
        f
        for f in SECTION_OF
        if any(status in states and department in deps for deps, states in _grants(f))
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
        grants = _grants(name)
        mine = [states for deps, states in grants if department in deps]
        if not mine:
            allowed = frozenset().union(*(deps for deps, _states in grants))
            raise PermissionDenied(
                QT_TRANSLATE_NOOP("Errors", "Only {departments} may change {field}."),
                field=name,
                departments=", ".join(d.label for d in D if d in allowed),
            )
        if not any(status in states for states in mine):
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors", "{field} cannot be changed while the complaint is “{status}”."
                ),
                field=name,
                status=status.label,
            )
