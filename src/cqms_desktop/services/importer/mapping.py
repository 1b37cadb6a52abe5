"""What the Excel import can fill, and which column headings mean which field.

Each kind of import (customers, products, complaints, feedback) is an :class:`ImportSpec`: a
list of :class:`TargetField` with its type, whether it is required and its default. A
workbook's headings are matched to the fields by :func:`guess_mapping`; the words a heading
may use are the field's English label (the column title the register export writes), the
program's own translations of that label (read from the shipped Qt catalogues, so a list
exported from the Chinese UI imports back) and the glossary words of the printed forms
(``exports.vocabulary``, zh/en/de). Enumerated values are recognised the same way: the stored
code, the English label, its UI translations and the printed-form words.

The services layer does not import Qt, so the catalogues are read from the ``.ts`` sources
shipped in ``cqms_desktop/resources/i18n`` (plain XML) instead of the compiled ``.qm`` files.
"""

from __future__ import annotations

import builtins
import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...domain import enums as E
from ...domain.glossary import ENUM_TERMS, TERMS
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...paths import resources_dir

#: Field types the importer converts cell values to.
FIELD_TYPES = ("text", "datetime", "int", "bool", "enum", "customer", "product", "user")


@dataclass(frozen=True)
class TargetField:
    """One field an import fills: its key, its label (context ``Columns``) and its type."""

    key: str
    label: str
    type: str = "text"
    required: bool = False
    # builtins.type: inside the class body, ``type`` is the field above.
    enum: builtins.type[E.LabeledEnum] | None = None
    max_length: int | None = None
    default: object = None
    #: Other English headings legacy registers use for this field.
    aliases: tuple[str, ...] = ()
    #: Keys of ``exports.vocabulary.TERMS`` whose zh/en/de words also name this field.
    vocabulary: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportSpec:
    """One kind of import: its fields and the field that identifies a record (no duplicates)."""

    kind: str
    title: str
    key_field: str
    fields: list[TargetField] = field(default_factory=list)

    def field(self, key: str) -> TargetField:
        """The target field named *key*."""
        for target in self.fields:
            if target.key == key:
                return target
        raise KeyError(key)


def _f(key: str, label: str, type: str = "text", **kw: object) -> TargetField:
    return TargetField(key, label, type, **kw)  # type: ignore[arg-type]


_CUSTOMER_REF = [
    _f(
        "customer_code",
        QT_TRANSLATE_NOOP("Columns", "Customer code"),
        "customer",
        aliases=("customer no", "customer number", "customer id"),
        vocabulary=("customer_code",),
    ),
    _f(
        "customer",
        QT_TRANSLATE_NOOP("Columns", "Customer"),
        "customer",
        aliases=("customer name",),
        vocabulary=("customer",),
    ),
]

_NUMBER = _f(
    "number",
    QT_TRANSLATE_NOOP("Columns", "Number"),
    required=True,
    max_length=32,
    aliases=("no", "no.", "record number", "record no"),
    vocabulary=("record_number",),
)

# The dates complaints and feedback share (when received, when closed), defined once so the
# two imports recognise the same column headings.
_RECEIVED_AT = _f(
    "received_at",
    QT_TRANSLATE_NOOP("Columns", "Received"),
    "datetime",
    required=True,
    aliases=("date received", "received on", "date"),
    vocabulary=("received_at",),
)

_CLOSED_AT = _f(
    "closed_at",
    QT_TRANSLATE_NOOP("Columns", "Closed"),
    "datetime",
    aliases=("closed on", "date closed"),
    vocabulary=("closed_on",),
)

CUSTOMERS = ImportSpec(
    "customers",
    QT_TRANSLATE_NOOP("Registers", "Customers"),
    "code",
    [
        _f(
            "code",
            QT_TRANSLATE_NOOP("Columns", "Code"),
            required=True,
            max_length=32,
            aliases=("customer code", "customer no", "customer number"),
            vocabulary=("customer_code",),
        ),
        _f(
            "name",
            QT_TRANSLATE_NOOP("Columns", "Name"),
            required=True,
            max_length=200,
            aliases=("customer", "customer name", "company"),
            vocabulary=("customer",),
        ),
        _f(
            "language",
            QT_TRANSLATE_NOOP("Columns", "Form language"),
            "enum",
            enum=E.Language,
            default=E.Language.ZH.value,
            aliases=("language",),
        ),
        _f(
            "sales_rep",
            QT_TRANSLATE_NOOP("Columns", "Sales person"),
            "user",
            aliases=("sales rep", "sales"),
        ),
        _f("contacts", QT_TRANSLATE_NOOP("Columns", "Contacts"), max_length=2000),
        _f("phone", QT_TRANSLATE_NOOP("Columns", "Phone"), max_length=64, aliases=("tel",)),
        _f("email", QT_TRANSLATE_NOOP("Columns", "E-mail"), max_length=200, aliases=("email",)),
        _f(
            "address",
            QT_TRANSLATE_NOOP("Columns", "Address"),
            max_length=2000,
            vocabulary=("address",),
        ),
        _f("notes", QT_TRANSLATE_NOOP("Columns", "Notes"), max_length=4000),
        _f("active", QT_TRANSLATE_NOOP("Columns", "Active"), "bool", default=True),
    ],
)

