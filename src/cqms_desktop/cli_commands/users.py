"""``cqms user add|passwd|disable``: user accounts, and reading a new password."""

from __future__ import annotations

import argparse
import getpass
import sys

from ..domain import enums as E
from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from .common import EXIT_OK, _open, _require_schema, _say

__all__ = ["_read_password", "cmd_user_add", "cmd_user_disable", "cmd_user_passwd"]


def _read_password(args: argparse.Namespace) -> str:
    """The new password: from stdin with --password-stdin, else asked twice on the terminal."""
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Cli",
                "No terminal to ask for the password: pass it on standard input with "
                "--password-stdin.",
            ),
            field="password",
        )
    first = getpass.getpass(QT_TRANSLATE_NOOP("Cli", "Password: "))
    second = getpass.getpass(QT_TRANSLATE_NOOP("Cli", "Password (again): "))
    if first != second:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Cli", "The two passwords differ; nothing was changed."),
            field="password",
        )
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create a user account."""
    from ..services import admin
    from ..services.base import Actor

    _open(args.db)
    _require_schema()
    password = _read_password(args)
    user = admin.add_user(
        Actor.system(),
        username=args.username,
        full_name=args.full_name,
        department=args.department,
        password=password,
        is_admin=args.admin,
        email=args.email or "",
        must_change_password=args.must_change_password,
    )
    _say(
        QT_TRANSLATE_NOOP("Cli", "Created user {name} ({department}{admin})."),
        name=user.username,
        department=E.Department(user.department).label,
        admin=QT_TRANSLATE_NOOP("Cli", ", administrator") if user.is_admin else "",
    )
    return EXIT_OK


def cmd_user_passwd(args: argparse.Namespace) -> int:
    """Set a user's password."""
    from ..services import admin
    from ..services.base import Actor

    _open(args.db)
    _require_schema()
    user = admin.find_user(args.username)
    password = _read_password(args)
    admin.set_password(
        Actor.system(),
        user_id=user.id,
        password=password,
        must_change_password=args.must_change_password,
    )
    _say(QT_TRANSLATE_NOOP("Cli", "Password of {name} changed."), name=user.username)
    if args.must_change_password:
        _say(
            QT_TRANSLATE_NOOP("Cli", "{name} must choose a new password at the next log-in."),
            name=user.username,
        )
    return EXIT_OK


def cmd_user_disable(args: argparse.Namespace) -> int:
    """Disable a user account."""
    from ..services import admin
    from ..services.base import Actor

    _open(args.db)
    _require_schema()
    user = admin.find_user(args.username)
    if not user.active:
        _say(QT_TRANSLATE_NOOP("Cli", "User {name} is already disabled."), name=user.username)
        return EXIT_OK
    admin.update_user(Actor.system(), user_id=user.id, version=user.version, active=False)
    _say(QT_TRANSLATE_NOOP("Cli", "User {name} disabled."), name=user.username)
    return EXIT_OK
