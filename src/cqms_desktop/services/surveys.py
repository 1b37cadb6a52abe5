"""5.1.3 quarterly satisfaction surveys (《顾客满意度调查表》).

Every quarter Sales sends each active customer a survey on quality, service, price and
delivery. A returned survey whose overall score or any item is below the satisfaction target
creates one linked Customer Quality Feedback Form for Sales to investigate (handled per
5.1.2) — exactly once, however often the survey is saved. A survey not returned by the end of
its quarter is flagged. Scoring rules live in :mod:`cqms_desktop.domain.survey_scoring`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import peewee as pw

from ..domain import validation as v
from ..domain.clock import today as clock_today
from ..domain.enums import Channel, Department, FeedbackType, SurveyStatus
from ..domain.errors import ValidationError
from ..domain.fields import FIELD_LABELS
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.survey_feedback import BelowTarget
from ..domain.survey_feedback import render as render_below_target
from ..domain.survey_scoring import (
    ITEMS,
    OVERALL,
    SCORE_FIELDS,
    Quarter,
    ScoringRules,
    below_target,
    overall_score,
    parse_quarter,
    quarter_of,
    validate_scores,
)
from ..store import audit
from ..store import settings as settings_store
from ..store.counters import next_number
from ..store.db import retry_transient
from ..store.models import Customer, Feedback, Survey
from .base import Actor, require, unit_of_work
from .feedback import create_feedback_row
from .lookup import load_record
from .normalise import checked_input
from .visits import existing_customer, optional_date

#: Sales sends the surveys and records the answers (5.1.3).
EDITORS = (Department.SALES,)

#: The feedback type that matches each survey item (the lowest item decides).
_ITEM_TYPES = {
    "quality": FeedbackType.QUALITY,
    "service": FeedbackType.SERVICE,
    "price": FeedbackType.PRICE,
    "delivery": FeedbackType.DELIVERY,
}


def scoring_rules() -> ScoringRules:
    """The scale, target and weights from the shared settings."""
    return ScoringRules.from_settings(settings_store.get_all())


def _new_survey(username: str, customer: Customer, quarter: Quarter) -> Survey:
    if (
        Survey.select()
        .where((Survey.customer == customer.id) & (Survey.quarter == quarter.code))
        .exists()
    ):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” already has a survey for {quarter}."),
            field="quarter",
            name=customer.name,
            quarter=quarter.code,
        )
    return _insert_survey(username, customer, quarter)


def _insert_survey(username: str, customer: Customer, quarter: Quarter) -> Survey:
    """The planned survey row, numbered in the quarter's year (the caller checked it is new)."""
    return audit.create(
        Survey,
        username,
        number=next_number("survey", quarter.year),
        customer=customer.id,
        quarter=quarter.code,
        status=SurveyStatus.PLANNED.value,
    )


@checked_input
@retry_transient
def create_survey(actor: Actor, *, customer_id: int, quarter: str) -> Survey:
    """One survey for one active customer and quarter (e.g. a customer taken on mid-quarter)."""
    require(actor, admin=True, departments=EDITORS)
    q = parse_quarter(quarter)
    with unit_of_work("survey"):
        customer = existing_customer(customer_id, active_only=True)
        return _new_survey(actor.username, customer, q)


@checked_input
@retry_transient
def generate_campaign(actor: Actor, *, quarter: str) -> list[Survey]:
    """A quarterly campaign: one survey per active customer that has none for *quarter* yet.

    Running it again later adds surveys only for customers that became active since.
    """
    require(actor, admin=True, departments=EDITORS)
    q = parse_quarter(quarter)
    with unit_of_work("survey"):
        # The query already leaves out customers with a survey: no per-customer check.
        return [_insert_survey(actor.username, c, q) for c in _without_survey(q)]


def _without_survey(quarter: Quarter) -> pw.ModelSelect[Customer]:
    has_one = Survey.select(Survey.customer).where(Survey.quarter == quarter.code)
    return (
        Customer.select()
        .where(Customer.active & Customer.id.not_in(has_one))
        .order_by(Customer.code)
    )


@checked_input
def customers_without_survey(quarter: str) -> list[Customer]:
    """5.1.3: the active customers with no survey of *quarter* (e.g. ``2026-Q4``) — those a
    campaign left out or that became active since — by code."""
    return list(_without_survey(parse_quarter(quarter)))


def _status(sent_on: date | None, returned_on: date | None) -> SurveyStatus:
    if returned_on is not None:
        return SurveyStatus.RETURNED
    if sent_on is not None:
        return SurveyStatus.SENT
    return SurveyStatus.PLANNED


