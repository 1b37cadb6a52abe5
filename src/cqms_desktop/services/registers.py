"""The registers (lists) of every kind of record, filtered, sorted and paged in SQL.

One :class:`Register` per kind describes its columns as SQL expressions. The UI's table
models, ``cqms list`` and the Excel register export all read through it, so what a user sees,
prints and exports is the same query. Nothing here loads a whole table: :meth:`Register.page`
fetches one page, :meth:`Register.count` counts in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import peewee as pw

from ..domain import enums as E
from ..domain.clock import utcnow
from ..domain.complaint_workflow import OPEN_STATES
from ..domain.costs import COST_CATEGORIES
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store.models import (
    Circulation,
    Complaint,
    CorrectiveAction,
    Customer,
    DefectCategory,
    Feedback,
    Product,
    ServiceRecord,
    Survey,
    User,
    Visit,
)
from .deadline_sql import (
    complaint_due_soon_expr,
    complaint_late_expr,
    complaint_overdue_expr,
    overdue_actions_query,
)
from .defect_categories import display_language
from .register_core import Column, Filter, Register, local_day_start_utc

# Column, Filter, Register and local_day_start_utc are part of this module's interface.
__all__ = [
    "COMPLAINTS",
    "CUSTOMERS",
    "FEEDBACK",
    "PRODUCTS",
    "RECORD_KINDS",
    "REGISTERS",
    "SERVICE",
    "SURVEYS",
    "USERS",
    "VISITS",
    "Column",
    "Filter",
    "Register",
    "complaint_due_soon_expr",
    "complaint_late_expr",
    "complaint_overdue_expr",
    "local_day_start_utc",
]


def _c(key: str, label: str, expr: Callable[[], Any], kind: str = "text", **kw: Any) -> Column:
    return Column(key, label, expr, kind, **kw)


def record_number_order(number: Any) -> list[Any]:
    """SQL terms ordering record numbers ``PP-YYYY-NNNN`` by year, then sequence as a number.

    The sequence is zero-padded to four digits but grows past 9999 in a busy year, so a plain
    string order would put FB-2026-9999 above FB-2026-18719. Within one prefix and year a longer
    number is a larger one; numbers of another shape (legacy imports) still sort stably.
    """
    return [pw.fn.SUBSTR(number, 1, 7), pw.fn.LENGTH(number), number]


#: The cost columns of the complaints register (labels for lupdate, in the form's order).
_COST_LABELS = {
    "cost_compensation": QT_TRANSLATE_NOOP("Columns", "Cost: compensation"),
    "cost_freight": QT_TRANSLATE_NOOP("Columns", "Cost: freight"),
    "cost_scrap": QT_TRANSLATE_NOOP("Columns", "Cost: scrap"),
    "cost_rework": QT_TRANSLATE_NOOP("Columns", "Cost: rework"),
    "cost_replacement": QT_TRANSLATE_NOOP("Columns", "Cost: replacement"),
}


def _cost_total() -> Any:
    """SQL: the complaint's five costs added up (nothing recorded: empty)."""
    terms = [getattr(Complaint, name) for name in COST_CATEGORIES]
    recorded = pw.Case(None, [(t.is_null(False), 1) for t in terms], None)
    total = sum((pw.fn.COALESCE(t, 0) for t in terms[1:]), pw.fn.COALESCE(terms[0], 0))
    # Rounded to the cent: SQLite adds the amounts as floating point numbers.
    return pw.Case(None, [(recorded.is_null(False), pw.fn.ROUND(total, 2))], None)


def _cost_field(name: str) -> Callable[[], Any]:
    return lambda: getattr(Complaint, name)


def _cost_columns() -> list[Column]:
    """Each cost of poor quality the complaint recorded, and their total."""
    columns = [
        _c(name, _COST_LABELS[name], _cost_field(name), "decimal", width=90)
        for name in COST_CATEGORIES
    ]
    total = QT_TRANSLATE_NOOP("Columns", "Cost: total")
    columns.append(_c("cost_total", total, _cost_total, "decimal", width=90))
    return columns


def _number_column(expr: Callable[[], Any], width: int = 110) -> Column:
    return _c(
        "number",
        QT_TRANSLATE_NOOP("Columns", "Number"),
        expr,
        width=width,
        sort_terms=record_number_order,
    )


