"""What every use case shares: who is acting, permission checks, the transaction and the
"changed" notification.

A service function is keyword-only, takes the acting :class:`Actor` first and looks like::

    def update_customer(actor: Actor, *, customer_id: int, version: int, **changes) -> Customer:
        require(actor, admin=True)
        with unit_of_work("customer"):
            return audit.update(Customer, customer_id, actor.username, changes, version)

:func:`unit_of_work` commits or rolls back the whole call, and only after a commit tells the
listeners (the UI's list models, the dashboard) which kinds of record changed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..domain.enums import Department
from ..domain.errors import PermissionDenied
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store.db import write_transaction
from ..store.models import User

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Actor:
    """The logged-in user on whose behalf a service runs."""

    user_id: int | None
    username: str
    full_name: str
    department: Department
    is_admin: bool = False
    #: An administrator asked for a new password: nothing else until it is chosen.
    must_change_password: bool = False

    @classmethod
    def system(cls) -> Actor:
        """The actor for the command line's administrative steps and demo data."""
        return cls(None, "system", "System", Department.ADMINISTRATION, is_admin=True)


Listener = Callable[[frozenset[str]], None]


class ChangeBus:
    """Tells listeners, after a commit, which kinds of record changed."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add *listener*; returns a function that removes it again."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, kinds: Iterable[str]) -> None:
        """Call every listener with the changed *kinds*; a failing listener is logged."""
        frozen = frozenset(kinds)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(frozen)
            except Exception:  # a broken view must not undo a committed change
                log.exception("change listener failed")


changes = ChangeBus()


@contextlib.contextmanager
def unit_of_work(*kinds: str) -> Iterator[None]:
    """One write transaction; on commit, one change event for *kinds*."""
    with write_transaction():
        yield
    if kinds:
        changes.emit(kinds)


def require(
    actor: Actor,
    *,
    departments: Iterable[Department] = (),
    admin: bool = False,
    password_change: bool = False,
) -> None:
    """Refuse unless *actor* is an administrator (when *admin*) or in one of *departments*.

    A user who must change their password is refused everything but that
    (*password_change*: the call is the change).

    With both given, either qualifies. With neither, any logged-in user may proceed. Either
    way the actor's account is first re-read (:func:`check_current`), so a user disabled,
    demoted or moved to another department since logging in is refused at once.
    """
    check_current(actor, password_change=password_change)
    allowed = frozenset(departments)
    if not admin and not allowed:
        return
    if admin and actor.is_admin:
        return
    if allowed and actor.department in allowed:
        return
    if admin and not allowed:
        raise PermissionDenied(QT_TRANSLATE_NOOP("Errors", "Only an administrator may do this."))
    raise PermissionDenied(
        QT_TRANSLATE_NOOP("Errors", "Only {departments} may do this."),
        departments=", ".join(d.label for d in Department if d in allowed),
    )


def check_current(actor: Actor, *, password_change: bool = False) -> None:
    """Refuse an actor whose account changed since the log-in (issue #15 item 4).

    The :class:`Actor` is a snapshot taken at log-in; rights must not outlive a change an
    administrator makes meanwhile. The user row is read again (inside the caller's
    transaction when there is one): a removed or disabled account, an administrator no longer
    an administrator and a user now in another department are refused until they sign in
    again. Being granted more rights refuses nothing. The command line's system actor has no
    user row and is not checked.
    """
    if actor.user_id is None:
        return
    row = (
        User.select(User.active, User.department, User.is_admin, User.must_change_password)
        .where(User.id == actor.user_id)
        .first()
    )
    if row is None or not row.active:
        raise PermissionDenied(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Your account has been disabled or removed: nothing was saved. Ask an "
                "administrator.",
            )
        )
    if row.department != actor.department.value or (actor.is_admin and not row.is_admin):
        raise PermissionDenied(
            QT_TRANSLATE_NOOP(
                "Errors",
                "An administrator has changed your department or rights since you signed in: "
                "nothing was saved. Sign out and sign in again.",
            )
        )
    if row.must_change_password and not password_change:
        raise PermissionDenied(
            QT_TRANSLATE_NOOP(
                "Errors",
                "An administrator has asked you to choose a new password: nothing else is "
                "possible until you have.",
            )
        )
