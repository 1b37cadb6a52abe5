""" "My work": what waits for the logged-in user and their department, overdue first.

Each part of the list comes from the rule in :mod:`cqms_desktop.domain.work_items` (which
complaint states wait on which department, who may verify) and the deadline rules of
:mod:`cqms_desktop.domain.deadlines`; the queries below only select the candidate rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo

import peewee as pw

from ..domain.clock import to_local, utcnow
from ..domain.complaint_action_rules import may_verify
from ..domain.complaint_workflow import OPEN_STATES
from ..domain.deadlines import action_is_open, action_overdue, is_overdue
from ..domain.enums import ActionStatus, Department, FeedbackStatus, ScarStatus, SurveyStatus
from ..domain.scar_rules import may_verify as may_verify_reply
from ..domain.scar_rules import reply_overdue
from ..domain.survey_scoring import not_returned_in_time, parse_quarter
from ..domain.work_items import (
    DUTY_OF,
    WorkItem,
    WorkKind,
    action_waits_for_verification,
    complaint_states_waiting_on,
    sort_key,
)
from ..store.models import (
    Circulation,
    Complaint,
    CorrectiveAction,
    Customer,
    CustomerResponse,
    Feedback,
    Scar,
    Survey,
    Visit,
)
from . import circulation, forwarding_sql, scars
from .base import Actor, require
from .complaint_deadlines import company_today, current_zone
from .normalise import checked_input


@checked_input
def my_work(actor: Actor, *, now: datetime | None = None) -> list[WorkItem]:
    """Everything that waits for *actor* or their department, overdue first, then by due day."""
    require(actor)
    now = now or utcnow()
    zone = current_zone()
    today = company_today(now, zone)
    items: list[WorkItem] = []
    items += _complaints(actor.department, now, zone)
    items += _actions_to_carry_out(actor, today)
    if actor.department == DUTY_OF[WorkKind.ACTION_TO_VERIFY]:
        items += _actions_to_verify(actor, today)
    if actor.department == DUTY_OF[WorkKind.FEEDBACK_TO_FORWARD]:
        items += _feedback_to_forward(now, zone)
    # Acknowledgements are due within the ack_overdue_days setting.
    ack_limit = circulation.overdue_before(now)
    items += _routings_to_acknowledge(actor.department, now, ack_limit, zone)
    if actor.department == DUTY_OF[WorkKind.SURVEY_TO_CHASE]:
        items += _surveys_to_chase(actor, today)
    if actor.department == DUTY_OF[WorkKind.SCAR_TO_VERIFY]:
        items += _scars(actor, today)
    return sorted(items, key=sort_key)


def counts(items: Iterable[WorkItem]) -> tuple[int, int]:
    """(all, overdue) of a "My work" list: for the tab's title and the status bar."""
    listed = list(items)
    return len(listed), sum(1 for item in listed if item.overdue)


def _local_day(moment: datetime | None, zone: tzinfo | None) -> date | None:
    return to_local(moment, zone).date() if moment is not None else None


def _complaints(department: Department, now: datetime, zone: tzinfo | None) -> list[WorkItem]:
    states = complaint_states_waiting_on(department) & OPEN_STATES
    if not states:
        return []
    rows = (
        Complaint.select(
            Complaint.id,
            Complaint.number,
            Complaint.description,
            Complaint.status,
            Complaint.due_at,
            Complaint.handled_at,
            Customer.name,
        )
        .join(Customer)
        .where(Complaint.status.in_(sorted(s.value for s in states)))
    )
    complaints = list(rows)
    refusals = _latest_refusals([c.id for c in complaints])
    return [
        WorkItem(
            kind=WorkKind.COMPLAINT_STEP,
            record_kind="complaint",
            record_id=c.id,
            number=c.number,
            customer=c.customer.name,
            summary=c.description,
            due=_local_day(c.due_at, zone),
            due_at=c.due_at,
            # The 2/7-day limit is for handling; once handled, later steps have no deadline.
            overdue=c.handled_at is None and is_overdue(c.due_at, now, None),
            detail=refusals.get(c.id, ""),
        )
        for c in complaints
    ]


def _latest_refusals(complaint_ids: list[int]) -> dict[int, str]:
    """The customer's reason, for complaints whose latest answer was a refusal."""
    if not complaint_ids:
        return {}
    latest: dict[int, CustomerResponse] = {}
    query = (
        CustomerResponse.select()
        .where(CustomerResponse.complaint.in_(complaint_ids))
        .order_by(CustomerResponse.recorded_at, CustomerResponse.id)
    )
    for response in query:
        latest[response.complaint_id] = response
    return {
        cid: response.reason or "—" for cid, response in latest.items() if not response.accepted
    }


def _open_actions() -> pw.ModelSelect[CorrectiveAction]:
    return (
        CorrectiveAction.select(
            CorrectiveAction, Complaint.id, Complaint.number, Complaint.qa_owner, Customer.name
        )
        .join(Complaint)
        .join(Customer)
        .where(Complaint.status.in_(sorted(s.value for s in OPEN_STATES)))
        .switch(CorrectiveAction)
    )


def _action_item(kind: WorkKind, action: CorrectiveAction, today: date, mine: bool) -> WorkItem:
    return WorkItem(
        kind=kind,
        record_kind="complaint",
        record_id=action.complaint_id,
        number=action.complaint.number,
        customer=action.complaint.customer.name,
        summary=action.description,
        due=action.due_date,
        overdue=action_overdue(action.due_date, action.status, today),
        mine=mine,
    )


