"""A printed form, independent of PDF or Excel: the shared controlled layout's building blocks.

Each form module turns its record's data into a :class:`FormDocument` in one language;
``pdf_layout`` and ``xlsx_layout`` render the same document, so the PDF and the Excel copy of
a form always carry the same sections, labels and values.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..domain.clock import to_local
from .vocabulary import term

if TYPE_CHECKING:
    from ..store.models import Customer

#: Printed for a ticked / an empty box (both glyphs are in the embedded form font).
TICKED = "■"
UNTICKED = "□"


@dataclass(frozen=True)
class Field:
    """One labelled value; ``wide`` fields take a whole row instead of half of one."""

    label: str
    value: str = ""
    wide: bool = False


@dataclass(frozen=True)
class Fields:
    """Labelled values laid out two per row."""

    items: list[Field]


@dataclass(frozen=True)
class TextBox:
    """A labelled box for free text; ``lines`` is the room left for handwriting when empty."""

    label: str
    text: str = ""
    lines: int = 3


@dataclass(frozen=True)
class Choice:
    """A labelled row of tick boxes, e.g. severity □ urgent ■ normal."""

    label: str
    options: list[tuple[str, bool]]


@dataclass(frozen=True)
class Grid:
    """A table inside a section; ``widths`` are relative; ``blank_rows`` empty rows follow."""

    headers: list[str]
    rows: list[list[str]]
    widths: list[float]
    blank_rows: int = 0


@dataclass(frozen=True)
class ScoreGrid:
    """The survey's rating table: one row per item with a box per score of the scale."""

    item_header: str
    question_header: str
    scale: list[int]
    rows: list[tuple[str, str, int | None]]  # item, question, chosen score


@dataclass(frozen=True)
class Note:
    """A paragraph of explanatory text (a reference, the survey's letter to the customer)."""

    text: str


Block = Fields | TextBox | Choice | Grid | ScoreGrid | Note


@dataclass
class Section:
    """A titled part of the form."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Signature:
    """One signature box: the role, and the name and date where the record has them."""

    role: str
    name: str = ""
    date: str = ""


@dataclass
class FormDocument:
    """A whole form in one language, ready for ``pdf_layout`` or ``xlsx_layout``."""

    kind: str
    lang: str
    company: str
    title: str
    form_code: str
    revision: str
    number: str
    sections: list[Section]
    signatures: list[Signature]
    printed_on: str = ""
    blank: bool = False  # the empty form for filling in by hand: full-size writing room


# ---------------------------------------------------------------------- value formatting
def company_zone(name: str) -> dt.tzinfo | None:
    """The company's time zone from the ``timezone`` setting; ``None`` means the PC's zone."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def fmt_date(value: dt.date | dt.datetime | None, lang: str, zone: dt.tzinfo | None = None) -> str:
    """A calendar date as customers of *lang* write it; stored UTC times become local first."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value, zone).date()
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


def fmt_datetime(value: dt.datetime | None, lang: str, zone: dt.tzinfo | None = None) -> str:
    """A stored UTC time as local date and time (minutes)."""
    if value is None:
        return ""
    local = to_local(value, zone)
    return f"{fmt_date(local.date(), lang)} {local:%H:%M}"


def fmt_number(value: int | decimal.Decimal | float | None, lang: str = "en") -> str:
    """A quantity or amount as customers of *lang* write it (German: ``1.200,50``);
    ``""`` when not recorded (never a misleading 0)."""
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal | float):
        text = f"{decimal.Decimal(str(value)):,.2f}"
    else:
        text = f"{value:,}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def tick_options(options: list[tuple[str, str]], chosen: str | None) -> list[tuple[str, bool]]:
    """``(printed word, ticked)`` for ``(code, printed word)`` options and the chosen code."""
    return [(word, code == chosen) for code, word in options]


@dataclass(frozen=True)
class FormContext:
    """How to print: the language, the company's time zone, the settings, blank or filled."""

    lang: str
    zone: dt.tzinfo | None = None
    settings: dict[str, object] = field(default_factory=dict)
    blank: bool = False

    def date(self, value: dt.date | dt.datetime | None) -> str:
        """A date in this form's language."""
        return fmt_date(value, self.lang, self.zone)

    def datetime(self, value: dt.datetime | None) -> str:
        """A stored UTC time as local date and time in this form's language."""
        return fmt_datetime(value, self.lang, self.zone)

    def number(self, value: int | decimal.Decimal | float | None) -> str:
        """A quantity or amount in this form's language."""
        return fmt_number(value, self.lang)


def customer_fields(customer: Customer) -> dict[str, str]:
    """The customer header every record form prints — name, code and the language its forms
    go out in (Chinese where none is set) — as keyword arguments for the form's data class."""
    return {
        "customer_name": customer.name,
        "customer_code": customer.code,
        "customer_language": customer.language or "zh",
    }


class CustomerHeader(Protocol):
    """A form's data as far as its customer header goes (every record form's data class)."""

    customer_name: str
    customer_code: str


def customer_header(data: CustomerHeader, lang: str) -> list[Field]:
    """The customer's name and code in *lang*: the first two fields every form's header prints."""
    return [
        Field(term("customer", lang), data.customer_name),
        Field(term("customer_code", lang), data.customer_code),
    ]


def product_text(part_number: str, name: str) -> str:
    """A product as the forms print it: "part number / name", or whichever of them is known."""
    return " / ".join(p for p in (part_number, name) if p)


def display_names(usernames: set[str]) -> dict[str, str]:
    """Full names for user names (a form prints "Li Wei", not "liwei"); unknown ones as given."""
    from ..store.models import User  # the store is only needed when printing a real record

    wanted = {u for u in usernames if u}
    names = {u: u for u in wanted}
    if wanted:
        for user in User.select(User.username, User.full_name).where(User.username.in_(wanted)):
            names[user.username] = user.full_name or user.username
    return names
