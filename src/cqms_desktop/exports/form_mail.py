"""A record's form as an e-mail attachment: the PDF made by the same code as ``cqms export
form`` (so the bytes match for the same clock), handed to ``services.mail_forms``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..domain.errors import CqmsError, ValidationError
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


@dataclass(frozen=True)
class BatchLine:
    """One record of a batch: its message, or why it is skipped (e.g. no e-mail address)."""

    number: str
    mail: FormMail | None
    skipped: str = ""
    #: The error behind ``skipped``, so that the UI can say it in the user's language.
    error: CqmsError | None = None


@dataclass
class BatchOutcome:
    """What sending a batch did: the messages sent, not sent (kept, with why) and skipped."""

    sent: list[Outcome] = field(default_factory=list)
    not_sent: list[tuple[str, Outcome]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def plan_batch(
    actor: Actor, *, kind: str, numbers: Sequence[str], lang: str | None = None
) -> list[BatchLine]:
    """The message of each record's form (the preview of a batch); a record whose message
    cannot be made (its customer has no e-mail address…) is listed as skipped, with why."""
    mail_forms.check_may_send(actor)
    lines = []
    for number in numbers:
        try:
            lines.append(BatchLine(number, prepare(actor, kind=kind, number=number, lang=lang)))
        except ValidationError as exc:
            lines.append(BatchLine(number, None, str(exc), exc))
    return lines


def send_batch(
    actor: Actor,
    lines: Sequence[BatchLine],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchOutcome:
    """Send each planned message, one at a time, each recorded in its own transaction (a
    failure of one does not hold up the others and is kept as "not sent" for a retry).
    Cancel stops between two messages; what was sent stays sent."""
    outcome = BatchOutcome()
    for done, line in enumerate(lines):
        if cancelled is not None and cancelled():
            break
        if line.mail is None:
            outcome.skipped.append((line.number, line.skipped))
        else:
            result = send(actor, mail=line.mail)
            if result.sent:
                outcome.sent.append(result)
            else:
                outcome.not_sent.append((line.number, result))
        if progress is not None:
            progress(done + 1, len(lines))
    return outcome
