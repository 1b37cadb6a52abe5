"""5.1.3 satisfaction surveys: the scale, the weighted overall score, the target, quarters.

Plain Python on plain values, so the rules can be checked by hand: a survey scores the four
items of 5.1.3 (quality, service, price, delivery) on a scale (default 1–5); the overall
score is the weighted mean of the items the customer answered; a survey is *below target*
when its overall score or any single item is below the satisfaction target (满意度目标).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP
from .settings import DEFAULTS

#: The four items of 5.1.3, in the order of the form.
ITEMS: tuple[str, ...] = ("quality", "service", "price", "delivery")

#: The record field holding each item's score.
SCORE_FIELDS: dict[str, str] = {item: f"score_{item}" for item in ITEMS}

#: Label of the overall score where it is named among the below-target items.
OVERALL = "overall"

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-\s*[Qq]([1-4])\s*$")
#: Quarters outside these years are typing mistakes, not survey campaigns.
MIN_YEAR, MAX_YEAR = 2000, 2099


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """The survey settings: scale, target and the weight of each item."""

    scale_min: int = 1
    scale_max: int = 5
    target: Decimal = Decimal("4.0")
    weights: Mapping[str, Decimal] = field(
        default_factory=lambda: {item: Decimal(1) for item in ITEMS}
    )

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ScoringRules:
        """The rules from a settings mapping (missing keys take their defaults)."""
        s = {**DEFAULTS, **settings}
        raw = {**DEFAULTS["survey_weights"], **(s.get("survey_weights") or {})}
        weights = {item: Decimal(str(raw.get(item, 1))) for item in ITEMS}
        return cls(
            scale_min=int(s["survey_scale_min"]),
            scale_max=int(s["survey_scale_max"]),
            target=Decimal(str(s["survey_target"])),
            weights=weights,
        )


def validate_score(value: Any, field_name: str, rules: ScoringRules) -> int | None:
    """A whole-number score on the scale, or ``None`` when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be a whole number, not “{value}”."),
            field=field_name,
            value=value,
        ) from None
    if not rules.scale_min <= number <= rules.scale_max:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} must be between {min} and {max}, not {value}."),
            field=field_name,
            min=rules.scale_min,
            max=rules.scale_max,
            value=number,
        )
    return number


def validate_scores(scores: Mapping[str, Any], rules: ScoringRules) -> dict[str, int | None]:
    """Every item's score checked against the scale (keys are :data:`ITEMS`)."""
    unknown = set(scores) - set(ITEMS)
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Unknown survey item “{item}”."), item=sorted(unknown)[0]
        )
    return {item: validate_score(scores.get(item), SCORE_FIELDS[item], rules) for item in ITEMS}


def overall_score(scores: Mapping[str, int | None], rules: ScoringRules) -> Decimal | None:
    """The weighted mean of the answered items, rounded half-up to two decimals.

    Items the customer left blank do not count (their weight drops out); with nothing
    answered, or only zero-weight items answered, there is no overall score.
    """
    total = Decimal(0)
    weight_sum = Decimal(0)
    for item in ITEMS:
        score = scores.get(item)
        if score is None:
            continue
        weight = rules.weights.get(item, Decimal(1))
        total += weight * score
        weight_sum += weight
    if weight_sum == 0:
        return None
    return (total / weight_sum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def below_target(
    scores: Mapping[str, int | None], overall: Decimal | None, rules: ScoringRules
) -> list[str]:
    """The items (and :data:`OVERALL`) scored below the target, in form order."""
    low = [i for i in ITEMS if scores.get(i) is not None and Decimal(scores[i] or 0) < rules.target]
    if overall is not None and overall < rules.target:
        low.append(OVERALL)
    return low


# ---------------------------------------------------------------- quarters
@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    """A calendar quarter, written ``2026-Q4``."""

    year: int
    number: int

    @property
    def code(self) -> str:
        """The stored form, e.g. ``2026-Q4`` (sorts correctly as text)."""
        return f"{self.year:04d}-Q{self.number}"

    @property
    def start(self) -> date:
        """The first day of the quarter."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        """The following quarter."""
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The preceding quarter."""
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return self.code


def parse_quarter(text: Any, field_name: str = "quarter") -> Quarter:
    """``2026-Q4`` (also ``2026-q4``, ``2026 - Q4``) as a :class:`Quarter`, or a clear error."""
    raw = "" if text is None else str(text)
    if not raw.strip():
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field=field_name)
    match = _QUARTER_RE.match(raw)
    if match is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "{field}: “{value}” is not a quarter; write it like 2026-Q4 (Q1 to Q4)."
            ),
            field=field_name,
            value=raw.strip(),
        )
    year, number = int(match.group(1)), int(match.group(2))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: the year {year} is out of range ({min}–{max})."),
            field=field_name,
            year=year,
            min=MIN_YEAR,
            max=MAX_YEAR,
        )
    return Quarter(year, number)


def quarter_of(day: date) -> Quarter:
    """The quarter *day* falls in."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from *first* to *last*, inclusive (empty if *last* is earlier)."""
    out: list[Quarter] = []
    current = first
    while current <= last:
        out.append(current)
        current = current.next()
    return out


def not_returned_in_time(quarter: Quarter, returned_on: date | None, today: date) -> bool:
    """5.1.3: a survey not returned by the end of its quarter is flagged."""
    return returned_on is None and today > quarter.end
