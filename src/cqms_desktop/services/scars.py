"""Supplier Corrective Action Requests (procedure 5.2.3 c, issue 13 item 1).

QA raises a SCAR (``SC-YYYY-NNNN``) from a complaint whose responsibility is the supplier's:
supplier, part and lot, defect and evidence, the containment asked of the supplier and a reply
due date (today + the setting ``scar_reply_days``). QA then records the supplier's reply (root
cause, corrective action, effective date), another QA user verifies it (effective: verified;
not effective: back to the supplier with a new due date) and QA closes it. The states and rules
are in :mod:`..domain.scar_rules`; every use case here checks the permission, runs in one
transaction, is audited and sends one change event (``scar``).

A SCAR is a record of its own (own number, own version), not a child of its complaint: raising
or answering one does not lock the complaint's editor out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import peewee as pw

from ..domain import scar_rules as rules
from ..domain.clock import utcnow
from ..domain.complaint_values import as_utc
from ..domain.enums import Department as D
from ..domain.enums import ScarStatus
from ..domain.errors import NotFoundError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.settings import DEFAULTS
from ..store import audit, counters
from ..store import settings as settings_store
from ..store.db import retry_transient
from ..store.models import Complaint, Customer, Product, Scar, Supplier
from .base import Actor, require, unit_of_work
from .complaint_deadlines import company_today, current_zone
from .deadline_sql import scar_reply_overdue_condition, scar_reply_overdue_expr
from .normalise import checked_input
from .register_core import Column, Filter, Register

#: The change-event kind.
KIND = "scar"
#: Who raises, answers, verifies and closes SCARs.
QA = (D.QA,)


# ---------------------------------------------------------------- reading
def get_scar(scar_id: int) -> Scar:
    """One SCAR, or :class:`NotFoundError`."""
    found: Scar | None = Scar.get_or_none(Scar.id == scar_id)
    if found is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    return found


def scars_of_complaint(complaint_id: int) -> list[Scar]:
    """A complaint's SCARs, oldest first, with their suppliers."""
    return list(
        Scar.select(Scar, Supplier)
        .join(Supplier)
        .where(Scar.complaint == complaint_id)
        .order_by(Scar.id)
    )


def company_today_now() -> date:
    """The company's today (the editor's overdue flag)."""
    return company_today(utcnow(), current_zone())


def reply_days() -> int:
    """The setting ``scar_reply_days`` (default 7)."""
    value = settings_store.get_all().get("scar_reply_days")
    return int(value or DEFAULTS["scar_reply_days"])


def proposed_reply_due() -> date:
    """The reply due date a new SCAR gets unless QA changes it."""
    return rules.default_reply_due(company_today_now(), reply_days())


def overdue_replies(today: date | None = None) -> list[Scar]:
    """SCARs whose supplier reply is overdue (My work, reminders), oldest due first."""
    today = today or company_today_now()
    return list(
        Scar.select(Scar, Supplier)
        .join(Supplier)
        .where(scar_reply_overdue_condition(today))
        .order_by(Scar.reply_due, Scar.id)
    )


def to_verify_or_close() -> list[Scar]:
    """SCARs waiting on QA: a reply to verify, a verified one to close."""
    return list(
        Scar.select(Scar, Supplier)
        .join(Supplier)
        .where(Scar.status.in_([ScarStatus.REPLIED.value, ScarStatus.VERIFIED.value]))
        .order_by(Scar.id)
    )


def _scar_extra(query: pw.ModelSelect[Any], flt: Filter) -> pw.ModelSelect[Any]:
    if flt.overdue:
        query = query.where(scar_reply_overdue_condition(company_today_now()))
    if flt.open_only:
        query = query.where(Scar.status.in_(sorted(s.value for s in rules.OPEN_STATES)))
    if flt.extra.get("supplier_id"):
        query = query.where(Scar.supplier == flt.extra["supplier_id"])
    return query


ScarComplaint = Complaint.alias("scar_complaint")

