"""The traceable records behind the customer-service figures: the columns and queries of the
review workbook's feedback, visits and surveys Data sheets.
"""

from __future__ import annotations

from functools import partial

import peewee as pw

from ...domain import enums as E
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store.models import (
    Customer,
    Feedback,
    Survey,
    Visit,
)
from ..registers import Column
from .complaint_sheets import _CUSTOMER_COLUMNS, _kpi_column
from .customer_service import _ITEMS, _survey_query
from .scope import Scope, _customer_filter, flag


def feedback_record_columns(scope: Scope) -> list[Column]:
    """Columns of the feedback Data sheet."""
    return [
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Feedback.number),
        Column(
            "received_at",
            QT_TRANSLATE_NOOP("Columns", "Received"),
            lambda: Feedback.received_at,
            "datetime",
        ),
        *_CUSTOMER_COLUMNS,
        Column(
            "channel",
            QT_TRANSLATE_NOOP("Columns", "Channel"),
            lambda: Feedback.channel,
            "enum",
            enum=E.Channel,
        ),
        Column(
            "type",
            QT_TRANSLATE_NOOP("Columns", "Type"),
            lambda: Feedback.type,
            "enum",
            enum=E.FeedbackType,
        ),
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: Feedback.status,
            "enum",
            enum=E.FeedbackStatus,
        ),
        Column(
            "description", QT_TRANSLATE_NOOP("Columns", "Description"), lambda: Feedback.description
        ),
        _kpi_column(
            "in_period",
            QT_TRANSLATE_NOOP("Columns", "Received in period"),
            lambda: flag(scope.within(Feedback.received_at)),
        ),
    ]


def feedback_records(scope: Scope) -> pw.ModelSelect[Feedback]:
    """Feedback received in the trend's 12 months (which contain the period)."""
    window = scope.for_month(scope.period.trend_months()[0])
    cols = feedback_record_columns(scope)
    query = (
        Feedback.select(*[c.expr().alias(c.key) for c in cols])
        .join(Customer)
        .where((Feedback.received_at >= window.start_utc) & (Feedback.received_at < scope.end_utc))
        .order_by(Feedback.received_at, Feedback.id)
    )
    return _customer_filter(query, Feedback.customer, scope)


def visit_record_columns(scope: Scope) -> list[Column]:
    """Columns of the visits Data sheet."""
    period = scope.period
    return [
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Visit.number),
        Column(
            "visit_date",
            QT_TRANSLATE_NOOP("Columns", "Visit date"),
            lambda: Visit.visit_date,
            "date",
        ),
        *_CUSTOMER_COLUMNS,
        Column(
            "customer_active",
            QT_TRANSLATE_NOOP("Columns", "Customer active"),
            lambda: Customer.active,
            "bool",
        ),
        Column("purpose", QT_TRANSLATE_NOOP("Columns", "Purpose"), lambda: Visit.purpose),
        _kpi_column(
            "in_period",
            QT_TRANSLATE_NOOP("Columns", "Visited in period"),
            lambda: flag((Visit.visit_date >= period.start) & (Visit.visit_date <= period.end)),
        ),
    ]


def visit_records(scope: Scope) -> pw.ModelSelect[Visit]:
    """Visits of the trend's 12 months (which contain the period)."""
    window = scope.period.trend_months()[0]
    cols = visit_record_columns(scope)
    query = (
        Visit.select(*[c.expr().alias(c.key) for c in cols])
        .join(Customer)
        .where((Visit.visit_date >= window.start) & (Visit.visit_date <= scope.period.end))
        .order_by(Visit.visit_date, Visit.id)
    )
    return _customer_filter(query, Visit.customer, scope)


def survey_record_columns(scope: Scope) -> list[Column]:
    """Columns of the surveys Data sheet."""
    columns = [
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Survey.number),
        Column("quarter", QT_TRANSLATE_NOOP("Columns", "Quarter"), lambda: Survey.quarter),
        *_CUSTOMER_COLUMNS,
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: Survey.status,
            "enum",
            enum=E.SurveyStatus,
        ),
        Column("sent_on", QT_TRANSLATE_NOOP("Columns", "Sent"), lambda: Survey.sent_on, "date"),
        Column(
            "returned_on",
            QT_TRANSLATE_NOOP("Columns", "Returned"),
            lambda: Survey.returned_on,
            "date",
        ),
    ]
    labels = {
        "quality": QT_TRANSLATE_NOOP("Columns", "Quality"),
        "service": QT_TRANSLATE_NOOP("Columns", "Service"),
        "price": QT_TRANSLATE_NOOP("Columns", "Price"),
        "delivery": QT_TRANSLATE_NOOP("Columns", "Delivery"),
    }
    for item in _ITEMS:
        # partial, not a lambda with a default argument: the type checker cannot infer that one.
        fld = partial(getattr, Survey, f"score_{item}")
        columns.append(Column(f"score_{item}", labels[item], fld, "int"))
    columns.append(
        Column(
            "overall",
            QT_TRANSLATE_NOOP("Columns", "Overall score"),
            lambda: Survey.overall,
            "decimal",
        )
    )
    return columns


def survey_records(scope: Scope) -> pw.ModelSelect[Survey]:
    """The surveys of the period's quarters."""
    cols = survey_record_columns(scope)
    query = (
        _survey_query(scope, *[c.expr().alias(c.key) for c in cols])
        .join(Customer)
        .order_by(Survey.quarter, Customer.code, Survey.id)
    )
    return query
