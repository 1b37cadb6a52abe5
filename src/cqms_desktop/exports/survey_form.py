"""The Customer Satisfaction Survey (《顾客满意度调查表》, procedure 5.1.3).

A personalised questionnaire mailed to one customer for one quarter: a short letter, one
question each on our quality, service, price and delivery with a box per score of the
configured scale (default 1–5) to tick, room for comments and the respondent's signature.
A returned survey prints with the customer's scores ticked and the weighted overall score.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field

from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.settings import DEFAULTS
from ..domain.survey_scoring import ITEMS, ScoringRules, overall_score
from ..store.models import Survey
from .document import (
    Field,
    Fields,
    FormContext,
    Note,
    ScoreGrid,
    Section,
    Signature,
    TextBox,
    customer_fields,
    customer_header,
    display_names,
)
from .vocabulary import term

#: The most score boxes one row of the questionnaire can hold.
MAX_SCALE_POINTS = 11


@dataclass
class SurveyData:
    """Everything the survey prints; the defaults are the blank questionnaire."""

    number: str = ""
    customer_name: str = ""
    customer_code: str = ""
    customer_address: str = ""
    customer_contacts: str = ""
    customer_language: str = "zh"
    quarter: str = ""
    sent_on: dt.date | None = None
    returned_on: dt.date | None = None
    respondent: str = ""
    scores: dict[str, int | None] = field(default_factory=dict)
    overall: decimal.Decimal | None = None
    comments: str = ""
    prepared_by: str = ""


def load(number: str) -> SurveyData:
    """Gather survey *number*; :class:`NotFoundError` if there is none."""
    s = Survey.get_or_none(Survey.number == number)
    if s is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "There is no satisfaction survey numbered “{number}”."),
            field="number",
            number=number,
        )
    prepared = display_names({s.created_by})[s.created_by] if s.created_by else ""
    customer = s.customer
    return SurveyData(
        number=s.number,
        **customer_fields(customer),
        customer_address=customer.address,
        customer_contacts=customer.contacts,
        quarter=s.quarter,
        sent_on=s.sent_on,
        returned_on=s.returned_on,
        respondent=s.respondent,
        scores={item: getattr(s, f"score_{item}") for item in ITEMS},
        overall=s.overall,
        comments=s.comments,
        prepared_by=prepared,
    )


def blank() -> SurveyData:
    """The empty questionnaire, for any customer to fill in by hand."""
    return SurveyData()


def title(data: SurveyData, lang: str) -> str:
    """The form's title in *lang*."""
    return term("form.survey", lang)


def build(data: SurveyData, ctx: FormContext) -> tuple[list[Section], list[Signature]]:
    """The questionnaire's sections and signature boxes in ``ctx.lang``."""
    lang = ctx.lang

    def t(key: str) -> str:
        return term(key, lang)

    settings = {**DEFAULTS, **ctx.settings}
    low, high = int(settings["survey_scale_min"]), int(settings["survey_scale_max"])
    if not 1 <= high - low + 1 <= MAX_SCALE_POINTS:
        # a broken setting must not stop the survey going out: print the default scale
        low, high = int(DEFAULTS["survey_scale_min"]), int(DEFAULTS["survey_scale_max"])
    scale = list(range(low, high + 1))
    details = Section(
        t("sec.survey"),
        [
            Fields(
                [
                    *customer_header(data, lang),
                    Field(t("address"), data.customer_address, wide=True),
                    Field(t("quarter"), data.quarter),
                    Field(t("sent_on"), ctx.date(data.sent_on)),
                    Field(t("respondent"), data.respondent),
                    Field(t("returned_on"), ctx.date(data.returned_on)),
                ]
            ),
            Note(t("survey_intro").format(low=low, high=high)),
        ],
    )
    rating = Section(
        t("sec.scores"),
        [
            ScoreGrid(
                t("item"),
                t("question"),
                scale,
                [(t(f"item.{i}"), t(f"question.{i}"), data.scores.get(i)) for i in ITEMS],
            ),
            TextBox(t("comments"), data.comments, lines=6),
        ],
    )
    overall = data.overall
    if overall is None:  # not stored: the procedure's overall score of what was answered
        overall = overall_score(data.scores, ScoringRules.from_settings(settings))
    company_use = Section(
        t("sec.company_use"),
        [
            Fields(
                [
                    Field(t("overall"), ctx.number(overall)),
                    Field(t("target"), ctx.number(decimal.Decimal(str(settings["survey_target"])))),
                ]
            )
        ],
    )
    signatures = [
        Signature(t("customer_signature"), data.respondent, ctx.date(data.returned_on)),
        Signature(t("prepared_by"), data.prepared_by, ctx.date(data.sent_on)),
    ]
    return [details, rating, company_use], signatures
