"""5.1.1 customer visits, recorded on the Customer Visit Form (《顾客访问单》).

Sales visits every active customer at least once a month, records what was discussed and the
customer's requests, and forwards the requests to QA, the Technical Section, Manufacturing and
Administration, who acknowledge them (see :mod:`.circulation`). The monthly compliance is in
:mod:`.visit_plan_queries`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from ..domain import validation as v
from ..domain import visit_rules
from ..domain.clock import today as clock_today
from ..domain.enums import Department, VisitStatus
from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.input_limits import check_day, record_number
from ..store import audit
from ..store.counters import next_number
from ..store.db import retry_transient
from ..store.models import Customer, User, Visit
from . import circulation
from .base import Actor, require, unit_of_work
from .lookup import load_record
from .normalise import checked_input
from .parent_lock import children_changed, lock_parent

#: Who records and edits visits (4.1: Sales is the window to the customer).
EDITORS = (Department.SALES,)

_TEXT_LIMITS = {
    "sales_people": 255,
    "customer_people": 255,
    "purpose": 4000,
    "discussion": 8000,
    "requests": 8000,
    "follow_up": 8000,
}


def parse_date(value: Any, field: str) -> date:
    """A calendar date from a ``date`` or an ISO ``YYYY-MM-DD`` text; required."""
    if isinstance(value, datetime):
        return check_day(value.date(), field)
    if isinstance(value, date):
        return check_day(value, field)
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=field)
    try:
        return check_day(date.fromisoformat(text), field)
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{value}” is not a date (YYYY-MM-DD)."),
            field=field,
            value=text,
        ) from None


def optional_date(value: Any, field: str) -> date | None:
    """Like :func:`parse_date`, but empty gives ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, field)


def existing_customer(customer_id: Any, *, active_only: bool = False) -> Customer:
    """The customer with *customer_id*, or an error naming the Customer field."""
    if customer_id in (None, ""):
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field="customer")
    number = record_number(customer_id)
    customer = None if number is None else Customer.get_or_none(Customer.id == number)
    if customer is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: no such customer."), field="customer"
        )
    if active_only and not customer.active:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” is not an active customer."),
            field="customer",
            name=customer.name,
        )
    return customer


def _clean(values: dict[str, Any], today: date, partial: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "customer_id" in values or not partial:
        clean["customer"] = existing_customer(values.get("customer_id")).id
    if "visit_date" in values or not partial:
        day = parse_date(values.get("visit_date"), "visit_date")
        clean["visit_date"] = v.not_in_future(day, "visit_date", today)
    if "purpose" in values or not partial:
        clean["purpose"] = v.required_text(values.get("purpose"), "purpose", 4000)
    for key, limit in _TEXT_LIMITS.items():
        if key in values and key != "purpose":
            clean[key] = v.optional_text(values[key], key, limit)
    unknown = set(values) - set(_TEXT_LIMITS) - {"customer_id", "visit_date"}
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Unknown field “{key}”."), key=sorted(unknown)[0]
        )
    return clean


@checked_input
@retry_transient
def record_visit(
    actor: Actor,
    *,
    customer_id: int,
    visit_date: date | str,
    purpose: str,
    sales_people: str = "",
    customer_people: str = "",
    discussion: str = "",
    requests: str = "",
    follow_up: str = "",
    route_to: Iterable[str] | None = None,
    routing_reason: str = "",
    today: date | None = None,
) -> Visit:
    """Record a visit (a new Customer Visit Form) and forward its requests.

    *route_to* lists the departments the requests go to; when omitted, a visit with requests
    goes to the four departments of 5.1.1 and a visit without requests to nobody. Leaving one
    of the four out needs *routing_reason*. *today* (the local date) is for tests; a visit
    cannot be dated in the future.
    """
    require(actor, admin=True, departments=EDITORS)
    today = today or clock_today()
    clean = _clean(
        {
            "customer_id": customer_id,
            "visit_date": visit_date,
            "purpose": purpose,
            "sales_people": sales_people,
            "customer_people": customer_people,
            "discussion": discussion,
            "requests": requests,
            "follow_up": follow_up,
        },
        today,
        partial=False,
    )
    if not clean["sales_people"]:
        clean["sales_people"] = actor.full_name
    if route_to is None:
        route_to = [d.value for d in circulation.VISIT_DEPARTMENTS] if clean["requests"] else []
    route_to = list(route_to)
    clean["routing_reason"] = visit_rules.checked_routing_reason(
        clean["requests"], route_to, routing_reason
    )
    with unit_of_work("visit", "circulation"):
        visitor = User.get_or_none(User.id == actor.user_id) if actor.user_id else None
        visit = audit.create(
            Visit,
            actor.username,
            number=next_number("visit", clean["visit_date"].year),
            visitor=visitor.id if visitor else None,
            status=VisitStatus.OPEN.value,
            **clean,
        )
        circulation.set_routing(circulation.VISIT, visit.id, route_to, actor.username)
        circulation.record_status_after_routing(circulation.VISIT, visit.id, actor.username)
        return Visit.get_by_id(visit.id)


