"""5.1.3 quarterly satisfaction surveys: the campaign, recording the answers, one feedback
for a below-target survey however often it is saved, the not-returned flag and results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cqms_desktop.domain.enums import Channel, Department, FeedbackType, SurveyStatus
from cqms_desktop.domain.errors import ConflictError, PermissionDenied, ValidationError
from cqms_desktop.services import admin, surveys
from cqms_desktop.services.base import Actor
from cqms_desktop.store.models import Counter, Feedback, Survey

pytestmark = pytest.mark.backends

TODAY = date(2026, 11, 20)


@pytest.fixture
def sales(any_actors):
    return any_actors[Department.SALES]


@pytest.fixture
def customers(sales):
    a = admin.add_customer(sales, code="A1", name="Alpha")
    b = admin.add_customer(sales, code="B1", name="Beta")
    gone = admin.add_customer(sales, code="Z9", name="Former")
    gone = admin.update_customer(sales, customer_id=gone.id, version=gone.version, active=False)
    return a, b, gone


def _returned(sales, survey, today=TODAY, **scores):
    return surveys.record_survey(
        sales,
        survey_id=survey.id,
        version=survey.version,
        today=today,
        sent_on="2026-10-05",
        returned_on="2026-10-20",
        respondent="Ms. Li",
        **scores,
    )


def test_campaign_makes_one_survey_per_active_customer_once(sales, customers):
    a, b, _gone = customers
    made = surveys.generate_campaign(sales, quarter="2026-Q4")
    assert sorted(s.customer_id for s in made) == sorted([a.id, b.id])
    assert {s.quarter for s in made} == {"2026-Q4"}
    assert {s.status for s in made} == {SurveyStatus.PLANNED}
    assert [s.number for s in made] == ["SV-2026-0001", "SV-2026-0002"]
    assert surveys.generate_campaign(sales, quarter="2026-q4") == []
    late = admin.add_customer(sales, code="C1", name="Gamma")
    assert [s.customer_id for s in surveys.generate_campaign(sales, quarter="2026-Q4")] == [late.id]
    with pytest.raises(PermissionDenied):
        surveys.generate_campaign(Actor(None, "qa_x", "QA X", Department.QA), quarter="2026-Q4")


def test_a_survey_for_an_inactive_customer_or_a_bad_quarter_is_refused(sales, customers):
    a, _b, gone = customers
    with pytest.raises(ValidationError) as err:
        surveys.create_survey(sales, customer_id=gone.id, quarter="2026-Q4")
    assert err.value.field == "customer"
    assert "not an active customer" in str(err.value)
    for bad in ("2026-Q5", "2026-13", ""):
        with pytest.raises(ValidationError) as err:
            surveys.create_survey(sales, customer_id=a.id, quarter=bad)
        assert err.value.field == "quarter"
        with pytest.raises(ValidationError):
            surveys.generate_campaign(sales, quarter=bad)
    assert Survey.select().count() == 0
    assert Counter.select().count() == 0
    surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    with pytest.raises(ValidationError) as err:
        surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    assert err.value.field == "quarter"
    assert Survey.select().count() == 1


def test_recording_the_answers_computes_status_and_overall(sales, customers):
    a, *_ = customers
    survey = surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    sent = surveys.record_survey(
        sales, survey_id=survey.id, version=survey.version, today=TODAY, sent_on="2026-10-05"
    )
    assert sent.status == SurveyStatus.SENT
    done = _returned(sales, sent, quality=5, service=4, price=4, delivery=5)
    assert done.status == SurveyStatus.RETURNED
    assert Decimal(str(done.overall)) == Decimal("4.50")
    assert (done.respondent, done.returned_on) == ("Ms. Li", date(2026, 10, 20))
    assert surveys.linked_feedback(survey.id) is None  # on target: nothing to investigate
    assert not surveys.is_below_target(done)


def test_below_target_creates_exactly_one_feedback_however_often_saved(sales, customers):
    a, *_ = customers
    survey = surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    low = _returned(sales, survey, quality=5, service=5, price=5, delivery=2, comments="Late")
    assert surveys.is_below_target(low)
    fb = surveys.linked_feedback(survey.id)
    assert fb is not None
    assert (fb.channel, fb.type, fb.survey_id) == (Channel.SURVEY, FeedbackType.DELIVERY, survey.id)
    assert fb.customer_id == a.id
    # Only the respondent's words: no generated English sentence (the explanation is read from
    # the survey and worded in the reader's language, see tests/gui/test_generated_texts.py).
    assert fb.description == "Late"
    again = surveys.record_survey(
        sales, survey_id=survey.id, version=low.version, today=TODAY, comments="Very late"
    )
    again = surveys.record_survey(
        sales, survey_id=survey.id, version=again.version, today=TODAY, price=1
    )
    surveys.record_survey(sales, survey_id=survey.id, version=again.version, today=TODAY)
    assert Feedback.select().where(Feedback.survey == survey.id).count() == 1
    assert Feedback.select().count() == 1


def test_the_below_target_explanation_is_data_not_english_text(sales, customers):
    a, *_ = customers
    survey = surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    low = _returned(sales, survey, quality=3, service=5, price=4, delivery=2)
    fb = surveys.linked_feedback(survey.id)
    assert fb is not None
    assert fb.description == f"{survey.number} 2026-Q4"  # no comments: language-neutral
    assert "below" not in fb.description.lower()
    summary = surveys.below_target_summary(fb.survey_id)
    assert summary is not None
    assert (summary.number, summary.quarter, summary.target) == (
        survey.number,
        "2026-Q4",
        Decimal("4.0"),
    )
    assert summary.overall == Decimal(str(low.overall)) == Decimal("3.5")
    assert summary.scores == (("quality", 3), ("service", 5), ("price", 4), ("delivery", 2))
    assert summary.low == ("quality", "delivery", "overall")
    assert surveys.below_target_summary(None) is None


def test_the_target_comes_from_the_settings(sales, customers):
    a, b, _ = customers
    admin.update_settings(Actor.system(), {"survey_target": 3.0})
    on_target = surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q3")
    _returned(sales, on_target, quality=4, service=4, price=3, delivery=4)  # 3 is not < 3.0
    assert surveys.linked_feedback(on_target.id) is None
    admin.update_settings(Actor.system(), {"survey_target": 3.6})
    below = surveys.create_survey(sales, customer_id=b.id, quarter="2026-Q3")
    done = _returned(sales, below, quality=4, service=4, price=3, delivery=4)
    assert Decimal(str(done.overall)) == Decimal("3.75")  # the overall is fine, price is not
    fb = surveys.linked_feedback(below.id)
    assert fb is not None and fb.type == FeedbackType.PRICE


def test_a_score_outside_the_scale_is_refused_and_nothing_saved(sales, customers):
    a, *_ = customers
    survey = surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    with pytest.raises(ValidationError) as err:
        _returned(sales, survey, quality=6, service=1, price=1, delivery=1)
    assert err.value.field == "score_quality"
    assert "between 1 and 5" in str(err.value)
    unchanged = Survey.get_by_id(survey.id)
    assert (unchanged.version, unchanged.status, unchanged.score_service) == (
        1,
        SurveyStatus.PLANNED,
        None,
    )
    assert Feedback.select().count() == 0


def test_dates_are_checked(sales, customers):
    a, *_ = customers
    survey = surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    with pytest.raises(ValidationError) as err:
        surveys.record_survey(
            sales,
            survey_id=survey.id,
            version=1,
            today=TODAY,
            sent_on="2026-10-10",
            returned_on="2026-10-01",
        )
    assert err.value.field == "returned_on"
    with pytest.raises(ValidationError) as err:
        surveys.record_survey(
            sales, survey_id=survey.id, version=1, today=TODAY, returned_on="2026-12-01"
        )
    assert err.value.field == "returned_on"
    with pytest.raises(ConflictError):
        surveys.record_survey(sales, survey_id=survey.id, version=7, today=TODAY, respondent="x")


def test_not_returned_by_the_end_of_the_quarter_is_flagged(sales, customers):
    a, b, _ = customers
    q3a = surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q3")
    q3b = surveys.create_survey(sales, customer_id=b.id, quarter="2026-Q3")
    surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    _returned(sales, q3b, today=TODAY, quality=5, service=5, price=5, delivery=5)
    assert surveys.not_returned_overdue(date(2026, 9, 30)) == []
    assert [s.id for s in surveys.not_returned_overdue(TODAY)] == [q3a.id]


def test_results_per_customer_and_per_item_across_quarters(sales, customers):
    a, b, _ = customers
    for customer, quarter, scores in [
        (a, "2026-Q3", {"quality": 4, "service": 4, "price": 3, "delivery": 5}),  # 4.00
        (b, "2026-Q3", {"quality": 2, "service": 4, "price": 5, "delivery": 5}),  # 4.00
        (a, "2026-Q4", {"quality": 5, "service": 5, "price": 4, "delivery": 4}),  # 4.50
    ]:
        survey = surveys.create_survey(sales, customer_id=customer.id, quarter=quarter)
        _returned(sales, survey, **scores)
    surveys.create_survey(sales, customer_id=b.id, quarter="2026-Q4")  # not returned
    per_quarter = surveys.results_by_quarter(first="2026-Q1", last="2026-Q4")
    assert [r.quarter for r in per_quarter] == ["2026-Q3", "2026-Q4"]
    q3 = per_quarter[0]
    assert q3.returned == 2
    assert q3.scores == {
        "quality": Decimal("3.00"),
        "service": Decimal("4.00"),
        "price": Decimal("4.00"),
        "delivery": Decimal("5.00"),
    }
    assert q3.overall == Decimal("4.00")
    only_a = surveys.results_by_quarter(first="2026-Q1", last="2026-Q4", customer_id=a.id)
    assert [r.overall for r in only_a] == [Decimal("4.00"), Decimal("4.50")]
    rows = surveys.results_by_customer(first="2026-Q3", last="2026-Q4")
    assert [(r["customer_code"], r["quarter"], r["overall"]) for r in rows] == [
        ("A1", "2026-Q3", Decimal("4.00")),
        ("A1", "2026-Q4", Decimal("4.50")),
        ("B1", "2026-Q3", Decimal("4.00")),
    ]
    assert rows[2]["quality"] == 2


def test_active_customers_left_out_of_a_quarter_are_listed(sales, customers):
    """5.1.3: an active customer without a survey of the quarter is on a list."""
    a, b, _gone = customers
    assert [c.id for c in surveys.customers_without_survey("2026-Q4")] == [a.id, b.id]
    surveys.create_survey(sales, customer_id=a.id, quarter="2026-Q4")
    assert [c.id for c in surveys.customers_without_survey("2026-q4")] == [b.id]
    # Another quarter's survey does not count; the inactive customer is never listed.
    assert [c.id for c in surveys.customers_without_survey("2027-Q1")] == [a.id, b.id]
    with pytest.raises(ValidationError):
        surveys.customers_without_survey("2026-Q5")
