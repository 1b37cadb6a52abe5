"""``cqms list``: the records of a kind as JSON or CSV, identical on every backend."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from ..domain import enums as E
from ..domain.errors import ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..exports.xlsx_safe import csv_field
from .common import EXIT_OK, _open, _require_schema

__all__ = ["LIST_FIELDS", "STATUS_ENUMS", "cmd_list", "list_rows", "normalise", "write_rows"]

#: ``cqms list``: per kind, (output key, register column key).
LIST_FIELDS: dict[str, list[tuple[str, str]]] = {
    "visits": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("visit_date", "visit_date"),
    ],
    "feedback": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("type", "type"),
        ("channel", "channel"),
        ("urgent", "urgent"),
        ("received", "received_at"),
        ("closed", "closed_at"),
    ],
    "complaints": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("severity", "severity"),
        ("received", "received_at"),
        ("due", "due_at"),
        ("handled", "handled_at"),
        ("closed", "closed_at"),
        ("overdue", "overdue"),
        ("handled_late", "handled_late"),
    ],
    "surveys": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("quarter", "quarter"),
        ("sent", "sent_on"),
        ("returned", "returned_on"),
        ("overall", "overall"),
    ],
    "service": [
        ("number", "number"),
        ("customer_code", "customer_code"),
        ("customer", "customer"),
        ("status", "status"),
        ("kind", "kind"),
        ("date", "service_date"),
        ("part_number", "part_number"),
        ("quantity", "quantity"),
    ],
}

STATUS_ENUMS: dict[str, type[E.LabeledEnum]] = {
    "visits": E.VisitStatus,
    "feedback": E.FeedbackStatus,
    "complaints": E.ComplaintStatus,
    "surveys": E.SurveyStatus,
    "service": E.ServiceStatus,
}


def normalise(value: Any, kind: str) -> Any:
    """A register value as the same JSON value on every backend (see ``cqms list``)."""
    if value is None:
        return False if kind == "bool" else None
    if kind == "bool":
        return bool(int(value))
    if kind == "datetime":
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    if kind == "date":
        if isinstance(value, datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, date) else str(value)[:10]
    if kind == "decimal":
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    if kind == "int":
        return int(value)
    return str(value)


def list_rows(
    kind: str,
    *,
    statuses: Sequence[str] = (),
    overdue: bool = False,
    customer: str | None = None,
) -> list[dict[str, Any]]:
    """The records of *kind* for ``cqms list``, normalised, sorted by number."""
    from ..services.registers import REGISTERS, Filter
    from ..store.models import Customer

    register = REGISTERS[kind]
    allowed = [s.value for s in STATUS_ENUMS[kind]]
    for status in statuses:
        if status not in allowed:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Cli", "Unknown status “{value}” for {kind}; use one of {allowed}."
                ),
                value=status,
                kind=kind,
                allowed=", ".join(allowed),
            )
    if overdue and kind != "complaints":
        raise ValidationError(QT_TRANSLATE_NOOP("Cli", "--overdue applies to complaints only."))
    flt = Filter(status=tuple(statuses), overdue=overdue)
    if customer:
        row = Customer.get_or_none(Customer.code == customer)
        if row is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Cli", "There is no customer with the code “{code}”."),
                code=customer,
            )
        flt.customer_id = row.id
    fields = [(out, register.column(key).kind, key) for out, key in LIST_FIELDS[kind]]
    rows = [
        {out: normalise(rec[key], col_kind) for out, col_kind, key in fields}
        for rec in register.iterate(flt, sort="number", descending=False)
    ]
    # The servers compare text by their own collation; sort again by code point so the
    # output is byte-identical on every backend.
    rows.sort(key=lambda r: r["number"])
    return rows


def write_rows(rows: list[dict[str, Any]], fmt: str, keys: list[str], out: TextIO) -> None:
    """Write *rows* as a JSON array (one record per line) or as CSV with a header; CSV text
    that a spreadsheet would read as a formula gets a leading apostrophe (JSON is data, it
    stays exact)."""
    if fmt == "json":
        if not rows:
            out.write("[]\n")
            return
        out.write("[\n")
        last = len(rows) - 1
        for index, row in enumerate(rows):
            out.write(json.dumps(row, ensure_ascii=False))
            out.write(",\n" if index < last else "\n")
        out.write("]\n")
        return
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        # Text a spreadsheet would run as a formula (=HYPERLINK…, +cmd|…, @SUM…) is guarded
        # like the xlsx writers' cells: exports.xlsx_safe.csv_field.
        writer.writerow(
            [
                ""
                if row[k] is None
                else ("true" if row[k] else "false")
                if isinstance(row[k], bool)
                else csv_field(row[k])
                for k in keys
            ]
        )


def cmd_list(args: argparse.Namespace) -> int:
    """Print the records of a kind as JSON or CSV."""
    _open(args.db)
    _require_schema()
    statuses = [s.strip() for value in args.status or [] for s in value.split(",") if s.strip()]
    rows = list_rows(args.kind, statuses=statuses, overdue=args.overdue, customer=args.customer)
    text = io.StringIO()
    write_rows(rows, args.format, [out for out, _ in LIST_FIELDS[args.kind]], text)
    output = getattr(args, "output", None)
    if output:
        Path(output).write_bytes(encode_output(text.getvalue(), args.format))
    else:
        emit(text.getvalue(), args.format, sys.stdout)
    return EXIT_OK


def encode_output(text: str, fmt: str) -> bytes:
    """*text* as UTF-8 whatever the console's code page: CSV with a byte-order mark, the sign
    by which Excel opens a UTF-8 CSV with Chinese intact (without it Excel reads the ANSI code
    page); JSON without one (JSON parsers reject it)."""
    return text.encode("utf-8-sig" if fmt == "csv" else "utf-8")


def emit(text: str, fmt: str, stream: TextIO) -> None:
    """Write list output to *stream* (stdout): redirected to a file or a pipe, as the bytes of
    :func:`encode_output` (the console's code page, cp1252 or cp936 on Windows, cannot hold
    every name and would garble the file); to a console, as text."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None or stream.isatty():
        stream.write(text)
        return
    stream.flush()
    buffer.write(encode_output(text, fmt))
    buffer.flush()
