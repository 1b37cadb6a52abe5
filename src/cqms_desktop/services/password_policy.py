"""What a new password must be: long enough, not a common password, not the user's own name.

The common passwords are the 20,000 of ``resources/passwords/common-passwords.txt.gz`` (the
list Django's ``CommonPasswordValidator`` ships; see the README beside it), compared
lower-cased. The user's own login and name are compared without case and accents, so
``Zhang.Wei2026`` is refused for ``zhang.wei`` and ``Müller!234`` for “Hans Muller”.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from importlib import resources

from ..domain import validation as v
from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.keys import fold_key as fold

# Parts of a login or name shorter than this are not looked for in the password ("li").
MIN_NAME_PART = 3
_SEPARATORS = re.compile(r"[\s._@\-]+")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased (read once)."""
    data = resources.files("cqms_desktop").joinpath("resources/passwords/common-passwords.txt.gz")
    text = gzip.decompress(data.read_bytes()).decode("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def _name_parts(username: str, full_name: str) -> set[str]:
    parts = {fold(username), fold(full_name).replace(" ", "")}
    parts.update(_SEPARATORS.split(fold(username)))
    parts.update(_SEPARATORS.split(fold(full_name)))
    return {p for p in parts if len(p) >= MIN_NAME_PART}


def check_new_password(password: object, *, username: str = "", full_name: str = "") -> str:
    """*password* if it may be used by the user *username* / *full_name*, else a
    :class:`ValidationError` naming the password field."""
    text = v.password(password)
    if text.strip().casefold() in common_passwords():
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field}: this is one of the most common passwords and is guessed first. "
                "Choose another one.",
            ),
            field="password",
        )
    folded = fold(text)
    if any(part in folded for part in _name_parts(username, full_name)):
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "{field} must not contain the user name or the person's name."
            ),
            field="password",
        )
    return text
