"""Reading what the administration pages edit: one user, customer, product or department,
the Sales people a customer can be assigned to, and the departments as a register.

Customers, products and departments appear on every record, so any logged-in user may read
them (no actor, like the other record reads); a user account (with its password hash) is
read for the administrator's user page only.
"""

from __future__ import annotations

from typing import TypeVar

import peewee as pw

from ..domain import enums as E
from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store.models import Customer, Department, Product, User
from .base import Actor, require
from .normalise import checked_input
from .register_core import Column, Register

_M = TypeVar("_M", bound=pw.Model)

#: The departments as a register, so they list like everything else (six rows).
DEPARTMENTS = Register(
    kind="departments",
    model=Department,
    title=QT_TRANSLATE_NOOP("Registers", "Departments"),
    columns=[
        Column(
            "code",
            QT_TRANSLATE_NOOP("Columns", "Department"),
            lambda: Department.code,
            "enum",
            enum=E.Department,
            width=200,
        ),
        Column("name", QT_TRANSLATE_NOOP("Columns", "Name"), lambda: Department.name, width=200),
        Column(
            "email", QT_TRANSLATE_NOOP("Columns", "E-mail"), lambda: Department.email, width=200
        ),
        Column(
            "active",
            QT_TRANSLATE_NOOP("Columns", "Active"),
            lambda: Department.active,
            "bool",
            width=60,
        ),
    ],
    date_field=Department.created_at,
    text_fields=lambda: [Department.code, Department.name, Department.email],
    default_sort="code",
    default_descending=False,
)


def _get(model: type[_M], record_id: int) -> _M:
    found: _M | None = model.get_or_none(model._meta.primary_key == record_id)
    if found is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    return found


@checked_input
def get_user(actor: Actor, user_id: int) -> User:
    """One user account, for an administrator; :class:`NotFoundError` if there is none."""
    require(actor, admin=True)
    return _get(User, user_id)


def get_customer(customer_id: int) -> Customer:
    """One customer, or :class:`NotFoundError`."""
    return _get(Customer, customer_id)


def get_product(product_id: int) -> Product:
    """One product, or :class:`NotFoundError`."""
    return _get(Product, product_id)


def get_department(department_id: int) -> Department:
    """One department row, or :class:`NotFoundError`."""
    return _get(Department, department_id)


def sales_rep_choices(current: int | None = None) -> list[tuple[int, str, str]]:
    """``(id, full name, user name)`` of the active Sales people, by name, plus the user
    *current* (a customer's present representative, even if no longer active or in Sales)."""
    query = (
        User.select(User.id, User.full_name, User.username)
        .where((User.active & (User.department == E.Department.SALES.value)) | (User.id == current))
        .order_by(User.full_name)
    )
    return [(u.id, u.full_name, u.username) for u in query]
