"""New passwords (issue #15 item 5): not one of the 20,000 most common, not containing the
user's own login or name (without case and accents), and hashed above the OWASP minimum."""

from __future__ import annotations

import importlib

import pytest

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.services import admin, auth
from cqms_desktop.services.password_policy import check_new_password, common_passwords
from cqms_desktop.store.models import User
from tests.users import make_user


def test_the_shipped_list_is_a_real_list_of_common_passwords():
    listed = common_passwords()
    assert len(listed) >= 19_000
    assert {"password", "12345678", "qwertyuiop", "iloveyou"} <= listed


@pytest.mark.parametrize("password", ["password", "12345678", "PassWord", "qwertyuiop"])
def test_a_common_password_is_refused_naming_the_field(database, system, password):
    with pytest.raises(ValidationError, match="most common") as err:
        admin.add_user(
            system, username="zhao", full_name="Zhao Lei", department="qa", password=password
        )
    assert err.value.field == "password"
    assert not User.select().exists()


@pytest.mark.parametrize(
    ("username", "full_name", "password"),
    [
        ("wang.lei", "Wang Lei", "Wang.Lei-2026"),  # the login, any case
        ("wang.lei", "Wang Lei", "lei-wang-x9"),  # a part of it
        ("jm", "Jürgen Müller", "muller-rocks-7"),  # the name, without accents
    ],
)
def test_a_password_with_the_users_own_name_is_refused(
    database, system, username, full_name, password
):
    with pytest.raises(ValidationError, match="name") as err:
        admin.add_user(
            system, username=username, full_name=full_name, department="qa", password=password
        )
    assert err.value.field == "password"


def test_set_and_change_password_apply_the_same_rules(database, system):
    actor = make_user(Department.SALES, "wang.lei")
    with pytest.raises(ValidationError, match="most common"):
        admin.set_password(system, user_id=actor.user_id, password="iloveyou")
    with pytest.raises(ValidationError, match="name"):
        admin.change_own_password(actor, old_password="secret-pass", new_password="wang.lei.2027")
    admin.change_own_password(actor, old_password="secret-pass", new_password="Teapot-Orbit-42")
    assert auth.login("wang.lei", "Teapot-Orbit-42").user_id == actor.user_id


def test_an_uncommon_password_without_the_name_is_accepted():
    assert check_new_password("Teapot-Orbit-42", username="li", full_name="Li Na")


def test_production_hasher_is_above_the_owasp_minimum():
    fresh = importlib.reload(auth)  # the conftest swaps in a cheap hasher
    params = fresh.hasher
    assert params.memory_cost > 19 * 1024 and params.time_cost >= 2
    assert fresh.hash_password("x" * 10).startswith("$argon2id$")
    # A hash made at the old, lower cost is re-made at the next log-in.
    assert fresh.hasher.check_needs_rehash(
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ"
    )
