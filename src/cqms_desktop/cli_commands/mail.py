"""``cqms mail set|show|test|template|language``, ``cqms send form|--retry`` and
``cqms remind``: e-mail from the command line (for IT, for checks and for the daily task)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from ..domain import clock
from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.mail_settings import DEFAULT_PORTS, PLAIN, SSL, STARTTLS
from ..domain.mail_templates import LANGUAGES, TEMPLATE_KINDS
from .common import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, _open, _require_schema, _say

__all__ = ["add_mail_commands"]

FORM_KINDS = ("complaint", "8d", "visit", "feedback", "survey", "service")


def _system() -> Any:
    from ..services.base import Actor

    return Actor.system()


def _ready(args: argparse.Namespace) -> None:
    _open(args.db)
    _require_schema()


# ---------------------------------------------------------------- cqms mail set / show
def _password_for_set(args: argparse.Namespace) -> str | None:
    """The password to store: CQMS_SMTP_PASSWORD, --password-stdin, or asked on a terminal;
    ``None`` when there is none to store (no user, or nobody to ask)."""
    from ..services.mail_secrets import ENVIRONMENT

    if os.environ.get(ENVIRONMENT):
        return os.environ[ENVIRONMENT]
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if args.user and sys.stdin.isatty():
        return getpass.getpass(QT_TRANSLATE_NOOP("Cli", "SMTP password: "))
    return None


def cmd_mail_set(args: argparse.Namespace) -> int:
    """Store the office's mail settings; the password in this PC's credential store."""
    from ..services import mail_admin

    _ready(args)
    values: dict[str, Any] = {}
    security = args.security
    for key, value in (
        ("mail_host", args.host),
        ("mail_security", security),
        ("mail_user", args.user),
        ("mail_sender", args.sender),
        ("mail_sender_name", args.sender_name),
        ("escalation_after_hours", args.escalate_after),
        ("escalation_to", args.escalate_to),
        ("mail_language", args.language),
    ):
        if value is not None:
            values[key] = value
    if args.port is not None:
        values["mail_port"] = args.port
    elif security is not None:
        values["mail_port"] = DEFAULT_PORTS[security]
    password = _password_for_set(args)
    result = mail_admin.save_settings(_system(), values=values, password=password)
    config = mail_admin.mail_config(_system())
    _say(QT_TRANSLATE_NOOP("Cli", "Mail settings saved."))
    _show(config)
    if result.password_problem:
        from ..services.mail_secrets import ENVIRONMENT

        if os.environ.get(ENVIRONMENT):
            _say(
                QT_TRANSLATE_NOOP(
                    "Cli",
                    "No credential store on this computer: the password is read from "
                    "CQMS_SMTP_PASSWORD (set it for the scheduled task too).",
                )
            )
            return EXIT_OK
        _say(
            QT_TRANSLATE_NOOP("Cli", "cqms: warning: {text}"),
            sys.stderr,
            text=result.password_problem,
        )
        return EXIT_PROBLEMS
    if result.password_stored:
        _say(QT_TRANSLATE_NOOP("Cli", "The password is kept in this computer's credential store."))
    elif config.settings.user and config.password_source == "none":
        _say(
            QT_TRANSLATE_NOOP(
                "Cli",
                "cqms: warning: no SMTP password for {user}: give it with --password-stdin "
                "or in CQMS_SMTP_PASSWORD{store}",
            ),
            sys.stderr,
            user=config.settings.user,
            store=QT_TRANSLATE_NOOP(
                "Cli", " (this computer has no credential store: CQMS_SMTP_PASSWORD only)"
            )
            if config.store_problem
            else "",
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def _show(config: Any) -> None:
    s = config.settings
    _say(
        QT_TRANSLATE_NOOP(
            "Cli",
            "server {host}:{port} ({security}), user {user}, sender {name} <{sender}>, "
            "password: {source}",
        ),
        host=s.host or "-",
        port=s.port,
        security=s.security,
        user=s.user or "-",
        name=s.sender_name or "-",
        sender=s.sender or "-",
        source=config.password_source,
    )
    _say(
        QT_TRANSLATE_NOOP("Cli", "escalation after {hours} h to QA, the General Manager{extra}"),
        hours=config.values["escalation_after_hours"],
        extra="".join(f", {a}" for a in config.values["escalation_to"]),
    )
    if config.store_problem:
        _say(
            QT_TRANSLATE_NOOP(
                "Cli",
                "No credential store on this computer ({reason}): the SMTP password comes "
                "from the environment variable CQMS_SMTP_PASSWORD.",
            ),
            reason=config.store_problem,
        )


def cmd_mail_show(args: argparse.Namespace) -> int:
    """Print the mail settings (never the password)."""
    from ..services import mail_admin

    _ready(args)
    _show(mail_admin.mail_config(_system()))
    return EXIT_OK


def _report(outcome: Any) -> int:
    if outcome.sent:
        _say(
            QT_TRANSLATE_NOOP("Cli", "Sent “{subject}” to {to}."),
            subject=outcome.subject,
            to=", ".join(outcome.recipients),
        )
        return EXIT_OK
    _say(
        QT_TRANSLATE_NOOP(
            "Cli",
            "cqms: error: not sent: {reason} (kept as not sent; “cqms send --retry” tries again)",
        ),
        sys.stderr,
        reason=outcome.reason,
    )
    return EXIT_ERROR


def cmd_mail_test(args: argparse.Namespace) -> int:
    """Send the test message."""
    from ..services import mail_admin

    _ready(args)
    return _report(mail_admin.send_test(_system(), to=args.to, lang=args.lang))


def cmd_mail_template(args: argparse.Namespace) -> int:
    """Show or replace the subject and body of one message kind in one language."""
    from ..services import mail_admin

    _ready(args)
    if args.subject is not None or args.body_file is not None:
        current = mail_admin.template(args.kind, args.lang)
        body = current.body
        if args.body_file is not None:
            body = Path(args.body_file).read_text(encoding="utf-8")
        subject = args.subject if args.subject is not None else current.subject
        mail_admin.set_template(
            _system(), kind=args.kind, lang=args.lang, subject=subject, body=body
        )
    texts = mail_admin.template(args.kind, args.lang)
    _say("{subject}\n\n{body}", subject=texts.subject, body=texts.body)
    return EXIT_OK


def cmd_mail_language(args: argparse.Namespace) -> int:
    """Set the language of a user's digests."""
    from ..services import mail_admin

    _ready(args)
    mail_admin.set_user_language(_system(), username=args.username, lang=args.lang)
    _say(
        QT_TRANSLATE_NOOP("Cli", "{user} gets reminders in {lang}."),
        user=args.username,
        lang=args.lang or "the default language",
    )
    return EXIT_OK