@checked_input
@retry_transient
def record_survey(
    actor: Actor,
    *,
    survey_id: int,
    version: int,
    today: date | None = None,
    **changes: Any,
) -> Survey:
    """Record what happened to a survey: ``sent_on``, ``returned_on``, ``respondent``,
    ``comments`` and the scores (``quality``, ``service``, ``price``, ``delivery``).

    The status and the overall score follow from the values. When the survey is returned and
    below target, one feedback is created and linked to it — only if none is linked yet.
    """
    require(actor, admin=True, departments=EDITORS)
    today = today or clock_today()
    rules = scoring_rules()
    clean: dict[str, Any] = {}
    for key in ("sent_on", "returned_on"):
        if key in changes:
            day = optional_date(changes.pop(key), key)
            clean[key] = None if day is None else v.not_in_future(day, key, today)
    if "respondent" in changes:
        clean["respondent"] = v.optional_text(changes.pop("respondent"), "respondent", 100)
    if "comments" in changes:
        clean["comments"] = v.optional_text(changes.pop("comments"), "comments", 8000)
    score_input = {item: changes.pop(item) for item in ITEMS if item in changes}
    if changes:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Unknown field “{key}”."), key=sorted(changes)[0]
        )
    checked = validate_scores(score_input, rules)
    for item in score_input:
        clean[SCORE_FIELDS[item]] = checked[item]
    with unit_of_work("survey", "feedback"):
        survey = audit.get_for_update(Survey, survey_id)  # row lock: one feedback only
        if survey.version != version:
            raise audit.conflict(survey)
        merged = {**survey.__data__, **clean}
        v.ordered(merged["sent_on"], merged["returned_on"], "returned_on", FIELD_LABELS["sent_on"])
        scores = {item: merged[SCORE_FIELDS[item]] for item in ITEMS}
        # A score outside the scale that was stored under an older setting is caught here too.
        validate_scores(scores, rules)
        clean["overall"] = overall_score(scores, rules)
        clean["status"] = _status(merged["sent_on"], merged["returned_on"]).value
        survey = audit.update(Survey, survey_id, actor.username, clean, version)
        if survey.status == SurveyStatus.RETURNED.value:
            _feedback_if_below_target(actor, survey, scores, rules)
        return survey


def _feedback_if_below_target(
    actor: Actor, survey: Survey, scores: dict[str, int | None], rules: ScoringRules
) -> Feedback | None:
    """Create the survey's one feedback if it is below target and has none yet."""
    overall = None if survey.overall is None else Decimal(str(survey.overall))
    low = below_target(scores, overall, rules)
    if not low:
        return None
    if Feedback.select().where(Feedback.survey == survey.id).exists():
        return None
    low_items = [i for i in low if i != OVERALL]
    lowest = min(low_items, key=lambda i: scores[i] or 0) if low_items else None
    kind = _ITEM_TYPES[lowest] if lowest else FeedbackType.OTHER
    # Only the respondent's own words: the explanation (scores against the target) is read
    # from the linked survey and written in the reader's language when shown
    # (below_target_summary, domain.survey_feedback). Without comments, the survey's number
    # and quarter (language-neutral) fill the required description.
    description = survey.comments.strip() or f"{survey.number} {survey.quarter}"
    return create_feedback_row(
        actor.username,
        actor.user_id,
        customer_id=survey.customer_id,
        channel=Channel.SURVEY.value,
        description=description,
        caller=survey.respondent,
        type=kind.value,
        survey_id=survey.id,
    )


#: The error :func:`survey_by_number` gives for a number no survey has.
_UNKNOWN_NUMBER = QT_TRANSLATE_NOOP("Errors", "There is no survey “{number}”.")


def get_survey(survey_id: int) -> Survey:
    """One survey, or :class:`NotFoundError`."""
    return load_record(Survey, survey_id, _UNKNOWN_NUMBER)


def survey_by_number(number: str) -> Survey:
    """One survey by its record number (for the command line and the forms)."""
    return load_record(Survey, number, _UNKNOWN_NUMBER)


def linked_feedback(survey_id: int) -> Feedback | None:
    """The feedback a below-target survey created, if any."""
    return Feedback.select().where(Feedback.survey == survey_id).order_by(Feedback.id).first()


def scores_of(survey: Survey) -> dict[str, int | None]:
    """The survey's item scores keyed by item."""
    return {item: getattr(survey, SCORE_FIELDS[item]) for item in ITEMS}


