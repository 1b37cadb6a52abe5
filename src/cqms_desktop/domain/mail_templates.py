"""The texts of the e-mails CQMS sends, in Chinese, English and German.

Like the printed forms (:mod:`.glossary`), a message to a customer is written in the
customer's language whatever the sender's screen shows, so these texts are not Qt
translations but one catalogue per language. The administrator may replace the subject and
body of each message kind and language (setting ``mail_templates``, see
:func:`template_for`); the defaults below are what a new database sends.

Placeholders are ``{name}`` fields filled with :meth:`str.format_map`; an unknown one is left
as written (``{typo}``) instead of failing the whole send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP
from .work_items import WorkKind

#: Languages a message can be written in (the forms' languages).
LANGUAGES: tuple[str, ...] = ("zh", "en", "de")

#: Message kinds with editable templates.
FORM = "form"
DIGEST = "digest"
ESCALATION = "escalation"
TEST = "test"
TEMPLATE_KINDS: tuple[str, ...] = (FORM, DIGEST, ESCALATION, TEST)

#: The placeholders each kind offers (shown on the administration page).
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    FORM: ("company", "form", "number", "customer", "sender_name"),
    DIGEST: ("company", "user", "count", "overdue", "day"),
    ESCALATION: ("company", "count", "hours", "day"),
    TEST: ("company", "sender_name"),
}


@dataclass(frozen=True, slots=True)
class Template:
    """A subject and a body with ``{placeholders}``."""

    subject: str
    body: str


DEFAULTS: dict[str, dict[str, Template]] = {
    FORM: {
        "zh": Template(
            "{company} {form} {number}",
            "尊敬的{customer}：\n\n附件为{form}（编号 {number}），请查收。"
            "如有任何疑问，请随时与我们联系。\n\n此致\n敬礼\n\n{sender_name}\n{company}",
        ),
        "en": Template(
            "{company}: {form} {number}",
            "Dear {customer},\n\nplease find attached the {form} (number {number}). "
            "Do not hesitate to contact us if you have any questions.\n\n"
            "Kind regards\n\n{sender_name}\n{company}",
        ),
        "de": Template(
            "{company}: {form} {number}",
            "Sehr geehrte Damen und Herren ({customer}),\n\nim Anhang erhalten Sie den "
            "{form} (Nummer {number}). Bei Fragen stehen wir Ihnen gerne zur Verfügung.\n\n"
            "Mit freundlichen Grüßen\n\n{sender_name}\n{company}",
        ),
    },
    DIGEST: {
        "zh": Template(
            "CQMS：{user}，您有 {count} 项待办（{overdue} 项已逾期）",
            "{user}，您好：\n\n以下是截至 {day} 等待您或您所在部门处理的事项"
            "（已逾期和即将到期的在前）：\n\n{items}\n\n"
            "请在 CQMS 的“我的工作”中处理。\n\n{company}",
        ),
        "en": Template(
            "CQMS: {count} items wait for you, {overdue} overdue",
            "Hello {user},\n\nthese items wait for you or your department on {day} "
            "(overdue and due soon first):\n\n{items}\n\nPlease open My work in CQMS.\n\n{company}",
        ),
        "de": Template(
            "CQMS: {count} Aufgaben warten auf Sie, {overdue} überfällig",
            "Hallo {user},\n\nfolgende Aufgaben warten am {day} auf Sie oder Ihre Abteilung "
            "(überfällige und bald fällige zuerst):\n\n{items}\n\nBitte öffnen Sie "
            "„Meine Aufgaben“ in CQMS.\n\n{company}",
        ),
    },
    ESCALATION: {
        "zh": Template(
            "CQMS 升级通知：{count} 项顾客抱怨超过期限未处理",
            "以下顾客抱怨在处理期限过后 {hours} 小时仍未处理（截至 {day}）：\n\n{items}\n\n"
            "请督促质保部尽快处理。\n\n{company}",
        ),
        "en": Template(
            "CQMS escalation: {count} complaints not handled past their deadline",
            "These customer complaints are still not handled {hours} hours after their "
            "deadline (on {day}):\n\n{items}\n\nPlease see that QA handles them.\n\n{company}",
        ),
        "de": Template(
            "CQMS-Eskalation: {count} Reklamationen nach Fristablauf nicht bearbeitet",
            "Diese Kundenreklamationen sind {hours} Stunden nach Ablauf ihrer Frist noch "
            "nicht bearbeitet (Stand {day}):\n\n{items}\n\nBitte sorgen Sie dafür, dass die "
            "Qualitätssicherung sie bearbeitet.\n\n{company}",
        ),
    },
    TEST: {
        "zh": Template(
            "CQMS 测试邮件",
            "这是 CQMS Desktop 发送的测试邮件。收到此邮件说明邮件设置正确。"
            "\n\n{sender_name}\n{company}",
        ),
        "en": Template(
            "CQMS test message",
            "This is a test message from CQMS Desktop. If it arrived, the mail settings "
            "work.\n\n{sender_name}\n{company}",
        ),
        "de": Template(
            "CQMS-Testnachricht",
            "Dies ist eine Testnachricht von CQMS Desktop. Wenn sie angekommen ist, "
            "funktionieren die E-Mail-Einstellungen.\n\n{sender_name}\n{company}",
        ),
    },
}

#: What a "My work" line is called in a digest, per language.
WORK_KIND_WORDS: dict[WorkKind, tuple[str, str, str]] = {
    WorkKind.COMPLAINT_STEP: ("待处理的顾客抱怨", "Complaint to handle", "Reklamation bearbeiten"),
    WorkKind.ACTION_TO_CARRY_OUT: (
        "待实施的纠正措施",
        "Countermeasure to carry out",
        "Maßnahme durchführen",
    ),
    WorkKind.ACTION_TO_VERIFY: ("待验证的纠正措施", "Countermeasure to verify", "Maßnahme prüfen"),
    WorkKind.FEEDBACK_TO_FORWARD: (
        "待转交的反馈",
        "Feedback to forward",
        "Rückmeldung weiterleiten",
    ),
    WorkKind.ROUTING_TO_ACKNOWLEDGE: (
        "待签收的要求",
        "Request to acknowledge",
        "Anfrage bestätigen",
    ),
    WorkKind.SURVEY_TO_CHASE: ("待催收的调查表", "Survey to chase", "Umfrage nachfassen"),
    WorkKind.SCAR_REPLY_OVERDUE: (
        "供应商纠正措施要求：回复逾期",
        "SCAR: supplier reply overdue",
        "SCAR: Antwort des Lieferanten überfällig",
    ),
    WorkKind.SCAR_TO_VERIFY: (
        "待验证或关闭的供应商纠正措施要求",
        "SCAR to verify or close",
        "SCAR prüfen oder abschließen",
    ),
}

#: Section headings of a digest: (overdue, due soon, other), per language.
DIGEST_SECTIONS: dict[str, tuple[str, str, str]] = {
    "zh": ("已逾期", "即将到期", "其他待办"),
    "en": ("Overdue", "Due soon", "Also waiting"),
    "de": ("Überfällig", "Bald fällig", "Außerdem offen"),
}

#: "due" before a day in a digest line, per language.
DUE_WORD: dict[str, str] = {"zh": "期限", "en": "due", "de": "fällig"}


def check_language(lang: str) -> str:
    """*lang* if messages can be written in it, else a :class:`ValidationError`."""
    if lang not in LANGUAGES:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Messages can be written in {languages}, not “{value}”."),
            field="lang",
            languages=", ".join(LANGUAGES),
            value=lang,
        )
    return lang


def template_for(kind: str, lang: str, overrides: Mapping[str, Any] | None = None) -> Template:
    """The template of *kind* in *lang*: the administrator's version from the
    ``mail_templates`` setting (``{kind: {lang: {"subject": …, "body": …}}}``) where it has
    one, else the default. An empty subject or body in the setting falls back to the default."""
    check_language(lang)
    default = DEFAULTS[kind][lang]
    stored = ((overrides or {}).get(kind) or {}).get(lang) or {}
    return Template(
        subject=str(stored.get("subject") or default.subject),
        body=str(stored.get("body") or default.body),
    )


class _Lenient(dict[str, str]):
    """format_map values: an unknown placeholder stays as it was written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: Mapping[str, Any]) -> str:
    """*text* with its ``{placeholders}`` filled from *values*; a subject stays one line."""
    try:
        return text.format_map(_Lenient({k: str(v) for k, v in values.items()}))
    except (ValueError, IndexError):
        # A stray brace in an administrator's text: send it as written rather than fail.
        return text


def one_line(text: str) -> str:
    """A header value on one line (no CR/LF: they would start a new header)."""
    return " ".join(text.split())


def work_kind_word(kind: WorkKind, lang: str) -> str:
    """The name of a "My work" line's kind in *lang*."""
    return WORK_KIND_WORDS[kind][LANGUAGES.index(check_language(lang))]