# ---------------------------------------------------------------- cqms send
def cmd_send(args: argparse.Namespace) -> int:
    """``cqms send form …`` or ``cqms send --retry``."""
    if args.retry:
        return _retry(args)
    if getattr(args, "send_command", None) == "list":
        return _list(args)
    if getattr(args, "send_command", None) != "form":
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Cli", "Say what to send: “cqms send form KIND NUMBER” or “cqms send --retry”."
            )
        )
    from ..exports import form_mail

    _ready(args)
    actor = _system()
    mail = form_mail.prepare(actor, kind=args.kind, number=args.number, lang=args.lang, to=args.to)
    attachment_ids = _attachments_named(actor, args)
    if args.dry_run:
        _say(
            QT_TRANSLATE_NOOP("Cli", "To: {to}\nSubject: {subject}\nLanguage: {lang}\n\n{body}"),
            to=", ".join(mail.recipients),
            subject=mail.subject,
            lang=mail.lang,
            body=mail.body,
        )
        return EXIT_OK
    return _report(form_mail.send(actor, mail=mail, attachment_ids=attachment_ids))


def _attachments_named(actor: Any, args: argparse.Namespace) -> list[int]:
    """The ids of the record's attachments named with ``--attach`` (by file name)."""
    from ..services import mail_forms

    names = list(getattr(args, "attach", None) or [])
    if not names:
        return []
    offered = mail_forms.record_attachments(actor, kind=args.kind, number=args.number)
    ids = []
    for name in names:
        found = [a.id for a in offered if a.filename == name]
        if not found:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Cli", "{number} has no attachment “{name}”; it has: {names}."),
                field="attach",
                number=args.number,
                name=name,
                names=", ".join(a.filename for a in offered) or "–",
            )
        ids.append(found[0])
    return ids


