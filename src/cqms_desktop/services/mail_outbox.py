"""Every e-mail CQMS sends goes through here: recorded first, sent outside any transaction,
its outcome recorded after.

1. :func:`record` writes a :class:`~..store.models.SentMail` row with status ``sending``
   (recipients, subject, body, the attachment exactly as it will be sent, a Message-ID) and
   commits.
2. :func:`transmit` holds no transaction and no lock while it talks to the SMTP server, which
   may take the whole time-out: other PCs keep working.
3. In one transaction it then records ``sent`` (and the effects of sending, e.g. the complaint's
   5.2.5 "copy sent" fields, with audit rows) or ``not_sent`` with the reason.

The crash window: if the program (or the database connection) dies between the server's
"250 accepted" and step 3, the row stays ``sending``: *outcome unknown*, never "sent". Such a
message is listed by :func:`unknown_outcomes` and is only sent again when asked for
(``cqms send --retry --include-unknown``); it then keeps its Message-ID, so the recipient's
mail program shows a duplicate as the same message. A message refused or undelivered is
``not_sent`` with the reason and is sent again by :func:`retry` (``cqms send --retry``, the
next ``cqms remind``). Two PCs retrying at once: the switch from ``not_sent`` back to
``sending`` is one conditional UPDATE, so only one of them sends.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from ..domain.clock import utcnow
from ..domain.errors import CqmsError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.mail_settings import MailSettings, mail_settings
from ..domain.mail_templates import one_line
from ..store import audit
from ..store import settings as settings_store
from ..store.db import retry_transient
from ..store.models import Attachment, Complaint, SentMail
from .base import unit_of_work
from .mail_secrets import password_for
from .mail_transport import MailNotSent, deliver

log = logging.getLogger(__name__)

SENDING = "sending"
SENT = "sent"
NOT_SENT = "not_sent"
#: A form message not sent and then sent anew (from the preview, edited): not retried.
SUPERSEDED = "superseded"

FORM = "form"
DIGEST = "digest"
ESCALATION = "escalation"
TEST = "test"

#: How long a row may stay ``sending`` before it counts as "outcome unknown" (a crash), not
#: as a send still under way on another PC: longer than any SMTP time-out.
UNKNOWN_AFTER = timedelta(minutes=15)

#: 5.2.5 "how the copy was sent", as the complaint form records it.
VIA_EMAIL = "e-mail"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one message."""

    mail_id: int
    sent: bool
    recipients: tuple[str, ...]
    subject: str
    reason: str = ""


def current_settings() -> MailSettings:
    """The office's mail settings from the database."""
    return mail_settings(settings_store.get_all())


@retry_transient
def record(
    username: str,
    *,
    kind: str,
    sender: str,
    recipients: Sequence[str],
    subject: str,
    body: str,
    lang: str,
    record_kind: str = "",
    record_id: int | None = None,
    attachment_name: str = "",
    attachment: bytes | None = None,
    extra_attachments: Sequence[Attachment] = (),
    supersede: bool = False,
) -> int:
    """Write the message as ``sending`` in its own transaction; its id. With *supersede*, the
    record's earlier messages of the same kind left "not sent" are marked superseded (the
    user sent the form anew), so a retry does not send them as well."""
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "cqms.invalid"
    with unit_of_work("mail"):
        row = SentMail.create(
            kind=kind,
            record_kind=record_kind,
            record_id=record_id,
            lang=lang,
            message_id=make_msgid("cqms", domain=domain),
            sender=sender,
            recipients="\n".join(recipients),
            subject=one_line(subject),
            body=body,
            attachment_name=attachment_name,
            attachment=attachment,
            extra_attachments=_describe(extra_attachments),
            status=SENDING,
            attempts=0,
            created_at=utcnow(),
            created_by=username,
            attempted_at=utcnow(),
        )
        audit.write_audit(username, "sent_mail", row.id, "create", {"status": (None, SENDING)})
        if supersede and record_id is not None:
            earlier = SentMail.select(SentMail.id).where(
                (SentMail.kind == kind)
                & (SentMail.record_kind == record_kind)
                & (SentMail.record_id == record_id)
                & (SentMail.status == NOT_SENT)
            )
            for old in earlier:
                SentMail.update(status=SUPERSEDED).where(SentMail.id == old.id).execute()
                audit.write_audit(
                    username, "sent_mail", old.id, "update", {"status": (NOT_SENT, SUPERSEDED)}
                )
    return int(row.id)


