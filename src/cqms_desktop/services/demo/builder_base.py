"""The shared base of the demonstration-data builders: state, time helpers and circulation.

:mod:`cqms_desktop.services.demo.generate` composes its builder from the classes in ``people``,
``customer_service``, ``feedback`` and ``complaints``, all of which derive from
:class:`DemoBuilderBase`. Every random choice goes through one :class:`random.Random`, so the
order of calls — unchanged by the split into modules — keeps the data deterministic.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

import peewee as pw

from ...domain.clock import to_utc
from ...domain.enums import Department
from ...domain.errors import CqmsError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...domain.settings import DEFAULTS
from ...store import settings as settings_store
from ...store.models import BaseModel, Circulation
from ..complaints import current_rules
from . import name_pools as D

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class DemoCancelled(CqmsError):
    """The user cancelled loading the demonstration data; nothing was saved."""


def first_free_id(model: type[BaseModel]) -> int:
    """The id after the highest one already in *model*'s table."""
    return int(model.select(pw.fn.MAX(model._meta.primary_key)).scalar() or 0) + 1


class DemoBuilderBase:
    """Builds demonstration rows in memory, deterministically from the random source."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        zone: tzinfo | None,
        scale: int,
        hashes: dict[str, str],
        cancelled: Cancelled | None,
    ) -> None:
        self.rng = rng
        self.today = today
        self.zone = zone
        self.scale = scale
        self.hashes = hashes
        self.cancelled = cancelled
        self.start_day = today - timedelta(days=730)
        self.ref = self.utc(today, time(0, 0))  # nothing happens from today on: reproducible
        self.rows: dict[type[BaseModel], list[dict[str, Any]]] = defaultdict(list)
        self.created_users: list[tuple[str, str, str]] = []
        self.skipped_users: list[str] = []
        settings = settings_store.get_all()
        self.rules = current_rules(settings)
        self.repeat_window_months = int(
            settings.get("repeat_window_months") or DEFAULTS["repeat_window_months"]
        )
        self.survey_target = Decimal(str(settings_store.get("survey_target")))
        self.action_due_days = int(settings_store.get("action_due_days"))
        self.users: dict[str, dict[str, Any]] = {}
        self.by_department: dict[Department, list[dict[str, Any]]] = defaultdict(list)

    # -------------------------------------------------------------- time helpers
    def local(self, day: date, at: time) -> datetime:
        """An aware time in the company's zone."""
        if self.zone is not None:
            return datetime.combine(day, at, tzinfo=self.zone)
        return datetime.combine(day, at).astimezone()

    def utc(self, day: date, at: time) -> datetime:
        """A local day and time as the naive UTC value the database stores."""
        return to_utc(self.local(day, at))

    def work_time(self) -> time:
        """A time within office hours."""
        return time(self.rng.randint(8, 16), self.rng.randrange(0, 60, 5))

    def random_day(self, first: date, last: date) -> date:
        """A day in [first, last]."""
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(0, span)))

    def clip(self, moment: datetime) -> datetime:
        """Keep generated events before the reference moment (start of today)."""
        latest = self.ref - timedelta(minutes=30)
        return min(moment, latest)

    def age_days(self, moment: datetime) -> float:
        """Days between *moment* and the reference moment."""
        return (self.ref - moment).total_seconds() / 86400

    def stamp(
        self, row: dict[str, Any], at: datetime, by: str, last: datetime | None = None
    ) -> None:
        """Fill the bookkeeping columns of a versioned row."""
        row.update(
            version=1,
            created_at=at,
            created_by=by,
            updated_at=last or at,
            updated_by=by,
        )

    def pick(self, items: list[Any]) -> Any:
        """One item, from the deterministic random source."""
        return items[self.rng.randrange(len(items))]

    def check_cancel(self) -> None:
        """Stop early when the user cancelled."""
        if self.cancelled and self.cancelled():
            raise DemoCancelled(
                QT_TRANSLATE_NOOP(
                    "Errors", "Loading the demonstration data was cancelled; nothing saved."
                )
            )

    def circulate(
        self,
        record: dict[str, Any],
        kind: str,
        sent_at: datetime,
        needed: bool,
        departments: list[Department],
        sender: dict[str, Any],
        force_ack: bool = False,
        never_ack: bool = False,
    ) -> int:
        """Circulation rows for *record*; returns how many are still unacknowledged."""
        if not needed:
            return 0
        sent_at = self.clip(sent_at)
        unacknowledged = 0
        for dept in departments:
            row = {
                "record_kind": kind,
                "record_id": record,
                "department": dept.value,
                "sent_at": sent_at,
                "sent_by": sender["username"],
            }
            ack_at = max(sent_at, self.clip(sent_at + timedelta(hours=self.rng.randint(1, 72))))
            recent = self.age_days(sent_at) < 12
            waiting = recent and self.rng.random() < 0.5
            if not never_ack and (force_ack or (ack_at < self.ref and not waiting)):
                acker = (self.by_department.get(dept) or [sender])[0]
                row.update(
                    acknowledged_at=ack_at,
                    acknowledged_by=acker["username"],
                    response=self.pick(D.FEEDBACK_RESULTS),
                )
                record["_last"] = max(record.get("_last") or ack_at, ack_at)
            else:
                unacknowledged += 1
            self.rows[Circulation].append(row)
        return unacknowledged
