"""The typed settings registry (issue #11, item 4): every setting declared once in
``domain.settings``; ``services.admin.update_settings`` refuses what the registry does not
allow, naming the setting, and saves nothing of a refused change."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.backup_schedule import BACKUP_DEFAULTS
from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.domain.mail_settings import MAIL_DEFAULTS
from cqms_desktop.domain.settings import DEFAULTS, REGISTRY, SETTINGS, Recompute, recomputations
from cqms_desktop.domain.settings_check import check_settings, check_value
from cqms_desktop.services import admin
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.models import AuditLog


def test_every_setting_is_declared_once_and_its_default_is_allowed():
    keys = [spec.key for spec in SETTINGS]
    # DEFAULTS also holds the mail and the backup settings, which have rules of their own
    # (mail_settings, backup_schedule).
    assert len(keys) == len(set(keys)) and not set(keys) & (
        set(MAIL_DEFAULTS) | set(BACKUP_DEFAULTS)
    )
    assert set(DEFAULTS) == set(keys) | set(MAIL_DEFAULTS) | set(BACKUP_DEFAULTS)
    for spec in SETTINGS:
        if spec.key != "company_name":  # empty until the first start names the company
            assert check_value(spec, spec.default_value()) == spec.default, spec.key
        assert spec.label and spec.help, spec.key
    check_settings({}, DEFAULTS)


def test_the_deadline_settings_trigger_the_recomputation():
    deadline_keys = {s.key for s in SETTINGS if Recompute.COMPLAINT_DEADLINES in s.recompute}
    assert deadline_keys == {
        "deadline_urgent_days",
        "deadline_normal_days",
        "deadline_working_days",
        "timezone",
    }
    assert recomputations({"due_soon_hours", "company_name"}) == frozenset()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"deadline_urgent_days": 1000}, "deadline_urgent_days", "between 1 and 60, not 1000"),
        ({"due_soon_hours": -5}, "due_soon_hours", "between 1 and 720, not -5"),
        ({"repeat_window_months": 0}, "repeat_window_months", "between 1 and 60, not 0"),
        ({"attachment_max_mb": 100000}, "attachment_max_mb", "between 1 and 500, not 100000"),
        ({"deadline_normal_days": "seven"}, "deadline_normal_days", "whole number"),
        ({"deadline_normal_days": True}, "deadline_normal_days", "whole number"),
        ({"survey_scale_min": 9, "survey_scale_max": 3}, "survey_scale_max", "above where"),
        ({"survey_target": 4.5, "survey_scale_max": 4}, "survey_target", "on the survey scale"),
        ({"survey_target": "much"}, "survey_target", "must be a number"),
        ({"survey_weights": {"quality": -1}}, "survey_weights", "between 0 and 10, not -1"),
        ({"survey_weights": {"colour": 2}}, "survey_weights", "“colour”"),
        (
            {"survey_weights": {"quality": 0, "service": 0, "price": 0, "delivery": 0}},
            "survey_weights",
            "above zero",
        ),
        ({"survey_weights": 3}, "survey_weights", "a weight for each item"),
        ({"deadline_working_days": "sometimes"}, "deadline_working_days", "yes or no"),
        ({"timezone": "Mars/Olympus"}, "timezone", "not a known time zone"),
        ({"company_name": "  "}, "company_name", "is required"),
        ({"form_code_visit": "Q" * 33}, "form_code_visit", "at most 32 characters"),
        ({"form_revision_8d": ""}, "form_revision_8d", "is required"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(database, system, changes, field, words):
    admin.update_settings(system, {"company_name": "ACME"})
    before = settings_store.get_all()
    with pytest.raises(ValidationError) as err:
        admin.update_settings(system, {**changes, "visit_interval_months": 2})
    assert err.value.field == field
    message = str(err.value)
    assert words in message
    # The message names the setting by its label, not by its key.
    assert message.startswith(REGISTRY[field].label) or REGISTRY[field].label in message
    assert settings_store.get_all() == before  # nothing saved half
    assert not AuditLog.select().where(AuditLog.field == "visit_interval_months").exists()


def test_the_message_is_translated_with_the_setting_s_label():
    with pytest.raises(ValidationError) as err:
        check_settings({"deadline_urgent_days": 1000}, DEFAULTS)

    def chinese(context, text):
        return {
            ("Settings", "Urgent complaints handled within"): "紧急投诉处理期限",
            ("Errors", "{field} must be between {min} and {max}, not {value}."): (
                "{field}必须在{min}到{max}之间，不能是{value}。"
            ),
        }.get((context, text), text)

    assert err.value.translated(chinese) == "紧急投诉处理期限必须在1到60之间，不能是1000。"


def test_a_partial_weights_dict_changes_only_the_weights_it_names(database, system):
    admin.update_settings(system, {"survey_weights": {"quality": 3, "price": 2}})
    admin.update_settings(system, {"survey_weights": {"quality": 5}})
    assert settings_store.get("survey_weights") == {
        "quality": 5,
        "service": 1,
        "price": 2,
        "delivery": 1,
    }


def test_values_are_stored_typed(database, system):
    admin.update_settings(system, {"deadline_urgent_days": "3", "survey_target": "3.75"})
    assert settings_store.get("deadline_urgent_days") == 3
    assert settings_store.get("survey_target") == 3.8