def below_target_summary(
    survey_id: int | None, rules: ScoringRules | None = None
) -> BelowTarget | None:
    """Why survey *survey_id* produced a feedback — its scores against the target — as data
    to be worded in the reader's language (:mod:`..domain.survey_feedback`); ``None`` if
    there is no such survey or it is not (or no longer) below the target."""
    if survey_id is None:
        return None
    survey = Survey.get_or_none(Survey.id == survey_id)
    if survey is None or survey.status != SurveyStatus.RETURNED.value:
        return None
    rules = rules or scoring_rules()
    scores = scores_of(survey)
    overall = None if survey.overall is None else Decimal(str(survey.overall))
    low = below_target(scores, overall, rules)
    if not low:
        return None
    return BelowTarget(
        number=survey.number,
        quarter=survey.quarter,
        target=Decimal(str(rules.target)),
        overall=overall,
        scores=tuple((i, int(score)) for i in ITEMS if (score := scores[i]) is not None),
        low=tuple(low),
    )


def below_target_note(survey_id: int | None, translate: Callable[[str, str], str]) -> str:
    """For a feedback's source line: a new line and why its survey is below the target, in
    the program's language (*translate*: ``QCoreApplication.translate``); ``""`` otherwise."""
    summary = below_target_summary(survey_id)
    return "" if summary is None else "\n" + render_below_target(summary, translate, "\n")


def is_below_target(survey: Survey, rules: ScoringRules | None = None) -> bool:
    """True if a returned survey misses the target on its overall score or any item."""
    if survey.status != SurveyStatus.RETURNED.value:
        return False
    rules = rules or scoring_rules()
    overall = None if survey.overall is None else Decimal(str(survey.overall))
    return bool(below_target(scores_of(survey), overall, rules))


def not_returned_overdue(today: date | None = None) -> list[Survey]:
    """Surveys not returned although their quarter has ended (flagged), oldest quarter first."""
    current = quarter_of(today or clock_today()).code
    return list(
        Survey.select()
        .where(Survey.returned_on.is_null() & (Survey.quarter < current))
        .order_by(Survey.quarter, Survey.number)
    )


@dataclass(frozen=True, slots=True)
class QuarterResult:
    """One customer's (or everybody's average) result in one quarter."""

    quarter: str
    scores: dict[str, Decimal | None]
    overall: Decimal | None
    returned: int


def _avg(expr: Any) -> Any:
    # CAST so that PostgreSQL / MariaDB average integers as decimals, like SQLite does.
    return pw.fn.AVG(pw.Cast(expr, "DECIMAL(8,4)"))


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def results_by_quarter(
    *, first: str, last: str, customer_id: int | None = None
) -> list[QuarterResult]:
    """The average score per item and overall per quarter (one customer, or all), in SQL."""
    q_first, q_last = parse_quarter(first, "quarter"), parse_quarter(last, "quarter")
    query = (
        Survey.select(
            Survey.quarter,
            *[_avg(getattr(Survey, SCORE_FIELDS[i])).alias(i) for i in ITEMS],
            _avg(Survey.overall).alias("overall"),
            pw.fn.COUNT(Survey.id).alias("returned"),
        )
        .where(
            (Survey.status == SurveyStatus.RETURNED.value)
            & (Survey.quarter >= q_first.code)
            & (Survey.quarter <= q_last.code)
        )
        .group_by(Survey.quarter)
        .order_by(Survey.quarter)
    )
    if customer_id is not None:
        query = query.where(Survey.customer == customer_id)
    return [
        QuarterResult(
            quarter=row["quarter"],
            scores={i: _dec(row[i]) for i in ITEMS},
            overall=_dec(row["overall"]),
            returned=int(row["returned"]),
        )
        for row in query.dicts()
    ]


def results_by_customer(*, first: str, last: str) -> list[dict[str, Any]]:
    """Each returned survey between two quarters: customer, quarter, item scores, overall.

    Rows are ordered by customer code then quarter, ready for the results table.
    """
    q_first, q_last = parse_quarter(first, "quarter"), parse_quarter(last, "quarter")
    query = (
        Survey.select(
            Customer.id.alias("customer_id"),
            Customer.code.alias("customer_code"),
            Customer.name.alias("customer"),
            Survey.quarter,
            *[getattr(Survey, SCORE_FIELDS[i]).alias(i) for i in ITEMS],
            Survey.overall,
        )
        .join(Customer)
        .where(
            (Survey.status == SurveyStatus.RETURNED.value)
            & (Survey.quarter >= q_first.code)
            & (Survey.quarter <= q_last.code)
        )
        .order_by(Customer.code, Survey.quarter)
    )
    rows = list(query.dicts())
    for row in rows:
        row["overall"] = _dec(row["overall"])
    return rows
