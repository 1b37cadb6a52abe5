"""The office's mail settings: which SMTP server sends, as whom, and the reminder rules.

They are shared business settings (the ``setting`` table, keys in :data:`MAIL_DEFAULTS`), so
every PC and the daily ``cqms remind`` task send the same way. The SMTP password is *not* one
of them: it lives in the operating system's credential store (``services.mail_secrets``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP

#: How the connection to the SMTP server is protected.
STARTTLS = "starttls"  # plain connection upgraded with STARTTLS (port 587)
SSL = "ssl"  # TLS from the first byte (port 465)
PLAIN = "plain"  # no encryption (a relay inside the office only)
SECURITY_MODES: tuple[str, ...] = (STARTTLS, SSL, PLAIN)
DEFAULT_PORTS: dict[str, int] = {STARTTLS: 587, SSL: 465, PLAIN: 25}

MAIL_DEFAULTS: dict[str, Any] = {
    "mail_host": "",
    "mail_port": 587,
    "mail_security": STARTTLS,
    "mail_user": "",
    "mail_sender": "",
    "mail_sender_name": "",
    "mail_timeout_seconds": 30,
    # The language of digests for users who have not chosen one, and of escalations to
    # addresses that are not users.
    "mail_language": "zh",
    # {kind: {lang: {"subject": …, "body": …}}}: the administrator's texts (mail_templates).
    "mail_templates": {},
    # 5.2.3: a complaint not handled this many hours after its deadline is escalated.
    "escalation_after_hours": 24,
    # Extra addresses for escalations; QA's department address and the General Manager's
    # users are always told.
    "escalation_to": [],
}

_ADDRESS_RE = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+$")
_HOST_RE = re.compile(r"^[A-Za-z0-9.\-:\[\]]{1,253}$")


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Where and how to send (no password)."""

    host: str
    port: int
    security: str
    user: str
    sender: str
    sender_name: str
    timeout: float

    @property
    def configured(self) -> bool:
        """Whether a server and a sender are set at all."""
        return bool(self.host and self.sender)


def is_address(text: str) -> bool:
    """Whether *text* is one plain e-mail address (``name@example.com``)."""
    return bool(_ADDRESS_RE.match(text))


def check_address(text: str, field: str = "to") -> str:
    """*text* stripped if it is an e-mail address, else a :class:`ValidationError`."""
    address = parseaddr(text.strip())[1] if "<" in text else text.strip()
    if not is_address(address):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "“{value}” is not an e-mail address."),
            field=field,
            value=text.strip(),
        )
    return address


def split_addresses(text: str) -> list[str]:
    """The addresses in a contact field written as ``a@x.com; b@y.com`` (commas, semicolons,
    spaces or new lines between them), without duplicates; words that are not addresses
    (a contact's name) are skipped."""
    seen: list[str] = []
    for part in re.split(r"[\s,;]+", text or ""):
        candidate = part.strip().strip("<>")
        if is_address(candidate) and candidate.lower() not in (s.lower() for s in seen):
            seen.append(candidate)
    return seen


def mail_settings(values: Mapping[str, Any]) -> MailSettings:
    """The mail settings from a settings mapping (missing keys take their defaults)."""
    s = {**MAIL_DEFAULTS, **values}
    return MailSettings(
        host=str(s["mail_host"] or "").strip(),
        port=int(s["mail_port"] or DEFAULT_PORTS.get(str(s["mail_security"]), 587)),
        security=str(s["mail_security"] or STARTTLS),
        user=str(s["mail_user"] or "").strip(),
        sender=str(s["mail_sender"] or "").strip(),
        sender_name=str(s["mail_sender_name"] or "").strip(),
        timeout=float(s["mail_timeout_seconds"] or MAIL_DEFAULTS["mail_timeout_seconds"]),
    )


def validate(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check and clean the mail settings in *values* (only the keys given); raises a
    :class:`ValidationError` naming the setting at fault."""
    clean: dict[str, Any] = {}
    if "mail_host" in values:
        host = str(values["mail_host"] or "").strip()
        if not host or not _HOST_RE.match(host):
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "Give the SMTP server's host name or address."),
                field="mail_host",
            )
        clean["mail_host"] = host
    if "mail_port" in values:
        try:
            port = int(values["mail_port"])
        except (TypeError, ValueError):
            port = 0
        if not 1 <= port <= 65535:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The SMTP port must be a number from 1 to 65535."),
                field="mail_port",
            )
        clean["mail_port"] = port
    if "mail_security" in values:
        mode = str(values["mail_security"])
        if mode not in SECURITY_MODES:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The connection security must be one of {modes}, not “{value}”."
                ),
                field="mail_security",
                modes=", ".join(SECURITY_MODES),
                value=mode,
            )
        clean["mail_security"] = mode
    if "mail_sender" in values:
        clean["mail_sender"] = check_address(str(values["mail_sender"] or ""), "mail_sender")
    for key, limit in (("mail_user", 200), ("mail_sender_name", 100)):
        if key in values:
            text = str(values[key] or "").strip()
            if len(text) > limit or "\n" in text or "\r" in text:
                raise ValidationError(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{field} is too long or has a line break (at most {max} characters).",
                    ),
                    field=key,
                    max=limit,
                )
            clean[key] = text
    if "mail_timeout_seconds" in values:
        try:
            seconds = int(values["mail_timeout_seconds"])
        except (TypeError, ValueError):
            seconds = 0
        if not 1 <= seconds <= 600:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The mail server time-out must be 1 to 600 seconds."),
                field="mail_timeout_seconds",
            )
        clean["mail_timeout_seconds"] = seconds
    if "escalation_after_hours" in values:
        try:
            hours = int(values["escalation_after_hours"])
        except (TypeError, ValueError):
            hours = -1
        if hours < 0:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "Escalate after: give a whole number of hours (0 or more)."
                ),
                field="escalation_after_hours",
            )
        clean["escalation_after_hours"] = hours
    if "escalation_to" in values:
        raw = values["escalation_to"]
        items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,;]+", str(raw or ""))
        clean["escalation_to"] = [
            check_address(str(a), "escalation_to") for a in items if str(a).strip()
        ]
    if "mail_language" in values:
        from .mail_templates import check_language

        clean["mail_language"] = check_language(str(values["mail_language"]))
    return clean
