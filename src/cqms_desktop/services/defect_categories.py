"""The managed defect-category list (issue #10 item 3): Administration adds, corrects,
deactivates and deletes categories; complaints store a category's code; every list, chart,
workbook and form shows the label in its reader's language.

Codes and labels are keys: a code or label that folds like (:func:`..domain.keys.fold_key`)
the code or a label of another category is refused, so that a typed or imported text always
names one category. A category some complaint uses is deactivated, not deleted.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from ..domain import validation as v
from ..domain.defect_categories import (
    LABEL_LANGUAGES,
    Catalogue,
    Category,
    clashing_name,
    label_language,
)
from ..domain.enums import Department
from ..domain.errors import NotFoundError, TransitionError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.keys import fold_key
from ..store import audit
from ..store.db import is_unique_violation, retry_transient
from ..store.models import Complaint, DefectCategory
from .base import Actor, require, unit_of_work
from .normalise import checked_input
from .register_core import Column, Register

#: The change-event kind of the list.
KIND = "defect_category"
#: Who manages the list (administrators always may).
MANAGERS = (Department.ADMINISTRATION,)
_LABEL_FIELDS = tuple(f"label_{lang}" for lang in LABEL_LANGUAGES)

# The language lists and charts show labels in: the program's one UI language (set by the UI
# when it installs its translators; the command line keeps English).
_display_language = "en"


def set_display_language(language: str | None) -> None:
    """Show labels in *language* (``zh_CN``, ``en``, ``de``…) in lists and charts from now on."""
    global _display_language
    _display_language = label_language(language)


def display_language() -> str:
    """The label language of lists and charts (``zh``, ``en`` or ``de``)."""
    return _display_language


# ---------------------------------------------------------------- reading
def as_category(row: DefectCategory) -> Category:
    """The plain-data category of a row."""
    labels = {lang: str(getattr(row, f"label_{lang}") or "") for lang in LABEL_LANGUAGES}
    return Category(str(row.code), labels, bool(row.active))


def catalogue() -> Catalogue:
    """Every category (active or not), for finding and labelling codes."""
    return Catalogue(as_category(r) for r in DefectCategory.select().order_by(DefectCategory.code))


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """The active categories as (code, label in *language*), by label: the editor's combo."""
    lang = language or _display_language
    found = [(c.code, c.label(lang)) for c in catalogue().categories if c.active]
    return sorted(found, key=lambda pair: fold_key(pair[1]))


def label_of(code: str | None, language: str | None = None) -> str:
    """What to show for a stored code in *language* (default: the lists' language)."""
    return catalogue().label(code, language or _display_language)


def get_category(category_id: int) -> DefectCategory:
    """One category, or :class:`NotFoundError`."""
    found: DefectCategory | None = DefectCategory.get_or_none(DefectCategory.id == category_id)
    if found is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    return found


_UNKNOWN = QT_TRANSLATE_NOOP(
    "Errors",
    "{field}: “{value}” is not in the defect-category list; choose one of the list "
    "(Administration maintains it).",
)


def code_for(text: str | None, *, field: str = "defect_category") -> str:
    """The code of the active category *text* names (its code or any label, without case or
    accents); ``""`` for an empty text; refused naming *field* when no active category has it.
    Inside the caller's transaction."""
    value = (text or "").strip()
    if not value:
        return ""
    found = catalogue().find(value)
    if found is None or not found.active:
        raise ValidationError(_UNKNOWN, field=field, value=value)
    return found.code


# ---------------------------------------------------------------- the register
DEFECT_CATEGORIES = Register(
    kind="defect_categories",
    model=DefectCategory,
    title=QT_TRANSLATE_NOOP("Registers", "Defect categories"),
    columns=[
        Column(
            "code", QT_TRANSLATE_NOOP("Columns", "Code"), lambda: DefectCategory.code, width=120
        ),
        Column(
            "label_zh",
            QT_TRANSLATE_NOOP("Columns", "Chinese"),
            lambda: DefectCategory.label_zh,
            width=160,
        ),
        Column(
            "label_en",
            QT_TRANSLATE_NOOP("Columns", "English"),
            lambda: DefectCategory.label_en,
            width=160,
        ),
        Column(
            "label_de",
            QT_TRANSLATE_NOOP("Columns", "German"),
            lambda: DefectCategory.label_de,
            width=160,
        ),
        Column(
            "active",
            QT_TRANSLATE_NOOP("Columns", "Active"),
            lambda: DefectCategory.active,
            "bool",
            width=60,
        ),
    ],
    date_field=DefectCategory.created_at,
    text_fields=lambda: [
        DefectCategory.code,
        DefectCategory.label_zh,
        DefectCategory.label_en,
        DefectCategory.label_de,
    ],
    default_sort="code",
    default_descending=False,
)


