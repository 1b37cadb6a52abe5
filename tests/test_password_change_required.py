"""An administrator can ask a user to choose a new password at the next log-in: set by
default for accounts and passwords an administrator made, on request from the command line;
until the user has chosen one, every other service refuses them."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import PermissionDenied
from cqms_desktop.services import admin, auth
from cqms_desktop.services.base import Actor
from cqms_desktop.store import audit
from cqms_desktop.store.models import Product, User
from tests.users import make_user


def _flag(username: str) -> bool:
    return bool(User.get(User.username == username).must_change_password)


def test_a_user_an_administrator_creates_must_change_the_password(any_database):
    boss = make_user(Department.ADMINISTRATION, "boss_admin", admin_flag=True)
    admin.add_user(
        boss, username="wang.li", full_name="王丽", department="qa", password="first-Secret-7"
    )
    assert _flag("wang.li")
    actor = auth.login("wang.li", "first-Secret-7")
    assert actor.must_change_password
    with pytest.raises(PermissionDenied, match="choose a new password"):
        admin.add_product(actor, part_number="PN-1", name="Gehäuse")
    admin.change_own_password(actor, old_password="first-Secret-7", new_password="mine-Only-42")
    assert not _flag("wang.li")
    again = auth.login("wang.li", "mine-Only-42")
    assert not again.must_change_password
    admin.add_product(again, part_number="PN-1", name="Gehäuse")
    fields = {r.field for r in audit.history("user", again.user_id) if r.action == "update"}
    assert "must_change_password" in fields


def test_an_administrators_reset_asks_for_a_change_unless_told_otherwise(database):
    boss = make_user(Department.ADMINISTRATION, "boss_admin", admin_flag=True)
    user = make_user(Department.QA, "wang_li")
    assert not _flag("wang_li")  # made by the system actor (scripts, tests)
    admin.set_password(boss, user_id=user.user_id, password="reset-Secret-7")
    assert _flag("wang_li")
    admin.set_password(
        boss, user_id=user.user_id, password="reset-Secret-8", must_change_password=False
    )
    assert not _flag("wang_li")
    # The system actor (command line) asks only when told to.
    admin.set_password(Actor.system(), user_id=user.user_id, password="reset-Secret-9")
    assert not _flag("wang_li")


def test_the_administrator_sets_and_clears_the_request(database):
    boss = make_user(Department.ADMINISTRATION, "boss_admin", admin_flag=True)
    user = make_user(Department.QA, "wang_li")
    row = User.get_by_id(user.user_id)
    admin.update_user(boss, user_id=row.id, version=row.version, must_change_password=True)
    # A session open before the request is refused at its next call.
    with pytest.raises(PermissionDenied, match="choose a new password"):
        admin.add_product(user, part_number="PN-1", name="Gehäuse")
    row = User.get_by_id(user.user_id)
    admin.update_user(boss, user_id=row.id, version=row.version, must_change_password=False)
    admin.add_product(user, part_number="PN-2", name="Deckel")
    assert Product.select().count() == 1


def test_only_administrators_ask_for_a_change(database):
    user = make_user(Department.QA, "wang_li")
    other = make_user(Department.SALES, "zhao_min")
    row = User.get_by_id(other.user_id)
    with pytest.raises(PermissionDenied):
        admin.update_user(user, user_id=row.id, version=row.version, must_change_password=True)
    assert not _flag("zhao_min")
