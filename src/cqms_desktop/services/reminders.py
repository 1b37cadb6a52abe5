"""``cqms remind``: each user's daily digest of their "My work" and the escalation of
complaints not handled past their deadline.

Exactly once, whichever PCs run it: before anything is sent, one transaction inserts a
:class:`~..store.models.ReminderClaim` per (recipient, item, company day) with this run's
token, ignoring rows that already exist (``INSERT … ON CONFLICT DO NOTHING`` / ``INSERT OR
IGNORE`` / ``INSERT IGNORE``: on PostgreSQL a second run's insert waits for the first run's
commit, then skips). The run then sends only the items whose claims carry its token. A
digest that is not sent releases its claims in the transaction that records "not sent", so
the next run reminds again; a crash between the claim and the send's outcome leaves the
claims (those items are not reminded again that day: at most once, never twice).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ..domain.clock import utcnow
from ..domain.complaint_workflow import OPEN_STATES
from ..domain.enums import Department
from ..domain.mail_templates import (
    DIGEST,
    DIGEST_SECTIONS,
    DUE_WORD,
    ESCALATION,
    fill,
    template_for,
    work_kind_word,
)
from ..domain.reminder_rules import (
    Section,
    escalation_cutoff,
    escalation_key,
    item_key,
    section_of,
)
from ..domain.settings import DEFAULTS
from ..domain.work_items import WorkItem
from ..store import settings as settings_store
from ..store.models import Complaint, Customer, ReminderClaim, User
from ..store.models import Department as DepartmentRow
from . import mail_outbox
from .base import Actor, unit_of_work
from .complaint_deadlines import company_today, current_zone
from .mail_outbox import Outcome
from .mail_secrets import password_for
from .my_work import my_work


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a digest or an escalation, with its claim name."""

    key: str
    section: Section
    text: str


@dataclass
class Reminder:
    """One message to one recipient: a user's digest or an escalation."""

    kind: str  # digest | escalation
    recipient: str  # the user name, or the address for escalations to a mailbox
    address: str
    lang: str
    name: str
    lines: list[Line]
    subject: str = ""
    body: str = ""
    outcome: Outcome | None = None
    skipped: str = ""  # why nothing was sent although something waits (no address…)

    @property
    def overdue(self) -> int:
        """How many lines are overdue."""
        return sum(1 for line in self.lines if line.section == Section.OVERDUE)


@dataclass
class RemindReport:
    """What a run did (or, dry, would do)."""

    day: date
    reminders: list[Reminder] = field(default_factory=list)
    retried: list[Outcome] = field(default_factory=list)
    already_reminded: int = 0  # lines left out: reminded today already


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.full_name, Department(user.department))


def _language(user_lang: str, settings: dict[str, Any]) -> str:
    lang = user_lang or str(settings.get("mail_language") or "zh")
    return lang if lang in DIGEST_SECTIONS else "en"


def _line_text(item: WorkItem, lang: str) -> str:
    due = f" · {DUE_WORD[lang]} {item.due.isoformat()}" if item.due else ""
    summary = " ".join(item.summary.split())
    if len(summary) > 100:
        summary = summary[:99] + "…"
    detail = f"\n    {item.detail}" if item.detail else ""
    return (
        f"- {item.number} · {work_kind_word(item.kind, lang)} · {item.customer}{due}\n"
        f"    {summary}{detail}"
    )


def _digests(now: datetime, today: date, settings: dict[str, Any]) -> list[Reminder]:
    hours = int(settings.get("due_soon_hours") or DEFAULTS["due_soon_hours"])
    window = timedelta(hours=hours)
    reminders = []
    for user in User.select().where(User.active == True).order_by(User.username):  # noqa: E712
        lang = _language(user.language, settings)
        lines = [
            Line(item_key(item), section_of(item, now, today, window), _line_text(item, lang))
            for item in my_work(_actor(user), now=now)
        ]
        if lines:
            reminders.append(
                Reminder(DIGEST, user.username, user.email.strip(), lang, user.full_name, lines)
            )
    return reminders


