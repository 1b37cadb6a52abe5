"""The company calendar (Administration, ``cqms calendar``): list, add, remove and import the
days the office is closed or works, and load a year's public holidays and make-up working
days (调休) from the ``holidays`` library's China calendar.

Every change runs in one transaction with its audit rows and then recomputes the deadlines of
the complaints not yet handled (audited as well), so a deadline never runs on a calendar the
office no longer keeps. The calendar stored in the database is the company's: the public
schedule is only a starting point, loaded (or refreshed) a year at a time; a day the company
entered itself is never overwritten by a refresh.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from ..domain import validation as v
from ..domain.company_calendar import CompanyCalendar, DayKind, DaySource
from ..domain.complaint_values import as_date
from ..domain.errors import NotFoundError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit
from ..store.db import retry_transient
from ..store.models import Holiday
from .base import Actor, require, unit_of_work
from .complaint_deadlines import recompute_deadlines
from .normalise import checked_input

#: The years the public schedule is loaded for (the State Council publishes one a year).
MIN_YEAR, MAX_YEAR = 2000, 2099
NOTE_LENGTH = 100

#: What an import file may write in its "kind" column for each kind (lower case).
KIND_WORDS: dict[str, DayKind] = {
    "closed": DayKind.CLOSED,
    "holiday": DayKind.CLOSED,
    "off": DayKind.CLOSED,
    "休": DayKind.CLOSED,
    "休息": DayKind.CLOSED,
    "放假": DayKind.CLOSED,
    "working": DayKind.WORKING,
    "work": DayKind.WORKING,
    "make-up": DayKind.WORKING,
    "makeup": DayKind.WORKING,
    "班": DayKind.WORKING,
    "上班": DayKind.WORKING,
    "调休上班": DayKind.WORKING,
}
#: Column headings an import file may use (lower case).
_HEADINGS: dict[str, tuple[str, ...]] = {
    "day": ("date", "day", "日期"),
    "kind": ("kind", "type", "类型", "类别"),
    "note": ("note", "name", "备注", "说明", "名称"),
}


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One day to enter into the calendar."""

    day: date
    kind: DayKind
    note: str = ""


@dataclass(slots=True)
class CalendarChange:
    """What a calendar change did."""

    added: list[date] = field(default_factory=list)
    changed: list[date] = field(default_factory=list)
    removed: list[date] = field(default_factory=list)
    #: Days of the public schedule left as the company entered them.
    kept: list[date] = field(default_factory=list)
    #: Unhandled complaints whose deadline moved.
    deadlines_moved: int = 0
    #: Make-up working days the public schedule has for the year (0: none published yet).
    working_days_loaded: int = 0


# ---------------------------------------------------------------------------- reading
def calendar_days(year: int | None = None) -> list[Holiday]:
    """The calendar's entries (of *year*), in date order."""
    query = Holiday.select().order_by(Holiday.day)
    if year is not None:
        query = query.where((Holiday.day >= date(year, 1, 1)) & (Holiday.day <= date(year, 12, 31)))
    return list(query)


def company_calendar() -> CompanyCalendar:
    """The stored calendar as the deadline rules use it."""
    return CompanyCalendar.from_days((row.day, row.kind) for row in Holiday.select())


# ---------------------------------------------------------------------------- checks
def _day(value: Any) -> date:
    when = as_date(value, "day")
    if when is None:
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{field} is required."), field="day")
    return when


def _kind(value: Any) -> DayKind:
    word = str(value or "").strip().lower()
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    raise ValidationError(
        QT_TRANSLATE_NOOP("Errors", "{field}: “{value}” is neither closed nor working."),
        field="day_kind",
        value=value,
    )


def _year(value: Any) -> int:
    number = v.non_negative_int(value, "year", required=True)
    if number is None or not MIN_YEAR <= number <= MAX_YEAR:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: the year {year} is out of range ({min}–{max})."),
            field="year",
            year=value,
            min=MIN_YEAR,
            max=MAX_YEAR,
        )
    return number


def calendar_day(day: Any, kind: Any, note: Any = "") -> CalendarDay:
    """A checked :class:`CalendarDay` from what a user typed."""
    return CalendarDay(_day(day), _kind(kind), v.optional_text(note, "note", NOTE_LENGTH))