def _customer_columns() -> list[Column]:
    """The customer's code and name, shown in every record register."""
    return [
        _c(
            "customer_code",
            QT_TRANSLATE_NOOP("Columns", "Customer code"),
            lambda: Customer.code,
            width=90,
        ),
        _c("customer", QT_TRANSLATE_NOOP("Columns", "Customer"), lambda: Customer.name, width=200),
    ]


def _status_column(expr: Callable[[], Any], enum: type[E.LabeledEnum], width: int) -> Column:
    return _c(
        "status", QT_TRANSLATE_NOOP("Columns", "Status"), expr, "enum", enum=enum, width=width
    )


def _complaint_extra(query: pw.ModelSelect[Any], flt: Filter) -> pw.ModelSelect[Any]:
    now = utcnow()
    if flt.overdue:
        query = query.where(complaint_overdue_expr(now) == 1)
    if flt.due_soon:
        query = query.where(complaint_due_soon_expr(now) == 1)
    if flt.open_only:
        query = query.where(Complaint.status.in_([s.value for s in OPEN_STATES]))
    extra = flt.extra
    if extra.get("severity"):
        query = query.where(Complaint.severity == extra["severity"])
    if extra.get("product_id"):
        query = query.where(Complaint.product == extra["product_id"])
    if extra.get("owner_id"):
        query = query.where(Complaint.qa_owner == extra["owner_id"])
    if extra.get("due_within_hours"):
        # The dashboard's "due within 2 days": a wider horizon than the due-soon flag.
        window = timedelta(hours=int(extra["due_within_hours"]))
        query = query.where(complaint_due_soon_expr(now, window) == 1)
    if extra.get("actions_overdue"):
        late = overdue_actions_query().select(CorrectiveAction.complaint)
        query = query.where(Complaint.id.in_(late))
    if extra.get("with_cost"):
        query = query.where(_cost_total().is_null(False))
    return query


QaOwner = User.alias("qa_owner_user")
Category = DefectCategory.alias("category")


def _category_label() -> Any:
    """A complaint's defect category as the label in the lists' language (the code when no
    category of the list has it, or the label is empty)."""
    label = getattr(Category, f"label_{display_language()}")
    return pw.fn.COALESCE(pw.fn.NULLIF(label, ""), Complaint.defect_category)


COMPLAINTS = Register(
    kind="complaints",
    model=Complaint,
    title=QT_TRANSLATE_NOOP("Registers", "Complaints"),
    columns=[
        _number_column(lambda: Complaint.number, 110),
        _c(
            "received_at",
            QT_TRANSLATE_NOOP("Columns", "Received"),
            lambda: Complaint.received_at,
            "datetime",
            width=130,
        ),
        *_customer_columns(),
        _c(
            "part_number",
            QT_TRANSLATE_NOOP("Columns", "Part number"),
            lambda: Product.part_number,
            width=110,
        ),
        _c(
            "severity",
            QT_TRANSLATE_NOOP("Columns", "Severity"),
            lambda: Complaint.severity,
            "enum",
            enum=E.Severity,
            width=70,
        ),
        _status_column(lambda: Complaint.status, E.ComplaintStatus, 120),
        _c(
            "defect_category",
            QT_TRANSLATE_NOOP("Columns", "Defect category"),
            _category_label,
            width=120,
        ),
        _c(
            "due_at",
            QT_TRANSLATE_NOOP("Columns", "Due"),
            lambda: Complaint.due_at,
            "datetime",
            width=130,
        ),
        _c(
            "handled_at",
            QT_TRANSLATE_NOOP("Columns", "Handled"),
            lambda: Complaint.handled_at,
            "datetime",
            width=130,
        ),
        _c(
            "closed_at",
            QT_TRANSLATE_NOOP("Columns", "Closed"),
            lambda: Complaint.closed_at,
            "datetime",
            width=130,
        ),
        _c(
            "overdue",
            QT_TRANSLATE_NOOP("Columns", "Overdue"),
            complaint_overdue_expr,
            "bool",
            width=70,
        ),
        _c(
            "handled_late",
            QT_TRANSLATE_NOOP("Columns", "Handled late"),
            complaint_late_expr,
            "bool",
            width=80,
        ),
        _c(
            "due_soon",
            QT_TRANSLATE_NOOP("Columns", "Due soon"),
            complaint_due_soon_expr,
            "bool",
            width=70,
        ),
        _c(
            "qa_owner",
            QT_TRANSLATE_NOOP("Columns", "QA owner"),
            lambda: QaOwner.full_name,
            width=100,
        ),
        *_cost_columns(),
    ],
    date_field=Complaint.received_at,
    text_fields=lambda: [
        Complaint.number,
        Customer.name,
        Customer.code,
        Complaint.description,
        Complaint.lot,
        Complaint.defect_category,
        Category.label_zh,
        Category.label_en,
        Category.label_de,
        Product.part_number,
    ],
    joins=lambda q: (
        q.join_from(Complaint, Customer)
        .join_from(Complaint, Product, pw.JOIN.LEFT_OUTER)
        .join_from(
            Complaint, Category, pw.JOIN.LEFT_OUTER, on=(Complaint.defect_category == Category.code)
        )
        .join_from(Complaint, QaOwner, pw.JOIN.LEFT_OUTER, on=(Complaint.qa_owner == QaOwner.id))
    ),
    apply_extra=_complaint_extra,
    search_links=lambda: [
        (Complaint.customer, Customer.id),
        (Complaint.product, Product.id),
        (Complaint.defect_category, Category.code),
    ],
    default_sort="received_at",  # newest first by date: an indexed order
)


