"""One uniqueness rule for keys on every backend (issue #15 item 13): customer codes, part
numbers and user names that differ only in capitals or accents are the same key, so a SQLite
database always moves to MariaDB (whose collation would refuse them there)."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.domain.keys import fold_key
from cqms_desktop.services import admin
from cqms_desktop.services.base import Actor
from cqms_desktop.store.models import Customer, Product, User

pytestmark = pytest.mark.backends


def test_fold_key_ignores_case_accents_and_width():
    assert fold_key("PN-Ä1") == fold_key("pn-a1") == "pn-a1"
    assert fold_key("ＡＢＣ") == "abc"
    assert fold_key("RT.user") == fold_key("rt.USER")
    assert fold_key("上海") == "上海"


def test_keys_differing_only_in_case_or_accent_are_refused(any_database):
    system = Actor.system()
    admin.add_customer(system, code="RT-01", name="Rotor")
    with pytest.raises(ValidationError, match="already in use as “RT-01”") as err:
        admin.add_customer(system, code="rt-01", name="Rotor 2")
    assert err.value.field == "code"

    admin.add_product(system, part_number="PN-Ä1", name="Gehäuse")
    with pytest.raises(ValidationError, match="already in use") as err:
        admin.add_product(system, part_number="PN-A1", name="Gehäuse 2")
    assert err.value.field == "part_number"

    admin.add_user(
        system, username="RT.user", full_name="Rita", department="qa", password="Teapot-Orbit-42"
    )
    with pytest.raises(ValidationError, match="taken") as err:
        admin.add_user(
            system, username="rt.user", full_name="Rolf", department="qa", password="Teapot-42-x"
        )
    assert err.value.field == "username"
    assert (Customer.select().count(), Product.select().count(), User.select().count()) == (1, 1, 1)


def test_renaming_onto_another_key_is_refused_but_a_record_keeps_its_own(any_database):
    system = Actor.system()
    first = admin.add_customer(system, code="ABC", name="A")
    second = admin.add_customer(system, code="XYZ", name="B")
    with pytest.raises(ValidationError) as err:
        admin.update_customer(system, customer_id=second.id, version=second.version, code="abc")
    assert err.value.field == "code"
    # Its own key in other capitals is its own key.
    renamed = admin.update_customer(system, customer_id=first.id, version=first.version, code="Abc")
    assert renamed.code == "Abc"
