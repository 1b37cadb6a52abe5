"""Administration of e-mail: the office's mail settings, the SMTP password (credential store
only), the editable message texts, each user's digest language and the test message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.errors import NotFoundError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.mail_settings import MAIL_DEFAULTS, MailSettings, check_address, validate
from ..domain.mail_templates import (
    TEMPLATE_KINDS,
    TEST,
    Template,
    check_language,
    fill,
    template_for,
)
from ..store import audit
from ..store import settings as settings_store
from ..store.db import retry_transient
from ..store.models import User
from . import admin, mail_outbox
from .base import Actor, require, unit_of_work
from .mail_outbox import Outcome
from .mail_secrets import NoCredentialStore, password_source, store_password
from .mail_secrets import store_unavailable_reason as _store_unavailable_reason
from .mail_transport import check_configured
from .normalise import checked_input


@dataclass(frozen=True, slots=True)
class MailConfig:
    """The mail settings as the settings page shows them (never the password)."""

    settings: MailSettings
    values: dict[str, Any]
    password_source: str  # environment | store | none
    store_problem: str | None  # why there is no credential store, if there is none


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What :func:`save_settings` did with the password."""

    password_stored: bool
    password_problem: str  # the translated-later message when the store refused, else ""


def store_unavailable_reason() -> str | None:
    """Why this PC has no credential store (``None`` when it has one)."""
    return _store_unavailable_reason()


@checked_input
def mail_config(actor: Actor) -> MailConfig:
    """The current mail settings (administrators only)."""
    require(actor, admin=True)
    values = settings_store.get_all()
    settings = mail_outbox.current_settings()
    return MailConfig(
        settings=settings,
        values={k: values.get(k, d) for k, d in MAIL_DEFAULTS.items()},
        password_source=password_source(settings.host, settings.user),
        store_problem=_store_unavailable_reason(),
    )


@checked_input
def save_settings(
    actor: Actor, *, values: dict[str, Any], password: str | None = None
) -> SaveResult:
    """Check and store the mail settings in *values* (audited, shared by every PC); a
    *password* goes to this PC's credential store only. Where there is no credential store the
    settings are still saved and the result says why the password was not."""
    require(actor, admin=True)
    unknown = sorted(set(values) - set(MAIL_DEFAULTS))
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Unknown setting “{key}”."), key=unknown[0]
        )
    clean = validate(values)
    if "mail_templates" in values:
        clean["mail_templates"] = _check_templates(values["mail_templates"])
    admin.update_settings(actor, clean)
    if password is None:
        return SaveResult(False, "")
    settings = mail_outbox.current_settings()
    try:
        store_password(settings.host, settings.user, password)
    except NoCredentialStore as exc:
        return SaveResult(False, str(exc))
    return SaveResult(True, "")


def _check_templates(raw: Any) -> dict[str, dict[str, dict[str, str]]]:
    if not isinstance(raw, dict):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The message texts are not in the expected form."),
            field="mail_templates",
        )
    clean: dict[str, dict[str, dict[str, str]]] = {}
    for kind, langs in raw.items():
        if kind not in TEMPLATE_KINDS or not isinstance(langs, dict):
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "There is no message kind “{value}”."),
                field="mail_templates",
                value=kind,
            )
        for lang, texts in langs.items():
            check_language(lang)
            subject = str((texts or {}).get("subject") or "").strip()
            if "\n" in subject or "\r" in subject:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "A subject must be one line."),
                    field="mail_templates",
                )
            clean.setdefault(kind, {})[lang] = {
                "subject": subject,
                "body": str((texts or {}).get("body") or ""),
            }
    return clean


def template(kind: str, lang: str) -> Template:
    """The subject and body the program sends for *kind* in *lang* (edited or default)."""
    return template_for(kind, lang, settings_store.get("mail_templates"))


@checked_input
def set_template(actor: Actor, *, kind: str, lang: str, subject: str, body: str) -> None:
    """Replace the text of one message kind in one language (empty: back to the default)."""
    require(actor, admin=True)
    current = dict(settings_store.get("mail_templates") or {})
    per_kind = dict(current.get(kind) or {})
    per_kind[lang] = {"subject": subject, "body": body}
    current[kind] = per_kind
    save_settings(actor, values={"mail_templates": current})


@checked_input
@retry_transient
def set_user_language(actor: Actor, *, username: str, lang: str) -> None:
    """The language of *username*'s reminder digests (``""``: the office's default)."""
    require(actor, admin=True)
    if lang:
        check_language(lang)
    with unit_of_work("user"):
        user = User.get_or_none(User.username == username)
        if user is None:
            raise NotFoundError(
                QT_TRANSLATE_NOOP("Errors", "There is no user “{username}”."),
                field="username",
                username=username,
            )
        audit.update(User, user.id, actor.username, {"language": lang}, None)


@checked_input
def send_test(actor: Actor, *, to: str, lang: str = "en") -> Outcome:
    """Send the test message to *to* (kept like every message; "not sent" with the reason
    when the server refuses)."""
    require(actor, admin=True)
    address = check_address(to)
    settings = mail_outbox.current_settings()
    check_configured(settings)
    values = settings_store.get_all()
    texts = template_for(TEST, check_language(lang), values.get("mail_templates"))
    fields = {"company": values.get("company_name") or "", "sender_name": settings.sender_name}
    mail_id = mail_outbox.record(
        actor.username,
        kind=mail_outbox.TEST,
        sender=settings.sender,
        recipients=[address],
        subject=fill(texts.subject, fields),
        body=fill(texts.body, fields),
        lang=lang,
    )
    return mail_outbox.transmit(mail_id, actor.username, settings=settings)