def _list(args: argparse.Namespace) -> int:
    """The messages kept (of one record, or the latest of all): when, status, to, subject."""
    from ..services import mail_forms, mail_outbox

    _ready(args)
    if args.kind:
        rows = mail_forms.messages_of_record(_system(), kind=args.kind, number=args.number)
    else:
        rows = mail_outbox.recent()
    for row in rows:
        _say(
            QT_TRANSLATE_NOOP("Cli", "{id}\t{at}\t{status}\t{kind}\t{to}\t{subject}{reason}"),
            id=row.id,
            at=row.sent_at or row.attempted_at,
            status=row.status,
            kind=f"{row.kind}:{row.record_kind}" if row.record_kind else row.kind,
            to=", ".join(mail_outbox.recipients_of(row)),
            subject=row.subject,
            reason=f"\t{row.reason}" if row.reason else "",
        )
    if not rows:
        _say(QT_TRANSLATE_NOOP("Cli", "No messages."))
    return EXIT_OK


def _retry(args: argparse.Namespace) -> int:
    from ..services import mail_outbox

    _ready(args)
    outcomes = mail_outbox.retry("system", include_unknown=args.include_unknown)
    status = EXIT_OK
    for outcome in outcomes:
        status = max(status, _report(outcome))
    for row in mail_outbox.unknown_outcomes():
        _say(
            QT_TRANSLATE_NOOP(
                "Cli",
                "outcome unknown (the program stopped while sending): “{subject}” to {to}, "
                "{at} UTC; “cqms send --retry --include-unknown” sends it again",
            ),
            subject=row.subject,
            to=", ".join(mail_outbox.recipients_of(row)),
            at=row.attempted_at,
        )
    if not outcomes:
        _say(QT_TRANSLATE_NOOP("Cli", "Nothing to send again."))
    return status


# ---------------------------------------------------------------- cqms remind
def _instant(text: str) -> Any:
    try:
        return clock.parse_instant(text).replace(tzinfo=None)
    except ValueError:
        raise argparse.ArgumentTypeError(
            QT_TRANSLATE_NOOP("Cli", "“{value}” is not a date and time (ISO 8601).").format(
                value=text
            )
        ) from None


def cmd_remind(args: argparse.Namespace) -> int:
    """Send (or with --dry-run list) the digests and escalations due now or --at TIME."""
    from ..services import reminders

    _ready(args)
    now = args.at or clock.utcnow()
    report = reminders.plan(now=now) if args.dry_run else reminders.remind("system", now=now)
    status = EXIT_OK
    for r in report.reminders:
        if r.skipped:
            state = QT_TRANSLATE_NOOP("Cli", "skipped: {reason}").format(reason=r.skipped)
        elif args.dry_run:
            state = QT_TRANSLATE_NOOP("Cli", "would send")
        elif r.outcome is not None and r.outcome.sent:
            state = QT_TRANSLATE_NOOP("Cli", "sent")
        else:
            state = QT_TRANSLATE_NOOP("Cli", "NOT sent: {reason}").format(
                reason=r.outcome.reason if r.outcome else "-"
            )
            status = EXIT_PROBLEMS
        _say(
            QT_TRANSLATE_NOOP(
                "Cli",
                "{kind} to {recipient} <{address}> ({lang}): {count} items, {overdue} overdue "
                "— {state}",
            ),
            kind=r.kind,
            recipient=r.recipient,
            address=r.address or "-",
            lang=r.lang,
            count=len(r.lines),
            overdue=r.overdue,
            state=state,
        )
        if args.dry_run and args.verbose:
            _say("Subject: {subject}\n\n{body}\n", subject=r.subject, body=r.body)
    for outcome in report.retried:
        status = max(status, _report(outcome))
    _say(
        QT_TRANSLATE_NOOP("Cli", "{day}: {count} messages, {done} lines reminded earlier today."),
        day=report.day,
        count=len(report.reminders),
        done=report.already_reminded,
    )
    return status


