"""5.1.4 / 5.1.5 technical service and the Spare Parts and Exchange Record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import Department, ServiceKind, ServiceStatus
from cqms_desktop.domain.errors import ConflictError, PermissionDenied, ValidationError
from cqms_desktop.services import admin, service_records
from cqms_desktop.store import audit
from cqms_desktop.store.models import Counter, ServiceRecord

pytestmark = pytest.mark.backends


def yesterday() -> date:
    """The day before the test clock's today."""
    return clock.today() - timedelta(days=1)


@pytest.fixture
def product(any_actors):
    return admin.add_product(any_actors[Department.TECHNICAL], part_number="P-100", name="Pump")


def test_technical_consultation(any_actors, customer):
    record = service_records.add_service_record(
        any_actors[Department.TECHNICAL],
        customer_id=customer.id,
        kind="consultation",
        service_date=yesterday(),
        subject="Product selection advice",
        details="Recommended P-100 for 60 °C media",
    )
    assert record.number == f"SR-{yesterday().year}-0001"
    assert (record.kind, record.status) == (ServiceKind.CONSULTATION, ServiceStatus.OPEN)
    with pytest.raises(ValidationError) as err:
        service_records.add_service_record(
            any_actors[Department.TECHNICAL],
            customer_id=customer.id,
            kind="consultation",
            service_date=yesterday(),
        )
    assert err.value.field == "subject"


def test_instructions_need_product_language_and_version(any_actors, customer, product):
    tech = any_actors[Department.TECHNICAL]
    base = {"customer_id": customer.id, "kind": "instructions", "service_date": yesterday()}
    for missing, field in [("product_id", "product"), ("language", "language")]:
        values = {"product_id": product.id, "language": "de", "doc_version": "B", **base}
        del values[missing]
        with pytest.raises(ValidationError) as err:
            service_records.add_service_record(tech, **values)
        assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        service_records.add_service_record(
            tech, product_id=product.id, language="fr", doc_version="B", **base
        )
    assert err.value.field == "language"
    record = service_records.add_service_record(
        tech,
        product_id=product.id,
        language="de",
        doc_version="B",
        agreed_on=yesterday(),
        subject="Montageanleitung",
        **base,
    )
    assert (record.product_id, record.language, record.doc_version, record.agreed_on) == (
        product.id,
        "de",
        "B",
        yesterday(),
    )
    with pytest.raises(PermissionDenied):
        service_records.add_service_record(
            any_actors[Department.SALES],
            product_id=product.id,
            language="de",
            doc_version="C",
            **base,
        )


def test_spare_parts_and_exchanges(any_actors, customer):
    sales = any_actors[Department.SALES]
    spare = service_records.add_service_record(
        sales,
        customer_id=customer.id,
        kind="spare_parts",
        service_date=yesterday(),
        part_number="SEAL-7",
        quantity=12,
        reason="Wear parts per contract",
        delivery_note="DN-88001",
    )
    assert (spare.part_number, spare.quantity, spare.delivery_note) == ("SEAL-7", 12, "DN-88001")
    for kw, field in [
        ({"part_number": "", "quantity": 1, "reason": "x"}, "part_number"),
        ({"part_number": "P", "quantity": 0, "reason": "x"}, "quantity"),
        ({"part_number": "P", "quantity": -2, "reason": "x"}, "quantity"),
        ({"part_number": "P", "quantity": "many", "reason": "x"}, "quantity"),
        ({"part_number": "P", "quantity": 3, "reason": ""}, "reason"),
    ]:
        with pytest.raises(ValidationError) as err:
            service_records.add_service_record(
                sales, customer_id=customer.id, kind="exchange", service_date=yesterday(), **kw
            )
        assert err.value.field == field
    with pytest.raises(PermissionDenied):
        service_records.add_service_record(
            any_actors[Department.QA],
            customer_id=customer.id,
            kind="spare_parts",
            service_date=yesterday(),
            part_number="X",
            quantity=1,
        )
    assert ServiceRecord.select().count() == 1


def test_onsite_service_done_needs_a_result_and_uses_the_opened_version(any_actors, customer):
    qa = any_actors[Department.QA]
    record = service_records.add_service_record(
        qa,
        customer_id=customer.id,
        kind="onsite",
        service_date=yesterday(),
        performed_by="Wang Wei",
        subject="Commissioning of line 3",
    )
    with pytest.raises(ValidationError) as err:
        service_records.update_service_record(
            qa, record_id=record.id, version=record.version, status="done"
        )
    assert err.value.field == "result"
    done = service_records.update_service_record(
        qa, record_id=record.id, version=record.version, status="done", result="Line running"
    )
    assert (done.status, done.result, done.version) == (ServiceStatus.DONE, "Line running", 2)
    assert any(r.field == "result" for r in audit.history("service_record", record.id))
    with pytest.raises(ConflictError):
        service_records.update_service_record(
            qa, record_id=record.id, version=record.version, result="other"
        )


def test_bad_input_names_the_field_and_saves_nothing(any_actors, customer):
    tech = any_actors[Department.TECHNICAL]
    for kw, field in [
        ({"customer_id": None}, "customer"),
        ({"kind": "repair"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"service_date": clock.today() + timedelta(days=2)}, "service_date"),
        ({"service_date": "yesterday"}, "service_date"),
    ]:
        values = {
            "customer_id": customer.id,
            "kind": "consultation",
            "service_date": yesterday(),
            "subject": "x",
            **kw,
        }
        with pytest.raises(ValidationError) as err:
            service_records.add_service_record(tech, **values)
        assert err.value.field == field
    assert ServiceRecord.select().count() == 0
    assert Counter.select().count() == 0