# ---------------------------------------------------------------------------- changes
def _finish(actor: Actor, change: CalendarChange) -> CalendarChange:
    if change.added or change.changed or change.removed:
        change.deadlines_moved = recompute_deadlines(actor.username)
    return change


@checked_input
@retry_transient
def add_day(actor: Actor, *, day: Any, kind: Any, note: Any = "") -> Holiday:
    """Enter one of the company's own days (closed or working); unhandled deadlines follow."""
    require(actor, admin=True)
    entry = calendar_day(day, kind, note)
    with unit_of_work("settings", "complaint"):
        if Holiday.get_or_none(Holiday.day == entry.day) is not None:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "{field}: {value} is already in the calendar; remove it first."
                ),
                field="day",
                value=entry.day.isoformat(),
            )
        row = audit.create(
            Holiday,
            actor.username,
            day=entry.day,
            kind=entry.kind.value,
            name=entry.note,
            source=DaySource.COMPANY.value,
        )
        _finish(actor, CalendarChange(added=[entry.day]))
        return row


@checked_input
@retry_transient
def remove_day(actor: Actor, *, day: Any) -> CalendarChange:
    """Take a day out of the calendar (it is an ordinary day again); deadlines follow."""
    require(actor, admin=True)
    when = _day(day)
    with unit_of_work("settings", "complaint"):
        row = Holiday.get_or_none(Holiday.day == when)
        if row is None:
            raise NotFoundError(
                QT_TRANSLATE_NOOP("Errors", "{day} is not in the company calendar."),
                day=when.isoformat(),
            )
        audit.delete(Holiday, row.id, actor.username, None)
        return _finish(actor, CalendarChange(removed=[when]))


def _put(
    actor: Actor, entry: CalendarDay, source: DaySource, change: CalendarChange
) -> Holiday | None:
    """Enter or update the row of *entry*'s day; the row, or None when nothing changed."""
    row = Holiday.get_or_none(Holiday.day == entry.day)
    values = {"kind": entry.kind.value, "name": entry.note, "source": source.value}
    if row is None:
        change.added.append(entry.day)
        return audit.create(Holiday, actor.username, day=entry.day, **values)
    if (row.kind, row.name, row.source) == (entry.kind.value, entry.note, source.value):
        return None
    change.changed.append(entry.day)
    return audit.update(Holiday, row.id, actor.username, values)


@checked_input
@retry_transient
def import_days(actor: Actor, days: Iterable[CalendarDay]) -> CalendarChange:
    """Enter the company's days from a list (an import file): a day already in the calendar
    takes the file's kind and note. All or nothing, one recomputation."""
    require(actor, admin=True)
    entries = list(days)
    seen: set[date] = set()
    for entry in entries:
        if entry.day in seen:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field}: {value} is listed twice."),
                field="day",
                value=entry.day.isoformat(),
            )
        seen.add(entry.day)
    change = CalendarChange()
    with unit_of_work("settings", "complaint"):
        for entry in entries:
            _put(actor, entry, DaySource.COMPANY, change)
        return _finish(actor, change)


# ---------------------------------------------------------------------------- public schedule
def public_days(year: int, language: str = "zh_CN") -> list[CalendarDay]:
    """The public holidays (closed) and make-up working days (working) of mainland China in
    *year*, from the ``holidays`` library (names in *language*: zh_CN, en_US …).

    A make-up working day's note names the day off it pays for, e.g. “调休上班（2026-10-06
    休息）” for Sunday 20 September 2026.
    """
    import holidays as holiday_library  # a large package: loaded only when asked for

    year = _year(year)
    china = holiday_library.country_holidays("CN", years=year, language=language)
    days = {
        day: CalendarDay(day, DayKind.CLOSED, "; ".join(china.get_list(day))[:NOTE_LENGTH])
        for day in china
    }
    template = _MAKE_UP_NOTE_ZH if language.startswith("zh") else _MAKE_UP_NOTE_EN
    for worked in sorted(d for d in china.weekend_workdays if d.year == year):
        day_off = _day_off_paid_by(china, worked)
        note = template.format(day=day_off.isoformat()) if day_off else ""
        days[worked] = CalendarDay(worked, DayKind.WORKING, note)
    return [days[d] for d in sorted(days)]


