"""A record's children go through the record's own optimistic lock (issue #15 item 3):
countermeasures, attachments and acknowledgements raise the version of their complaint,
feedback or visit, and a change made from a stale version of it is refused."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.errors import ConflictError
from cqms_desktop.services import admin, circulation, feedback
from cqms_desktop.services import complaints as svc
from cqms_desktop.services.base import Actor
from cqms_desktop.store.models import Attachment, Complaint, CorrectiveAction, Feedback
from tests.complaint_steps import bring_to


@pytest.fixture
def in_countermeasures(actors):
    system = Actor.system()
    customer = admin.add_customer(system, code="C100", name="Müller Automotive GmbH")
    product = admin.add_product(system, part_number="PN-4711", name="Steckergehäuse")
    return bring_to(S.COUNTERMEASURES, actors, customer, product)


def _version(complaint_id: int) -> int:
    return Complaint.get_by_id(complaint_id).version


def test_countermeasures_raise_the_complaints_version(actors, in_countermeasures):
    qa, mfg = actors[D.QA], actors[D.MANUFACTURING]
    c = in_countermeasures
    opened = c.version
    action = svc.add_action(
        qa,
        complaint_id=c.id,
        action_type="mould_equipment",
        description="Tool life counter",
        department="manufacturing",
        owner_id=mfg.user_id,
        complaint_version=opened,
    )
    assert _version(c.id) == opened + 1
    # Someone who opened the complaint before that countermeasure cannot save over it …
    with pytest.raises(ConflictError):
        svc.update_complaint(qa, complaint_id=c.id, version=opened, investigation="Changed")
    # … nor add another one from the stale version.
    with pytest.raises(ConflictError):
        svc.add_action(
            qa,
            complaint_id=c.id,
            action_type="mould_equipment",
            description="Second",
            department="manufacturing",
            complaint_version=opened,
        )
    before = _version(c.id)
    svc.record_execution(mfg, action_id=action.id, version=action.version, note="Installed")
    assert _version(c.id) == before + 1
    assert CorrectiveAction.select().count() == 1


def test_attachments_raise_the_complaints_version(actors, in_countermeasures, tmp_path):
    qa = actors[D.QA]
    c = in_countermeasures
    photo = tmp_path / "burr.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    attachment = svc.add_attachment(qa, complaint_id=c.id, path=photo, complaint_version=c.version)
    assert _version(c.id) == c.version + 1
    with pytest.raises(ConflictError):
        svc.remove_attachment(qa, attachment_id=attachment.id, complaint_version=c.version)
    svc.remove_attachment(qa, attachment_id=attachment.id, complaint_version=c.version + 1)
    assert _version(c.id) == c.version + 2
    assert Attachment.select().count() == 0


def test_an_acknowledgement_raises_the_feedbacks_version(actors):
    customer = admin.add_customer(Actor.system(), code="C1", name="上海汽配")
    fb = feedback.register_feedback(
        actors[D.SALES],
        customer_id=customer.id,
        channel="phone",
        description="Kratzer",
        departments=["qa"],
    )
    (line,) = feedback.feedback_routing(fb.id)
    with pytest.raises(ConflictError):
        circulation.acknowledge(actors[D.QA], circulation_id=line.id, version=fb.version - 1)
    circulation.acknowledge(actors[D.QA], circulation_id=line.id, version=fb.version)
    assert Feedback.get_by_id(fb.id).version == fb.version + 1
    with pytest.raises(ConflictError):  # Sales' editor opened before the acknowledgement
        feedback.update_feedback(
            actors[D.SALES], feedback_id=fb.id, version=fb.version, caller="Herr Li"
        )
