"""Log-in, password hashing cost and the 5-tries / 15-minutes lock-out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import AuthenticationError, ValidationError
from cqms_desktop.services import admin, auth
from cqms_desktop.store.models import User
from tests.users import make_user


def test_production_hasher_is_argon2id_at_owasp_cost():
    # The conftest swaps in a cheap hasher for speed; check the module's own configuration.
    import importlib

    fresh = importlib.reload(auth)
    params = fresh.hasher
    assert (params.time_cost, params.memory_cost, params.parallelism) >= (2, 19 * 1024, 1)
    assert fresh.hash_password("x" * 10).startswith("$argon2id$")


def test_login_with_right_password_returns_actor(database):
    make_user(Department.QA, "li.qa")
    actor = auth.login("li.qa", "secret-pass")
    assert (actor.username, actor.department) == ("li.qa", Department.QA)
    assert User.get(User.username == "li.qa").last_login_at is not None


def test_unknown_user_and_wrong_password_give_the_same_message(database):
    make_user(Department.QA, "li.qa")
    with pytest.raises(AuthenticationError) as unknown:
        auth.login("nobody", "secret-pass")
    with pytest.raises(AuthenticationError) as wrong:
        auth.login("li.qa", "wrong")
    assert str(unknown.value) == str(wrong.value) == "Wrong user name or password."


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(database):
    make_user(Department.SALES, "wang")
    now = utcnow()
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            auth.login("wang", "wrong", now=now)
    # Even the right password is refused while locked.
    with pytest.raises(AuthenticationError, match="locked"):
        auth.login("wang", "secret-pass", now=now + timedelta(minutes=14))
    actor = auth.login("wang", "secret-pass", now=now + timedelta(minutes=15, seconds=1))
    assert actor.username == "wang"
    assert User.get(User.username == "wang").failed_logins == 0


def test_four_wrong_then_right_resets_the_count(database):
    make_user(Department.SALES, "wang")
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            auth.login("wang", "wrong")
    auth.login("wang", "secret-pass")
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            auth.login("wang", "wrong")
    assert auth.login("wang", "secret-pass").username == "wang"


def test_disabled_account_cannot_log_in(database):
    make_user(Department.SALES, "wang")
    make_user(Department.ADMINISTRATION, "boss", admin_flag=True)
    user = User.get(User.username == "wang")
    admin.update_user(
        auth.login("boss", "secret-pass"), user_id=user.id, version=user.version, active=False
    )
    with pytest.raises(AuthenticationError, match="disabled"):
        auth.login("wang", "secret-pass")


def test_admin_password_reset_unlocks(database, system):
    make_user(Department.SALES, "wang")
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            auth.login("wang", "wrong")
    admin.set_password(
        system, user_id=User.get(User.username == "wang").id, password="new-secret-1"
    )
    assert auth.login("wang", "new-secret-1").username == "wang"


def test_short_password_is_refused_naming_the_field(database, system):
    with pytest.raises(ValidationError) as err:
        admin.add_user(system, username="zhao", full_name="Zhao", department="qa", password="short")
    assert err.value.field == "password"
    assert "Password" in str(err.value)
    assert not User.select().where(User.username == "zhao").exists()