def build_message(row: SentMail, settings: MailSettings) -> EmailMessage:
    """The e-mail of a recorded row (the same Message-ID, text and attachment every time)."""
    message = EmailMessage()
    message["From"] = formataddr((settings.sender_name, row.sender)) if row.sender else ""
    message["To"] = ", ".join(recipients_of(row))
    message["Subject"] = row.subject
    message["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    message["Message-ID"] = row.message_id
    message.set_content(row.body, charset="utf-8")
    if row.attachment is not None:
        message.add_attachment(
            bytes(row.attachment),
            maintype="application",
            subtype="pdf",
            filename=row.attachment_name or "form.pdf",
        )
    for data, name, content_type in _extra_files(row):
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(
            data, maintype=maintype or "application", subtype=subtype or "octet-stream",
            filename=name,
        )  # fmt: skip
    if row.lang:  # after the content: set_content and add_attachment move Content-* headers
        message["Content-Language"] = {"zh": "zh-CN"}.get(row.lang, row.lang)
    return message


def _describe(attachments: Sequence[Attachment]) -> str:
    """What the message carries besides the form, kept with it: id, name, size, SHA-256."""
    if not attachments:
        return ""
    return json.dumps(
        [
            {
                "id": int(a.id),
                "name": a.filename,
                "size": int(a.size),
                "sha256": hashlib.sha256(bytes(a.data)).hexdigest(),
            }
            for a in attachments
        ],
        ensure_ascii=False,
    )


def sent_attachments(row: SentMail) -> list[dict[str, Any]]:
    """The record's attachments the message carries (or carried): id, name, size, sha256."""
    text = str(row.extra_attachments or "")
    return list(json.loads(text)) if text else []


def _extra_files(row: SentMail) -> list[tuple[bytes, str, str]]:
    """The bytes of the chosen attachments, exactly those recorded (a later removal or a
    changed file is refused: the message is then not sent, with the reason)."""
    files = []
    for item in sent_attachments(row):
        found = Attachment.get_or_none(Attachment.id == item["id"])
        data = bytes(found.data) if found is not None else b""
        if found is None or hashlib.sha256(data).hexdigest() != item["sha256"]:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The attachment “{name}” was removed from the record after the message "
                    "was prepared; prepare the message again.",
                ),
                field="attachments",
                name=item["name"],
            )
        files.append((data, str(item["name"]), str(found.content_type or "")))
    return files


def recipients_of(row: SentMail) -> list[str]:
    """The row's recipient addresses."""
    return [a for a in str(row.recipients).splitlines() if a.strip()]


def transmit(
    mail_id: int,
    username: str,
    *,
    settings: MailSettings | None = None,
    on_failure: Callable[[], None] | None = None,
) -> Outcome:
    """Send recorded message *mail_id* (status ``sending``) and record the outcome;
    *on_failure* runs inside the transaction that records "not sent" (e.g. releasing the
    reminder claims, so the next run reminds again)."""
    settings = settings or current_settings()
    row = SentMail.get_by_id(mail_id)
    recipients = recipients_of(row)
    try:
        message = build_message(row, settings)
    except CqmsError as exc:  # an attachment gone since: kept as not sent, with why
        reason = str(exc)
        _record_outcome(mail_id, username, sent=False, reason=reason, on_failure=on_failure)
        return Outcome(mail_id, False, tuple(recipients), row.subject, reason)
    try:
        # Outside any transaction: the server may take the whole time-out to answer.
        deliver(settings, password_for(settings.host, settings.user), message, recipients)
    except MailNotSent as exc:
        reason = str(exc)
        _record_outcome(mail_id, username, sent=False, reason=reason, on_failure=on_failure)
        return Outcome(mail_id, False, tuple(recipients), row.subject, reason)
    _record_outcome(mail_id, username, sent=True, reason="")
    return Outcome(mail_id, True, tuple(recipients), row.subject)


