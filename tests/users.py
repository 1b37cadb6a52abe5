"""Users for tests: :func:`make_user` creates one through the admin service."""

from __future__ import annotations

from cqms_desktop.domain.enums import Department
from cqms_desktop.services import admin, auth
from cqms_desktop.services.base import Actor


def make_user(department: Department, username: str | None = None, *, admin_flag=False) -> Actor:
    """Create a user in *department* and return the actor for it."""
    name = username or f"{department.value}_user"
    user = admin.add_user(
        Actor.system(),
        username=name,
        full_name=name.replace("_", " ").title(),
        department=department.value,
        password="secret-pass",
        is_admin=admin_flag,
    )
    return auth.actor_for(user)
