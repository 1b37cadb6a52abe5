"""Schema step "password change at next log-in": ``user.must_change_password``, set when an
administrator chose the password (a new account, a reset) or asked for a change; the user
chooses a new password before anything else, which clears it.

Re-runnable: the column is added only where it is missing.
"""

from __future__ import annotations

import peewee as pw


def upgrade(database: pw.Database) -> None:
    """Add ``user.must_change_password`` (false for every existing user) where it is missing."""
    if "must_change_password" not in {c.name for c in database.get_columns("user")}:
        # "user" is a reserved word on PostgreSQL: quoted the backend's way.
        left, right = database.quote[0], database.quote[1]
        database.execute_sql(
            f"ALTER TABLE {left}user{right} "
            "ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE"
        )