def _feedback_extra(query: pw.ModelSelect[Any], flt: Filter) -> pw.ModelSelect[Any]:
    if flt.open_only:
        query = query.where(Feedback.status.in_(["open", "routed"]))
    if flt.extra.get("type"):
        query = query.where(Feedback.type == flt.extra["type"])
    if flt.extra.get("awaiting_ack"):
        # Circulated to a department that has not acknowledged it yet (签收).
        pending = Circulation.select(Circulation.record_id).where(
            (Circulation.record_kind == "feedback") & Circulation.acknowledged_at.is_null()
        )
        query = query.where(Feedback.id.in_(pending))
    return query


FEEDBACK = Register(
    kind="feedback",
    model=Feedback,
    title=QT_TRANSLATE_NOOP("Registers", "Feedback"),
    columns=[
        _number_column(lambda: Feedback.number, 110),
        _c(
            "received_at",
            QT_TRANSLATE_NOOP("Columns", "Received"),
            lambda: Feedback.received_at,
            "datetime",
            width=130,
        ),
        *_customer_columns(),
        _c(
            "channel",
            QT_TRANSLATE_NOOP("Columns", "Channel"),
            lambda: Feedback.channel,
            "enum",
            enum=E.Channel,
            width=90,
        ),
        _c(
            "type",
            QT_TRANSLATE_NOOP("Columns", "Type"),
            lambda: Feedback.type,
            "enum",
            enum=E.FeedbackType,
            width=110,
        ),
        _c(
            "urgent",
            QT_TRANSLATE_NOOP("Columns", "Urgent"),
            lambda: Feedback.urgent,
            "bool",
            width=60,
        ),
        _status_column(lambda: Feedback.status, E.FeedbackStatus, 100),
        _c("caller", QT_TRANSLATE_NOOP("Columns", "Caller"), lambda: Feedback.caller, width=100),
        _c(
            "description",
            QT_TRANSLATE_NOOP("Columns", "Description"),
            lambda: Feedback.description,
            width=300,
        ),
        _c(
            "closed_at",
            QT_TRANSLATE_NOOP("Columns", "Closed"),
            lambda: Feedback.closed_at,
            "datetime",
            width=130,
        ),
    ],
    date_field=Feedback.received_at,
    text_fields=lambda: [
        Feedback.number,
        Customer.name,
        Customer.code,
        Feedback.description,
        Feedback.caller,
    ],
    joins=lambda q: q.join_from(Feedback, Customer),
    search_links=lambda: [(Feedback.customer, Customer.id)],
    apply_extra=_feedback_extra,
    default_sort="received_at",  # newest first by date: an indexed order
)