# ---------------------------------------------------------------- the parser
def add_mail_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``mail``, ``send`` and ``remind`` to the ``cqms`` parser."""
    p = sub.add_parser("mail", parents=[common], help="e-mail settings and test message")
    mail = p.add_subparsers(dest="mail_command", required=True, metavar="ACTION")
    q = mail.add_parser("set", parents=[common], help="set the SMTP server and sender")
    q.add_argument("--host")
    q.add_argument("--port", type=int)
    security = q.add_mutually_exclusive_group()
    for mode, text in (
        (STARTTLS, "STARTTLS (port 587)"),
        (SSL, "TLS (port 465)"),
        (PLAIN, "no encryption"),
    ):
        security.add_argument(
            f"--{mode}", dest="security", action="store_const", const=mode, help=text
        )
    q.add_argument("--user", help="SMTP user name (the password: $CQMS_SMTP_PASSWORD or asked)")
    q.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    q.add_argument("--sender", metavar="ADDRESS")
    q.add_argument("--sender-name", metavar="NAME")
    q.add_argument("--escalate-after", type=int, metavar="HOURS")
    q.add_argument("--escalate-to", action="append", metavar="ADDRESS")
    q.add_argument("--language", choices=LANGUAGES, help="default language of reminders")
    q.set_defaults(func=cmd_mail_set, security=None)
    q = mail.add_parser("show", parents=[common], help="print the mail settings")
    q.set_defaults(func=cmd_mail_show)
    q = mail.add_parser("test", parents=[common], help="send the test message")
    q.add_argument("--to", required=True, metavar="ADDRESS")
    q.add_argument("--lang", choices=LANGUAGES, default="en")
    q.set_defaults(func=cmd_mail_test)
    q = mail.add_parser("template", parents=[common], help="show or edit a message text")
    q.add_argument("kind", choices=TEMPLATE_KINDS)
    q.add_argument("lang", choices=LANGUAGES)
    q.add_argument("--subject")
    q.add_argument("--body-file", metavar="FILE", help="UTF-8 text file with the body")
    q.set_defaults(func=cmd_mail_template)
    q = mail.add_parser("language", parents=[common], help="a user's reminder language")
    q.add_argument("username")
    q.add_argument("lang", choices=(*LANGUAGES, ""), metavar="zh|en|de|''")
    q.set_defaults(func=cmd_mail_language)

    p = sub.add_parser("send", parents=[common], help="e-mail a record's form to the customer")
    p.add_argument("--retry", action="store_true", help="send again what was not sent")
    p.add_argument(
        "--include-unknown",
        action="store_true",
        help="with --retry: also messages whose sending was interrupted (may duplicate)",
    )
    send = p.add_subparsers(dest="send_command", required=False, metavar="WHAT")
    q = send.add_parser("form", parents=[common], help="a form as PDF to the customer")
    q.add_argument("kind", choices=FORM_KINDS, metavar="KIND", help=", ".join(FORM_KINDS))
    q.add_argument("number", metavar="NUMBER")
    q.add_argument("--lang", choices=LANGUAGES, default=None)
    q.add_argument("--to", action="append", metavar="ADDRESS", help="default: the customer's")
    q.add_argument(
        "--attach",
        action="append",
        metavar="FILE NAME",
        help="one of the record's attachments to send along (its file name; repeat for more)",
    )
    q.add_argument("--dry-run", action="store_true", help="show the message, send nothing")
    q = send.add_parser("list", parents=[common], help="the messages sent or not sent")
    q.add_argument("kind", nargs="?", choices=FORM_KINDS, metavar="KIND")
    q.add_argument("number", nargs="?", metavar="NUMBER")
    p.set_defaults(func=cmd_send, retry=False)

    p = sub.add_parser("remind", parents=[common], help="send the daily reminders")
    p.add_argument("--dry-run", action="store_true", help="list each digest, send nothing")
    p.add_argument("--at", type=_instant, metavar="TIME", help="as if at TIME (ISO 8601, UTC)")
    p.add_argument("-v", "--verbose", action="store_true", help="with --dry-run: the texts too")
    p.set_defaults(func=cmd_remind)
