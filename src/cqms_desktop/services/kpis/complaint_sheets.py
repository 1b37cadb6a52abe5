"""The traceable records behind the complaint and corrective-action figures: the columns and
queries of the review workbook's complaints and corrective-actions Data sheets, with one
yes/no column per KPI set by the same predicate that counts it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee as pw

from ...domain import enums as E
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store.models import (
    Complaint,
    CorrectiveAction,
    Customer,
)
from ..registers import Column
from .predicates import (
    action_completed,
    action_opened,
    action_overdue,
    action_verified,
    close_seconds,
    complaint_closed_in,
    complaint_late,
    complaint_on_time,
    complaint_open_at_end,
    complaint_open_long,
    complaint_overdue_unhandled,
    complaint_received,
    complaint_repeat,
)
from .scope import SECONDS_PER_DAY, Scope, _customer_filter, flag

ReferencedComplaint = Complaint.alias("repeat_of_complaint")


def _kpi_column(
    key: str, label: str, expr: Callable[[], Any], kind: str = "bool", **kw: Any
) -> Column:
    return Column(key, label, expr, kind, **kw)


#: The customer's code and name, as every Data sheet of a customer's records shows them
#: (the record queries join ``Customer``).
_CUSTOMER_COLUMNS = (
    Column("customer_code", QT_TRANSLATE_NOOP("Columns", "Customer code"), lambda: Customer.code),
    Column("customer", QT_TRANSLATE_NOOP("Columns", "Customer"), lambda: Customer.name),
)


def complaint_record_columns(scope: Scope) -> list[Column]:
    """Columns of the complaints Data sheet: the record and one yes/no column per KPI."""
    received = complaint_received(scope)
    days = close_seconds(scope) / float(SECONDS_PER_DAY)
    return [
        Column("number", QT_TRANSLATE_NOOP("Columns", "Number"), lambda: Complaint.number),
        Column(
            "received_at",
            QT_TRANSLATE_NOOP("Columns", "Received"),
            lambda: Complaint.received_at,
            "datetime",
        ),
        *_CUSTOMER_COLUMNS,
        Column(
            "severity",
            QT_TRANSLATE_NOOP("Columns", "Severity"),
            lambda: Complaint.severity,
            "enum",
            enum=E.Severity,
        ),
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: Complaint.status,
            "enum",
            enum=E.ComplaintStatus,
        ),
        Column(
            "defect_category",
            QT_TRANSLATE_NOOP("Columns", "Defect category"),
            lambda: Complaint.defect_category,
        ),
        Column(
            "responsibility",
            QT_TRANSLATE_NOOP("Columns", "Responsibility"),
            lambda: Complaint.responsibility,
            "enum",
            enum=E.Responsibility,
        ),
        Column("due_at", QT_TRANSLATE_NOOP("Columns", "Due"), lambda: Complaint.due_at, "datetime"),
        Column(
            "handled_at",
            QT_TRANSLATE_NOOP("Columns", "Handled"),
            lambda: Complaint.handled_at,
            "datetime",
        ),
        Column(
            "closed_at",
            QT_TRANSLATE_NOOP("Columns", "Closed"),
            lambda: Complaint.closed_at,
            "datetime",
        ),
        Column(
            "days_to_close",
            QT_TRANSLATE_NOOP("Columns", "Days to close"),
            lambda: days,
            "decimal",
        ),
        Column(
            "repeat_of",
            QT_TRANSLATE_NOOP("Columns", "Repeat of"),
            lambda: ReferencedComplaint.number,
        ),
        _kpi_column(
            "in_period", QT_TRANSLATE_NOOP("Columns", "Received in period"), lambda: flag(received)
        ),
        _kpi_column(
            "on_time",
            QT_TRANSLATE_NOOP("Columns", "Handled on time"),
            lambda: flag(complaint_on_time()),
        ),
        _kpi_column(
            "late", QT_TRANSLATE_NOOP("Columns", "Handled late"), lambda: flag(complaint_late())
        ),
        _kpi_column(
            "overdue_unhandled",
            QT_TRANSLATE_NOOP("Columns", "Overdue, not handled"),
            lambda: flag(complaint_overdue_unhandled(scope)),
        ),
        _kpi_column(
            "closed_in_period",
            QT_TRANSLATE_NOOP("Columns", "Closed in period"),
            lambda: flag(complaint_closed_in(scope)),
        ),
        _kpi_column(
            "open_at_end",
            QT_TRANSLATE_NOOP("Columns", "Open at period end"),
            lambda: flag(complaint_open_at_end(scope)),
        ),
        _kpi_column(
            "open_long",
            QT_TRANSLATE_NOOP("Columns", "Open over 30 days"),
            lambda: flag(complaint_open_long(scope)),
        ),
        _kpi_column(
            "repeat",
            QT_TRANSLATE_NOOP("Columns", "Repeat complaint"),
            lambda: flag(complaint_repeat()),
        ),
    ]


def complaint_records(scope: Scope) -> pw.ModelSelect[Complaint]:
    """Complaints behind the review: received in the trend's 12 months, closed in the
    period or open at its end (the trend window always contains the period)."""
    window_start = scope.period.trend_months()[0].start_utc
    cols = complaint_record_columns(scope)
    query = (
        Complaint.select(*[c.expr().alias(c.key) for c in cols])
        .join_from(Complaint, Customer)
        .join_from(
            Complaint,
            ReferencedComplaint,
            pw.JOIN.LEFT_OUTER,
            on=(Complaint.repeat_of == ReferencedComplaint.id),
        )
        .where(
            (Complaint.received_at < scope.end_utc)
            & (
                (Complaint.received_at >= window_start)
                | complaint_closed_in(scope)
                | complaint_open_at_end(scope)
            )
        )
        .order_by(Complaint.received_at, Complaint.id)
    )
    return _customer_filter(query, Complaint.customer, scope)


def action_record_columns(scope: Scope) -> list[Column]:
    """Columns of the corrective-actions Data sheet."""
    return [
        Column("complaint", QT_TRANSLATE_NOOP("Columns", "Complaint"), lambda: Complaint.number),
        Column(
            "customer_code", QT_TRANSLATE_NOOP("Columns", "Customer code"), lambda: Customer.code
        ),
        Column(
            "action_type",
            QT_TRANSLATE_NOOP("Columns", "Action type"),
            lambda: CorrectiveAction.action_type,
            "enum",
            enum=E.ActionType,
        ),
        Column(
            "description",
            QT_TRANSLATE_NOOP("Columns", "Description"),
            lambda: CorrectiveAction.description,
        ),
        Column(
            "department",
            QT_TRANSLATE_NOOP("Columns", "Department"),
            lambda: CorrectiveAction.department,
            "enum",
            enum=E.Department,
        ),
        Column(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            lambda: CorrectiveAction.status,
            "enum",
            enum=E.ActionStatus,
        ),
        Column(
            "created_at",
            QT_TRANSLATE_NOOP("Columns", "Opened"),
            lambda: CorrectiveAction.created_at,
            "datetime",
        ),
        Column(
            "due_date",
            QT_TRANSLATE_NOOP("Columns", "Due date"),
            lambda: CorrectiveAction.due_date,
            "date",
        ),
        Column(
            "executed_at",
            QT_TRANSLATE_NOOP("Columns", "Carried out"),
            lambda: CorrectiveAction.executed_at,
            "datetime",
        ),
        Column(
            "verified_at",
            QT_TRANSLATE_NOOP("Columns", "Verified"),
            lambda: CorrectiveAction.verified_at,
            "datetime",
        ),
        _kpi_column(
            "opened_in_period",
            QT_TRANSLATE_NOOP("Columns", "Opened in period"),
            lambda: flag(action_opened(scope)),
        ),
        _kpi_column(
            "completed_in_period",
            QT_TRANSLATE_NOOP("Columns", "Carried out in period"),
            lambda: flag(action_completed(scope)),
        ),
        _kpi_column(
            "verified_in_period",
            QT_TRANSLATE_NOOP("Columns", "Verified in period"),
            lambda: flag(action_verified(scope)),
        ),
        _kpi_column(
            "overdue",
            QT_TRANSLATE_NOOP("Columns", "Overdue at period end"),
            lambda: flag(action_overdue(scope)),
        ),
    ]


def action_records(scope: Scope) -> pw.ModelSelect[CorrectiveAction]:
    """Corrective actions opened, carried out or verified in the period, or overdue."""
    cols = action_record_columns(scope)
    query = (
        CorrectiveAction.select(*[c.expr().alias(c.key) for c in cols])
        .join(Complaint)
        .join(Customer)
        .where(
            action_opened(scope)
            | action_completed(scope)
            | action_verified(scope)
            | action_overdue(scope)
        )
        .order_by(CorrectiveAction.created_at, CorrectiveAction.id)
    )
    return _customer_filter(query, Complaint.customer, scope)