VISITS = Register(
    kind="visits",
    model=Visit,
    title=QT_TRANSLATE_NOOP("Registers", "Visits"),
    columns=[
        _number_column(lambda: Visit.number, 110),
        _c(
            "visit_date",
            QT_TRANSLATE_NOOP("Columns", "Visit date"),
            lambda: Visit.visit_date,
            "date",
            width=100,
        ),
        *_customer_columns(),
        _c(
            "sales_people",
            QT_TRANSLATE_NOOP("Columns", "Visited by"),
            lambda: Visit.sales_people,
            width=140,
        ),
        _c("purpose", QT_TRANSLATE_NOOP("Columns", "Purpose"), lambda: Visit.purpose, width=250),
        _status_column(lambda: Visit.status, E.VisitStatus, 90),
    ],
    date_field=Visit.visit_date,
    text_fields=lambda: [
        Visit.number,
        Customer.name,
        Customer.code,
        Visit.purpose,
        Visit.discussion,
        Visit.requests,
        Visit.sales_people,
    ],
    joins=lambda q: q.join_from(Visit, Customer),
    search_links=lambda: [(Visit.customer, Customer.id)],
    default_sort="visit_date",  # newest first by date: an indexed order
)

SURVEYS = Register(
    kind="surveys",
    model=Survey,
    title=QT_TRANSLATE_NOOP("Registers", "Satisfaction surveys"),
    columns=[
        _number_column(lambda: Survey.number, 120),
        _c("quarter", QT_TRANSLATE_NOOP("Columns", "Quarter"), lambda: Survey.quarter, width=80),
        *_customer_columns(),
        _status_column(lambda: Survey.status, E.SurveyStatus, 90),
        _c(
            "sent_on",
            QT_TRANSLATE_NOOP("Columns", "Sent"),
            lambda: Survey.sent_on,
            "date",
            width=100,
        ),
        _c(
            "returned_on",
            QT_TRANSLATE_NOOP("Columns", "Returned"),
            lambda: Survey.returned_on,
            "date",
            width=100,
        ),
        _c(
            "overall",
            QT_TRANSLATE_NOOP("Columns", "Overall score"),
            lambda: Survey.overall,
            "decimal",
            width=90,
        ),
    ],
    date_field=Survey.sent_on,
    text_fields=lambda: [
        Survey.number,
        Customer.name,
        Customer.code,
        Survey.quarter,
        Survey.respondent,
        Survey.comments,
    ],
    joins=lambda q: q.join_from(Survey, Customer),
    search_links=lambda: [(Survey.customer, Customer.id)],
    default_sort="quarter",  # newest quarter first: an indexed order
)

SERVICE = Register(
    kind="service",
    model=ServiceRecord,
    title=QT_TRANSLATE_NOOP("Registers", "Service records"),
    columns=[
        _number_column(lambda: ServiceRecord.number, 110),
        _c(
            "service_date",
            QT_TRANSLATE_NOOP("Columns", "Date"),
            lambda: ServiceRecord.service_date,
            "date",
            width=100,
        ),
        *_customer_columns(),
        _c(
            "kind",
            QT_TRANSLATE_NOOP("Columns", "Kind"),
            lambda: ServiceRecord.kind,
            "enum",
            enum=E.ServiceKind,
            width=120,
        ),
        _c(
            "subject",
            QT_TRANSLATE_NOOP("Columns", "Subject"),
            lambda: ServiceRecord.subject,
            width=220,
        ),
        _c(
            "part_number",
            QT_TRANSLATE_NOOP("Columns", "Part number"),
            lambda: ServiceRecord.part_number,
            width=110,
        ),
        _c(
            "quantity",
            QT_TRANSLATE_NOOP("Columns", "Quantity"),
            lambda: ServiceRecord.quantity,
            "int",
            width=70,
        ),
        _status_column(lambda: ServiceRecord.status, E.ServiceStatus, 80),
    ],
    date_field=ServiceRecord.service_date,
    text_fields=lambda: [
        ServiceRecord.number,
        Customer.name,
        Customer.code,
        ServiceRecord.subject,
        ServiceRecord.details,
        ServiceRecord.part_number,
    ],
    joins=lambda q: q.join_from(ServiceRecord, Customer),
    search_links=lambda: [(ServiceRecord.customer, Customer.id)],
    default_sort="service_date",  # newest first by date: an indexed order
)

SalesRep = User.alias("sales_rep_user")


