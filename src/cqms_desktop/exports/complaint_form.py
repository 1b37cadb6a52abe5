"""The Customer Complaint Handling Form (《顾客抱怨处理单》, procedure 5.2).

:func:`load` gathers one complaint with its long-term countermeasures, the customer's answers,
containment, communication and approval into a :class:`ComplaintData`; :func:`build` lays it
out in the sections of the paper form, in one language. ``ComplaintData()`` is the blank form.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field, fields
from typing import Any

import peewee as pw

from ..domain import enums as E
from ..domain.defect_categories import Category
from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import defect_categories
from ..store.models import Complaint, CorrectiveAction, CustomerResponse, User
from .document import (
    Choice,
    Field,
    Fields,
    FormContext,
    Grid,
    Note,
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


@dataclass
class ActionRow:
    """One long-term countermeasure (5.2.3 e) with its execution and verification (5.2.4)."""

    action_type: str
    description: str
    department: str
    owner: str
    due_date: dt.date | None
    status: str
    execution_note: str = ""
    executed_by: str = ""
    executed_at: dt.datetime | None = None
    verification_result: str = ""
    verified_by: str = ""
    verified_at: dt.datetime | None = None


@dataclass
class ResponseRow:
    """One answer of the customer to the handling result (5.2.5)."""

    accepted: bool
    reason: str
    recorded_at: dt.datetime
    recorded_by: str


@dataclass
class ComplaintData:
    """Everything the Complaint Handling Form prints; the defaults are the blank form."""

    number: str = ""
    customer_name: str = ""
    customer_code: str = ""
    customer_language: str = "zh"
    product_name: str = ""
    part_number: str = ""
    lot: str = ""
    qty_affected: int | None = None
    qty_delivered: int | None = None
    received_at: dt.datetime | None = None
    received_via: str = ""
    description: str = ""
    customer_request: str = ""
    defect_category: str = ""
    #: The defect category's labels by language (zh/en/de) from the managed list.
    defect_category_labels: dict[str, str] = field(default_factory=dict)
    severity: str = ""
    status: str = ""
    due_at: dt.datetime | None = None
    handled_at: dt.datetime | None = None
    feedback_number: str = ""
    repeat_of_number: str = ""
    prepared_by: str = ""
    created_at: dt.datetime | None = None
    # 5.2.2
    investigation: str = ""
    cause: str = ""
    evidence: str = ""
    team: str = ""
    onsite_by: str = ""
    onsite_on: dt.date | None = None
    onsite_findings: str = ""
    # 5.2.3 c
    responsibility: str = ""
    explanation: str = ""
    # 5.2.3 d
    preliminary_plan: str = ""
    plan_fed_back_at: dt.datetime | None = None
    dispatch_by: str = ""
    dispatch_on: dt.date | None = None
    dispatch_action: str = ""
    fg_checked: int | None = None
    fg_held: int | None = None
    fg_nonconforming: int | None = None
    wip_checked: int | None = None
    wip_held: int | None = None
    wip_nonconforming: int | None = None
    nc_report_number: str = ""
    # 5.2.3 e / 5.2.4
    actions: list[ActionRow] = field(default_factory=list)
    # 5.2.5
    oral_notice_at: dt.datetime | None = None
    oral_notice_by: str = ""
    oral_notice_to: str = ""
    copy_sent_at: dt.datetime | None = None
    copy_sent_via: str = ""
    copy_sent_to: str = ""
    responses: list[ResponseRow] = field(default_factory=list)
    customer_accepted_at: dt.datetime | None = None
    # 4.5
    approved_by: str = ""
    approved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    reopen_reason: str = ""
    costs: dict[str, decimal.Decimal | None] = field(default_factory=dict)

    def defect_category_in(self, lang: str) -> str:
        """The defect category as the form prints it in *lang*: the list's label, else the code."""
        return Category(self.defect_category, self.defect_category_labels).label(lang)