# ---------------------------------------------------------------- writing
def _values(values: dict[str, Any], partial: bool) -> dict[str, Any]:
    unknown = set(values) - {"code", "active", *_LABEL_FIELDS}
    if unknown:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field} cannot be changed here."), field=sorted(unknown)[0]
        )
    clean: dict[str, Any] = {}
    if "code" in values or not partial:
        clean["code"] = v.required_text(values.get("code"), "code", 64)
    for name in _LABEL_FIELDS:
        if name in values or not partial:
            clean[name] = v.optional_text(values.get(name), name, 100)
    if "active" in values:
        clean["active"] = bool(values["active"])
    return clean


def _check_unique(merged: dict[str, Any], exclude_id: int | None) -> None:
    """Refuse a code or label naming another category (see the module docstring)."""
    query = DefectCategory.select()
    if exclude_id is not None:
        query = query.where(DefectCategory.id != exclude_id)
    others = [as_category(r) for r in query]
    names = [("code", merged["code"])] + [(n, merged.get(n) or "") for n in _LABEL_FIELDS]
    for field_name, text in names:
        clash = clashing_name([text], others)
        if clash is not None:
            raise _in_use(field_name, text, clash[1].code)


def _in_use(field_name: str, value: str, other: str) -> ValidationError:
    return ValidationError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "{field} “{value}” already names the defect category “{other}” (capitals and "
            "accents do not count).",
        ),
        field=field_name,
        value=value,
        other=other,
    )


@checked_input
@retry_transient
def add_category(actor: Actor, **values: Any) -> DefectCategory:
    """Add a category: a code and its Chinese, English and German labels."""
    require(actor, admin=True, departments=MANAGERS)
    clean = _values(values, partial=False)
    with unit_of_work(KIND):
        _check_unique(clean, None)
        try:
            return audit.create(DefectCategory, actor.username, **clean)
        except pw.IntegrityError as exc:  # another PC added the same code a moment earlier
            if is_unique_violation(exc):
                raise _in_use("code", clean["code"], clean["code"]) from None
            raise


@checked_input
@retry_transient
def update_category(
    actor: Actor, *, category_id: int, version: int, **values: Any
) -> DefectCategory:
    """Correct a category's labels or (while no complaint uses it) its code; (de)activate it."""
    require(actor, admin=True, departments=MANAGERS)
    clean = _values(values, partial=True)
    with unit_of_work(KIND):
        record = audit.get_for_update(DefectCategory, category_id)
        if record.version != version:
            raise audit.conflict(record)
        if "code" in clean and clean["code"] != record.code and _used(record.code):
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{field}: complaints use the code “{code}”; change its labels instead.",
                ),
                field="code",
                code=record.code,
            )
        merged = {**record.__data__, **clean}
        _check_unique(merged, category_id)
        return audit.update(DefectCategory, category_id, actor.username, clean, version)


@checked_input
@retry_transient
def delete_category(actor: Actor, *, category_id: int, version: int) -> None:
    """Delete a category no complaint uses (one in use is deactivated instead)."""
    require(actor, admin=True, departments=MANAGERS)
    with unit_of_work(KIND):
        record = audit.get_for_update(DefectCategory, category_id)
        if _used(record.code):
            raise TransitionError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Complaints use the defect category “{code}”; deactivate it instead.",
                ),
                code=record.code,
            )
        audit.delete(DefectCategory, category_id, actor.username, version)


def _used(code: str) -> bool:
    return bool(Complaint.select().where(Complaint.defect_category == code).exists())


def ensure_categories(username: str, rows: list[tuple[str, str, str, str]]) -> int:
    """Add the (code, zh, en, de) rows whose code no category has yet (demonstration data);
    inside the caller's transaction; returns how many were added."""
    present = {fold_key(c.code) for c in catalogue().categories}
    added = 0
    for code, zh, en, de in rows:
        if fold_key(code) in present:
            continue
        audit.create(DefectCategory, username, code=code, label_zh=zh, label_en=en, label_de=de)
        present.add(fold_key(code))
        added += 1
    return added
