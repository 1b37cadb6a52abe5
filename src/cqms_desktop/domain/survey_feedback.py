"""The text that explains a feedback generated from a below-target survey, in the reader's
language.

The feedback used to store an English sentence ("SV-2026-0077 2026-Q4: below the
satisfaction target 4.0 (quality…)") in its description, so the Chinese program and the
Chinese or German form showed English. Now the feedback keeps only the respondent's own
words; the explanation is :class:`BelowTarget` — plain data read from the linked survey — and
is written when shown: :func:`render` with the program's translation (context
``GeneratedText``), :func:`render_for_form` with the form's vocabulary (zh / en / de, as
:mod:`.glossary`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .glossary import check_language, term
from .i18n import QT_TRANSLATE_NOOP
from .survey_scoring import OVERALL

#: The program's two sentences (translated in context ``GeneratedText``).
SUMMARY_LOW = QT_TRANSLATE_NOOP(
    "GeneratedText", "Survey {number} ({quarter}) is below the satisfaction target {target}: {low}."
)
SUMMARY_SCORES = QT_TRANSLATE_NOOP("GeneratedText", "Overall {overall}; {scores}.")
#: Item names in the program (context ``GeneratedText``).
ITEM_NAMES: dict[str, str] = {
    "quality": QT_TRANSLATE_NOOP("GeneratedText", "quality"),
    "service": QT_TRANSLATE_NOOP("GeneratedText", "service"),
    "price": QT_TRANSLATE_NOOP("GeneratedText", "price"),
    "delivery": QT_TRANSLATE_NOOP("GeneratedText", "delivery"),
    OVERALL: QT_TRANSLATE_NOOP("GeneratedText", "overall score"),
}
#: The printed sentence per form language (zh, en, de), worded like the forms.
FORM_SUMMARY: dict[str, str] = {
    "zh": "满意度调查 {number}（{quarter}）低于满意度目标 {target}：{low}。"
    "综合得分 {overall}；{scores}。",
    "en": "Survey {number} ({quarter}) is below the satisfaction target {target}: {low}. "
    "Overall score {overall}; {scores}.",
    "de": "Umfrage {number} ({quarter}) liegt unter dem Zufriedenheitsziel {target}: {low}. "
    "Gesamtbewertung {overall}; {scores}.",
}
_LIST_SEPARATOR = {"zh": "、", "en": ", ", "de": ", "}
_SCORE_SEPARATOR = {"zh": "，", "en": ", ", "de": ", "}


@dataclass(frozen=True, slots=True)
class BelowTarget:
    """Why a survey produced a feedback: its scores against the target (no wording)."""

    number: str
    quarter: str
    target: Decimal
    overall: Decimal | None
    scores: tuple[tuple[str, int], ...]  # the answered items, in form order
    low: tuple[str, ...]  # the items (and "overall") below the target


def _number(value: Decimal | None) -> str:
    return "–" if value is None else format(value.normalize(), "f")


def render(summary: BelowTarget, translate: Callable[[str, str], str], separator: str = " ") -> str:
    """*summary* in the program's language (*translate* is ``QCoreApplication.translate``);
    its two sentences joined by *separator* (a new line where room is short)."""

    def name(item: str) -> str:
        return translate("GeneratedText", ITEM_NAMES[item])

    low = translate("GeneratedText", SUMMARY_LOW).format(
        number=summary.number,
        quarter=summary.quarter,
        target=_number(summary.target),
        low=", ".join(name(i) for i in summary.low),
    )
    scores = translate("GeneratedText", SUMMARY_SCORES).format(
        overall=_number(summary.overall),
        scores=", ".join(f"{name(i)} {score}" for i, score in summary.scores),
    )
    return f"{low}{separator}{scores}"


def _form_name(item: str, lang: str) -> str:
    return term(OVERALL if item == OVERALL else f"item.{item}", lang)


def render_for_form(summary: BelowTarget, lang: str) -> str:
    """*summary* in the form language *lang* (``zh``, ``en`` or ``de``)."""
    lang = check_language(lang)
    return FORM_SUMMARY[lang].format(
        number=summary.number,
        quarter=summary.quarter,
        target=_number(summary.target),
        low=_LIST_SEPARATOR[lang].join(_form_name(i, lang) for i in summary.low),
        overall=_number(summary.overall),
        scores=_SCORE_SEPARATOR[lang].join(
            f"{_form_name(i, lang)} {score}" for i, score in summary.scores
        ),
    )