# Columns printed as stored: every dataclass field that is a plain column of the complaint.
_COPIED = [
    f.name
    for f in fields(ComplaintData)
    if f.name in Complaint._meta.fields
    and not isinstance(Complaint._meta.fields[f.name], pw.ForeignKeyField)
]
COST_FIELDS = ("cost_compensation", "cost_freight", "cost_scrap", "cost_rework", "cost_replacement")


def load(number: str) -> ComplaintData:
    """Gather complaint *number* and everything printed with it; :class:`NotFoundError` if none."""
    c = Complaint.get_or_none(Complaint.number == number)
    if c is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "There is no complaint numbered “{number}”."),
            field="number",
            number=number,
        )
    # The owners come in the same query: the form prints one per countermeasure.
    actions = list(
        CorrectiveAction.select(CorrectiveAction, User)
        .join(User, pw.JOIN.LEFT_OUTER, on=(CorrectiveAction.owner == User.id))
        .where(CorrectiveAction.complaint == c)
        .order_by(CorrectiveAction.id)
    )
    responses = list(
        CustomerResponse.select()
        .where(CustomerResponse.complaint == c)
        .order_by(CustomerResponse.recorded_at, CustomerResponse.id)
    )
    users = {c.created_by or "", c.approved_by, c.oral_notice_by}
    for a in actions:
        users |= {a.executed_by, a.verified_by}
    users |= {r.recorded_by for r in responses}
    names = display_names(users)

    def name(username: str | None) -> str:
        return names.get(username or "", username or "")

    copied: dict[str, Any] = {f: getattr(c, f) for f in _COPIED} | customer_fields(c.customer)
    data = ComplaintData(**copied)
    category = defect_categories.catalogue().find(c.defect_category)
    if category is not None:
        data.defect_category_labels = dict(category.labels)
    if c.product is not None:
        data.product_name, data.part_number = c.product.name, c.product.part_number
    data.feedback_number = c.feedback.number if c.feedback is not None else ""
    data.repeat_of_number = c.repeat_of.number if c.repeat_of is not None else ""
    data.prepared_by = c.qa_owner.full_name if c.qa_owner is not None else name(c.created_by)
    data.approved_by = name(c.approved_by)
    data.oral_notice_by = name(c.oral_notice_by)
    data.costs = {f: getattr(c, f) for f in COST_FIELDS}
    data.actions = [
        ActionRow(
            action_type=a.action_type,
            description=a.description,
            department=a.department,
            owner=a.owner.full_name if a.owner is not None else "",
            due_date=a.due_date,
            status=a.status,
            execution_note=a.execution_note,
            executed_by=name(a.executed_by),
            executed_at=a.executed_at,
            verification_result=a.verification_result,
            verified_by=name(a.verified_by),
            verified_at=a.verified_at,
        )
        for a in actions
    ]
    data.responses = [
        ResponseRow(r.accepted, r.reason, r.recorded_at, name(r.recorded_by)) for r in responses
    ]
    return data


def title(data: ComplaintData, lang: str) -> str:
    """The form's title in *lang*."""
    return term("form.complaint", lang)


def by_on(who: str, when: str) -> str:
    """Who did something and when, on two lines (either may be empty)."""
    return "\n".join(p for p in (who, when) if p)


def communication_grids(
    data: ComplaintData, ctx: FormContext, *, blank_answer_rows: int
) -> list[Grid]:
    """The customer communication of 5.2.5: the oral notice and the copy sent, then the
    customer's answers (*blank_answer_rows* empty rows where there are none yet).

    Shared by the complaint form and the 8D report (D8), which print it the same way.
    """

    def t(key: str) -> str:
        return term(key, ctx.lang)

    answers = [
        [
            ctx.datetime(r.recorded_at),
            t("accepted") if r.accepted else t("not_accepted"),
            r.reason,
            r.recorded_by,
        ]
        for r in data.responses
    ]
    return [
        Grid(
            ["", t("when"), t("by"), t("via"), t("to")],
            [
                [
                    t("oral_notice"),
                    ctx.datetime(data.oral_notice_at),
                    data.oral_notice_by,
                    "",
                    data.oral_notice_to,
                ],
                [
                    t("copy_sent"),
                    ctx.datetime(data.copy_sent_at),
                    "",
                    data.copy_sent_via,
                    data.copy_sent_to,
                ],
            ],
            [2.0, 1.5, 1.4, 1.2, 1.6],
        ),
        Grid(
            [t("date"), t("customer_answer"), t("reason"), t("by")],
            answers,
            [1.5, 1.9, 3.6, 1.3],
            blank_rows=0 if answers else blank_answer_rows,
        ),
    ]


