"""Rules for a complaint's corrective actions: their values, execution and verification dates, and
independent verification (the action's owner must not verify it, 5.2.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import validation as v
from .complaint_field_labels import label_of
from .complaint_values import _not_future, _record_id, as_date
from .enums import ActionType
from .enums import Department as D
from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP


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


def may_verify(
    owner_id: int | None,
    executed_by: str,
    verifier_id: int | None,
    verifier_username: str,
    preparer_id: int | None = None,
) -> bool:
    """Independent verification (5.2.4): neither the action's owner nor whoever recorded its
    execution verifies it, nor the QA engineer who prepares the complaint's handling form (its
    QA owner): the verifier signs the form as *reviewed by*, and a reviewer is not the
    preparer."""
    if owner_id is not None and verifier_id is not None and owner_id == verifier_id:
        return False
    if preparer_id is not None and verifier_id is not None and preparer_id == verifier_id:
        return False
    return not (executed_by and executed_by == verifier_username)


def check_verifier(
    owner_id: int | None,
    verifier_id: int | None,
    executed_by: str = "",
    verifier_username: str = "",
    preparer_id: int | None = None,
) -> None:
    """Refuse a verification that would not be independent (see :func:`may_verify`)."""
    if preparer_id is not None and verifier_id is not None and preparer_id == verifier_id:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field}: the QA engineer in charge of the complaint prepares its handling form "
                "and cannot also review it by verifying an action; ask another QA user.",
            ),
            field="verified_by",
        )
    if owner_id is not None and verifier_id is not None and owner_id == verifier_id:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "{field}: the owner of an action cannot verify it; ask another QA user."
            ),
            field="verified_by",
        )
    if not may_verify(owner_id, executed_by, verifier_id, verifier_username):
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field}: whoever recorded the execution cannot verify it; ask another QA user.",
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
