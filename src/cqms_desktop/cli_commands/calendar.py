"""``cqms calendar list|add|remove|import|load-holidays``: the company's working-day calendar
(closed days and make-up / extra working days) that working-day deadlines are counted on."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.company_calendar import DayKind, DaySource
from ..domain.i18n import QT_TRANSLATE_NOOP
from .common import EXIT_OK, _open, _require_schema, _say

__all__ = [
    "add_calendar_parser",
    "cmd_calendar_add",
    "cmd_calendar_import",
    "cmd_calendar_list",
    "cmd_calendar_load",
    "cmd_calendar_remove",
]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def add_calendar_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """The ``calendar`` command and its actions, added to ``cqms``'s sub-parsers *sub*."""
    p = sub.add_parser(
        "calendar",
        parents=[common],
        help="the company calendar: holidays, closing days, make-up working days",
    )
    actions = p.add_subparsers(dest="calendar_command", required=True, metavar="ACTION")
    q = actions.add_parser("list", parents=[common], help="list the calendar's days")
    q.add_argument("--year", type=int, help="only this year")
    q.set_defaults(func=cmd_calendar_list)
    q = actions.add_parser("add", parents=[common], help="add a closed or working day")
    q.add_argument("day", metavar="DATE", help="YYYY-MM-DD")
    q.add_argument("--kind", required=True, choices=[k.value for k in DayKind])
    q.add_argument("--note", default="", help="e.g. the reason the office is closed")
    q.set_defaults(func=cmd_calendar_add)
    q = actions.add_parser("remove", parents=[common], help="take a day out of the calendar")
    q.add_argument("day", metavar="DATE", help="YYYY-MM-DD")
    q.set_defaults(func=cmd_calendar_remove)
    q = actions.add_parser(
        "import", parents=[common], help="add days from a CSV or xlsx file (date, kind, note)"
    )
    q.add_argument("file", metavar="FILE")
    q.set_defaults(func=cmd_calendar_import)
    q = actions.add_parser(
        "load-holidays",
        parents=[common],
        help="load (or refresh) a year's Chinese public holidays and make-up working days",
    )
    q.add_argument("--year", type=int, required=True)
    q.add_argument(
        "--language",
        default="zh_CN",
        choices=("zh_CN", "en_US"),
        help="language of the holiday names (default zh_CN)",
    )
    q.set_defaults(func=cmd_calendar_load)


def _report(change: Any) -> None:
    _say(
        QT_TRANSLATE_NOOP(
            "Cli",
            "{added} added, {changed} changed, {removed} removed; deadlines of {moved} "
            "unhandled complaints recomputed.",
        ),
        added=len(change.added),
        changed=len(change.changed),
        removed=len(change.removed),
        moved=change.deadlines_moved,
    )


def cmd_calendar_list(args: argparse.Namespace) -> int:
    """Print the calendar's days: date, weekday, kind, source, note (tab-separated)."""
    from ..services import calendar

    _open(args.db)
    _require_schema()
    rows = calendar.calendar_days(args.year)
    for row in rows:
        print(
            "\t".join(
                (
                    row.day.isoformat(),
                    _WEEKDAYS[row.day.weekday()],
                    row.kind,
                    row.source,
                    row.name,
                )
            )
        )
    closed = sum(row.kind == DayKind.CLOSED for row in rows)
    _say(
        QT_TRANSLATE_NOOP("Cli", "{n} days: {closed} closed, {working} working."),
        n=len(rows),
        closed=closed,
        working=len(rows) - closed,
    )
    return EXIT_OK


def cmd_calendar_add(args: argparse.Namespace) -> int:
    """Add one of the company's days."""
    from ..services import calendar
    from ..services.base import Actor

    _open(args.db)
    _require_schema()
    row = calendar.add_day(Actor.system(), day=args.day, kind=args.kind, note=args.note)
    _say(
        QT_TRANSLATE_NOOP("Cli", "Added {day} ({kind})."),
        day=row.day.isoformat(),
        kind=DayKind(row.kind).label,
    )
    return EXIT_OK


def cmd_calendar_remove(args: argparse.Namespace) -> int:
    """Remove a day from the calendar."""
    from ..services import calendar
    from ..services.base import Actor

    _open(args.db)
    _require_schema()
    change = calendar.remove_day(Actor.system(), day=args.day)
    _report(change)
    return EXIT_OK


def cmd_calendar_import(args: argparse.Namespace) -> int:
    """Add (or update) the days of a CSV or xlsx file, all or nothing."""
    from ..services import calendar
    from ..services.base import Actor

    _open(args.db)
    _require_schema()
    days = calendar.read_days_file(args.file)
    change = calendar.import_days(Actor.system(), days)
    _report(change)
    return EXIT_OK


def cmd_calendar_load(args: argparse.Namespace) -> int:
    """Load a year's public holidays and make-up working days."""
    from ..services import calendar
    from ..services.base import Actor

    _open(args.db)
    _require_schema()
    change = calendar.load_public_holidays(Actor.system(), year=args.year, language=args.language)
    _report(change)
    if change.kept:
        _say(
            QT_TRANSLATE_NOOP("Cli", "Kept as the company entered them ({source}): {days}."),
            source=DaySource.COMPANY.label,
            days=", ".join(d.isoformat() for d in change.kept),
        )
    if not change.working_days_loaded:
        _say(
            QT_TRANSLATE_NOOP(
                "Cli",
                "Note: the holiday schedule has no make-up working days for {year} (not yet "
                "published?). Add them with “cqms calendar add DATE --kind working” when the "
                "State Council's notice is out.",
            ),
            year=args.year,
        )
    return EXIT_OK