def containment_grid(data: ComplaintData, ctx: FormContext) -> Grid:
    """The containment count: finished goods and work in progress checked, held and
    found nonconforming.

    Shared by the complaint form (emergency measures) and the 8D report (D3).
    """

    def t(key: str) -> str:
        return term(key, ctx.lang)

    return Grid(
        [t("stock"), t("checked"), t("held"), t("nonconforming")],
        [
            [t("finished_goods")]
            + [ctx.number(v) for v in (data.fg_checked, data.fg_held, data.fg_nonconforming)],
            [t("wip")]
            + [ctx.number(v) for v in (data.wip_checked, data.wip_held, data.wip_nonconforming)],
        ],
        [1.6, 1, 1, 1],
    )


def signature_boxes(data: ComplaintData, ctx: FormContext) -> list[Signature]:
    """Prepared (QA, when handled), reviewed (the last verification) and approved: the
    signature boxes of the complaint form and of the 8D report alike."""

    def t(key: str) -> str:
        return term(key, ctx.lang)

    verified = [(a.verified_at, a) for a in data.actions if a.verified_at is not None]
    last_check = max(verified, key=lambda pair: pair[0])[1] if verified else None
    return [
        Signature(
            t("prepared_by"),
            data.prepared_by,
            ctx.date(data.handled_at or data.created_at),
        ),
        Signature(
            t("reviewed_by"),
            last_check.verified_by if last_check else "",
            ctx.date(last_check.verified_at) if last_check else "",
        ),
        Signature(t("approved_by"), data.approved_by, ctx.date(data.approved_at)),
    ]