#: The note of a make-up working day, stored as data in the language of the schedule's names.
_MAKE_UP_NOTE_ZH = "调休上班（{day} 休息）"
_MAKE_UP_NOTE_EN = "Make-up working day (day off {day})"


def _day_off_paid_by(china: Any, worked: date) -> date | None:
    """The day off that the make-up working day *worked* pays for: the library names it
    “Day off (substituted from 09/20/2026)”, “休息日（由 2026-09-20 调休）”."""
    marks = (worked.isoformat(), worked.strftime("%m/%d/%Y"))
    for day in sorted(china):
        if any(mark in name for name in china.get_list(day) for mark in marks):
            return cast(date, day)
    return None


@checked_input
@retry_transient
def load_public_holidays(actor: Actor, *, year: Any, language: str = "zh_CN") -> CalendarChange:
    """Load (or refresh) *year*'s public holidays and make-up working days.

    Days the company entered itself stay as they are (reported as *kept*); public days of the
    year no longer in the schedule are removed; the rest is added or updated. One
    transaction, audited, then the unhandled deadlines are recomputed.
    """
    require(actor, admin=True)
    entries = public_days(_year(year), language)
    wanted = {entry.day for entry in entries}
    change = CalendarChange(working_days_loaded=sum(e.kind == DayKind.WORKING for e in entries))
    with unit_of_work("settings", "complaint"):
        for row in calendar_days(int(year)):
            if row.source == DaySource.PUBLIC and row.day not in wanted:
                audit.delete(Holiday, row.id, actor.username, None)
                change.removed.append(row.day)
        for entry in entries:
            current = Holiday.get_or_none(Holiday.day == entry.day)
            if current is not None and current.source == DaySource.COMPANY:
                change.kept.append(entry.day)
                continue
            _put(actor, entry, DaySource.PUBLIC, change)
        return _finish(actor, change)


# ---------------------------------------------------------------------------- import files
def _cells_of_csv(path: Path) -> Iterator[list[Any]]:
    # utf-8-sig: a CSV saved by Excel starts with a byte-order mark.
    text = path.read_bytes().decode("utf-8-sig")
    yield from csv.reader(io.StringIO(text))


def _cells_of_xlsx(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _columns(heading: list[Any]) -> dict[str, int]:
    names = [str(cell or "").strip().lower() for cell in heading]
    columns: dict[str, int] = {}
    for key, words in _HEADINGS.items():
        for index, name in enumerate(names):
            if name in words:
                columns[key] = index
                break
    for key in ("day", "kind"):
        if key not in columns:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{field}: the first row must name the columns date, kind and (optionally) "
                    "note.",
                ),
                field="file",
            )
    return columns


def read_days_file(path: Path | str) -> list[CalendarDay]:
    """The days of a calendar file: CSV (UTF-8) or xlsx (first sheet), a heading row with
    ``date``, ``kind`` (closed / working, or 休 / 班) and optionally ``note`` columns.

    A bad row is refused naming its row number; nothing is read half."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” is not a .csv or .xlsx file."),
            field="file",
            name=path.name,
        )
    try:
        rows = list(_cells_of_csv(path) if suffix == ".csv" else _cells_of_xlsx(path))
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” cannot be read ({error})."),
            field="file",
            name=path.name,
            error=str(exc),
        ) from None
    if not rows:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” is empty."), field="file", name=path.name
        )
    columns = _columns(rows[0])
    days: list[CalendarDay] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in cells):
            continue  # blank lines at the end of a sheet

        def cell(key: str, cells: list[Any] = cells) -> Any:
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        try:
            raw_day = cell("day")
            if isinstance(raw_day, datetime):
                raw_day = raw_day.date()
            days.append(calendar_day(raw_day, cell("kind"), cell("note") or ""))
        except ValidationError as err:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "Row {row}: {problem}"),
                field="file",
                row=number,
                problem=err,
            ) from None
    return days
