"""Passwords, log-in and lock-out.

Passwords are hashed with argon2id at RFC 9106's second recommended cost (64 MiB, 3
iterations, 4 lanes), well above the OWASP minimum (19 MiB, 2 iterations): one check takes
about 0.16 s on a 2-core PC (0.02 s at the minimum). Hashes made at a lower cost are re-made at
the next log-in.

Five wrong passwords in a row lock the account for 15 minutes. Each attempt is counted *before*
its password is checked, in a short transaction of its own with the user row locked (``SELECT …
FOR UPDATE`` on the servers, the write lock on SQLite): PCs guessing at the same moment are
counted one after the other, so no more than five guesses are ever checked before the lock,
and the count is committed even though the log-in fails, so the lock holds across PCs.
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
from ..store.db import for_update, write_transaction
from ..store.models import User
from .base import Actor
from .normalise import checked_input

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)

# RFC 9106 section 4, second recommended option: argon2id, m=64 MiB, t=3, p=4 (measured 0.16 s
# per check on a 2-core PC; the OWASP minimum m=19 MiB, t=2, p=1 takes 0.02 s).
hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)

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
    return Actor(
        user.id,
        user.username,
        user.full_name,
        Department(user.department),
        user.is_admin,
        must_change_password=bool(user.must_change_password),
    )


def _wrong() -> AuthenticationError:
    return AuthenticationError(QT_TRANSLATE_NOOP("Errors", "Wrong user name or password."))


def _locked(user: User, now: datetime) -> AuthenticationError:
    assert user.locked_until is not None
    minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
    return AuthenticationError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "Too many wrong passwords: the account is locked for another {minutes} minutes.",
        ),
        minutes=minutes,
    )


def _count_attempt(username: str, now: datetime) -> User | None:
    """Count one log-in attempt of *username* before its password is checked (committed on
    return): the user row, or ``None`` for an unknown name. Refuses a disabled or locked
    account; the attempt that reaches :data:`MAX_FAILED_LOGINS` locks the account, so the
    attempts after it are refused without checking their password."""
    with write_transaction():
        user: User | None = for_update(User.select().where(User.username == username)).first()
        if user is None:
            return None
        if not user.active:
            raise AuthenticationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The account “{user}” is disabled. Ask an administrator."
                ),
                user=user.username,
            )
        if user.locked_until is not None and user.locked_until > now:
            raise _locked(user, now)
        # A lock that has run out starts a new count.
        failed = (0 if user.locked_until is not None else user.failed_logins) + 1
        locked = now + LOCKOUT if failed >= MAX_FAILED_LOGINS else None
        # Log-in bookkeeping is audited too (every stored field is), without a new version.
        audit.side_effect(
            User, user.id, user.username, {"failed_logins": failed, "locked_until": locked}
        )
        return user


@checked_input
def login(username: str, password: str, now: datetime | None = None) -> Actor:
    """Check the credentials and return the actor, or raise :class:`AuthenticationError`."""
    now = now or utcnow()
    user = _count_attempt(username.strip(), now)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise _wrong()
    # The slow check runs with no lock held: the attempt is already counted.
    if not verify_password(user.password_hash, password):
        raise _wrong()
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if hasher.check_needs_rehash(user.password_hash):
        # Made at an older, lower cost: re-made now (before the write lock, argon2 is slow).
        values["password_hash"] = hash_password(password)
    with write_transaction():
        audit.side_effect(User, user.id, user.username, values)
    return actor_for(user)
