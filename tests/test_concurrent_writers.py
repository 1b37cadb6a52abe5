"""Eight writers at the same moment, on SQLite, PostgreSQL and MariaDB (issue #15, items 3, 5
and 6): routing changed from one opened version, parallel password guessers, the first record
of a year, the same new customer code. Each writer is a thread with its own connection."""

from __future__ import annotations

import itertools
import time

import pytest

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import AuthenticationError, ConflictError, ValidationError
from cqms_desktop.services import admin, auth, circulation, feedback
from cqms_desktop.store.models import Customer, Feedback, User
from tests.concurrency import outcomes, run_together
from tests.users import make_user

pytestmark = pytest.mark.backends

WRITERS = 8


def _feedback(actor, customer):
    return feedback.register_feedback(
        actor, customer_id=customer.id, channel="phone", description="Kratzer"
    )


def test_routing_changed_at_one_version_saves_exactly_one(any_actors, customer):
    sales = any_actors[Department.SALES]
    # Already routed: changing the routing again changes no field of the feedback itself.
    fb = feedback.route_feedback(
        sales, feedback_id=_feedback(sales, customer).id, departments=["administration"]
    )
    choices = [d.value for d in circulation.FEEDBACK_DEPARTMENTS]
    lists = [list(pair) for pair in itertools.combinations(choices, 2)][:WRITERS]

    results = run_together(
        WRITERS,
        lambda i: feedback.update_feedback(
            sales, feedback_id=fb.id, version=fb.version, departments=lists[i]
        ),
    )

    assert outcomes(results) == {"saved": 1, "ConflictError": WRITERS - 1}, results
    (winner,) = [i for i, r in enumerate(results) if not isinstance(r, Exception)]
    saved = [line.department.value for line in feedback.feedback_routing(fb.id)]
    assert sorted(saved) == sorted(lists[winner])  # the one saved is the one kept: none lost
    assert Feedback.get_by_id(fb.id).version == fb.version + 1
    assert "after you opened it" in str(next(r for r in results if isinstance(r, Exception)))


def test_route_feedback_with_a_stale_version_is_refused(any_actors, customer):
    sales = any_actors[Department.SALES]
    fb = _feedback(sales, customer)
    routed = feedback.route_feedback(sales, feedback_id=fb.id, departments=["qa"])
    assert routed.version == fb.version + 1
    with pytest.raises(ConflictError):
        feedback.route_feedback(sales, feedback_id=fb.id, departments=["qa"], version=fb.version)
    # An unchanged routing changes nothing, not even the version.
    same = feedback.route_feedback(
        sales, feedback_id=fb.id, departments=["qa"], version=routed.version
    )
    assert same.version == routed.version


def test_parallel_guessers_get_at_most_the_limit_checked(any_database, monkeypatch):
    make_user(Department.SALES, "wang")
    checked: list[str] = []
    real_verify = auth.verify_password

    def slow_verify(password_hash: str, password: str) -> bool:
        checked.append(password)
        time.sleep(0.05)  # argon2 at production cost: every guesser is inside at once
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    results = run_together(WRITERS, lambda i: auth.login("wang", f"guess-{i}"))

    assert all(isinstance(r, AuthenticationError) for r in results), results
    assert len(checked) <= auth.MAX_FAILED_LOGINS, checked
    locked = [r for r in results if "locked" in str(r)]
    assert len(locked) == WRITERS - len(checked)
    assert User.get(User.username == "wang").locked_until is not None


def test_first_records_of_a_year_are_numbered_without_a_crash(any_actors, customer):
    sales = any_actors[Department.SALES]
    results = run_together(WRITERS, lambda i: _feedback(sales, customer))

    assert outcomes(results) == {"saved": WRITERS}, results
    numbers = sorted(int(r.number.rsplit("-", 1)[1]) for r in results)
    assert numbers == list(range(1, WRITERS + 1))


def test_the_same_new_customer_code_saves_once_and_refuses_the_rest(any_actors):
    sales = any_actors[Department.SALES]
    results = run_together(
        WRITERS, lambda i: admin.add_customer(sales, code="C-RACE", name=f"Kunde {i}")
    )

    assert outcomes(results) == {"saved": 1, "ValidationError": WRITERS - 1}, results
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert {e.field for e in errors} == {"code"}
    assert all("already in use" in str(e) for e in errors)
    assert Customer.select().where(Customer.code == "C-RACE").count() == 1
