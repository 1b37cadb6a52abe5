"""Passwords, log-in and lock-out.

Passwords are hashed with argon2id at the OWASP-recommended minimum cost (19 MiB, 2
iterations, 1 lane). Five wrong passwords in a row lock the account for 15 minutes; the failed
count is committed even though the log-in fails, so the lock holds across PCs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..domain.clock import utcnow
from ..domain.enums import Department
from ..domain.errors import AuthenticationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit
from ..store.db import write_transaction
from ..store.models import User
from .base import Actor

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# Verified when the user name is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = hasher.hash("not a password")


def hash_password(password: str) -> str:
    """An argon2id hash of *password*."""
    return hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if *password* matches *password_hash*."""
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def actor_for(user: User) -> Actor:
    """The acting identity of a user record."""
    return Actor(user.id, user.username, user.full_name, Department(user.department), user.is_admin)


def _wrong() -> AuthenticationError:
    return AuthenticationError(QT_TRANSLATE_NOOP("Errors", "Wrong user name or password."))


def login(username: str, password: str, now: datetime | None = None) -> Actor:
    """Check the credentials and return the actor, or raise :class:`AuthenticationError`."""
    now = now or utcnow()
    with write_transaction():
        user = User.get_or_none(User.username == username.strip())
        if user is None:
            verify_password(_DUMMY_HASH, password)
            raise _wrong()
        if not user.active:
            raise AuthenticationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The account “{user}” is disabled. Ask an administrator."
                ),
                user=user.username,
            )
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            raise AuthenticationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Too many wrong passwords: the account is locked for another {minutes} "
                    "minutes.",
                ),
                minutes=minutes,
            )
        if not verify_password(user.password_hash, password):
            failed = user.failed_logins + 1
            locked = now + LOCKOUT if failed >= MAX_FAILED_LOGINS else None
            # Log-in bookkeeping is audited too (every stored field is), without a new version.
            audit.side_effect(
                User,
                user.id,
                user.username,
                {"failed_logins": 0 if locked else failed, "locked_until": locked},
            )
            error = _wrong()
        else:
            changes: dict[str, object] = {
                "failed_logins": 0,
                "locked_until": None,
                "last_login_at": now,
            }
            if hasher.check_needs_rehash(user.password_hash):
                changes["password_hash"] = hash_password(password)
            audit.side_effect(User, user.id, user.username, changes)
            return actor_for(user)
    # Raised outside the transaction so the failed-login count is committed.
    raise error
