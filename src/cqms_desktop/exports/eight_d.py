"""The 8D report of a customer complaint (D0–D8), for customers who ask for 8D instead of the
company's own Customer Complaint Handling Form.

Nothing is typed twice: the report is filled from the same records as the complaint form
(:func:`complaint_form.load` — the complaint, its long-term countermeasures with execution
and verification, the customer's answers) and laid out through the one controlled layout
(``pdf_layout`` / ``xlsx_layout``), in the customer's language. Which record field lands in
which discipline:

* D0 emergency response — severity and handling deadline (5.2.3 a/b), on-site dispatch and
  when the plan was fed back to Sales (5.2.3 d);
* D1 team — the QA owner as team leader, the investigation team, on-site staff and the
  owners and departments of the countermeasures;
* D2 problem — the customer's description and request, product, lot, quantities, defect;
* D3 containment — the preliminary improvement plan, finished goods / work in progress
  checked, held and nonconforming, the nonconforming-product report (QP1301);
* D4 root cause — investigation, cause, evidence, on-site findings, responsibility;
* D5 permanent corrective actions — the long-term countermeasures (YC/QP-14.01);
* D6 implementation and verification — their execution and QA's verification (5.2.4);
* D7 prevention of recurrence — the kinds of improvement made, a repeat complaint's link;
* D8 closure — customer communication and answers (5.2.5), approval and closure (4.5).
"""

from __future__ import annotations

import re

from ..domain import enums as E
from . import complaint_form
from .complaint_form import ComplaintData
from .document import (
    Block,
    Choice,
    Field,
    Fields,
    FormContext,
    Grid,
    Note,
    Section,
    Signature,
    TextBox,
    customer_header,
    product_text,
    tick_options,
)
from .vocabulary import enum_options, enum_term, term

#: The nine disciplines, in order (their headings are ``term(key, lang)``).
DISCIPLINES: tuple[str, ...] = tuple(f"8d.d{i}" for i in range(9))


def load(number: str) -> ComplaintData:
    """The complaint *number* with everything the report prints (as the complaint form)."""
    return complaint_form.load(number)


def blank() -> ComplaintData:
    """The empty report, for filling in by hand."""
    return ComplaintData()


def title(data: ComplaintData, lang: str) -> str:
    """The report's title in *lang*."""
    return term("form.8d", lang)


def _team_rows(data: ComplaintData, lang: str) -> list[list[str]]:
    """Name, role, department: the team leader, the investigation team and action owners."""
    rows: list[list[str]] = []
    seen: set[str] = set()

    def add(name: str, role: str, department: str = "") -> None:
        name = name.strip()
        if name and name not in seen:
            seen.add(name)
            rows.append([name, role, department])

    qa = enum_term(E.Department, E.Department.QA.value, lang)
    add(data.prepared_by, term("8d.team_leader", lang), qa)
    for member in re.split(r"[,，、;；\n]", data.team):
        add(member, term("8d.team_members", lang))
    add(data.onsite_by, term("onsite_by", lang))
    add(data.dispatch_by, term("dispatch_by", lang))
    for action in data.actions:
        add(action.owner, term("owner", lang), enum_term(E.Department, action.department, lang))
    return rows