def escalation_recipients(settings: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(recipient key, address, language, name) of everyone told about escalations: QA's
    department address (QA's head), every active General Manager, the extra addresses of the
    ``escalation_to`` setting."""
    default_lang = _language("", settings)
    out: list[tuple[str, str, str, str]] = []
    qa = DepartmentRow.get_or_none(DepartmentRow.code == Department.QA.value)
    if qa is not None and qa.email.strip():
        out.append((qa.email.strip().lower(), qa.email.strip(), default_lang, qa.name))
    gms = User.select().where(
        (User.department == Department.GENERAL_MANAGER.value) & (User.active == True)  # noqa: E712
    )
    for user in gms.order_by(User.username):
        out.append(
            (user.username, user.email.strip(), _language(user.language, settings), user.full_name)
        )
    extra = settings.get("escalation_to") or []
    for address in extra if isinstance(extra, list) else []:
        out.append((str(address).lower(), str(address), default_lang, str(address)))
    seen: set[str] = set()
    unique = []
    for entry in out:
        if entry[1].lower() not in seen or not entry[1]:
            seen.add(entry[1].lower())
            unique.append(entry)
    return unique


def _escalations(now: datetime, settings: dict[str, Any]) -> list[Reminder]:
    hours = int(settings.get("escalation_after_hours") or 0)
    cutoff = escalation_cutoff(now, timedelta(hours=hours))
    zone = current_zone(settings)
    query = (
        Complaint.select(Complaint.id, Complaint.number, Complaint.due_at, Customer.name)
        .join(Customer)
        .where(
            Complaint.status.in_(sorted(s.value for s in OPEN_STATES))
            & Complaint.handled_at.is_null()
            & (Complaint.due_at <= cutoff)
        )
        .order_by(Complaint.due_at, Complaint.number)
    )
    complaints = list(query)
    if not complaints:
        return []
    reminders = []
    for recipient, address, lang, name in escalation_recipients(settings):
        lines = [
            Line(
                escalation_key(c.id),
                Section.OVERDUE,
                f"- {c.number} · {c.customer.name} · {DUE_WORD[lang]} "
                f"{company_today(c.due_at, zone).isoformat()}",
            )
            for c in complaints
        ]
        reminders.append(Reminder(ESCALATION, recipient, address, lang, name, lines))
    return reminders


def _already_claimed(reminder: Reminder, day: date) -> set[str]:
    keys = [line.key for line in reminder.lines]
    if not keys:
        return set()
    rows = ReminderClaim.select(ReminderClaim.item).where(
        (ReminderClaim.recipient == reminder.recipient)
        & (ReminderClaim.day == day)
        & ReminderClaim.item.in_(keys)
    )
    return {r.item for r in rows}


def _compose(reminder: Reminder, day: date, settings: dict[str, Any]) -> None:
    lang = reminder.lang
    texts = template_for(reminder.kind, lang, settings.get("mail_templates"))
    blocks = []
    for section, heading in zip(Section, DIGEST_SECTIONS[lang], strict=True):
        lines = [line.text for line in reminder.lines if line.section == section]
        if lines and reminder.kind == DIGEST:
            blocks.append(f"{heading} ({len(lines)})\n" + "\n".join(lines))
        elif lines:
            blocks.append("\n".join(lines))
    values = {
        "company": settings.get("company_name") or "CQMS",
        "user": reminder.name,
        "count": len(reminder.lines),
        "overdue": reminder.overdue,
        "day": day.isoformat(),
        "hours": settings.get("escalation_after_hours") or 0,
        "items": "\n\n".join(blocks),
    }
    reminder.subject = fill(texts.subject, values)
    reminder.body = fill(texts.body, values)


def plan(*, now: datetime | None = None) -> RemindReport:
    """What a run at *now* would send: each digest and escalation without the lines already
    reminded today (a dry run; nothing is claimed or sent)."""
    now = now or utcnow()
    settings = settings_store.get_all()
    day = company_today(now, current_zone(settings))
    report = RemindReport(day)
    for reminder in _digests(now, day, settings) + _escalations(now, settings):
        done = _already_claimed(reminder, day)
        report.already_reminded += len(done)
        reminder.lines = [line for line in reminder.lines if line.key not in done]
        if not reminder.lines:
            continue
        if not reminder.address:
            reminder.skipped = "no e-mail address"
        _compose(reminder, day, settings)
        report.reminders.append(reminder)
    return report


def _claim(reminder: Reminder, day: date, now: datetime) -> str:
    """Insert this run's claims for *reminder*'s lines (existing ones are left alone); the
    token that marks the claims this run won."""
    token = uuid.uuid4().hex
    rows = [
        {
            "recipient": reminder.recipient,
            "item": line.key,
            "day": day,
            "token": token,
            "claimed_at": now,
        }
        for line in reminder.lines
    ]
    with unit_of_work():
        for start in range(0, len(rows), 200):  # SQLite's limit on bound parameters
            ReminderClaim.insert_many(rows[start : start + 200]).on_conflict_ignore().execute()
    return token


def _won(token: str) -> set[str]:
    return {
        r.item for r in ReminderClaim.select(ReminderClaim.item).where(ReminderClaim.token == token)
    }


def _release(token: str) -> None:
    ReminderClaim.delete().where(ReminderClaim.token == token).execute()


def remind(username: str = "system", *, now: datetime | None = None) -> RemindReport:
    """Send every digest and escalation due at *now*, each line once per recipient and day;
    first send again the forms left "not sent"."""
    now = now or utcnow()
    report = plan(now=now)
    settings = settings_store.get_all()
    mail = mail_outbox.current_settings()
    mail_outbox_ready = mail.configured
    if mail_outbox_ready:
        report.retried = mail_outbox.retry(username, kinds=(mail_outbox.FORM,))
    for reminder in report.reminders:
        if reminder.skipped:
            continue
        if not mail_outbox_ready:
            reminder.skipped = "e-mail is not set up"
            continue
        token = _claim(reminder, report.day, now)
        won = _won(token)
        reminder.lines = [line for line in reminder.lines if line.key in won]
        if not reminder.lines:  # another PC's run has them all
            _release(token)
            continue
        _compose(reminder, report.day, settings)
        mail_id = mail_outbox.record(
            username,
            kind=reminder.kind,
            sender=mail.sender,
            recipients=[reminder.address],
            subject=reminder.subject,
            body=reminder.body,
            lang=reminder.lang,
        )
        with unit_of_work():
            ReminderClaim.update(mail=mail_id).where(ReminderClaim.token == token).execute()
        reminder.outcome = mail_outbox.transmit(
            mail_id, username, settings=mail, on_failure=functools.partial(_release, token)
        )
    report.reminders = [r for r in report.reminders if r.lines]
    return report


def ready_to_send() -> bool:
    """Whether this PC can send: mail set up and, where the server wants a log-in, a password
    in this PC's credential store or environment."""
    settings = mail_outbox.current_settings()
    if not settings.configured:
        return False
    return not settings.user or bool(password_for(settings.host, settings.user))


def remind_if_ready(username: str = "system") -> RemindReport | None:
    """:func:`remind` now, if this PC can send (else ``None``): the running program's daily
    run, which must not fill the outbox with "not sent" where it has no password."""
    return remind(username) if ready_to_send() else None


def sent_count(reminders: Iterable[Reminder]) -> int:
    """How many of *reminders* went out."""
    return sum(1 for r in reminders if r.outcome is not None and r.outcome.sent)


__all__: Sequence[str] = [
    "Line",
    "RemindReport",
    "Reminder",
    "plan",
    "ready_to_send",
    "remind",
    "remind_if_ready",
    "sent_count",
]
