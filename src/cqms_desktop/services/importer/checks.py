"""Checking the rows of an import: the mapping against the headings, every cell of every
row (merged cells, unsaved formulas, conversions, required fields, kind-specific rules and
references), numbers repeated in the file, and which rows are already in the database. Fills
the :class:`~.report.ImportReport`; writes nothing."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from openpyxl.utils import get_column_letter

from ...domain import enums as E
from ...domain import validation as v
from ...domain.clock import to_utc, utcnow
from ...domain.defect_categories import Catalogue
from ...domain.errors import ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store import counters
from ...store import settings as settings_store
from ...store.models import BaseModel, Complaint, Customer, Feedback, Product
from .. import defect_categories
from .mapping import ImportSpec, missing_required, normalise
from .reader import Sheet, merged_rows
from .report import (
    PROGRESS_EVERY,
    CancelledFn,
    ImportCancelled,
    ImportReport,
    Problem,
    ProgressFn,
)
from .values import _Bad, _convert, _Lookups, _text

#: How far in the future a receipt time may lie (PC clocks, time zones).
FUTURE_SLACK = timedelta(days=1)

#: Import kind → (model, the change-event kind, the record-number prefix or "").
_TARGETS: dict[str, tuple[type[BaseModel], str, str]] = {
    "customers": (Customer, "customer", ""),
    "products": (Product, "product", ""),
    "complaints": (Complaint, "complaint", counters.PREFIXES["complaint"]),
    "feedback": (Feedback, "feedback", counters.PREFIXES["feedback"]),
}


@dataclass
class _Row:
    """A row that passed every check: its spreadsheet row and the values to store."""

    row: int
    key: str
    values: dict[str, Any]


def _columns(spec: ImportSpec, sheet: Sheet, mapping: dict[str, str]) -> dict[str, int]:
    """Target field → 0-based column index, checking the mapping against the headings."""
    positions = {normalise(h): i for i, h in enumerate(sheet.headers) if h}
    out: dict[str, int] = {}
    for key, header in mapping.items():
        if not header:
            continue
        try:
            spec.field(key)
        except KeyError:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "An import of {kind} has no field “{value}”."),
                field="mapping",
                kind=spec.kind,
                value=key,
            ) from None
        index = positions.get(normalise(header))
        if index is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The file has no column headed “{value}”."),
                field="mapping",
                value=header,
            )
        out[key] = index
    missing = missing_required(spec.kind, mapping)
    if missing:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "No column is chosen for “{value}”, which every row needs. Choose the column "
                "in the mapping (headings found: {headings}).",
            ),
            field="mapping",
            value=missing[0].label,
            headings=", ".join(h for h in sheet.headers if h) or "—",
        )
    return out


class _Validator:
    """Checks the rows of one sheet for one import kind against the database."""

    def __init__(self, spec: ImportSpec, sheet: Sheet, mapping: dict[str, str]) -> None:
        self.spec = spec
        self.sheet = sheet
        self.mapping = mapping
        self.columns = _columns(spec, sheet, mapping)
        self.lookups = _Lookups.load(spec)
        self.settings = settings_store.get_all()
        self.now = utcnow()
        self.problems: list[Problem] = []
        self.prefix = _TARGETS[spec.kind][2]
        self.merged_rows = self._merged_rows()

    def _merged_rows(self) -> dict[int, str]:
        rows: dict[int, str] = {}
        for ref in self.sheet.merged:
            r1, r2 = merged_rows(ref)
            for row in range(max(r1, self.sheet.header_row + 1), r2 + 1):
                rows.setdefault(row, ref)
        return rows

    def problem(
        self, row: int, key: str | None, value: Any, message: str, /, **params: Any
    ) -> None:
        column, cell = "", ""
        if key is not None and key in self.columns:
            index = self.columns[key]
            column = self.sheet.headers[index]
            cell = f"{get_column_letter(index + 1)}{row}"
        label = self.spec.field(key).label if key is not None else ""
        self.problems.append(
            Problem(row, column, cell, _text(value), message, params, field=key, label=label)
        )

    def cell(self, values: tuple[Any, ...], key: str) -> Any:
        index = self.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def row(self, row: int, values: tuple[Any, ...]) -> _Row | None:
        """The clean values of one row, or ``None`` after recording its problems."""
        before = len(self.problems)
        if row in self.merged_rows:
            self.problem(
                row,
                None,
                "",
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Merged cells {cells}: every row needs its own values; unmerge the cells.",
                ),
                cells=self.merged_rows[row],
            )
        clean: dict[str, Any] = {}
        for key, index in self.columns.items():
            target = self.spec.field(key)
            formula = self.sheet.uncached.get((row, index + 1))
            if formula is not None:
                self.problem(
                    row,
                    key,
                    formula,
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The cell holds a formula without a saved result. Open the file in "
                        "Excel or LibreOffice, save it, and import again (or type the value).",
                    ),
                )
                continue
            raw = values[index] if index < len(values) else None
            try:
                clean[key] = _convert(target, raw)
                if key == "number" and self.prefix and clean[key]:
                    clean[key] = self._number(clean[key])
            except _Bad as bad:
                params = {k: x for k, x in bad.params.items() if k not in ("key", "raw")}
                self.problem(row, key, raw, bad.message, **params)
        flagged = {p.field for p in self.problems[before:]}
        for target in self.spec.fields:
            key = target.key
            unflagged = key in self.columns and key not in flagged
            if target.required and unflagged and key_missing(clean, key):
                self.problem(row, key, "", QT_TRANSLATE_NOOP("Errors", "{field} is required."))
        if len(self.problems) == before:
            try:
                return self._finish(row, values, clean)
            except _Bad as bad:
                self.problem(
                    row,
                    bad.params.pop("key", None),
                    bad.params.pop("raw", ""),
                    bad.message,
                    **bad.params,
                )
        return None

    def _bad(self, key: str, raw: Any, message: str, **params: Any) -> _Bad:
        return _Bad(message, key=key, raw=raw, **params)

    def _finish(self, row: int, values: tuple[Any, ...], clean: dict[str, Any]) -> _Row:
        """Kind-specific checks and references; raises :class:`_Bad` (with the field)."""
        kind = self.spec.kind
        for target in self.spec.fields:
            if clean.get(target.key) is None and target.default is not None:
                clean[target.key] = target.default
        if kind == "customers":
            try:
                clean["code"] = v.code(clean.get("code"))
            except ValidationError as exc:
                raise self._bad("code", clean.get("code"), exc.message, **exc.params) from None
            rep = clean.pop("sales_rep", "")
            clean["sales_rep"] = self._ref("sales_rep", rep, self.lookups.user)
            return _Row(row, clean["code"], clean)
        if kind == "products":
            return _Row(row, clean["part_number"], clean)
        # complaints and feedback
        number = clean["number"]
        code = clean.pop("customer_code", "") or ""
        name = clean.pop("customer", "") or ""
        if not code and not name:
            raise self._bad(
                "customer_code" if "customer_code" in self.columns else "customer",
                "",
                QT_TRANSLATE_NOOP("Errors", "{field} is required."),
            )
        key = "customer_code" if code else "customer"
        clean["customer"] = self._ref(
            key, code or name, lambda _t: self.lookups.customer(code, name)
        )
        received = to_utc(clean["received_at"])
        if received - self.now > FUTURE_SLACK:
            raise self._bad(
                "received_at",
                clean["received_at"],
                QT_TRANSLATE_NOOP("Errors", "{field} cannot be in the future."),
            )
        clean["received_at"] = received
        for stamp in ("due_at", "handled_at", "closed_at"):
            if clean.get(stamp) is not None:
                clean[stamp] = to_utc(clean[stamp])
        if kind == "complaints":
            self._complaint(clean)
        else:
            if clean.get("status") is None:
                closed = clean.get("closed_at") is not None
                clean["status"] = (
                    E.FeedbackStatus.CLOSED if closed else E.FeedbackStatus.OPEN
                ).value
        return _Row(row, number, clean)

    def _ref(self, key: str, text: str, find: Callable[[str], Any]) -> Any:
        try:
            return find(text)
        except _Bad as bad:
            raise self._bad(key, text, bad.message, **bad.params) from None

    def _number(self, text: str) -> str:
        number = text.strip().upper()
        if not re.fullmatch(rf"{self.prefix}-\d{{4}}-\d{{4,}}", number):
            raise self._bad(
                "number",
                text,
                QT_TRANSLATE_NOOP("Errors", "{field} “{value}” must look like {prefix}-2026-0042."),
                value=text,
                prefix=self.prefix,
            )
        return number

    @functools.cached_property
    def _due(self) -> Callable[[datetime, str], datetime]:
        """The handling-deadline calculator, holidays read once for the whole sheet."""
        from ..complaint_deadlines import due_calculator

        return due_calculator(self.settings)

    @functools.cached_property
    def _categories(self) -> Catalogue:
        """The defect-category list, read once for the whole sheet."""
        return defect_categories.catalogue()

    def _defect_category(self, text: str) -> str:
        """The code of the category a legacy free text names (its code or any label, without
        case or accents); a text no category has is a problem of the row."""
        if not text.strip():
            return ""
        found = self._categories.find(text)
        if found is None:
            raise self._bad(
                "defect_category",
                text,
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no defect category “{value}” (by code or label); add it to the "
                    "defect-category list under Administration first.",
                ),
                value=text,
            )
        return found.code

    def _complaint(self, clean: dict[str, Any]) -> None:
        clean["product"] = self._ref(
            "part_number", clean.pop("part_number", ""), self.lookups.product
        )
        clean["qa_owner"] = self._ref("qa_owner", clean.pop("qa_owner", ""), self.lookups.user)
        clean["defect_category"] = self._defect_category(clean.get("defect_category") or "")
        closed_at = clean.get("closed_at")
        status = clean.get("status")
        if status is None:
            status = (E.ComplaintStatus.CLOSED if closed_at else E.ComplaintStatus.REGISTERED).value
        if status == E.ComplaintStatus.CLOSED.value and closed_at is None:
            raise self._bad(
                "closed_at" if "closed_at" in self.columns else "status",
                "",
                QT_TRANSLATE_NOOP("Errors", "A closed complaint needs the date it was closed."),
            )
        if status != E.ComplaintStatus.CLOSED.value and closed_at is not None:
            raise self._bad(
                "status",
                status,
                QT_TRANSLATE_NOOP(
                    "Errors", "The complaint has a closing date but its status is not closed."
                ),
            )
        clean["status"] = status
        if status == E.ComplaintStatus.CLOSED.value and clean.get("handled_at") is None:
            # A closed complaint was handled; without this the dashboard would count every
            # imported closed complaint as handled late.
            clean["handled_at"] = closed_at
        if clean.get("due_at") is None:
            clean["due_at"] = self._due(clean["received_at"], clean["severity"])
        clean.setdefault("description", "")
        if clean.get("description") is None:
            clean["description"] = ""


def key_missing(clean: dict[str, Any], key: str) -> bool:
    """True if *key* is absent or empty in *clean*."""
    return clean.get(key) in (None, "")


def _existing_keys(model: type[BaseModel], column: Any) -> set[str]:
    """Every key already stored, lower-cased (a code differing only in case is the same
    record: MariaDB's collation would refuse it as a duplicate anyway). One query: even
    100,000 keys are a few megabytes, and a lookup per chunk was far slower on PostgreSQL."""
    rows = cast(Iterable[tuple[str]], model.select(column).tuples())  # stubs: rows as models
    return {value.lower() for (value,) in rows}


def _validate(
    spec: ImportSpec,
    sheet: Sheet,
    mapping: dict[str, str],
    report: ImportReport,
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
) -> list[_Row]:
    """Check every row; fill *report*; return the new rows that passed."""
    checker = _Validator(spec, sheet, mapping)
    good: list[_Row] = []
    first_seen: dict[str, int] = {}
    total = len(sheet.rows)
    for done, (row, values) in enumerate(sheet.rows, start=1):
        if done % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled(QT_TRANSLATE_NOOP("Errors", "The import was cancelled."))
            if progress is not None:
                progress(total + done, 3 * total)
        checked = checker.row(row, values)
        if checked is None:
            continue
        folded = checked.key.lower()
        if folded in first_seen:
            checker.problem(
                row,
                spec.key_field,
                checked.key,
                QT_TRANSLATE_NOOP(
                    "Errors", "“{value}” appears again in this file (first in row {first})."
                ),
                value=checked.key,
                first=first_seen[folded],
            )
            continue
        first_seen[folded] = row
        good.append(checked)
    model = _TARGETS[spec.kind][0]
    existing = _existing_keys(model, model._meta.fields[spec.key_field])
    report.rows = total
    report.problems = sorted(checker.problems, key=lambda p: (p.row, p.cell))
    report.existing = sum(1 for r in good if r.key.lower() in existing)
    new = [r for r in good if r.key.lower() not in existing]
    report.new = len(new)
    return new
