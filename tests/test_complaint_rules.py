"""The content rules of procedure 5.2 on plain values: what each step requires, who edits
which section when, dates in order, the verifier, repeat complaints, value checks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from cqms_desktop.domain import complaint_rules as r
from cqms_desktop.domain.complaint_workflow import STEPS, allowed_steps
from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.errors import PermissionDenied, TransitionError, ValidationError

NOW = datetime(2026, 6, 15, 8, 0, 0)


def fields_of(problems: list[ValidationError]) -> list[str | None]:
    return [p.field for p in problems]


@pytest.mark.parametrize("responsibility", ["company", "undetermined"])
def test_feed_back_plan_for_company_fault_needs_a_preliminary_plan(responsibility):
    record = {"investigation": "Analysis", "responsibility": responsibility}
    assert fields_of(r.step_problems("feed_back_plan", record, now=NOW)) == ["preliminary_plan"]
    record["preliminary_plan"] = "Sort stock"
    assert r.step_problems("feed_back_plan", record, now=NOW) == []


@pytest.mark.parametrize("responsibility", ["customer", "supplier", "transport"])
def test_feed_back_plan_for_other_responsibility_needs_an_explanation(responsibility):
    record = {"investigation": "Analysis", "responsibility": responsibility}
    assert fields_of(r.step_problems("feed_back_plan", record, now=NOW)) == ["explanation"]
    record["preliminary_plan"] = "a plan does not replace the written explanation"
    assert fields_of(r.step_problems("feed_back_plan", record, now=NOW)) == ["explanation"]
    record["explanation"] = "Misuse at the customer's assembly line"
    assert r.step_problems("feed_back_plan", record, now=NOW) == []


def test_feed_back_plan_without_investigation_and_responsibility():
    problems = r.step_problems("feed_back_plan", {"investigation": "  "}, now=NOW)
    assert fields_of(problems) == ["investigation", "responsibility"]
    assert "is required" in str(problems[0])


def test_release_to_sales_needs_verified_actions():
    company = {"responsibility": "company"}
    assert fields_of(r.step_problems("release_to_sales", company, [], now=NOW)) == ["actions"]
    open_action = {"status": "open", "description": "Gauge"}
    done = {"status": "done", "description": "Tool counter"}
    verified = {"status": "verified", "description": "Training"}
    problems = r.step_problems("release_to_sales", company, [open_action, done, verified], now=NOW)
    assert fields_of(problems) == ["actions", "actions"]
    assert "Gauge" in str(problems[0]) and "Tool counter" in str(problems[1])
    assert r.step_problems("release_to_sales", company, [verified], now=NOW) == []
    # Not the company's fault: no action needed, but any action decided must be verified.
    transport = {"responsibility": "transport"}
    assert r.step_problems("release_to_sales", transport, [], now=NOW) == []
    assert fields_of(r.step_problems("release_to_sales", transport, [done], now=NOW)) == ["actions"]


def test_customer_accepted_needs_oral_notice_and_copy_sent():
    problems = r.step_problems("customer_accepted", {}, now=NOW)
    assert fields_of(problems) == [
        "oral_notice_at",
        "oral_notice_to",
        "copy_sent_at",
        "copy_sent_via",
        "copy_sent_to",
    ]
    record = {
        "oral_notice_at": NOW - timedelta(hours=1),
        "oral_notice_to": "Mr Li",
        "copy_sent_at": NOW - timedelta(hours=1),
        "copy_sent_via": "e-mail",
        "copy_sent_to": "li@example.com",
    }
    assert r.step_problems("customer_accepted", record, now=NOW) == []
    refusal = [{"accepted": False, "recorded_at": NOW - timedelta(minutes=30)}]
    assert fields_of(r.step_problems("customer_accepted", record, [], refusal, now=NOW)) == [
        "oral_notice_at",
        "copy_sent_at",
    ]


def test_refusal_needs_the_notice_and_a_reason():
    record = {"oral_notice_at": NOW, "oral_notice_to": "Mr Li"}
    assert fields_of(r.step_problems("customer_rejected", record, now=NOW)) == ["reason"]
    assert r.step_problems("customer_rejected", record, now=NOW, reason="Too slow") == []


def test_closure_not_before_acceptance_and_reopen_needs_a_reason():
    assert fields_of(r.step_problems("approve_close", {}, now=NOW)) == ["customer_accepted_at"]
    later = {"customer_accepted_at": NOW + timedelta(hours=1)}
    assert fields_of(r.step_problems("approve_close", later, now=NOW)) == ["closed_at"]
    assert r.step_problems("approve_close", {"customer_accepted_at": NOW}, now=NOW) == []
    assert fields_of(r.step_problems("reopen", {}, now=NOW)) == ["reason"]
    with pytest.raises(ValidationError):
        r.check_step_requirements("reopen", {}, now=NOW, reason=" ")


def test_every_step_has_a_known_rule_and_no_rule_for_a_simple_start():
    assert r.step_problems("start_investigation", {}, now=NOW) == []
    assert set(STEPS) >= {
        "feed_back_plan",
        "release_to_sales",
        "customer_accepted",
        "customer_rejected",
        "approve_close",
        "reopen",
    }


def test_sections_per_department_and_state():
    assert "lot" in r.editable_fields(S.REGISTERED, D.SALES)
    assert "lot" not in r.editable_fields(S.INVESTIGATING, D.SALES)
    assert "investigation" in r.editable_fields(S.INVESTIGATING, D.QA)
    assert "oral_notice_at" in r.editable_fields(S.CUSTOMER_NOTICE, D.SALES)
    assert r.editable_fields(S.CLOSED, D.GENERAL_MANAGER) == frozenset()
    assert r.editable_fields(S.CLOSED, D.QA) == frozenset()
    assert r.editable_fields(S.INVESTIGATING, D.MANUFACTURING) == frozenset()
    with pytest.raises(TransitionError):
        r.check_edit(["cost_freight"], S.CLOSED, D.SALES)
    with pytest.raises(PermissionDenied) as err:
        r.check_edit(["investigation"], S.INVESTIGATING, D.SALES)
    assert err.value.field == "investigation"
    assert "Investigation and analysis" in str(err.value)
    with pytest.raises(TransitionError):
        r.check_edit(["oral_notice_at"], S.INVESTIGATING, D.SALES)
    with pytest.raises(ValidationError):
        r.check_edit(["status"], S.INVESTIGATING, D.QA)
    r.check_edit(["investigation", "cost_scrap"], S.COUNTERMEASURES, D.QA)


def test_ui_offers_only_allowed_steps():
    assert [s.code for s in allowed_steps(S.CUSTOMER_NOTICE, D.SALES)] == [
        "customer_accepted",
        "customer_rejected",
    ]
    assert allowed_steps(S.CUSTOMER_NOTICE, D.QA) == []
    assert [s.code for s in allowed_steps(S.CLOSED, D.GENERAL_MANAGER)] == ["reopen"]


def test_value_cleaning_names_the_field():
    clean = r.clean_values(
        {
            "qty_affected": "12",
            "cost_freight": "1,250.5",
            "onsite_on": "2026-06-01",
            "received_at": "2026-06-01T10:00:00+08:00",
            "responsibility": "",
        }
    )
    assert clean == {
        "qty_affected": 12,
        "cost_freight": Decimal("1250.50"),
        "onsite_on": date(2026, 6, 1),
        "received_at": datetime(2026, 6, 1, 2, 0, 0),
        "responsibility": "",
    }
    for values, field in [
        ({"qty_affected": "-4"}, "qty_affected"),
        ({"qty_delivered": "12.5"}, "qty_delivered"),
        ({"fg_checked": "lots"}, "fg_checked"),
        ({"cost_rework": "-1"}, "cost_rework"),
        ({"onsite_on": "June"}, "onsite_on"),
        ({"received_at": "not a time"}, "received_at"),
        ({"description": ""}, "description"),
        ({"lot": "x" * 65}, "lot"),
        ({"customer": None}, "customer"),
        ({"unknown_field": 1}, "unknown_field"),
    ]:
        with pytest.raises(ValidationError) as err:
            r.clean_values(values)
        assert err.value.field == field, values


def test_dates_and_quantities_in_order():
    base = {"received_at": NOW - timedelta(days=2)}
    r.check_consistency(base, now=NOW, today=NOW.date(), received_day=(NOW - timedelta(2)).date())
    bad = [
        ({"oral_notice_at": NOW - timedelta(days=3)}, "oral_notice_at"),
        ({"copy_sent_at": NOW + timedelta(hours=2)}, "copy_sent_at"),
        ({"onsite_on": NOW.date() - timedelta(days=5)}, "onsite_on"),
        ({"dispatch_on": NOW.date() + timedelta(days=1)}, "dispatch_on"),
        ({"qty_affected": 11, "qty_delivered": 10}, "qty_affected"),
        ({"wip_checked": 5, "wip_nonconforming": 6}, "wip_nonconforming"),
    ]
    for extra, field in bad:
        with pytest.raises(ValidationError) as err:
            r.check_consistency(
                {**base, **extra},
                now=NOW,
                today=NOW.date(),
                received_day=(NOW - timedelta(days=2)).date(),
            )
        assert err.value.field == field, extra


def test_verifier_is_not_the_owner_and_verifies_after_execution():
    r.check_verifier(owner_id=3, verifier_id=4)
    r.check_verifier(owner_id=None, verifier_id=4)
    with pytest.raises(ValidationError) as err:
        r.check_verifier(owner_id=3, verifier_id=3)
    assert err.value.field == "verified_by"
    # Nor whoever recorded the execution (an action without an owner included).
    r.check_verifier(None, 4, executed_by="qa.li", verifier_username="qa.wang")
    with pytest.raises(ValidationError) as err:
        r.check_verifier(None, 4, executed_by="qa.li", verifier_username="qa.li")
    assert err.value.field == "verified_by" and "recorded the execution" in str(err.value)
    executed = NOW - timedelta(days=1)
    r.check_verification(executed, NOW, NOW)
    for executed_at, verified in [(None, NOW), (executed, executed - timedelta(seconds=1))]:
        with pytest.raises(ValidationError) as err:
            r.check_verification(executed_at, verified, NOW)
        assert err.value.field == "verified_at"
    with pytest.raises(ValidationError):
        r.check_verification(executed, NOW + timedelta(hours=1), NOW)  # in the future
    with pytest.raises(ValidationError) as err:
        r.check_execution(NOW - timedelta(days=9), NOW - timedelta(days=2), NOW)
    assert err.value.field == "executed_at"


def test_months_before_clips_the_day():
    assert r.months_before(datetime(2026, 3, 31, 10), 1) == datetime(2026, 2, 28, 10)
    assert r.months_before(datetime(2026, 1, 15), 12) == datetime(2025, 1, 15)
    assert r.months_before(datetime(2024, 2, 29), 12) == datetime(2023, 2, 28)


def test_repeat_complaint_rule():
    new = {
        "id": 9,
        "customer": 1,
        "product": 7,
        "defect_category": "Burr",
        "received_at": datetime(2026, 6, 1),
    }

    def earlier(**kw):
        base = {
            "id": 1,
            "customer": 1,
            "product": 7,
            "defect_category": "burr ",
            "received_at": datetime(2025, 12, 1),
        }
        return {**base, **kw}

    assert r.is_repeat(new, earlier(), 12)
    assert r.is_repeat(new, earlier(received_at=datetime(2025, 6, 1)), 12)  # exactly 12 months
    assert not r.is_repeat(new, earlier(received_at=datetime(2025, 5, 31)), 12)
    assert not r.is_repeat(new, earlier(), 3)
    assert not r.is_repeat(new, earlier(customer=2), 12)
    assert not r.is_repeat(new, earlier(product=8), 12)
    assert not r.is_repeat(new, earlier(defect_category="scratch"), 12)
    assert r.is_repeat({**new, "defect_category": ""}, earlier(defect_category="scratch"), 12)
    assert not r.is_repeat({**new, "product": None}, earlier(product=None), 12)
    candidates = [
        earlier(id=1, received_at=datetime(2025, 9, 1)),
        earlier(id=2, received_at=datetime(2026, 3, 1)),
        earlier(id=3, received_at=datetime(2026, 7, 1)),  # later than the new one
    ]
    assert r.find_repeat(new, candidates, 12)["id"] == 2
    assert r.find_repeat(new, [], 12) is None


def test_total_cost():
    assert r.total_cost({}) is None
    assert r.total_cost({"cost_freight": Decimal("10.5"), "cost_scrap": 2}) == Decimal("12.5")


def test_the_complaints_preparer_does_not_review_it_by_verifying():
    """Verifier ≠ owner ≠ whoever recorded the execution, and reviewer ≠ preparer: the QA
    engineer in charge of the complaint prepares its form, so another one verifies."""
    from cqms_desktop.domain.complaint_action_rules import check_verifier, may_verify

    assert may_verify(owner_id=5, executed_by="mfg", verifier_id=7, verifier_username="qa2")
    assert not may_verify(5, "mfg", 7, "qa2", preparer_id=7)
    with pytest.raises(ValidationError) as refused:
        check_verifier(5, 7, "mfg", "qa2", preparer_id=7)
    assert refused.value.field == "verified_by" and "prepares" in str(refused.value)
    check_verifier(5, 7, "mfg", "qa2", preparer_id=9)  # another QA engineer: fine