PRODUCTS = ImportSpec(
    "products",
    QT_TRANSLATE_NOOP("Registers", "Products"),
    "part_number",
    [
        _f(
            "part_number",
            QT_TRANSLATE_NOOP("Columns", "Part number"),
            required=True,
            max_length=64,
            aliases=("part no", "part no.", "pn", "item number"),
            vocabulary=("part_number",),
        ),
        _f(
            "name",
            QT_TRANSLATE_NOOP("Columns", "Name"),
            required=True,
            max_length=200,
            aliases=("product", "product name"),
            vocabulary=("product",),
        ),
        _f("description", QT_TRANSLATE_NOOP("Columns", "Description"), max_length=4000),
        _f("active", QT_TRANSLATE_NOOP("Columns", "Active"), "bool", default=True),
    ],
)

COMPLAINTS = ImportSpec(
    "complaints",
    QT_TRANSLATE_NOOP("Registers", "Complaints"),
    "number",
    [
        _NUMBER,
        _RECEIVED_AT,
        *_CUSTOMER_REF,
        _f(
            "part_number",
            QT_TRANSLATE_NOOP("Columns", "Part number"),
            "product",
            aliases=("part no", "part no.", "pn"),
            vocabulary=("part_number",),
        ),
        _f(
            "severity",
            QT_TRANSLATE_NOOP("Columns", "Severity"),
            "enum",
            enum=E.Severity,
            default=E.Severity.NORMAL.value,
            vocabulary=("severity",),
        ),
        _f(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            "enum",
            enum=E.ComplaintStatus,
            vocabulary=("status",),
        ),
        _f(
            "defect_category",
            QT_TRANSLATE_NOOP("Columns", "Defect category"),
            max_length=64,
            aliases=("defect",),
            vocabulary=("defect_category",),
        ),
        _f(
            "due_at",
            QT_TRANSLATE_NOOP("Columns", "Due"),
            "datetime",
            aliases=("due date", "deadline", "handling deadline"),
            vocabulary=("deadline",),
        ),
        _f("handled_at", QT_TRANSLATE_NOOP("Columns", "Handled"), "datetime"),
        _CLOSED_AT,
        _f("qa_owner", QT_TRANSLATE_NOOP("Columns", "QA owner"), "user"),
        _f(
            "description",
            QT_TRANSLATE_NOOP("Columns", "Description"),
            max_length=8000,
            aliases=("complaint", "problem"),
            vocabulary=("complaint_description",),
        ),
        _f(
            "customer_request",
            QT_TRANSLATE_NOOP("Columns", "Customer's request"),
            max_length=8000,
            vocabulary=("customer_request",),
        ),
        _f("lot", QT_TRANSLATE_NOOP("Columns", "Lot"), max_length=64, vocabulary=("lot",)),
        _f(
            "qty_affected",
            QT_TRANSLATE_NOOP("Columns", "Quantity affected"),
            "int",
            vocabulary=("qty_affected",),
        ),
        _f(
            "qty_delivered",
            QT_TRANSLATE_NOOP("Columns", "Quantity delivered"),
            "int",
            vocabulary=("qty_delivered",),
        ),
        _f(
            "received_via",
            QT_TRANSLATE_NOOP("Columns", "Received via"),
            "enum",
            enum=E.Channel,
            default=E.Channel.PHONE.value,
            vocabulary=("received_via",),
        ),
        _f("cause", QT_TRANSLATE_NOOP("Columns", "Cause"), max_length=8000, vocabulary=("cause",)),
        _f(
            "responsibility",
            QT_TRANSLATE_NOOP("Columns", "Responsibility"),
            "enum",
            enum=E.Responsibility,
            vocabulary=("responsibility",),
        ),
    ],
)