@checked_input
@retry_transient
def update_visit(
    actor: Actor,
    *,
    visit_id: int,
    version: int,
    route_to: Iterable[str] | None = None,
    routing_reason: str | None = None,
    today: date | None = None,
    **changes: Any,
) -> Visit:
    """Change a visit the user opened at *version*; optionally re-route its requests.

    The routing (new or kept) must still obey 5.1.1 with the requests as changed: a
    department left out needs a reason (*routing_reason*, else the one already stored).
    """
    require(actor, admin=True, departments=EDITORS)
    clean = _clean(changes, today or clock_today(), partial=True)
    with unit_of_work("visit", "circulation"):
        locked = lock_parent(Visit, visit_id, version)
        routed = _routing_after(locked, route_to)
        requests = clean.get("requests", locked.requests)
        reason = locked.routing_reason if routing_reason is None else routing_reason
        clean["routing_reason"] = visit_rules.checked_routing_reason(requests, routed, reason)
        audit.update(Visit, visit_id, actor.username, clean, version)
        if route_to is not None:
            _route(actor, locked, routed)
        return Visit.get_by_id(visit_id)


def _routing_after(locked: Visit, route_to: Iterable[str] | None) -> list[str]:
    """The departments the visit goes to after the change: *route_to*, or as it is now."""
    if route_to is not None:
        return [str(code) for code in route_to]
    return [row.department for row in circulation.routing_rows(circulation.VISIT, locked.id)]


def _route(actor: Actor, locked: Visit, departments: Iterable[str]) -> None:
    """Set the routing of the *locked* visit, raising its version if it changed."""
    if circulation.set_routing(circulation.VISIT, locked.id, departments, actor.username):
        circulation.record_status_after_routing(circulation.VISIT, locked.id, actor.username)
        children_changed(Visit, locked, actor.username)


@checked_input
@retry_transient
def route_visit(
    actor: Actor,
    *,
    visit_id: int,
    departments: Iterable[str],
    version: int | None = None,
    routing_reason: str | None = None,
) -> Visit:
    """Forward the visit's requests to exactly *departments*.

    *version* is the version the user opened: a stale one is refused. A changed routing
    raises the visit's version, like any other change of it. Leaving one of the four
    departments of 5.1.1 out needs *routing_reason* (else the one already stored).
    """
    require(actor, admin=True, departments=EDITORS)
    with unit_of_work("visit", "circulation"):
        locked = lock_parent(Visit, visit_id, version)
        routed = [str(code) for code in departments]
        reason = locked.routing_reason if routing_reason is None else routing_reason
        checked = visit_rules.checked_routing_reason(locked.requests, routed, reason)
        audit.update(Visit, visit_id, actor.username, {"routing_reason": checked}, None)
        _route(actor, locked, routed)
        return Visit.get_by_id(visit_id)


#: The error :func:`visit_by_number` gives for a number no visit has.
_UNKNOWN_NUMBER = QT_TRANSLATE_NOOP("Errors", "There is no visit “{number}”.")


def get_visit(visit_id: int) -> Visit:
    """One visit, or :class:`NotFoundError`."""
    return load_record(Visit, visit_id, _UNKNOWN_NUMBER)


def visit_by_number(number: str) -> Visit:
    """One visit by its record number (for the command line and the forms)."""
    return load_record(Visit, number, _UNKNOWN_NUMBER)


def visit_routing(visit_id: int) -> list[circulation.RoutingLine]:
    """Who the visit's requests went to, who acknowledged when, and what they answered."""
    return circulation.routing_lines(circulation.VISIT, visit_id)
