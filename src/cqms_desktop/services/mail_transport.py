"""The SMTP conversation (standard library ``smtplib``): connect, protect, log in, send one
message to its recipients, all or nothing.

Every way it can fail becomes a :class:`MailNotSent` with a message a user can act on (the
server refused the connection, the password, a recipient; it did not answer in time; it
dropped the connection). Recipients are given one by one (``RCPT``) and the message is only
handed over (``DATA``) when the server accepted every one of them, so a message is never
delivered to some of its recipients and recorded as not sent. This module does not touch the
database: the caller records the outcome (``services.mail_outbox``).
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage

from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.mail_settings import PLAIN, SSL, STARTTLS, MailSettings


class MailNotSent(CqmsError):
    """The message was not handed over to the mail server; ``str()`` says why."""


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(message.split())}".strip()


def _connect(settings: MailSettings) -> smtplib.SMTP:
    # ssl.create_default_context verifies the server's certificate against the system's CAs
    # (SSL_CERT_FILE names another bundle, e.g. a company CA).
    if settings.security == SSL:
        return smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=settings.timeout,
            context=ssl.create_default_context(),
        )
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        smtp.ehlo()
        if settings.security == STARTTLS:
            if not smtp.has_extn("starttls"):
                raise MailNotSent(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The mail server {host} does not offer STARTTLS; choose SSL or plain "
                        "in the mail settings.",
                    ),
                    host=settings.host,
                )
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _login(smtp: smtplib.SMTP, settings: MailSettings, password: str | None) -> None:
    if not settings.user:
        return
    if not password:
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors",
                "No SMTP password for {user}: set it in Administration → Mail (or “cqms mail "
                "set”), or set CQMS_SMTP_PASSWORD where there is no credential store.",
            ),
            field="password",
            user=settings.user,
        )
    if settings.security == PLAIN and not smtp.has_extn("auth"):
        raise MailNotSent(
            QT_TRANSLATE_NOOP("Errors", "The mail server {host} does not accept a log-in."),
            host=settings.host,
        )
    if (settings.user + password).isascii():
        smtp.login(settings.user, password)
        return
    # smtplib encodes credentials as ASCII (a "ä" in the password raises UnicodeEncodeError);
    # RFC 4616's AUTH PLAIN carries UTF-8, so a non-ASCII password is sent that way.
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The SMTP password or user name has non-English characters, which the mail "
                "server {host} cannot take (it does not offer AUTH PLAIN).",
            ),
            field="password",
            host=settings.host,
        )
    token = base64.b64encode(f"\0{settings.user}\0{password}".encode()).decode("ascii")
    code, text = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, text)


def _hand_over(
    smtp: smtplib.SMTP, sender: str, recipients: Sequence[str], message: EmailMessage
) -> None:
    code, text = smtp.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, text, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for address in recipients:
        code, text = smtp.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, text)
    if refused:
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    # CRLF line ends (policy.SMTP): smtplib sends bytes as they are, and a server reading
    # lines would see one endless line with bare LFs.
    code, text = smtp.data(message.as_bytes(policy=policy.SMTP))
    if code != 250:
        raise smtplib.SMTPDataError(code, text)


def check_configured(settings: MailSettings) -> None:
    """Refuse to send before the office has set up e-mail at all."""
    if not settings.configured:
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors",
                "E-mail is not set up: give the SMTP server and the sender address in "
                "Administration → Mail (or “cqms mail set”).",
            )
        )


def deliver(
    settings: MailSettings,
    password: str | None,
    message: EmailMessage,
    recipients: Sequence[str],
) -> None:
    """Send *message* to *recipients* through the configured server, or raise
    :class:`MailNotSent` (nothing was delivered to anyone)."""
    check_configured(settings)
    if not recipients:
        raise MailNotSent(QT_TRANSLATE_NOOP("Errors", "The message has no recipient."), field="to")
    try:
        smtp = _connect(settings)
        try:
            _login(smtp, settings, password)
            _hand_over(smtp, settings.sender, recipients, message)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()  # the message is handed over (or not) already; QUIT is courtesy
    except MailNotSent:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors", "The mail server refused the user name or password ({reply})."
            ),
            field="password",
            reply=_reply(exc.smtp_code, exc.smtp_error),
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        refused = "; ".join(
            f"{address}: {_reply(code, text)}" for address, (code, text) in exc.recipients.items()
        )
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors", "The mail server refused the recipient(s), nothing was sent: {refused}"
            ),
            field="to",
            refused=refused,
        ) from exc
    except smtplib.SMTPSenderRefused as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP("Errors", "The mail server refused the sender {sender} ({reply})."),
            field="mail_sender",
            sender=settings.sender,
            reply=_reply(exc.smtp_code, exc.smtp_error),
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP("Errors", "The mail server {host} does not support this: {reason}"),
            host=settings.host,
            reason=str(exc),
        ) from exc
    except smtplib.SMTPServerDisconnected as exc:
        if isinstance(exc.__context__, TimeoutError):  # smtplib's wrapping of a read time-out
            raise MailNotSent(
                QT_TRANSLATE_NOOP(
                    "Errors", "The mail server {host}:{port} did not answer within {seconds} s."
                ),
                seconds=f"{settings.timeout:g}",
                host=settings.host,
                port=settings.port,
            ) from exc
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The mail server {host}:{port} closed the connection before the message was "
                "accepted ({reason}).",
            ),
            reason=str(exc) or "disconnected",
            host=settings.host,
            port=settings.port,
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP("Errors", "The mail server refused the message ({reply})."),
            reply=_reply(exc.smtp_code, exc.smtp_error),
        ) from exc
    except ConnectionRefusedError as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The mail server {host}:{port} refused the connection (is the host and port "
                "right, is the server running?).",
            ),
            host=settings.host,
            port=settings.port,
        ) from exc
    except TimeoutError as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors", "The mail server {host}:{port} did not answer within {seconds} s."
            ),
            seconds=f"{settings.timeout:g}",
            host=settings.host,
            port=settings.port,
        ) from exc
    except socket.gaierror as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP("Errors", "The mail server {host} was not found ({reason})."),
            host=settings.host,
            reason=exc.strerror or str(exc),
        ) from exc
    except ssl.SSLError as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors", "No secure connection to the mail server {host}:{port}: {reason}"
            ),
            reason=getattr(exc, "verify_message", None) or exc.reason or str(exc),
            host=settings.host,
            port=settings.port,
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailNotSent(
            QT_TRANSLATE_NOOP(
                "Errors", "The connection to the mail server {host}:{port} failed: {reason}"
            ),
            reason=str(exc) or type(exc).__name__,
            host=settings.host,
            port=settings.port,
        ) from exc
