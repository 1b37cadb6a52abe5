"""Suppliers (issue 13 item 1): the Administration list of the companies a complaint can be
traced back to (5.2.3 c, responsibility "Supplier"). QA raises Supplier Corrective Action
Requests against them (:mod:`.scars`), printed in the supplier's language.

Codes are keys like customer codes: compared without case and accents
(:func:`..domain.keys.fold_key`). A supplier some SCAR names is deactivated, not deleted.
Administrators, Administration and QA keep the list (QA meets new suppliers when it
investigates).
"""

from __future__ import annotations

from typing import Any

from ..domain import validation as v
from ..domain.enums import Department, Language
from ..domain.errors import NotFoundError, TransitionError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.keys import fold_key
from ..store import audit
from ..store.db import retry_transient
from ..store.models import Scar, Supplier
from .base import Actor, require, unit_of_work
from .normalise import checked_input
from .register_core import Column, Register
from .unique_keys import check_unique, key_in_use, unique_index_as

#: The change-event kind of the list.
KIND = "supplier"
#: Who keeps the list besides the administrators.
MANAGERS = (Department.ADMINISTRATION, Department.QA)


# ---------------------------------------------------------------- reading
def get_supplier(supplier_id: int) -> Supplier:
    """One supplier, or :class:`NotFoundError`."""
    found: Supplier | None = Supplier.get_or_none(Supplier.id == supplier_id)
    if found is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    return found


def choices(*, include_id: int | None = None) -> list[tuple[int, str]]:
    """The active suppliers (and *include_id*, active or not) as (id, "code – name"), by code."""
    query = Supplier.select().where(
        Supplier.active | (Supplier.id == (include_id if include_id is not None else -1))
    )
    found = [(int(s.id), f"{s.code} – {s.name}") for s in query]
    return sorted(found, key=lambda pair: fold_key(pair[1]))


def all_suppliers() -> list[Supplier]:
    """Every supplier by code (the command line's listing)."""
    return list(Supplier.select().order_by(Supplier.code))


SUPPLIERS = Register(
    kind="suppliers",
    model=Supplier,
    title=QT_TRANSLATE_NOOP("Registers", "Suppliers"),
    columns=[
        Column("code", QT_TRANSLATE_NOOP("Columns", "Code"), lambda: Supplier.code, width=100),
        Column("name", QT_TRANSLATE_NOOP("Columns", "Name"), lambda: Supplier.name, width=240),
        Column(
            "contacts",
            QT_TRANSLATE_NOOP("Columns", "Contacts"),
            lambda: Supplier.contacts,
            width=200,
        ),
        Column("email", QT_TRANSLATE_NOOP("Columns", "E-mail"), lambda: Supplier.email, width=180),
        Column(
            "language",
            QT_TRANSLATE_NOOP("Columns", "Language"),
            lambda: Supplier.language,
            "enum",
            Language,
            width=80,
        ),
        Column(
            "active",
            QT_TRANSLATE_NOOP("Columns", "Active"),
            lambda: Supplier.active,
            "bool",
            width=60,
        ),
    ],
    date_field=Supplier.created_at,
    text_fields=lambda: [Supplier.code, Supplier.name, Supplier.contacts, Supplier.email],
    default_sort="code",
    default_descending=False,
)


# ---------------------------------------------------------------- writing
_FIELDS = {"code", "name", "contacts", "email", "phone", "language", "active"}


def _values(values: dict[str, Any], partial: bool) -> dict[str, Any]:
    unknown = set(values) - _FIELDS
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be changed here."), field=min(unknown)
        )
    clean: dict[str, Any] = {}
    if "code" in values or not partial:
        clean["code"] = v.code(values.get("code"))
    if "name" in values or not partial:
        clean["name"] = v.required_text(values.get("name"), "name", 200)
    for key, limit in (("contacts", 2000), ("email", 200), ("phone", 64)):
        if key in values:
            clean[key] = v.optional_text(values[key], key, limit)
    if "language" in values or not partial:
        clean["language"] = v.choice(
            values.get("language", "zh"), "language", [x.value for x in Language]
        )
    if "active" in values:
        clean["active"] = bool(values["active"])
    return clean


@checked_input
@retry_transient
def add_supplier(actor: Actor, **values: Any) -> Supplier:
    """Add a supplier: code, name, contacts, e-mail, phone, form language (zh/en/de)."""
    require(actor, admin=True, departments=MANAGERS)
    clean = _values(values, partial=False)
    with unit_of_work(KIND), unique_index_as(key_in_use("code", clean["code"])):
        check_unique(Supplier, Supplier.code, clean["code"], "code", None)
        return audit.create(Supplier, actor.username, **clean)


@checked_input
@retry_transient
def update_supplier(actor: Actor, *, supplier_id: int, version: int, **values: Any) -> Supplier:
    """Correct a supplier or (de)activate it."""
    require(actor, admin=True, departments=MANAGERS)
    clean = _values(values, partial=True)
    code = str(clean.get("code", ""))
    with unit_of_work(KIND), unique_index_as(key_in_use("code", code)):
        if "code" in clean:
            check_unique(Supplier, Supplier.code, clean["code"], "code", supplier_id)
        return audit.update(Supplier, supplier_id, actor.username, clean, version)


@checked_input
@retry_transient
def delete_supplier(actor: Actor, *, supplier_id: int, version: int) -> None:
    """Delete a supplier no SCAR names (one that is named is deactivated instead)."""
    require(actor, admin=True, departments=MANAGERS)
    with unit_of_work(KIND):
        record = audit.get_for_update(Supplier, supplier_id)
        if Scar.select().where(Scar.supplier == record.id).exists():
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Corrective action requests name the supplier “{code}”; deactivate it instead.",
                ),
                code=record.code,
            )
        audit.delete(Supplier, supplier_id, actor.username, version)
