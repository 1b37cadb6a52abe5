"""The service boundary: every argument of a use case is checked against what every backend
stores before the use case runs.

:func:`checked_input` decorates the public use cases (``def verb(actor, *, …)``). Each keyword
argument goes through :func:`..domain.input_limits.check_value` under its own name
(``customer_id`` is reported as the Customer field): text with NUL or a lone surrogate, whole
numbers and ids beyond 32 bits, infinite or absurd numbers and dates and times outside the
years every backend and ``datetime`` arithmetic handle are refused with a translated
:class:`~..domain.errors.ValidationError` naming the field — instead of an ``OverflowError``
in SQLite's driver, a ``DataError`` on PostgreSQL or MariaDB, or a silently rounded cost.

The domain validators (:mod:`..domain.validation`, :mod:`..domain.complaint_values`) apply
the same limits to the values they clean, so a value converted from text (the importer, an
editor) is held to them too; this decorator covers the arguments no validator looks at
(record ids, versions, the ``today`` of a test) and is the backstop for the rest.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ..domain.input_limits import check_value, field_of
from .base import Actor

P = ParamSpec("P")
R = TypeVar("R")


def check_arguments(arguments: dict[str, object]) -> None:
    """Refuse the first argument some backend could not store, naming its field."""
    for name, value in arguments.items():
        check_value(value, field_of(name))


def checked_input(function: Callable[P, R]) -> Callable[P, R]:
    """Check the arguments of the use case *function* before it runs (see the module); the
    acting user (an :class:`~.base.Actor`) is not an input and passes as it is."""

    @functools.wraps(function)
    def use_case(*args: P.args, **kwargs: P.kwargs) -> R:
        for value in args:  # use cases are keyword-only but for the actor
            if not isinstance(value, Actor):
                check_value(value, "value")
        check_arguments(dict(kwargs))
        return function(*args, **kwargs)

    return use_case