def build(data: ComplaintData, ctx: FormContext) -> tuple[list[Section], list[Signature]]:
    """The form's sections and signature boxes in ``ctx.lang``."""
    lang = ctx.lang

    def t(key: str) -> str:
        return term(key, lang)

    product = product_text(data.part_number, data.product_name)
    info = Section(
        t("sec.complaint"),
        [
            Fields(
                [
                    *customer_header(data, lang),
                    Field(t("product"), product),
                    Field(t("lot"), data.lot),
                    Field(t("qty_affected"), ctx.number(data.qty_affected)),
                    Field(t("qty_delivered"), ctx.number(data.qty_delivered)),
                    Field(t("received_at"), ctx.datetime(data.received_at)),
                    Field(t("received_via"), enum_term(E.Channel, data.received_via, lang)),
                    Field(t("defect_category"), data.defect_category_in(lang)),
                    Field(t("deadline"), ctx.datetime(data.due_at)),
                    Field(t("feedback_number"), data.feedback_number),
                    Field(t("status"), enum_term(E.ComplaintStatus, data.status, lang)),
                ]
                + (
                    [Field(t("repeat_of"), data.repeat_of_number, wide=True)]
                    if data.repeat_of_number
                    else []
                )
            ),
            Choice(t("severity"), tick_options(enum_options(E.Severity, lang), data.severity)),
            TextBox(t("complaint_description"), data.description, lines=4),
            TextBox(t("customer_request"), data.customer_request, lines=2),
        ],
    )
    investigation = Section(
        t("sec.investigation"),
        [
            TextBox(t("investigation"), data.investigation, lines=3),
            TextBox(t("cause"), data.cause, lines=3),
            TextBox(t("evidence"), data.evidence, lines=2),
            Fields(
                [
                    Field(t("team"), data.team, wide=True),
                    Field(t("onsite_by"), data.onsite_by),
                    Field(t("onsite_on"), ctx.date(data.onsite_on)),
                ]
            ),
            TextBox(t("onsite_findings"), data.onsite_findings, lines=2),
        ],
    )
    responsibility = Section(
        t("sec.responsibility"),
        [
            Choice(
                t("responsibility"),
                tick_options(enum_options(E.Responsibility, lang), data.responsibility),
            ),
            TextBox(t("explanation"), data.explanation, lines=2),
        ],
    )
    emergency = Section(
        t("sec.emergency"),
        [
            TextBox(t("preliminary_plan"), data.preliminary_plan, lines=4),
            Fields(
                [
                    Field(t("plan_fed_back_at"), ctx.datetime(data.plan_fed_back_at), wide=True),
                    Field(t("dispatch_by"), data.dispatch_by),
                    Field(t("dispatch_on"), ctx.date(data.dispatch_on)),
                ]
            ),
            TextBox(t("dispatch_action"), data.dispatch_action, lines=2),
            Note(t("containment")),
            containment_grid(data, ctx),
            Fields([Field(t("nc_report"), data.nc_report_number, wide=True)]),
        ],
    )
    action_rows = [
        [
            str(i),
            enum_term(E.ActionType, a.action_type, lang),
            a.description,
            enum_term(E.Department, a.department, lang),
            a.owner,
            ctx.date(a.due_date),
            enum_term(E.ActionStatus, a.status, lang),
        ]
        for i, a in enumerate(data.actions, start=1)
    ]
    verification_rows = [
        [
            str(i),
            a.execution_note,
            by_on(a.executed_by, ctx.date(a.executed_at)),
            a.verification_result,
            by_on(a.verified_by, ctx.date(a.verified_at)),
        ]
        for i, a in enumerate(data.actions, start=1)
    ]
    spare_rows = 0 if data.actions else 3
    longterm = Section(
        t("sec.longterm"),
        [
            Note(t("longterm_ref")),
            Grid(
                [
                    t("no_"),
                    t("action_type"),
                    t("action"),
                    t("responsible_department"),
                    t("owner"),
                    t("due_date"),
                    t("status"),
                ],
                action_rows,
                [0.5, 1.6, 3.0, 1.4, 1.1, 1.15, 1.1],
                blank_rows=spare_rows,
            ),
        ],
    )
    verification = Section(
        t("sec.verification"),
        [
            Grid(
                [t("no_"), t("execution"), t("executed"), t("verification_result"), t("verified")],
                verification_rows,
                [0.45, 3.0, 1.6, 3.0, 1.6],
                blank_rows=spare_rows,
            )
        ],
    )
    communication = Section(
        t("sec.communication"),
        [
            *communication_grids(data, ctx, blank_answer_rows=2),
            Fields([Field(t("accepted_on"), ctx.datetime(data.customer_accepted_at), wide=True)]),
        ],
    )
    sections = [
        info,
        investigation,
        responsibility,
        emergency,
        longterm,
        verification,
        communication,
    ]
    if ctx.blank or any(v is not None for v in data.costs.values()):
        values = [data.costs.get(f) for f in COST_FIELDS]
        total = sum((v for v in values if v is not None), decimal.Decimal(0))
        sections.append(
            Section(
                t("sec.cost"),
                [
                    Fields(
                        [
                            Field(t(f), ctx.number(v))
                            for f, v in zip(COST_FIELDS, values, strict=True)
                        ]
                        + [Field(t("cost_total"), "" if ctx.blank else ctx.number(total))]
                    )
                ],
            )
        )
    approval_fields = [
        Field(t("approved_by"), data.approved_by),
        Field(t("approved_on"), ctx.date(data.approved_at)),
        Field(t("closed_on"), ctx.date(data.closed_at), wide=True),
    ]
    if data.reopen_reason:
        approval_fields.append(Field(t("reopen_reason"), data.reopen_reason, wide=True))
    sections.append(Section(t("sec.approval"), [Fields(approval_fields)]))

    return sections, signature_boxes(data, ctx)


def blank() -> ComplaintData:
    """The empty form, for filling in by hand."""
    return ComplaintData()