def _actions_to_carry_out(actor: Actor, today: date) -> list[WorkItem]:
    addressed = CorrectiveAction.department == actor.department.value
    if actor.user_id is not None:  # an action may name an owner from another department
        addressed |= CorrectiveAction.owner == actor.user_id
    query = _open_actions().where((CorrectiveAction.status == ActionStatus.OPEN.value) & addressed)
    return [
        _action_item(
            WorkKind.ACTION_TO_CARRY_OUT,
            a,
            today,
            mine=actor.user_id is not None and a.owner_id == actor.user_id,
        )
        for a in query
        if action_is_open(a.status)
    ]


def _actions_to_verify(actor: Actor, today: date) -> list[WorkItem]:
    query = _open_actions().where(CorrectiveAction.status == ActionStatus.DONE.value)
    return [
        _action_item(WorkKind.ACTION_TO_VERIFY, a, today, mine=False)
        for a in query
        if action_waits_for_verification(a.status)
        and may_verify(
            a.owner_id, a.executed_by, actor.user_id, actor.username, a.complaint.qa_owner_id
        )
    ]


def _ack_due(sent: datetime, now: datetime, limit: datetime, zone: tzinfo | None) -> date | None:
    """The local day by which something sent at *sent* must be acknowledged: overdue once
    sent before *limit* (:func:`circulation.overdue_before` of *now*), so due *now - limit*
    after it was sent."""
    return _local_day(sent + (now - limit), zone)


def _feedback_to_forward(now: datetime, zone: tzinfo | None) -> list[WorkItem]:
    """5.1.2 "immediately": open feedback, overdue once not forwarded within the
    ``forward_within_hours`` setting (:class:`~domain.forwarding_rule.ForwardingRule`)."""
    rule = forwarding_sql.current_rule()
    query = (
        Feedback.select(Feedback, Customer.name)
        .join(Customer)
        .where(Feedback.status == FeedbackStatus.OPEN.value)
    )
    return [
        WorkItem(
            kind=WorkKind.FEEDBACK_TO_FORWARD,
            record_kind="feedback",
            record_id=f.id,
            number=f.number,
            customer=f.customer.name,
            summary=f.description,
            due=_local_day(rule.due_at(f.received_at), zone),
            due_at=rule.due_at(f.received_at),
            overdue=rule.is_late(f.status, f.received_at, now),
        )
        for f in query
    ]


def _routings_to_acknowledge(
    department: Department, now: datetime, limit: datetime, zone: tzinfo | None
) -> list[WorkItem]:
    rows = list(
        Circulation.select().where(
            (Circulation.department == department.value) & Circulation.acknowledged_at.is_null()
        )
    )
    items: list[WorkItem] = []
    for kind, model, text in (
        (circulation.VISIT, Visit, Visit.requests),
        (circulation.FEEDBACK, Feedback, Feedback.description),
    ):
        ids = [r.record_id for r in rows if r.record_kind == kind]
        if not ids:
            continue
        records = {
            r.id: r
            for r in model.select(model.id, model.number, text, Customer.name)
            .join(Customer)
            .where(model.id.in_(ids))
        }
        for row in rows:
            record = records.get(row.record_id) if row.record_kind == kind else None
            if record is None:
                continue
            items.append(
                WorkItem(
                    kind=WorkKind.ROUTING_TO_ACKNOWLEDGE,
                    record_kind=kind,
                    record_id=record.id,
                    number=record.number,
                    customer=record.customer.name,
                    summary=getattr(record, text.name),
                    due=_ack_due(row.sent_at, now, limit, zone),
                    overdue=row.sent_at < limit,
                )
            )
    return items


def _surveys_to_chase(actor: Actor, today: date) -> list[WorkItem]:
    query = (
        Survey.select(Survey, Customer.name, Customer.sales_rep)
        .join(Customer)
        .where(Survey.status == SurveyStatus.SENT.value)
    )
    items = []
    for survey in query:
        quarter = parse_quarter(survey.quarter)
        items.append(
            WorkItem(
                kind=WorkKind.SURVEY_TO_CHASE,
                record_kind="survey",
                record_id=survey.id,
                number=survey.number,
                customer=survey.customer.name,
                summary=survey.quarter,
                due=quarter.end,
                overdue=not_returned_in_time(quarter, survey.returned_on, today),
                mine=actor.user_id is not None and survey.customer.sales_rep_id == actor.user_id,
            )
        )
    return items


def _scar_item(kind: WorkKind, scar: Scar, today: date) -> WorkItem:
    """A SCAR's line; it opens the complaint, whose editor lists and opens its SCARs."""
    return WorkItem(
        kind=kind,
        record_kind="complaint",
        record_id=scar.complaint_id,
        number=scar.number,
        customer=f"{scar.supplier.code} – {scar.supplier.name}",
        summary=scar.defect,
        due=scar.reply_due if kind is WorkKind.SCAR_REPLY_OVERDUE else None,
        overdue=reply_overdue(scar.status, scar.reply_due, today),
    )


def _scars(actor: Actor, today: date) -> list[WorkItem]:
    """QA: supplier replies overdue (chase the supplier); replies to verify — not by whoever
    recorded them — and verified SCARs to close."""
    items = [
        _scar_item(WorkKind.SCAR_REPLY_OVERDUE, s, today) for s in scars.overdue_replies(today)
    ]
    items += [
        _scar_item(WorkKind.SCAR_TO_VERIFY, s, today)
        for s in scars.to_verify_or_close()
        if s.status != ScarStatus.REPLIED.value
        or may_verify_reply(s.reply_recorded_by, actor.username)
    ]
    return items
