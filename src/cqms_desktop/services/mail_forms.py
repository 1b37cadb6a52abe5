"""Send a record's form to its customer by e-mail (5.2.5: "a copy of the Customer Complaint
Handling Form … is sent to the customer").

The PDF is made by the caller with the exports code (``exports.form_mail``, the same bytes
``cqms export form`` writes) and handed in, since services sit below exports. The message is
kept with its record (:mod:`.mail_outbox`): when, to whom, subject, body and the PDF exactly as
sent; for a complaint's handling form the 5.2.5 "copy sent" fields are filled in the same
transaction that records it as sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.attachment_rules import check_attachable
from ..domain.enums import Department
from ..domain.errors import NotFoundError, ValidationError
from ..domain.glossary import term
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.mail_settings import check_address, split_addresses
from ..domain.mail_templates import FORM, check_language, fill, template_for
from ..store import settings as settings_store
from ..store.db import read_snapshot
from ..store.models import (
    Attachment,
    BaseModel,
    Complaint,
    Customer,
    Feedback,
    SentMail,
    ServiceRecord,
    Survey,
    Visit,
)
from . import mail_outbox
from .base import Actor, require
from .mail_outbox import Outcome
from .mail_transport import check_configured
from .normalise import checked_input

#: Form kind → the table its number is looked up in (the 8D report is a complaint's).
RECORD_MODELS: dict[str, type[BaseModel]] = {
    "complaint": Complaint,
    "8d": Complaint,
    "visit": Visit,
    "feedback": Feedback,
    "survey": Survey,
    "service": ServiceRecord,
}
FORM_KINDS: tuple[str, ...] = tuple(RECORD_MODELS)

#: Who may send a record's form to the customer: the departments that talk to customers.
SENDERS = (Department.SALES, Department.QA, Department.GENERAL_MANAGER)


@dataclass(frozen=True, slots=True)
class FormMail:
    """What would be sent: shown for checking before sending."""

    kind: str
    number: str
    record_id: int
    lang: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    customer: str


@checked_input
def check_may_send(actor: Actor) -> None:
    """Refuse unless *actor* may e-mail forms to customers (Sales, QA, GM, administrators)."""
    require(actor, departments=SENDERS, admin=True)


def _record(kind: str, number: str) -> tuple[BaseModel, Customer]:
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "There is no form “{value}”; choose one of {kinds}."),
            field="kind",
            value=kind,
            kinds=", ".join(FORM_KINDS),
        )
    record = model.get_or_none(model.number == number.strip())  # type: ignore[attr-defined]
    if record is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "There is no record numbered “{number}”."),
            field="number",
            number=number,
        )
    return record, Customer.get_by_id(record.customer_id)  # type: ignore[attr-defined]


@checked_input
def messages_of_record(actor: Actor, *, kind: str, number: str) -> list[SentMail]:
    """The messages kept with record *number* (its *kind* form), newest first."""
    require(actor)
    record, _ = _record(kind, number)
    return mail_outbox.messages_of(kind, int(record.get_id()))


def customer_addresses(customer: Customer) -> list[str]:
    """The customer's contact addresses (its e-mail field, and any in its contacts)."""
    return split_addresses(f"{customer.email} {customer.contacts}")


@checked_input
def prepare(
    actor: Actor,
    *,
    kind: str,
    number: str,
    lang: str,
    to: Sequence[str] | None = None,
) -> FormMail:
    """The message for record *number*'s *kind* form in *lang*: the recipients (*to*, else the
    customer's contacts), subject and body from the templates. Checks, sends nothing."""
    require(actor, departments=SENDERS, admin=True)
    check_language(lang)
    with read_snapshot():
        settings = settings_store.get_all()
        record, customer = _record(kind, number)
    if to:
        recipients = [check_address(a) for a in to]
    else:
        recipients = customer_addresses(customer)
        if not recipients:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The customer {customer} has no e-mail address; add one to the customer "
                    "or give the recipients.",
                ),
                field="to",
                customer=customer.name,
            )
    seen: list[str] = []
    for address in recipients:  # one RCPT per address, whatever the user typed twice
        if address.lower() not in (s.lower() for s in seen):
            seen.append(address)
    template = template_for(FORM, lang, settings.get("mail_templates"))
    values = {
        "company": settings.get("company_name") or "",
        "form": term(f"form.{kind}", lang),
        "number": record.number,  # type: ignore[attr-defined]
        "customer": customer.name,
        "sender_name": settings.get("mail_sender_name") or "",
    }
    return FormMail(
        kind=kind,
        number=str(record.number),  # type: ignore[attr-defined]
        record_id=int(record.get_id()),
        lang=lang,
        recipients=tuple(seen),
        subject=fill(template.subject, values),
        body=fill(template.body, values),
        customer=customer.name,
    )