SCARS = Register(
    kind="scars",
    model=Scar,
    title=QT_TRANSLATE_NOOP("Registers", "Supplier corrective actions (SCAR)"),
    columns=[
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Scar.number, width=110),
        Column(
            "complaint",
            QT_TRANSLATE_NOOP("Columns", "Complaint"),
            lambda: ScarComplaint.number,
            width=110,
        ),
        Column(
            "supplier_code",
            QT_TRANSLATE_NOOP("Columns", "Supplier code"),
            lambda: Supplier.code,
            width=90,
        ),
        Column(
            "supplier", QT_TRANSLATE_NOOP("Columns", "Supplier"), lambda: Supplier.name, width=180
        ),
        Column("part", QT_TRANSLATE_NOOP("Columns", "Part"), lambda: Scar.part, width=120),
        Column("lot", QT_TRANSLATE_NOOP("Columns", "Lot"), lambda: Scar.lot, width=90),
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: Scar.status,
            "enum",
            ScarStatus,
            width=150,
        ),
        Column(
            "raised_at",
            QT_TRANSLATE_NOOP("Columns", "Raised"),
            lambda: Scar.raised_at,
            "datetime",
            width=130,
        ),
        Column(
            "reply_due",
            QT_TRANSLATE_NOOP("Columns", "Reply due"),
            lambda: Scar.reply_due,
            "date",
            width=90,
        ),
        Column(
            "overdue",
            QT_TRANSLATE_NOOP("Columns", "Reply overdue"),
            scar_reply_overdue_expr,
            "bool",
            width=90,
        ),
        Column(
            "closed_at",
            QT_TRANSLATE_NOOP("Columns", "Closed"),
            lambda: Scar.closed_at,
            "datetime",
            width=130,
        ),
    ],
    date_field=Scar.raised_at,
    text_fields=lambda: [
        Scar.number,
        ScarComplaint.number,
        Supplier.code,
        Supplier.name,
        Scar.part,
        Scar.lot,
        Scar.defect,
    ],
    joins=lambda q: q.join_from(Scar, Supplier).join_from(
        Scar, ScarComplaint, on=(Scar.complaint == ScarComplaint.id)
    ),
    apply_extra=_scar_extra,
    default_sort="raised_at",
)


# ---------------------------------------------------------------- writing
def _load(scar_id: int, version: int) -> Scar:
    record = audit.get_for_update(Scar, scar_id)
    if record.version != version:
        raise audit.conflict(record)
    return record


def _active_supplier(supplier_id: int | None) -> Supplier:
    found = Supplier.get_or_none(Supplier.id == supplier_id) if supplier_id else None
    if found is None or not found.active:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: choose an active supplier of the list."),
            field="supplier",
        )
    return found


def request_defaults(complaint_id: int) -> dict[str, Any]:
    """What a new SCAR of the complaint starts with: its part number, lot, description and
    evidence, and the proposed reply due date."""
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    product = (
        Product.get_or_none(Product.id == complaint.product_id) if complaint.product_id else None
    )
    return {
        "part": product.part_number if product is not None else "",
        "lot": complaint.lot or "",
        "defect": complaint.description or "",
        "evidence": complaint.evidence or "",
        "reply_due": proposed_reply_due(),
    }


@checked_input
@retry_transient
def raise_scar(
    actor: Actor,
    *,
    complaint_id: int,
    supplier_id: int,
    defect: str,
    containment: str,
    part: str = "",
    lot: str = "",
    evidence: str = "",
    reply_due: date | None = None,
) -> Scar:
    """5.2.3 c: QA asks the responsible supplier for containment, the root cause and a
    corrective action, by *reply_due* (default: today + ``scar_reply_days``)."""
    require(actor, departments=QA)
    clean = rules.clean_request(
        {
            "part": part,
            "lot": lot,
            "defect": defect,
            "evidence": evidence,
            "containment": containment,
            "reply_due": reply_due,
        },
        partial=False,
    )
    now = utcnow()
    with unit_of_work(KIND):
        complaint = audit.get_for_update(Complaint, complaint_id)
        rules.check_may_raise(complaint.responsibility, complaint.status)
        supplier = _active_supplier(supplier_id)
        today = company_today(now, current_zone())
        if clean.get("reply_due") is None:
            clean["reply_due"] = rules.default_reply_due(today, reply_days())
        rules.check_reply_due(clean["reply_due"], today)
        number = counters.next_number("scar", today.year)
        return audit.create(
            Scar,
            actor.username,
            number=number,
            complaint=complaint.id,
            supplier=supplier.id,
            status=ScarStatus.AWAITING_REPLY.value,
            raised_at=now,
            raised_by=actor.username,
            **clean,
        )


