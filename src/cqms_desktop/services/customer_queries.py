"""Finding customers by what a user types: the customer chooser's suggestions, and a code
typed in full (the management-review export).

Read-only; any logged-in user may read customers (they appear on every record), so these
reads take no actor, like the other record reads (``get_survey``, ``get_feedback``…).
"""

from __future__ import annotations

from typing import NamedTuple

from ..store.models import Customer


class CustomerChoice(NamedTuple):
    """A customer as a chooser offers it."""

    id: int
    code: str
    name: str


def find_customers(text: str, *, limit: int) -> list[CustomerChoice]:
    """Customers whose code or name contains *text*, by code, at most *limit* of them."""
    query = (
        Customer.select(Customer.id, Customer.code, Customer.name)
        .where(Customer.code.contains(text) | Customer.name.contains(text))
        .order_by(Customer.code)
        .limit(limit)
    )
    return [CustomerChoice(c.id, c.code, c.name) for c in query]


def customer_choice(customer_id: int) -> CustomerChoice | None:
    """The customer with id *customer_id*, or ``None`` if there is none (any more)."""
    found = (
        Customer.select(Customer.id, Customer.code, Customer.name)
        .where(Customer.id == customer_id)
        .first()
    )
    return CustomerChoice(found.id, found.code, found.name) if found is not None else None


def customer_by_code(code: str) -> CustomerChoice | None:
    """The customer whose code is exactly *code*, or ``None``."""
    found = (
        Customer.select(Customer.id, Customer.code, Customer.name)
        .where(Customer.code == code)
        .first()
    )
    return CustomerChoice(found.id, found.code, found.name) if found is not None else None
