"""The service record form (procedure 5.1.4 / 5.1.5): the Spare Parts and Exchange Record
(《备件供应及调换记录》) for spare parts supplied and products exchanged, and the same
controlled form titled Technical Service Record for consultation, product instructions and
on-site service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain import enums as E
from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store.models import ServiceRecord
from .document import (
    Choice,
    Field,
    Fields,
    FormContext,
    Section,
    Signature,
    TextBox,
    customer_fields,
    customer_header,
    display_names,
    product_text,
    tick_options,
)
from .vocabulary import enum_options, enum_term, term

_PARTS_KINDS = (E.ServiceKind.SPARE_PARTS, E.ServiceKind.EXCHANGE)


@dataclass
class ServiceData:
    """Everything the service record prints; the defaults are the blank form."""

    number: str = ""
    customer_name: str = ""
    customer_code: str = ""
    customer_language: str = "zh"
    kind: str = ""
    service_date: dt.date | None = None
    product_name: str = ""
    part_number_product: str = ""
    subject: str = ""
    details: str = ""
    language: str = ""
    doc_version: str = ""
    agreed_on: dt.date | None = None
    part_number: str = ""
    quantity: int | None = None
    reason: str = ""
    delivery_note: str = ""
    performed_by: str = ""
    result: str = ""
    status: str = ""
    prepared_by: str = ""


def load(number: str) -> ServiceData:
    """Gather service record *number*; :class:`NotFoundError` if there is none."""
    r = ServiceRecord.get_or_none(ServiceRecord.number == number)
    if r is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "There is no service record numbered “{number}”."),
            field="number",
            number=number,
        )
    prepared = display_names({r.created_by})[r.created_by] if r.created_by else ""
    return ServiceData(
        number=r.number,
        **customer_fields(r.customer),
        kind=r.kind,
        service_date=r.service_date,
        product_name=r.product.name if r.product is not None else "",
        part_number_product=r.product.part_number if r.product is not None else "",
        subject=r.subject,
        details=r.details,
        language=r.language,
        doc_version=r.doc_version,
        agreed_on=r.agreed_on,
        part_number=r.part_number,
        quantity=r.quantity,
        reason=r.reason,
        delivery_note=r.delivery_note,
        performed_by=r.performed_by,
        result=r.result,
        status=r.status,
        prepared_by=prepared,
    )


def blank() -> ServiceData:
    """The empty form, with every kind of service to tick."""
    return ServiceData()


def title(data: ServiceData, lang: str) -> str:
    """The glossary's Spare Parts and Exchange Record for parts and exchanges (and the blank
    form); Technical Service Record for consultation, instructions and on-site service."""
    if form_key(data) == "service":
        return term("form.service", lang)
    return term("form.technical_service", lang)


def form_key(data: ServiceData) -> str:
    """Which controlled form prints *data* (its code and revision in the settings): the Spare
    Parts and Exchange Record for parts, exchanges and the blank form, else the Technical
    Service Record."""
    if not data.kind or data.kind in _PARTS_KINDS:
        return "service"
    return "technical_service"


def build(data: ServiceData, ctx: FormContext) -> tuple[list[Section], list[Signature]]:
    """The form's sections and signature boxes in ``ctx.lang``; a filled form shows only the
    parts that belong to its kind of service, the blank form shows them all."""
    lang = ctx.lang

    def t(key: str) -> str:
        return term(key, lang)

    every = ctx.blank or not data.kind
    product = product_text(data.part_number_product, data.product_name)
    sections = [
        Section(
            t("sec.service"),
            [
                Fields(
                    [
                        *customer_header(data, lang),
                        Field(t("service_date"), ctx.date(data.service_date)),
                        Field(t("status"), enum_term(E.ServiceStatus, data.status, lang)),
                        Field(t("product"), product, wide=True),
                        Field(t("subject"), data.subject, wide=True),
                    ]
                ),
                Choice(
                    t("service_kind"), tick_options(enum_options(E.ServiceKind, lang), data.kind)
                ),
                TextBox(t("details"), data.details, lines=4),
            ],
        )
    ]
    if every or data.kind == E.ServiceKind.INSTRUCTIONS:
        sections.append(
            Section(
                t("sec.instructions"),
                [
                    Choice(
                        t("instructions_language"),
                        tick_options(enum_options(E.Language, lang), data.language),
                    ),
                    Fields(
                        [
                            Field(t("doc_version"), data.doc_version),
                            Field(t("agreed_on"), ctx.date(data.agreed_on)),
                        ]
                    ),
                ],
            )
        )
    if every or data.kind in _PARTS_KINDS:
        sections.append(
            Section(
                t("sec.spare_parts"),
                [
                    Fields(
                        [
                            Field(t("part_number"), data.part_number),
                            Field(t("quantity"), ctx.number(data.quantity)),
                            Field(t("delivery_note"), data.delivery_note, wide=True),
                        ]
                    ),
                    TextBox(t("reason"), data.reason, lines=2),
                ],
            )
        )
    sections.append(
        Section(
            t("sec.onsite") if data.kind == E.ServiceKind.ONSITE else t("sec.result"),
            [
                Fields([Field(t("performed_by"), data.performed_by, wide=True)]),
                TextBox(t("result"), data.result, lines=3),
            ],
        )
    )
    prepared = data.performed_by or data.prepared_by
    signatures = [
        Signature(t("prepared_by"), prepared, ctx.date(data.service_date)),
        Signature(t("reviewed_by")),
        Signature(t("approved_by")),
    ]
    return sections, signatures