@checked_input
@retry_transient
def update_request(actor: Actor, *, scar_id: int, version: int, **fields: Any) -> Scar:
    """QA corrects the request (part, lot, defect, evidence, containment, reply due, supplier)
    while the supplier has not replied."""
    require(actor, departments=QA)
    unknown = set(fields) - {*rules.REQUEST_FIELDS, "supplier_id"}
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be changed here."), field=min(unknown)
        )
    clean = rules.clean_request(fields, partial=True)
    if "reply_due" in clean and clean["reply_due"] is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} is required."), field="reply_due"
        )
    with unit_of_work(KIND):
        record = _load(scar_id, version)
        rules.check_can_edit_request(record.status)
        if "supplier_id" in fields and fields["supplier_id"] != record.supplier_id:
            clean["supplier"] = _active_supplier(fields["supplier_id"]).id
        if "reply_due" in clean:
            raised_day = company_today(record.raised_at, current_zone())
            rules.check_reply_due(clean["reply_due"], raised_day)
        return audit.update(Scar, scar_id, actor.username, clean, version)


@checked_input
@retry_transient
def record_reply(
    actor: Actor,
    *,
    scar_id: int,
    version: int,
    root_cause: str,
    corrective_action: str,
    effective_date: date | str | None,
) -> Scar:
    """QA records the supplier's reply: root cause, corrective action, effective date."""
    require(actor, departments=QA)
    clean = rules.clean_reply(root_cause, corrective_action, effective_date)
    now = utcnow()
    with unit_of_work(KIND):
        record = _load(scar_id, version)
        rules.check_can_reply(record.status)
        clean.update(
            status=ScarStatus.REPLIED.value,
            replied_at=now,
            reply_recorded_by=actor.username,
            verification_result="",
            verified_by="",
            verified_at=None,
        )
        return audit.update(Scar, scar_id, actor.username, clean, version)


@checked_input
@retry_transient
def verify_scar(
    actor: Actor,
    *,
    scar_id: int,
    version: int,
    effective: bool,
    result: str,
    verified_at: datetime | str | None = None,
) -> Scar:
    """Another QA user than whoever recorded the reply verifies it: *effective* makes the SCAR
    verified (ready to close); otherwise it goes back to the supplier with a new reply due date
    (today + ``scar_reply_days``)."""
    require(actor, departments=QA)
    now = utcnow()
    when = as_utc(verified_at, "verified_at") or now
    with unit_of_work(KIND):
        record = _load(scar_id, version)
        rules.check_can_verify(record.status)
        rules.check_verifier(record.reply_recorded_by, actor.username)
        text = rules.check_verification(result, when, record.replied_at)
        if when > now:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be in the future."),
                field="verified_at",
            )
        status = rules.status_after_verification(bool(effective))
        changes: dict[str, Any] = {
            "status": status.value,
            "verification_result": text,
            "verified_by": actor.username,
            "verified_at": when,
        }
        if status is ScarStatus.AWAITING_REPLY:
            today = company_today(now, current_zone())
            changes["reply_due"] = rules.default_reply_due(today, reply_days())
        return audit.update(Scar, scar_id, actor.username, changes, version)


@checked_input
@retry_transient
def close_scar(actor: Actor, *, scar_id: int, version: int) -> Scar:
    """QA closes a SCAR whose reply was verified effective."""
    require(actor, departments=QA)
    now = utcnow()
    with unit_of_work(KIND):
        record = _load(scar_id, version)
        rules.check_can_close(record.status)
        return audit.update(
            Scar,
            scar_id,
            actor.username,
            {"status": ScarStatus.CLOSED.value, "closed_at": now, "closed_by": actor.username},
            version,
        )


def customer_of(scar: Scar) -> Customer:
    """The customer of the SCAR's complaint (the form's reference)."""
    return Customer.get(Customer.id == Complaint.get(Complaint.id == scar.complaint_id).customer_id)
