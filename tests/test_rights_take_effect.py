"""Rights take effect at once (issue #15 item 4): a user disabled, demoted or moved to another
department while signed in is refused on the very next call, and nothing is saved."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import PermissionDenied
from cqms_desktop.services import admin, complaints, feedback
from cqms_desktop.services.base import Actor
from cqms_desktop.store.models import Complaint, Feedback, Product, User
from tests.users import make_user


def _change(user_id: int, **changes) -> None:
    user = User.get_by_id(user_id)
    admin.update_user(Actor.system(), user_id=user_id, version=user.version, **changes)


def test_a_disabled_user_is_refused_on_the_next_call(database):
    qa = make_user(Department.QA, "li.qa")
    admin.add_product(qa, part_number="PN-1", name="Gehäuse")
    _change(qa.user_id, active=False)
    with pytest.raises(PermissionDenied, match="disabled"):
        admin.add_product(qa, part_number="PN-2", name="Deckel")
    with pytest.raises(PermissionDenied, match="disabled"):
        admin.set_password(qa, user_id=qa.user_id, password="another-long-secret")
    assert Product.select().count() == 1


def test_a_demoted_administrator_cannot_create_an_administrator(database):
    boss = make_user(Department.ADMINISTRATION, "boss", admin_flag=True)
    make_user(Department.GENERAL_MANAGER, "zhou", admin_flag=True)  # one administrator must remain
    _change(boss.user_id, is_admin=False)
    with pytest.raises(PermissionDenied, match="rights"):
        admin.add_user(
            boss,
            username="mallory",
            full_name="Mallory",
            department="qa",
            password="a-long-secret-1",
            is_admin=True,
        )
    assert not User.select().where(User.username == "mallory").exists()


def test_a_user_moved_to_another_department_is_refused_until_signing_in_again(database):
    sales = make_user(Department.SALES, "zhang")
    customer = admin.add_customer(sales, code="C1", name="上海汽配")
    _change(sales.user_id, department=Department.MANUFACTURING.value)
    with pytest.raises(PermissionDenied, match="department"):
        complaints.register_complaint(
            sales,
            customer_id=customer.id,
            description="Burrs",
            severity="normal",
            received_at=utcnow(),
        )
    # Even what any department may do: the old identity is gone.
    with pytest.raises(PermissionDenied, match="department"):
        feedback.register_feedback(
            sales, customer_id=customer.id, channel="phone", description="Kratzer"
        )
    assert Complaint.select().count() == 0 and Feedback.select().count() == 0


def test_more_rights_refuse_nothing_and_the_system_actor_is_not_checked(database, system):
    qa = make_user(Department.QA, "li.qa")
    _change(qa.user_id, is_admin=True)
    admin.add_product(qa, part_number="PN-1", name="Gehäuse")
    admin.add_product(system, part_number="PN-2", name="Deckel")
    assert Product.select().count() == 2