FEEDBACK = ImportSpec(
    "feedback",
    QT_TRANSLATE_NOOP("Registers", "Feedback"),
    "number",
    [
        _NUMBER,
        _RECEIVED_AT,
        *_CUSTOMER_REF,
        _f(
            "channel",
            QT_TRANSLATE_NOOP("Columns", "Channel"),
            "enum",
            required=True,
            enum=E.Channel,
            vocabulary=("channel",),
        ),
        _f(
            "type",
            QT_TRANSLATE_NOOP("Columns", "Type"),
            "enum",
            enum=E.FeedbackType,
            default=E.FeedbackType.OTHER.value,
            vocabulary=("feedback_type",),
        ),
        _f(
            "urgent",
            QT_TRANSLATE_NOOP("Columns", "Urgent"),
            "bool",
            default=False,
            vocabulary=("urgent",),
        ),
        _f(
            "status",
            QT_TRANSLATE_NOOP("Columns", "Status"),
            "enum",
            enum=E.FeedbackStatus,
            vocabulary=("status",),
        ),
        _f(
            "caller",
            QT_TRANSLATE_NOOP("Columns", "Caller"),
            max_length=100,
            aliases=("contact",),
            vocabulary=("caller",),
        ),
        _f(
            "description",
            QT_TRANSLATE_NOOP("Columns", "Description"),
            required=True,
            max_length=8000,
            vocabulary=("feedback_description",),
        ),
        _CLOSED_AT,
        _f(
            "result",
            QT_TRANSLATE_NOOP("Columns", "Result"),
            max_length=8000,
            vocabulary=("result",),
        ),
    ],
)

#: Import kinds as named on the command line and in the import dialog.
SPECS: dict[str, ImportSpec] = {s.kind: s for s in (CUSTOMERS, PRODUCTS, COMPLAINTS, FEEDBACK)}
KINDS: tuple[str, ...] = tuple(SPECS)

_PUNCTUATION = re.compile(r"[\s_:：*＊()（）\[\]【】.。/／\-–—'’]+")


def normalise(text: object) -> str:
    """A heading or value reduced for comparison: case, spaces and punctuation ignored."""
    return _PUNCTUATION.sub("", str(text or "")).casefold()


@functools.lru_cache(maxsize=1)
def _catalogues() -> dict[tuple[str, str], tuple[str, ...]]:
    """(context, English source) → its translations in every shipped UI language."""
    found: dict[tuple[str, str], list[str]] = {}
    folder = resources_dir() / "i18n"
    for path in sorted(folder.glob("cqms_*.ts")) if folder.is_dir() else []:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError):  # a broken catalogue must not stop an import
            continue
        for context in root.iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                source = message.findtext("source") or ""
                node = message.find("translation")
                text = "" if node is None else (node.text or "").strip()
                if node is None or not text:
                    continue
                if node.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                found.setdefault((name, source), []).append(text)
    return {k: tuple(v) for k, v in found.items()}


def ui_translations(context: str, source: str) -> tuple[str, ...]:
    """The shipped UI translations of *source* in *context* (empty if none)."""
    return _catalogues().get((context, source), ())


@functools.cache
def header_words(kind: str, key: str) -> frozenset[str]:
    """Every (normalised) heading that names field *key* of import *kind*."""
    target = SPECS[kind].field(key)
    words = {target.key, target.label, *target.aliases}
    for context in ("Columns", "Fields"):
        words.update(ui_translations(context, target.label))
    for term in target.vocabulary:
        words.update(TERMS[term])
    return frozenset(normalise(w) for w in words if w)


@functools.cache
def enum_words(enum: type[E.LabeledEnum]) -> dict[str, str]:
    """Normalised code, label, UI translations and printed words → the stored code."""
    out: dict[str, str] = {}
    for member in enum:
        words = [member.value, member.label, *ui_translations("Enums", member.label)]
        words += list(ENUM_TERMS.get((enum, member.value), ()))
        for word in words:
            out.setdefault(normalise(word), member.value)
    return out


def guess_mapping(kind: str, headers: Sequence[str | None]) -> dict[str, str]:
    """Target field → the workbook heading that names it, for every heading recognised.

    A heading is used for one field only; the first field (in the spec's order) claims it.
    """
    spec = SPECS[kind]
    by_word: dict[str, str] = {}
    for header in headers:
        if header is not None and str(header).strip():
            by_word.setdefault(normalise(header), str(header))
    mapping: dict[str, str] = {}
    used: set[str] = set()
    # Exact labels first (the export's own headings), then aliases and glossary words.
    for exact in (True, False):
        for target in spec.fields:
            if target.key in mapping:
                continue
            words = (
                {normalise(target.label), normalise(target.key)}
                | {normalise(t) for t in ui_translations("Columns", target.label)}
                if exact
                else header_words(kind, target.key)
            )
            for word in words:
                header = by_word.get(word)
                if header is not None and header not in used:
                    mapping[target.key] = header
                    used.add(header)
                    break
    return mapping


def missing_required(kind: str, mapping: dict[str, str]) -> list[TargetField]:
    """Required fields the mapping leaves without a column (customer: code or name)."""
    spec = SPECS[kind]
    missing = [f for f in spec.fields if f.required and not mapping.get(f.key)]
    keys = {f.key for f in spec.fields}
    if "customer" in keys and not (mapping.get("customer") or mapping.get("customer_code")):
        missing.append(spec.field("customer"))
    return missing


def target_keys(kind: str) -> Iterable[str]:
    """The keys of the fields import *kind* fills, in order."""
    return (f.key for f in SPECS[kind].fields)
