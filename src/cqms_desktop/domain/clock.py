"""Time helpers: the database stores UTC in whole seconds on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def utcnow() -> datetime:
    """Now in UTC, naive, whole seconds (MySQL's DATETIME keeps no fractions)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def to_local(utc_naive: datetime, zone: tzinfo | None = None) -> datetime:
    """A stored UTC time as an aware local time (the PC's zone unless *zone* is given)."""
    aware = utc_naive.replace(tzinfo=UTC)
    return aware.astimezone(zone) if zone is not None else aware.astimezone()


def to_utc(local: datetime) -> datetime:
    """An aware (or naive local) time as the naive UTC value the database stores."""
    if local.tzinfo is None:
        local = local.astimezone()
    return local.astimezone(UTC).replace(tzinfo=None, microsecond=0)