def _record_outcome(
    mail_id: int,
    username: str,
    *,
    sent: bool,
    reason: str,
    on_failure: Callable[[], None] | None = None,
) -> None:
    """One transaction: the row's new status and, once sent, what sending changes."""
    kinds = ("mail", "complaint") if sent else ("mail",)
    with unit_of_work(*kinds):
        row = audit.get_for_update(SentMail, mail_id)
        new_status = SENT if sent else NOT_SENT
        now = utcnow()
        SentMail.update(
            status=new_status,
            reason=reason,
            attempts=SentMail.attempts + 1,
            sent_at=now if sent else None,
        ).where(SentMail.id == mail_id).execute()
        audit.write_audit(
            username,
            "sent_mail",
            mail_id,
            "update",
            {"status": (row.status, new_status), **({"reason": (None, reason)} if reason else {})},
            at=now,
        )
        if sent:
            _effects_of_sending(row, username, now)
        elif on_failure is not None:
            on_failure()


def _effects_of_sending(row: SentMail, username: str, at: datetime) -> None:
    """5.2.5: a complaint's handling form e-mailed to the customer is its copy sent."""
    if row.kind != FORM or row.record_kind != "complaint" or row.record_id is None:
        return
    complaint = Complaint.get_or_none(Complaint.id == row.record_id)
    if complaint is None:
        return
    to = ", ".join(recipients_of(row))
    limit = Complaint.copy_sent_to.max_length
    if len(to) > limit:  # the form's field is short; the full list stays with the message
        to = to[: limit - 1] + "…"
    audit.update(
        Complaint,
        complaint.id,
        username,
        {"copy_sent_at": at, "copy_sent_via": VIA_EMAIL, "copy_sent_to": to},
        None,  # a system step: it must not conflict with a user's open editor
    )


def retry(
    username: str, *, include_unknown: bool = False, kinds: Sequence[str] = (FORM,)
) -> list[Outcome]:
    """Send again every message of *kinds* recorded ``not_sent`` (and, with
    *include_unknown*, those left ``sending`` by a crash); each is claimed by one conditional
    UPDATE, so of two PCs retrying at once only one sends it.

    Only forms by default: a digest or escalation not sent is not sent again as it was — its
    reminder claims were released, so the next ``cqms remind`` sends the day's current one."""
    settings = current_settings()
    stale = utcnow() - UNKNOWN_AFTER
    condition = SentMail.status == NOT_SENT
    if include_unknown:
        condition |= (SentMail.status == SENDING) & (SentMail.attempted_at < stale)
    condition &= SentMail.kind.in_(list(kinds))
    outcomes: list[Outcome] = []
    for row in SentMail.select(SentMail.id, SentMail.status).where(condition).order_by(SentMail.id):
        with unit_of_work():
            claimed = (
                SentMail.update(status=SENDING, attempted_at=utcnow())
                .where((SentMail.id == row.id) & (SentMail.status == row.status))
                .execute()
            )
        if claimed:
            outcomes.append(transmit(row.id, username, settings=settings))
    return outcomes


def unknown_outcomes() -> list[SentMail]:
    """Messages left ``sending`` longer than any send takes: the program stopped while sending
    them, so nobody knows whether the server accepted them."""
    stale = utcnow() - UNKNOWN_AFTER  # the same age as in retry()
    return list(
        SentMail.select()
        .where((SentMail.status == SENDING) & (SentMail.attempted_at < stale))
        .order_by(SentMail.id)
    )


def recent(limit: int = 50) -> list[SentMail]:
    """The latest messages of every kind, newest first."""
    return list(SentMail.select().order_by(SentMail.id.desc()).limit(limit))


def messages_of(record_kind: str, record_id: int) -> list[SentMail]:
    """The messages kept with a record, newest first."""
    return list(
        SentMail.select()
        .where((SentMail.record_kind == record_kind) & (SentMail.record_id == record_id))
        .order_by(SentMail.created_at.desc(), SentMail.id.desc())
    )


__all__ = [
    "DIGEST",
    "ESCALATION",
    "FORM",
    "NOT_SENT",
    "SENDING",
    "SENT",
    "SUPERSEDED",
    "TEST",
    "Outcome",
    "build_message",
    "current_settings",
    "messages_of",
    "recent",
    "record",
    "retry",
    "transmit",
    "unknown_outcomes",
]
