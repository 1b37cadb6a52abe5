"""No input ends in a traceback at the service boundary (issue #15 item 11).

Fuzzed service calls on SQLite (every outcome a saved record or a :class:`CqmsError`), and the
issue's cases explicitly on every backend: NUL (PostgreSQL refuses it in text), lone
surrogates, 10^20 (MariaDB and PostgreSQL overflow, SQLite's driver raises OverflowError), a
cost of 1e30, received times in year 1 and 9999 or with an offset, huge record ids.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.errors import CqmsError, ValidationError
from cqms_desktop.services import admin, complaints, feedback, service_records, visits
from cqms_desktop.store.models import Complaint, Customer, Feedback
from tests.fuzzing import ANYTHING, MOMENTS, NUMBERS, TEXTS, fuzz

NOW = datetime(2026, 11, 20, 9, 0)
pytestmark = pytest.mark.clock_at("2026-11-20T09:00")


def _registers(actors, customer_id, /, **values):
    base = {
        "customer_id": customer_id,
        "description": "Connector cracked",
        "severity": "normal",
        "received_at": NOW - timedelta(hours=1),
    }
    return complaints.register_complaint(actors[D.SALES], **{**base, **values})


def _refused(call, field: str | None = None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    if field is not None:
        assert caught.value.field == field, str(caught.value)
    return caught.value


# ---------------------------------------------------------------- fuzzing (SQLite)


@fuzz(300)
@given(
    name=st.sampled_from(
        [
            "description",
            "lot",
            "qty_affected",
            "qty_delivered",
            "received_at",
            "severity",
            "received_via",
            "customer_request",
            "product_id",
            "customer_id",
            "feedback_id",
        ]
    ),
    value=st.one_of(ANYTHING, MOMENTS),
)
def test_fuzzed_registration_saves_or_refuses(actors, name, value):
    customer = Customer.get_or_none(Customer.code == "F1") or admin.add_customer(
        actors[D.SALES], code="F1", name="Fuzz"
    )
    before = Complaint.select().count()
    try:
        _registers(actors, customer.id, **{name: value})
    except CqmsError:
        assert Complaint.select().count() == before  # nothing half saved
        return


COMPLAINT_EDITS = [
    "cost_compensation",
    "cost_freight",
    "qty_affected",
    "fg_checked",
    "oral_notice_at",
    "onsite_on",
    "cause",
    "investigation",
    "lot",
]


@fuzz(300)
@given(name=st.sampled_from(COMPLAINT_EDITS), value=st.one_of(ANYTHING, NUMBERS))
def test_fuzzed_complaint_edits_save_or_refuse(actors, name, value):
    customer = Customer.get_or_none(Customer.code == "F1") or admin.add_customer(
        actors[D.SALES], code="F1", name="Fuzz"
    )
    record = Complaint.get_or_none() or _registers(actors, customer.id)
    actor = actors[D.SALES] if name.startswith(("cost", "qty", "lot")) else actors[D.QA]
    try:
        complaints.update_complaint(
            actor,
            complaint_id=record.id,
            version=Complaint.get_by_id(record.id).version,
            **{name: value},
        )
    except CqmsError:
        return


@fuzz(300)
@given(
    text=TEXTS,
    received=st.one_of(st.none(), MOMENTS),
    customer_id=st.one_of(st.integers(), st.sampled_from([10**20, -1, 0])),
)
def test_fuzzed_feedback_and_master_data_save_or_refuse(actors, text, received, customer_id):
    customer = Customer.get_or_none(Customer.code == "F1") or admin.add_customer(
        actors[D.SALES], code="F1", name="Fuzz"
    )
    calls = [
        lambda: feedback.register_feedback(
            actors[D.QA],
            customer_id=customer.id,
            channel="phone",
            description=text,
            received_at=received,
        ),
        lambda: feedback.register_feedback(
            actors[D.QA], customer_id=customer_id, channel="phone", description="x"
        ),
        lambda: admin.add_customer(actors[D.SALES], code="F2", name=text),
        lambda: admin.add_product(actors[D.SALES], part_number=text, name="x"),
        lambda: visits.record_visit(
            actors[D.SALES], customer_id=customer_id, visit_date="2026-11-01", purpose=text
        ),
        lambda: service_records.add_service_record(
            actors[D.SALES],
            customer_id=customer.id,
            kind="exchange",
            service_date="2026-11-01",
            part_number="P1",
            quantity=text,
            reason="r",
        ),
        lambda: admin.find_user(text),
    ]
    for call in calls:
        with contextlib.suppress(CqmsError):
            call()


# ---------------------------------------------------------------- the cases, every backend


@pytest.mark.backends
@pytest.mark.parametrize("text", ["NUL \x00 here", "lone \ud800 surrogate"])
def test_unstorable_text_is_refused_naming_the_field(any_actors, customer, text):
    _refused(lambda: _registers(any_actors, customer.id, description=text), "description")
    _refused(
        lambda: feedback.register_feedback(
            any_actors[D.QA], customer_id=customer.id, channel="phone", description="x", caller=text
        ),
        "caller",
    )
    _refused(lambda: admin.add_customer(any_actors[D.SALES], code="C2", name=text), "name")
    assert Complaint.select().count() == 0 and Feedback.select().count() == 0


@pytest.mark.backends
@pytest.mark.parametrize("quantity", [99999999999999999999, "99999999999999999999", 2**31])
def test_huge_quantities_are_refused_naming_the_field(any_actors, customer, quantity):
    _refused(lambda: _registers(any_actors, customer.id, qty_affected=quantity), "qty_affected")
    record = _registers(any_actors, customer.id, qty_delivered=2**31 - 1)
    assert Complaint.get_by_id(record.id).qty_delivered == 2**31 - 1
    _refused(
        lambda: service_records.add_service_record(
            any_actors[D.SALES],
            customer_id=customer.id,
            kind="exchange",
            service_date="2026-11-01",
            part_number="P1",
            quantity=quantity,
            reason="r",
        ),
        "quantity",
    )


@pytest.mark.backends
def test_huge_ids_are_refused_naming_the_field(any_actors, customer):
    record = _registers(any_actors, customer.id)
    huge = 99999999999999999999
    _refused(lambda: _registers(any_actors, huge), "customer")
    _refused(lambda: _registers(any_actors, customer.id, product_id=huge), "product")
    _refused(
        lambda: complaints.update_complaint(any_actors[D.SALES], complaint_id=huge, version=1),
        "complaint",
    )
    _refused(
        lambda: complaints.update_complaint(
            any_actors[D.SALES], complaint_id=record.id, version=huge, lot="x"
        ),
        "version",
    )
    _refused(
        lambda: feedback.register_feedback(
            any_actors[D.QA],
            customer_id=customer.id,
            channel="phone",
            description="x",
            visit_id=huge,
        ),
        "visit",
    )


@pytest.mark.backends
@pytest.mark.parametrize("cost", ["1e30", 1e30, "10000000000"])
def test_costs_are_refused_not_approximated(any_actors, customer, cost):
    record = _registers(any_actors, customer.id)
    _refused(
        lambda: complaints.update_complaint(
            any_actors[D.SALES],
            complaint_id=record.id,
            version=record.version,
            cost_compensation=cost,
        ),
        "cost_compensation",
    )
    saved = complaints.update_complaint(
        any_actors[D.SALES],
        complaint_id=record.id,
        version=record.version,
        cost_compensation="9999999999.99",
    )
    assert str(Complaint.get_by_id(saved.id).cost_compensation) == "9999999999.99"


@pytest.mark.backends
@pytest.mark.parametrize(
    "received",
    [
        datetime(1, 1, 1),
        datetime(1, 1, 1, 6, tzinfo=timezone(timedelta(hours=8))),
        datetime(9999, 12, 31, 23, 59, 59),
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_received_times_in_year_1_or_9999_are_refused(any_actors, customer, received):
    _refused(lambda: _registers(any_actors, customer.id, received_at=received), "received_at")
    _refused(
        lambda: feedback.register_feedback(
            any_actors[D.QA],
            customer_id=customer.id,
            channel="phone",
            description="x",
            received_at=received,
        ),
        "received_at",
    )


@pytest.mark.backends
def test_a_received_time_with_an_offset_is_stored_as_utc(any_actors, customer):
    china = timezone(timedelta(hours=8))
    at = datetime(2026, 11, 20, 12, 0, tzinfo=china)  # 04:00 UTC, before "now"
    registered = feedback.register_feedback(
        any_actors[D.QA], customer_id=customer.id, channel="phone", description="x", received_at=at
    )
    assert Feedback.get_by_id(registered.id).received_at == datetime(2026, 11, 20, 4, 0)
    record = _registers(any_actors, customer.id, received_at=at)
    assert Complaint.get_by_id(record.id).received_at == datetime(2026, 11, 20, 4, 0)


def test_every_public_use_case_checks_its_input():
    """Each public service function taking the acting user is behind ``checked_input`` (a new
    one without it would let 10^20 or NUL reach the driver again)."""
    import importlib
    import inspect
    import pkgutil

    import cqms_desktop.services as services_package
    from cqms_desktop.services.normalise import checked_input

    checked_code = checked_input(lambda: None).__code__
    unchecked = []
    for info in pkgutil.walk_packages(services_package.__path__, "cqms_desktop.services."):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters[:1] == ["actor"] and function.__code__ is not checked_code:
                unchecked.append(f"{module.__name__}.{name}")
    # The permission check itself and the re-reading of the actor's account it starts with.
    assert sorted(unchecked) == [
        "cqms_desktop.services.base.check_current",
        "cqms_desktop.services.base.require",
    ]
