"""Placeholder steps for schema versions another branch fills in (trivially removable)."""

from __future__ import annotations

import peewee as pw


def _reserved(database: pw.Database) -> None:
    """Nothing: the version is reserved for a step merged from another branch."""
