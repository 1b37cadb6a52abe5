"""A record's form as an e-mail attachment: the PDF made by the same code as ``cqms export
form`` (so the bytes match for the same clock), handed to ``services.mail_forms``."""

from __future__ import annotations

from collections.abc import Sequence

from ..services import mail_forms
from ..services.base import Actor
from ..services.mail_forms import FormMail
from ..services.mail_outbox import Outcome
from .forms import default_language, render_form


def prepare(
    actor: Actor,
    *,
    kind: str,
    number: str,
    lang: str | None = None,
    to: Sequence[str] | None = None,
) -> FormMail:
    """The message for the form (for the preview): *lang* ``None`` is the customer's."""
    mail_forms.check_may_send(actor)
    lang = lang or default_language(kind=kind, number=number)
    return mail_forms.prepare(actor, kind=kind, number=number, lang=lang, to=to)


def send(
    actor: Actor,
    *,
    mail: FormMail,
    subject: str | None = None,
    body: str | None = None,
    attachment_ids: Sequence[int] = (),
) -> Outcome:
    """Render the form's PDF in the message's language and send it, with the record's own
    attachments *attachment_ids* (see :func:`services.mail_forms.send_form`)."""
    pdf = render_form(kind=mail.kind, number=mail.number, fmt="pdf", lang=mail.lang)
    return mail_forms.send_form(
        actor, mail=mail, pdf=pdf, subject=subject, body=body, attachment_ids=attachment_ids
    )
