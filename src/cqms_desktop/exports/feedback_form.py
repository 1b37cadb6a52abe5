"""The Customer Quality Feedback Form (《顾客质量反馈单》, procedure 5.1.2): a customer's call,
letter or visit as Sales registered it, its circulation (传阅) and its result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..domain import enums as E
from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.survey_feedback import BelowTarget, render_for_form
from ..services.surveys import below_target_summary
from ..store.models import Complaint, Feedback
from .circulation import CirculationRow, circulation_grid, load_circulation
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
    tick_options,
)
from .vocabulary import enum_options, enum_term, term


@dataclass
class FeedbackData:
    """Everything the Customer Quality Feedback Form prints; the defaults are the blank form."""

    number: str = ""
    customer_name: str = ""
    customer_code: str = ""
    customer_language: str = "zh"
    received_at: dt.datetime | None = None
    channel: str = ""
    caller: str = ""
    description: str = ""
    urgent: bool | None = None
    type: str = ""
    status: str = ""
    result: str = ""
    closed_at: dt.datetime | None = None
    registered_by: str = ""
    source: str = ""
    complaint_numbers: list[str] = field(default_factory=list)
    circulation: list[CirculationRow] = field(default_factory=list)
    #: For a feedback generated from a below-target survey: why (printed in the form language).
    below_target: BelowTarget | None = None


def load(number: str) -> FeedbackData:
    """Gather feedback *number* with its circulation; :class:`NotFoundError` if there is none."""
    f = Feedback.get_or_none(Feedback.number == number)
    if f is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "There is no feedback numbered “{number}”."),
            field="number",
            number=number,
        )
    registered = f.registered_by.full_name if f.registered_by is not None else ""
    if not registered and f.created_by:
        registered = display_names({f.created_by})[f.created_by]
    sources = [r.number for r in (f.visit, f.survey) if r is not None]
    complaints = [
        c.number
        for c in Complaint.select(Complaint.number)
        .where(Complaint.feedback == f)
        .order_by(Complaint.id)
    ]
    return FeedbackData(
        number=f.number,
        **customer_fields(f.customer),
        received_at=f.received_at,
        channel=f.channel,
        caller=f.caller,
        description=f.description,
        urgent=f.urgent,
        type=f.type,
        status=f.status,
        result=f.result,
        closed_at=f.closed_at,
        registered_by=registered,
        source=", ".join(sources),
        complaint_numbers=complaints,
        circulation=load_circulation("feedback", f.id),
        below_target=below_target_summary(f.survey_id),
    )


def _description(data: FeedbackData, lang: str) -> str:
    """What the customer said, after the below-target explanation in the form's language."""
    if data.below_target is None:
        return data.description
    return f"{render_for_form(data.below_target, lang)}\n{data.description}"


def blank() -> FeedbackData:
    """The empty form, for filling in by hand."""
    return FeedbackData()


def title(data: FeedbackData, lang: str) -> str:
    """The form's title in *lang*."""
    return term("form.feedback", lang)


def build(data: FeedbackData, ctx: FormContext) -> tuple[list[Section], list[Signature]]:
    """The form's sections and signature boxes in ``ctx.lang``."""
    lang = ctx.lang

    def t(key: str) -> str:
        return term(key, lang)

    urgency = [(t("yes"), data.urgent is True), (t("no"), data.urgent is False)]
    details = Section(
        t("sec.feedback"),
        [
            Fields(
                [
                    *customer_header(data, lang),
                    Field(t("received_at"), ctx.datetime(data.received_at)),
                    Field(t("caller"), data.caller),
                    Field(t("registered_by"), data.registered_by),
                    Field(t("status"), enum_term(E.FeedbackStatus, data.status, lang)),
                ]
                + ([Field(t("source"), data.source, wide=True)] if data.source else [])
            ),
            Choice(t("channel"), tick_options(enum_options(E.Channel, lang), data.channel)),
            Choice(t("feedback_type"), tick_options(enum_options(E.FeedbackType, lang), data.type)),
            Choice(t("urgent"), urgency),
            TextBox(t("feedback_description"), _description(data, lang), lines=6),
        ],
    )
    spare = 0 if data.circulation else 4
    circulation = Section(t("sec.circulation"), [circulation_grid(data.circulation, ctx, spare)])
    result = Section(
        t("sec.result"),
        [
            TextBox(t("result"), data.result, lines=4),
            Fields(
                [
                    Field(t("complaint_numbers"), ", ".join(data.complaint_numbers)),
                    Field(t("closed_on"), ctx.date(data.closed_at)),
                ]
            ),
        ],
    )
    signatures = [
        Signature(t("prepared_by"), data.registered_by, ctx.date(data.received_at)),
        Signature(t("reviewed_by")),
        Signature(t("approved_by")),
    ]
    return [details, circulation, result], signatures