def attachment_name(kind: str, number: str, lang: str) -> str:
    """The PDF's file name in the message: ``CC-2026-0042-complaint-de.pdf``."""
    return f"{number}-{kind}-{lang}.pdf"


@dataclass(frozen=True, slots=True)
class RecordAttachment:
    """One of a record's own attachments, offered to go with its form."""

    id: int
    filename: str
    size: int


#: A message larger than this (the form and the chosen attachments) is refused: many mail
#: servers take no more than 20–25 MB, and base64 makes attachments a third larger.
MAX_MESSAGE_MB = 15


def _attachments_of(kind: str, record_id: int) -> Any:
    """The query of the record's attachments (complaints, and the 8D report's complaint)."""
    owner = "complaint" if kind in ("complaint", "8d") else kind
    return Attachment.select().where(
        (Attachment.record_kind == owner) & (Attachment.record_id == record_id)
    )


@checked_input
def record_attachments(actor: Actor, *, kind: str, number: str) -> list[RecordAttachment]:
    """The attachments of record *number* that may go with its *kind* form, oldest first."""
    require(actor, departments=SENDERS, admin=True)
    record, _ = _record(kind, number)
    rows = _attachments_of(kind, int(record.get_id())).order_by(Attachment.id)
    return [RecordAttachment(int(a.id), a.filename, int(a.size)) for a in rows]


def _chosen(mail: FormMail, attachment_ids: Sequence[int], pdf: bytes) -> list[Attachment]:
    """The chosen attachments, each of this record, within the message size limit."""
    chosen: list[Attachment] = []
    by_id = {int(a.id): a for a in _attachments_of(mail.kind, mail.record_id)}
    for attachment_id in dict.fromkeys(attachment_ids):  # each once, in the order chosen
        found = by_id.get(int(attachment_id))
        if found is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The attachment {id} does not belong to {number}; choose again."
                ),
                field="attachments",
                id=attachment_id,
                number=mail.number,
            )
        check_attachable(found.filename, "attachments")  # never mail a program out
        chosen.append(found)
    total = len(pdf) + sum(int(a.size) for a in chosen)
    if total > MAX_MESSAGE_MB * 1024 * 1024:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The form and the chosen attachments come to {size} MB; a message may carry "
                "at most {max} MB. Choose fewer attachments.",
            ),
            field="attachments",
            size=f"{total / 1024 / 1024:.1f}",
            max=MAX_MESSAGE_MB,
        )
    return chosen


@checked_input
def send_form(
    actor: Actor,
    *,
    mail: FormMail,
    pdf: bytes,
    subject: str | None = None,
    body: str | None = None,
    attachment_ids: Sequence[int] = (),
) -> Outcome:
    """Record, send and record the outcome of *mail* with *pdf* attached, plus the record's
    own attachments *attachment_ids* (the subject and body as edited in the preview, if
    given). A refused or failed send is kept as "not sent" with the reason and returned
    (``Outcome.sent`` false), never raised half-recorded."""
    require(actor, departments=SENDERS, admin=True)
    settings = mail_outbox.current_settings()
    check_configured(settings)  # not set up at all: nothing to record yet
    extra = _chosen(mail, attachment_ids, pdf)
    mail_id = mail_outbox.record(
        actor.username,
        kind=mail_outbox.FORM,
        sender=settings.sender,
        recipients=mail.recipients,
        subject=subject if subject is not None else mail.subject,
        body=body if body is not None else mail.body,
        lang=mail.lang,
        record_kind=mail.kind,
        record_id=mail.record_id,
        attachment_name=attachment_name(mail.kind, mail.number, mail.lang),
        attachment=pdf,
        extra_attachments=extra,
        supersede=True,
    )
    return mail_outbox.transmit(mail_id, actor.username, settings=settings)
