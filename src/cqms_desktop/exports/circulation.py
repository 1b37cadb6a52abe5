"""Circulation (传阅) rows shared by the visit and feedback forms: who was sent what, who
acknowledged (签收) it and when, and the department's response."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain import enums as E
from ..domain.visit_rules import VISIT_DEPARTMENTS
from ..store.models import Circulation
from .document import FormContext, Grid, display_names
from .vocabulary import enum_term, term

#: The departments a visit's requests go to (5.1.1); the blank form lists them ready to sign.
VISIT_RECIPIENTS = VISIT_DEPARTMENTS


@dataclass
class CirculationRow:
    """One department's copy of a visit's requests or of a feedback."""

    department: str
    sent_at: dt.datetime | None = None
    acknowledged_by: str = ""
    acknowledged_at: dt.datetime | None = None
    response: str = ""


def load_circulation(record_kind: str, record_id: int) -> list[CirculationRow]:
    """The circulation of one record, in the order it was sent."""
    rows = list(
        Circulation.select()
        .where((Circulation.record_kind == record_kind) & (Circulation.record_id == record_id))
        .order_by(Circulation.sent_at, Circulation.id)
    )
    names = display_names({r.acknowledged_by for r in rows})
    return [
        CirculationRow(
            department=r.department,
            sent_at=r.sent_at,
            acknowledged_by=names.get(r.acknowledged_by, r.acknowledged_by),
            acknowledged_at=r.acknowledged_at,
            response=r.response,
        )
        for r in rows
    ]


def circulation_grid(rows: list[CirculationRow], ctx: FormContext, spare: int = 0) -> Grid:
    """The circulation table: department, sent, acknowledged by / on, response."""
    lang = ctx.lang
    return Grid(
        [
            term("department", lang),
            term("sent_at", lang),
            term("acknowledged_by", lang),
            term("acknowledged_at", lang),
            term("response", lang),
        ],
        [
            [
                enum_term(E.Department, r.department, lang),
                ctx.datetime(r.sent_at),
                r.acknowledged_by,
                ctx.datetime(r.acknowledged_at),
                r.response,
            ]
            for r in rows
        ],
        [1.5, 1.4, 1.3, 1.4, 3.0],
        blank_rows=spare,
    )