def _customer_extra(query: pw.ModelSelect[Any], flt: Filter) -> pw.ModelSelect[Any]:
    if flt.open_only:  # for customers: the active ones
        query = query.where(Customer.active == True)  # noqa: E712 (SQL, not Python)
    since = flt.extra.get("not_visited_since")
    if since is not None:
        visited = Visit.select(Visit.customer).where(Visit.visit_date >= since)
        query = query.where(Customer.id.not_in(visited))
    return query


CUSTOMERS = Register(
    kind="customers",
    model=Customer,
    title=QT_TRANSLATE_NOOP("Registers", "Customers"),
    columns=[
        _c("code", QT_TRANSLATE_NOOP("Columns", "Code"), lambda: Customer.code, width=90),
        _c("name", QT_TRANSLATE_NOOP("Columns", "Name"), lambda: Customer.name, width=220),
        _c(
            "language",
            QT_TRANSLATE_NOOP("Columns", "Form language"),
            lambda: Customer.language,
            "enum",
            enum=E.Language,
            width=90,
        ),
        _c(
            "sales_rep",
            QT_TRANSLATE_NOOP("Columns", "Sales person"),
            lambda: SalesRep.full_name,
            width=110,
        ),
        _c(
            "contacts",
            QT_TRANSLATE_NOOP("Columns", "Contacts"),
            lambda: Customer.contacts,
            width=180,
        ),
        _c(
            "active",
            QT_TRANSLATE_NOOP("Columns", "Active"),
            lambda: Customer.active,
            "bool",
            width=60,
        ),
    ],
    date_field=Customer.created_at,
    text_fields=lambda: [Customer.code, Customer.name, Customer.contacts, Customer.address],
    joins=lambda q: q.join_from(
        Customer, SalesRep, pw.JOIN.LEFT_OUTER, on=(Customer.sales_rep == SalesRep.id)
    ),
    default_sort="code",
    default_descending=False,
    apply_extra=_customer_extra,
)

PRODUCTS = Register(
    kind="products",
    model=Product,
    title=QT_TRANSLATE_NOOP("Registers", "Products"),
    columns=[
        _c(
            "part_number",
            QT_TRANSLATE_NOOP("Columns", "Part number"),
            lambda: Product.part_number,
            width=120,
        ),
        _c("name", QT_TRANSLATE_NOOP("Columns", "Name"), lambda: Product.name, width=220),
        _c(
            "description",
            QT_TRANSLATE_NOOP("Columns", "Description"),
            lambda: Product.description,
            width=250,
        ),
        _c(
            "active",
            QT_TRANSLATE_NOOP("Columns", "Active"),
            lambda: Product.active,
            "bool",
            width=60,
        ),
    ],
    date_field=Product.created_at,
    text_fields=lambda: [Product.part_number, Product.name, Product.description],
    default_sort="part_number",
    default_descending=False,
)

USERS = Register(
    kind="users",
    model=User,
    title=QT_TRANSLATE_NOOP("Registers", "Users"),
    columns=[
        _c("username", QT_TRANSLATE_NOOP("Columns", "User name"), lambda: User.username, width=110),
        _c(
            "full_name",
            QT_TRANSLATE_NOOP("Columns", "Full name"),
            lambda: User.full_name,
            width=140,
        ),
        _c(
            "department",
            QT_TRANSLATE_NOOP("Columns", "Department"),
            lambda: User.department,
            "enum",
            enum=E.Department,
            width=170,
        ),
        _c(
            "is_admin",
            QT_TRANSLATE_NOOP("Columns", "Administrator"),
            lambda: User.is_admin,
            "bool",
            width=90,
        ),
        _c("active", QT_TRANSLATE_NOOP("Columns", "Active"), lambda: User.active, "bool", width=60),
        _c(
            "locked_until",
            QT_TRANSLATE_NOOP("Columns", "Locked until"),
            lambda: User.locked_until,
            "datetime",
            width=130,
        ),
    ],
    date_field=User.created_at,
    text_fields=lambda: [User.username, User.full_name, User.email],
    default_sort="username",
    default_descending=False,
)

#: Registers by kind, as named on the command line and in the UI.
REGISTERS: dict[str, Register] = {
    r.kind: r for r in (COMPLAINTS, FEEDBACK, VISITS, SURVEYS, SERVICE, CUSTOMERS, PRODUCTS, USERS)
}

#: The record registers of the main window's tabs and ``cqms list``.
RECORD_KINDS = ("visits", "feedback", "complaints", "surveys", "service")
