"""Which values the shared settings accept: each setting against its declaration in
:mod:`.settings`, then the rules that tie settings together.

:func:`check_settings` is what ``services.admin.update_settings`` runs before it saves
anything, so a refused change leaves every setting as it was. Every refusal is a
:class:`ValidationError` naming the setting by its translated label.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .deadlines import company_zone
from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP
from .settings import REGISTRY, SettingSpec, SettingType


def _refuse(spec: SettingSpec, message: str, **params: Any) -> ValidationError:
    return ValidationError(message, field=spec.key, label=("Settings", spec.label), **params)


def _shown(number: float | None) -> str:
    """A limit as people write it: 60, not 60.0."""
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def _in_range(spec: SettingSpec, number: float, shown: Any) -> None:
    low, high = spec.minimum, spec.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise _refuse(
            spec,
            QT_TRANSLATE_NOOP("Errors", "{field} must be between {min} and {max}, not {value}."),
            min=_shown(low),
            max=_shown(high),
            value=shown,
        )


def _integer(spec: SettingSpec, value: Any) -> int:
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
    if number is None:
        raise _refuse(
            spec,
            QT_TRANSLATE_NOOP("Errors", "{field} must be a whole number, not “{value}”."),
            value=value,
        )
    _in_range(spec, number, number)
    return number


def _decimal(spec: SettingSpec, value: Any) -> float:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise _refuse(
            spec,
            QT_TRANSLATE_NOOP("Errors", "{field} must be a number, not “{value}”."),
            value=value,
        ) from None
    _in_range(spec, float(number), value)
    rounded = round(float(number), spec.decimals)
    return rounded if not math.isclose(rounded, 0.0) else 0.0


def _text(spec: SettingSpec, value: Any) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _refuse(
            spec,
            QT_TRANSLATE_NOOP("Errors", "{field} must be text, not “{value}”."),
            value=value,
        )
    if spec.required and not value.strip():
        raise _refuse(spec, QT_TRANSLATE_NOOP("Errors", "{field} is required."))
    if spec.max_length is not None and len(value.strip()) > spec.max_length:
        raise _refuse(
            spec,
            QT_TRANSLATE_NOOP("Errors", "{field} is too long (at most {max} characters)."),
            max=spec.max_length,
        )
    # Stored as typed: the page strips what it sends; a service caller's text is kept.
    return value


def _time_zone(spec: SettingSpec, value: Any) -> str:
    name = _text(spec, value).strip()
    try:
        company_zone(name)
    except ValidationError as err:
        raise _refuse(spec, err.message, value=name) from None
    return name


def _flag(spec: SettingSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _refuse(
        spec,
        QT_TRANSLATE_NOOP("Errors", "{field} must be yes or no, not “{value}”."),
        value=value,
    )


def _weights(spec: SettingSpec, value: Any, current: Any) -> dict[str, int]:
    """A weights dict; parts not given keep their current weight (a partial dict changes only
    the parts it names, it never drops the others)."""
    if not isinstance(value, Mapping):
        raise _refuse(
            spec,
            QT_TRANSLATE_NOOP("Errors", "{field} must give a weight for each item."),
        )
    unknown = sorted(set(value) - set(spec.parts))
    if unknown:
        raise _refuse(
            spec,
            QT_TRANSLATE_NOOP("Errors", "{field}: “{value}” is not one of the allowed values."),
            value=unknown[0],
        )
    base = {**spec.default_value(), **(current if isinstance(current, Mapping) else {})}
    merged: dict[str, int] = {}
    for part in spec.parts:
        raw = value.get(part, base.get(part, spec.default[part]))
        merged[part] = _integer(spec, raw)
    if not any(merged.values()):
        raise _refuse(
            spec,
            QT_TRANSLATE_NOOP("Errors", "{field}: at least one weight must be above zero."),
        )
    return merged


def check_value(spec: SettingSpec, value: Any, current: Any = None) -> Any:
    """*value* for setting *spec*, typed and within its limits; refused otherwise."""
    match spec.type:
        case SettingType.INTEGER:
            return _integer(spec, value)
        case SettingType.DECIMAL:
            return _decimal(spec, value)
        case SettingType.FLAG:
            return _flag(spec, value)
        case SettingType.TIME_ZONE:
            return _time_zone(spec, value)
        case SettingType.WEIGHTS:
            return _weights(spec, value, current)
        case _:
            return _text(spec, value)


def check_together(settings: Mapping[str, Any]) -> None:
    """The rules between settings, on the values they will have after the change: the survey
    scale ends above where it starts and the target lies on it."""
    low, high = int(settings["survey_scale_min"]), int(settings["survey_scale_max"])
    if low >= high:
        raise _refuse(
            REGISTRY["survey_scale_max"],
            QT_TRANSLATE_NOOP(
                "Errors", "{field} ({high}) must be above where the scale starts ({low})."
            ),
            high=high,
            low=low,
        )
    target = float(settings["survey_target"])
    if not low <= target <= high:
        raise _refuse(
            REGISTRY["survey_target"],
            QT_TRANSLATE_NOOP(
                "Errors", "{field} ({value}) must lie on the survey scale ({low}–{high})."
            ),
            value=_shown(target),
            low=low,
            high=high,
        )


def check_settings(changes: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The *changes* typed and checked against the registry and against the *current*
    settings they join; the first problem is raised, naming its setting."""
    unknown = sorted(set(changes) - set(REGISTRY))
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Unknown setting “{key}”."), key=unknown[0]
        )
    clean = {
        key: check_value(REGISTRY[key], value, current.get(key)) for key, value in changes.items()
    }
    check_together({**current, **clean})
    return clean
