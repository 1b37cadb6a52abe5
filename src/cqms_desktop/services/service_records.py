"""5.1.4 / 5.1.5 technical service and the Spare Parts and Exchange Record.

One kind of record with a kind code:

* ``consultation`` — technical consultation given (product introduction, selection advice,
  other advice): subject and details; Technical Section.
* ``instructions`` — use / installation instructions issued: product, language (zh/en/de),
  version, date agreed with the customer; Technical Section.
* ``spare_parts`` / ``exchange`` — spare parts supplied or expired / pre-change products
  exchanged: part number, quantity, reason, date, delivery note; Sales.
* ``onsite`` — on-site service per contract: who, when, what, result; Sales, Technical
  Section or QA.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..domain import validation as v
from ..domain.clock import today as clock_today
from ..domain.enums import Department, Language, ServiceKind, ServiceStatus
from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.input_limits import record_number
from ..store import audit
from ..store.counters import next_number
from ..store.db import retry_transient
from ..store.models import Product, ServiceRecord
from .base import Actor, require, unit_of_work
from .lookup import load_record
from .normalise import checked_input
from .visits import existing_customer, optional_date, parse_date

#: Who keeps which kind of record (5.1.4: Technical Section advises and writes instructions,
#: Sales supplies spare parts and exchanges; 5.1.5 on-site service by whoever is sent).
DEPARTMENTS_BY_KIND: dict[ServiceKind, tuple[Department, ...]] = {
    ServiceKind.CONSULTATION: (Department.TECHNICAL, Department.SALES),
    ServiceKind.INSTRUCTIONS: (Department.TECHNICAL,),
    ServiceKind.SPARE_PARTS: (Department.SALES,),
    ServiceKind.EXCHANGE: (Department.SALES,),
    ServiceKind.ONSITE: (Department.SALES, Department.TECHNICAL, Department.QA),
}
_ANY_KIND = frozenset(d for depts in DEPARTMENTS_BY_KIND.values() for d in depts)

_TEXTS = {
    "subject": 255,
    "details": 8000,
    "part_number": 64,
    "reason": 4000,
    "delivery_note": 64,
    "performed_by": 100,
    "result": 8000,
}
_FIELDS = {*_TEXTS, "customer_id", "kind", "service_date", "product_id", "language"}
_FIELDS |= {"doc_version", "agreed_on", "quantity", "status"}


def _required(field: str) -> ValidationError:
    return ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=field)


def _clean(values: dict[str, Any], today: date) -> dict[str, Any]:
    """Validate the values given (field by field); kind rules are checked on the merged record."""
    unknown = set(values) - _FIELDS
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Unknown field “{key}”."), key=sorted(unknown)[0]
        )
    clean: dict[str, Any] = {}
    if "customer_id" in values:
        clean["customer"] = existing_customer(values["customer_id"]).id
    if "kind" in values:
        clean["kind"] = v.choice(
            v.required_text(values["kind"], "kind"), "kind", [k.value for k in ServiceKind]
        )
    if "service_date" in values:
        day = parse_date(values["service_date"], "service_date")
        clean["service_date"] = v.not_in_future(day, "service_date", today)
    if "agreed_on" in values:
        clean["agreed_on"] = optional_date(values["agreed_on"], "agreed_on")
    if "product_id" in values:
        product_id = values["product_id"]
        if product_id in (None, ""):
            clean["product"] = None
        else:
            number = record_number(product_id)
            product = None if number is None else Product.get_or_none(Product.id == number)
            if product is None:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "{field}: no such product."), field="product"
                )
            clean["product"] = product.id
    if "language" in values:
        lang = v.optional_text(values["language"], "language", 2)
        clean["language"] = lang and v.choice(lang, "language", [x.value for x in Language])
    if "doc_version" in values:
        clean["doc_version"] = v.optional_text(values["doc_version"], "doc_version", 32)
    if "quantity" in values:
        clean["quantity"] = v.non_negative_int(values["quantity"], "quantity")
    if "status" in values:
        clean["status"] = v.choice(values["status"], "status", [s.value for s in ServiceStatus])
    for key, limit in _TEXTS.items():
        if key in values:
            clean[key] = v.optional_text(values[key], key, limit)
    return clean


def _check_kind_rules(record: dict[str, Any]) -> None:
    """What each kind of record must hold (on the merged values)."""
    kind = ServiceKind(record["kind"])
    if kind is ServiceKind.CONSULTATION and not record.get("subject"):
        raise _required("subject")
    if kind is ServiceKind.INSTRUCTIONS:
        for key, field in (("product", "product"), ("language", "language")):
            if not record.get(key):
                raise _required(field)
        if not record.get("doc_version"):
            raise _required("doc_version")
    if kind in (ServiceKind.SPARE_PARTS, ServiceKind.EXCHANGE):
        if not record.get("part_number"):
            raise _required("part_number")
        if not record.get("quantity"):
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} must be at least 1."), field="quantity"
            )
        if kind is ServiceKind.EXCHANGE and not record.get("reason"):
            raise _required("reason")
    if kind is ServiceKind.ONSITE:
        if not record.get("performed_by"):
            raise _required("performed_by")
        if not record.get("subject"):
            raise _required("subject")
    done = record.get("status") == ServiceStatus.DONE.value
    if done and kind is ServiceKind.ONSITE and not record.get("result"):
        raise _required("result")


def _require_for_kind(actor: Actor, kind: str) -> None:
    require(actor, admin=True, departments=DEPARTMENTS_BY_KIND[ServiceKind(kind)])


@checked_input
@retry_transient
def add_service_record(
    actor: Actor,
    *,
    customer_id: int | None,
    kind: str,
    service_date: date | str,
    today: date | None = None,
    **values: Any,
) -> ServiceRecord:
    """Record a consultation, instructions issued, spare parts, an exchange or on-site service.

    Further keyword values: ``subject``, ``details``, ``product_id``, ``language``,
    ``doc_version``, ``agreed_on``, ``part_number``, ``quantity``, ``reason``,
    ``delivery_note``, ``performed_by``, ``result``, ``status``.
    """
    require(actor, admin=True, departments=_ANY_KIND)
    today = today or clock_today()
    clean = _clean(
        {"customer_id": customer_id, "kind": kind, "service_date": service_date, **values}, today
    )
    if "customer" not in clean or clean["customer"] is None:
        raise _required("customer")
    _require_for_kind(actor, clean["kind"])
    clean.setdefault("status", ServiceStatus.OPEN.value)
    _check_kind_rules(clean)
    with unit_of_work("service"):
        return audit.create(
            ServiceRecord,
            actor.username,
            number=next_number("service", clean["service_date"].year),
            **clean,
        )


@checked_input
@retry_transient
def update_service_record(
    actor: Actor, *, record_id: int, version: int, today: date | None = None, **changes: Any
) -> ServiceRecord:
    """Change a service record the user opened at *version* (e.g. record the result, done)."""
    require(actor, admin=True, departments=_ANY_KIND)
    clean = _clean(changes, today or clock_today())
    with unit_of_work("service"):
        record = audit.get_for_update(ServiceRecord, record_id)
        _require_for_kind(actor, record.kind)
        if "kind" in clean:
            _require_for_kind(actor, clean["kind"])
        merged = {**record.__data__, **clean}
        _check_kind_rules(merged)
        return audit.update(ServiceRecord, record_id, actor.username, clean, version)


#: The error :func:`service_record_by_number` gives for a number no service record has.
_UNKNOWN_NUMBER = QT_TRANSLATE_NOOP("Errors", "There is no service record “{number}”.")


def get_service_record(record_id: int) -> ServiceRecord:
    """One service record, or :class:`NotFoundError`."""
    return load_record(ServiceRecord, record_id, _UNKNOWN_NUMBER)


def service_record_by_number(number: str) -> ServiceRecord:
    """One service record by its record number (for the command line and the forms)."""
    return load_record(ServiceRecord, number, _UNKNOWN_NUMBER)
