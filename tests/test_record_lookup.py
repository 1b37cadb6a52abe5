"""Loading one record by id or by number: the four registers' ``get_<kind>`` and
``<kind>_by_number`` and the not-found errors they give (services.lookup)."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.errors import NotFoundError
from cqms_desktop.services import feedback, service_records, surveys, visits
from cqms_desktop.services.lookup import load_record
from cqms_desktop.store.models import Feedback, ServiceRecord, Survey, Visit
from tests.form_records import make_records

# (model, get by id, get by number, the Numbers attribute, the kind's words in the error)
KINDS = [
    (Visit, visits.get_visit, visits.visit_by_number, "visit", "visit"),
    (Feedback, feedback.get_feedback, feedback.feedback_by_number, "feedback", "feedback"),
    (Survey, surveys.get_survey, surveys.survey_by_number, "survey", "survey"),
    (
        ServiceRecord,
        service_records.get_service_record,
        service_records.service_record_by_number,
        "service",
        "service record",
    ),
]


@pytest.mark.parametrize(("model", "by_id", "by_number", "attr", "words"), KINDS)
def test_a_record_loads_by_id_and_by_its_number(database, model, by_id, by_number, attr, words):
    number = getattr(make_records(), attr)
    record = model.get(model.number == number)
    assert by_id(record.id).number == number
    assert isinstance(by_id(record.id), model)
    # What a user types may carry blanks around it.
    assert by_number(f"  {number} ").id == record.id


@pytest.mark.parametrize(("model", "by_id", "by_number", "attr", "words"), KINDS)
def test_a_missing_record_is_not_found(database, model, by_id, by_number, attr, words):
    make_records()
    with pytest.raises(NotFoundError) as gone:
        by_id(999_999)
    assert str(gone.value) == "The record no longer exists (it may have been deleted)."
    with pytest.raises(NotFoundError) as unknown:
        by_number(" XX-2026-9999")
    assert str(unknown.value) == f"There is no {words} “ XX-2026-9999”."


def test_the_number_is_looked_up_only_in_the_kind_asked_for(database):
    numbers = make_records()
    with pytest.raises(NotFoundError):
        load_record(Visit, numbers.feedback, "no {number}")
    assert load_record(Feedback, numbers.feedback, "no {number}").number == numbers.feedback
