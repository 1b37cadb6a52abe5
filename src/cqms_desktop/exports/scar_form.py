"""The Supplier Corrective Action Request (《供应商纠正措施要求单》, procedure 5.2.3 c): what QA
asks of a supplier found responsible for a complaint — the defect and evidence, the
containment required, the reply due date — with room for the supplier's reply (root cause,
corrective action, effective date) and QA's verification and closure.

Printed in the supplier's language (zh/en/de, Administration → Suppliers) under its own
controlled form code (setting ``form_code_scar``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain import enums as E
from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store.models import Complaint, Customer, Scar, Supplier
from .document import Field, Fields, FormContext, Section, Signature, TextBox, display_names
from .vocabulary import enum_term, term


@dataclass
class ScarData:
    """Everything the SCAR form prints; the defaults are the blank form."""

    number: str = ""
    supplier_name: str = ""
    supplier_code: str = ""
    supplier_contacts: str = ""
    #: The form's language: the supplier's (``forms`` reads the attribute by this name).
    customer_language: str = "zh"
    complaint_number: str = ""
    customer_name: str = ""
    status: str = ""
    part: str = ""
    lot: str = ""
    defect: str = ""
    evidence: str = ""
    containment: str = ""
    raised_at: dt.datetime | None = None
    raised_by: str = ""
    reply_due: dt.date | None = None
    root_cause: str = ""
    corrective_action: str = ""
    effective_date: dt.date | None = None
    reply_recorded_by: str = ""
    replied_at: dt.datetime | None = None
    verification_result: str = ""
    verified_by: str = ""
    verified_at: dt.datetime | None = None
    closed_by: str = ""
    closed_at: dt.datetime | None = None


def load(number: str) -> ScarData:
    """Gather SCAR *number*; :class:`NotFoundError` if there is none."""
    s = Scar.get_or_none(Scar.number == number)
    if s is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "There is no SCAR numbered “{number}”."),
            field="number",
            number=number,
        )
    supplier = Supplier.get_by_id(s.supplier_id)
    complaint = Complaint.get_by_id(s.complaint_id)
    customer = Customer.get_by_id(complaint.customer_id)
    users = {u for u in (s.raised_by, s.reply_recorded_by, s.verified_by, s.closed_by) if u}
    names = display_names(users)
    return ScarData(
        number=s.number,
        supplier_name=supplier.name,
        supplier_code=supplier.code,
        supplier_contacts=supplier.contacts,
        customer_language=supplier.language or "zh",
        complaint_number=complaint.number,
        customer_name=customer.name,
        status=s.status,
        part=s.part,
        lot=s.lot,
        defect=s.defect,
        evidence=s.evidence,
        containment=s.containment,
        raised_at=s.raised_at,
        raised_by=names.get(s.raised_by, s.raised_by),
        reply_due=s.reply_due,
        root_cause=s.root_cause,
        corrective_action=s.corrective_action,
        effective_date=s.effective_date,
        reply_recorded_by=names.get(s.reply_recorded_by, s.reply_recorded_by),
        replied_at=s.replied_at,
        verification_result=s.verification_result,
        verified_by=names.get(s.verified_by, s.verified_by),
        verified_at=s.verified_at,
        closed_by=names.get(s.closed_by, s.closed_by),
        closed_at=s.closed_at,
    )


def blank() -> ScarData:
    """The empty form, for filling in by hand."""
    return ScarData()


def title(data: ScarData, lang: str) -> str:
    """The form's title in *lang*."""
    return term("form.scar", lang)


def _by_on(name: str, when: str) -> str:
    return " / ".join(p for p in (name, when) if p)


def build(data: ScarData, ctx: FormContext) -> tuple[list[Section], list[Signature]]:
    """The form's sections and signature boxes in ``ctx.lang``."""
    lang = ctx.lang

    def t(key: str) -> str:
        return term(key, lang)

    request = Section(
        t("sec.scar_request"),
        [
            Fields(
                [
                    Field(t("supplier"), data.supplier_name),
                    Field(t("supplier_code"), data.supplier_code),
                    Field(t("contacts"), data.supplier_contacts, wide=True),
                    Field(t("scar_complaint"), data.complaint_number),
                    Field(t("scar_status"), enum_term(E.ScarStatus, data.status, lang)),
                    Field(t("scar_part"), data.part),
                    Field(t("lot"), data.lot),
                    Field(t("scar_raised_on"), ctx.date(data.raised_at)),
                    Field(t("scar_reply_due"), ctx.date(data.reply_due)),
                ]
            ),
            TextBox(t("scar_defect"), data.defect, lines=4),
            TextBox(t("evidence"), data.evidence, lines=3),
            TextBox(t("scar_containment"), data.containment, lines=4),
        ],
    )
    reply = Section(
        t("sec.scar_reply"),
        [
            TextBox(t("root_cause"), data.root_cause, lines=5),
            TextBox(t("scar_corrective_action"), data.corrective_action, lines=5),
            Fields(
                [
                    Field(t("effective_date"), ctx.date(data.effective_date)),
                    Field(
                        t("scar_reply_recorded"),
                        _by_on(data.reply_recorded_by, ctx.date(data.replied_at)),
                    ),
                ]
            ),
        ],
    )
    verification = Section(
        t("sec.scar_verification"),
        [
            TextBox(t("verification_result"), data.verification_result, lines=3),
            Fields(
                [
                    Field(t("verified"), _by_on(data.verified_by, ctx.date(data.verified_at))),
                    Field(t("closed_by_on"), _by_on(data.closed_by, ctx.date(data.closed_at))),
                ]
            ),
        ],
    )
    signatures = [
        Signature(t("prepared_by"), data.raised_by, ctx.date(data.raised_at)),
        Signature(t("supplier")),
        Signature(t("reviewed_by"), data.verified_by, ctx.date(data.verified_at)),
    ]
    return [request, reply, verification], signatures