def build(data: ComplaintData, ctx: FormContext) -> tuple[list[Section], list[Signature]]:
    """The report's sections (details, D0–D8) and signature boxes in ``ctx.lang``."""
    lang = ctx.lang

    def t(key: str) -> str:
        return term(key, lang)

    product = product_text(data.part_number, data.product_name)
    details = Section(
        t("8d.report_data"),
        [
            Fields(
                [
                    *customer_header(data, lang),
                    Field(t("8d.complaint"), data.number),
                    Field(t("8d.opened_on"), ctx.date(data.received_at)),
                    Field(t("product"), product),
                    Field(t("status"), enum_term(E.ComplaintStatus, data.status, lang)),
                ]
            )
        ],
    )
    d0 = Section(
        t("8d.d0"),
        [
            Choice(t("severity"), tick_options(enum_options(E.Severity, lang), data.severity)),
            Fields(
                [
                    Field(t("received_at"), ctx.datetime(data.received_at)),
                    Field(t("deadline"), ctx.datetime(data.due_at)),
                    Field(t("dispatch_by"), data.dispatch_by),
                    Field(t("dispatch_on"), ctx.date(data.dispatch_on)),
                    Field(t("plan_fed_back_at"), ctx.datetime(data.plan_fed_back_at), wide=True),
                ]
            ),
            TextBox(t("dispatch_action"), data.dispatch_action, lines=2),
        ],
    )
    team = _team_rows(data, lang)
    d1 = Section(
        t("8d.d1"),
        [
            Grid(
                [t("name"), t("8d.role"), t("department")],
                team,
                [2.0, 2.0, 2.0],
                blank_rows=0 if team else 4,
            )
        ],
    )
    d2 = Section(
        t("8d.d2"),
        [
            Fields(
                [
                    Field(t("lot"), data.lot),
                    Field(t("defect_category"), data.defect_category_in(lang)),
                    Field(t("qty_affected"), ctx.number(data.qty_affected)),
                    Field(t("qty_delivered"), ctx.number(data.qty_delivered)),
                    Field(t("received_via"), enum_term(E.Channel, data.received_via, lang)),
                    Field(t("feedback_number"), data.feedback_number),
                ]
            ),
            TextBox(t("complaint_description"), data.description, lines=4),
            TextBox(t("customer_request"), data.customer_request, lines=2),
        ],
    )
    d3 = Section(
        t("8d.d3"),
        [
            TextBox(t("preliminary_plan"), data.preliminary_plan, lines=3),
            Note(t("containment")),
            complaint_form.containment_grid(data, ctx),
            Fields([Field(t("nc_report"), data.nc_report_number, wide=True)]),
        ],
    )
    d4 = Section(
        t("8d.d4"),
        [
            TextBox(t("investigation"), data.investigation, lines=3),
            TextBox(t("cause"), data.cause, lines=3),
            TextBox(t("evidence"), data.evidence, lines=2),
            TextBox(t("onsite_findings"), data.onsite_findings, lines=2),
            Choice(
                t("responsibility"),
                tick_options(enum_options(E.Responsibility, lang), data.responsibility),
            ),
            TextBox(t("explanation"), data.explanation, lines=2),
        ],
    )
    spare_rows = 0 if data.actions else 3
    d5 = Section(
        t("8d.d5"),
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
                ],
                [
                    [
                        str(i),
                        enum_term(E.ActionType, a.action_type, lang),
                        a.description,
                        enum_term(E.Department, a.department, lang),
                        a.owner,
                        ctx.date(a.due_date),
                    ]
                    for i, a in enumerate(data.actions, start=1)
                ],
                [0.5, 1.6, 3.2, 1.5, 1.2, 1.2],
                blank_rows=spare_rows,
            ),
        ],
    )
    d6 = Section(
        t("8d.d6"),
        [
            Grid(
                [
                    t("no_"),
                    t("execution"),
                    t("executed"),
                    t("verification_result"),
                    t("verified"),
                    t("status"),
                ],
                [
                    [
                        str(i),
                        a.execution_note,
                        complaint_form.by_on(a.executed_by, ctx.date(a.executed_at)),
                        a.verification_result,
                        complaint_form.by_on(a.verified_by, ctx.date(a.verified_at)),
                        enum_term(E.ActionStatus, a.status, lang),
                    ]
                    for i, a in enumerate(data.actions, start=1)
                ],
                [0.45, 2.6, 1.5, 2.6, 1.5, 1.1],
                blank_rows=spare_rows,
            )
        ],
    )
    made = {a.action_type for a in data.actions}
    d7_blocks: list[Block] = [
        Choice(
            t("8d.improvements"),
            [(word, code in made) for code, word in enum_options(E.ActionType, lang)],
        ),
        Note(t("8d.lessons")),
    ]
    if data.repeat_of_number:
        d7_blocks.append(Fields([Field(t("repeat_of"), data.repeat_of_number, wide=True)]))
    d7 = Section(t("8d.d7"), d7_blocks)
    d8 = Section(
        t("8d.d8"),
        [
            *complaint_form.communication_grids(data, ctx, blank_answer_rows=1),
            Fields(
                [
                    Field(t("accepted_on"), ctx.datetime(data.customer_accepted_at)),
                    Field(t("approved_by"), data.approved_by),
                    Field(t("approved_on"), ctx.date(data.approved_at)),
                    Field(t("closed_on"), ctx.date(data.closed_at)),
                ]
                + (
                    [Field(t("reopen_reason"), data.reopen_reason, wide=True)]
                    if data.reopen_reason
                    else []
                )
            ),
        ],
    )
    return [details, d0, d1, d2, d3, d4, d5, d6, d7, d8], complaint_form.signature_boxes(data, ctx)
