"""The Customer Visit Form (《顾客访问单》, procedure 5.1.1): a Sales visit, the customer's
requests and their circulation to QA, Technical Section, Manufacturing and Administration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..domain import enums as E
from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store.models import Visit
from .circulation import VISIT_RECIPIENTS, CirculationRow, circulation_grid, load_circulation
from .document import (
    Block,
    Field,
    Fields,
    FormContext,
    Section,
    Signature,
    TextBox,
    customer_fields,
    customer_header,
    display_names,
)
from .vocabulary import enum_term, term


@dataclass
class VisitData:
    """Everything the Customer Visit Form prints; the defaults are the blank form."""

    number: str = ""
    customer_name: str = ""
    customer_code: str = ""
    customer_language: str = "zh"
    visit_date: dt.date | None = None
    sales_people: str = ""
    visitor: str = ""
    customer_people: str = ""
    purpose: str = ""
    discussion: str = ""
    requests: str = ""
    follow_up: str = ""
    routing_reason: str = ""
    status: str = ""
    circulation: list[CirculationRow] = field(default_factory=list)


def load(number: str) -> VisitData:
    """Gather visit *number* with its circulation; :class:`NotFoundError` if there is none."""
    v = Visit.get_or_none(Visit.number == number)
    if v is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "There is no visit numbered “{number}”."),
            field="number",
            number=number,
        )
    visitor = v.visitor.full_name if v.visitor is not None else ""
    if not visitor and v.created_by:
        visitor = display_names({v.created_by})[v.created_by]
    return VisitData(
        number=v.number,
        **customer_fields(v.customer),
        visit_date=v.visit_date,
        sales_people=v.sales_people,
        visitor=visitor,
        customer_people=v.customer_people,
        purpose=v.purpose,
        discussion=v.discussion,
        requests=v.requests,
        follow_up=v.follow_up,
        routing_reason=v.routing_reason,
        status=v.status,
        circulation=load_circulation("visit", v.id),
    )


def blank() -> VisitData:
    """The empty form, its circulation list ready for the four departments to sign."""
    return VisitData(circulation=[CirculationRow(d.value) for d in VISIT_RECIPIENTS])


def title(data: VisitData, lang: str) -> str:
    """The form's title in *lang*."""
    return term("form.visit", lang)


def build(data: VisitData, ctx: FormContext) -> tuple[list[Section], list[Signature]]:
    """The form's sections and signature boxes in ``ctx.lang``."""
    lang = ctx.lang

    def t(key: str) -> str:
        return term(key, lang)

    details = Section(
        t("sec.visit"),
        [
            Fields(
                [
                    *customer_header(data, lang),
                    Field(t("visit_date"), ctx.date(data.visit_date)),
                    Field(t("status"), enum_term(E.VisitStatus, data.status, lang)),
                    Field(t("sales_people"), data.sales_people, wide=True),
                    Field(t("customer_people"), data.customer_people, wide=True),
                ]
            ),
            TextBox(t("purpose"), data.purpose, lines=2),
            TextBox(t("discussion"), data.discussion, lines=5),
            TextBox(t("requests"), data.requests, lines=4),
            TextBox(t("follow_up"), data.follow_up, lines=3),
        ],
    )
    spare = 0 if data.circulation else len(VISIT_RECIPIENTS)
    parts: list[Block] = [circulation_grid(data.circulation, ctx, spare)]
    if data.routing_reason:
        # 5.1.1: a department left out of the circulation is explained on the form itself.
        parts.append(TextBox(t("routing_reason"), data.routing_reason, lines=1))
    circulation = Section(t("sec.circulation"), parts)
    signatures = [
        Signature(t("prepared_by"), data.visitor or data.sales_people, ctx.date(data.visit_date)),
        Signature(t("reviewed_by")),
        Signature(t("approved_by")),
    ]
    return [details, circulation], signatures
