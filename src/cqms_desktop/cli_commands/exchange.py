"""``cqms export form|register|review`` and ``cqms import``: writing forms and workbooks,
and importing legacy Excel registers."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.errors import CqmsError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from .common import EXIT_OK, EXIT_PROBLEMS, _open, _progress, _require_schema, _say

__all__ = [
    "_day",
    "_print_import_report",
    "cmd_export_form",
    "cmd_export_register",
    "cmd_export_review",
    "cmd_import",
]


# ---------------------------------------------------------------- cqms export form
def cmd_export_form(args: argparse.Namespace) -> int:
    """Write one record's form as PDF or Excel."""
    _open(args.db)
    _require_schema()
    try:
        from ..exports.forms import export_form
    except ImportError as exc:
        raise CqmsError(
            QT_TRANSLATE_NOOP("Cli", "Printing forms is not available in this build ({reason})."),
            reason=str(exc),
        ) from exc
    kind = {"visits": "visit", "complaints": "complaint", "surveys": "survey"}.get(
        args.kind, args.kind
    )
    blank = {"blank": True} if args.blank else {}  # a record's form: the call as before
    path = export_form(
        kind=kind,
        number=args.number,
        fmt=args.format,
        lang=args.lang,
        output=Path(args.output),
        **blank,
    )
    _say(QT_TRANSLATE_NOOP("Cli", "Wrote {path}."), path=path)
    return EXIT_OK


# ---------------------------------------------------------------- import, export register / review
def _day(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            QT_TRANSLATE_NOOP("Cli", "“{value}” is not a date (YYYY-MM-DD).").format(value=text)
        ) from None


def _print_import_report(report: Any) -> None:
    """The validation report: one line per problem (row, column, value, problem), a summary."""
    from ..services.importer import iter_problem_rows

    for row, column, value, problem in iter_problem_rows(report):
        _say(
            QT_TRANSLATE_NOOP("Cli", "row {row}\t{column}\t{value}\t{problem}"),
            row=row,
            column=column or "-",
            value=value,
            problem=problem,
        )
    _say("{summary}", summary=report.summary())


def cmd_import(args: argparse.Namespace) -> int:
    """Check (``--dry-run``) or import an xlsx register; exit 1 while rows fail."""
    from ..services import importer
    from ..services.base import Actor

    _open(args.db)
    _require_schema()
    progress = _progress(QT_TRANSLATE_NOOP("Cli", "Importing"))
    path = Path(args.file)
    try:
        if args.dry_run:
            report = importer.check_file(args.kind, path, progress=progress)
        else:
            report = importer.import_file(
                Actor.system(),
                kind=args.kind,
                path=path,
                valid_only=args.valid_only,
                progress=progress,
            )
    except importer.ImportRefused as refused:
        _print_import_report(refused.report)
        _say(QT_TRANSLATE_NOOP("Cli", "cqms: {message}"), sys.stderr, message=refused)
        return EXIT_PROBLEMS
    _print_import_report(report)
    return EXIT_PROBLEMS if report.problems and not args.valid_only else EXIT_OK


def cmd_export_register(args: argparse.Namespace) -> int:
    """Write a register (optionally a date range) to xlsx."""
    from ..exports.register_xlsx import export_register
    from ..services.registers import REGISTERS, Filter

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Cli", "--from {start} is after --to {end}."),
            start=args.date_from,
            end=args.date_to,
        )
    _open(args.db)
    _require_schema()
    output = Path(args.output)
    count = export_register(
        REGISTERS[args.kind],
        Filter(date_from=args.date_from, date_to=args.date_to),
        output=output,
        progress=_progress(QT_TRANSLATE_NOOP("Cli", "Exporting")),
    )
    _say(QT_TRANSLATE_NOOP("Cli", "Wrote {count} rows to {path}."), count=count, path=output)
    return EXIT_OK


def cmd_export_review(args: argparse.Namespace) -> int:
    """Write the management-review workbook of a period (as signed off, if it was)."""
    from ..exports.review_signoff import export_or_reprint

    _open(args.db)
    _require_schema()
    outcome = export_or_reprint(
        args.period,
        customer_code=args.customer,
        output=Path(args.output),
        progress=_progress(QT_TRANSLATE_NOOP("Cli", "Exporting")),
        current=args.current,
    )
    signed = outcome.signed
    if outcome.reprinted and signed is not None:
        _say(
            QT_TRANSLATE_NOOP(
                "Cli",
                "The review of {period} was signed off by {user} on {day}: re-printed as signed.",
            ),
            period=signed.period,
            user=signed.signed_by,
            day=signed.signed_at.date().isoformat(),
        )
        if outcome.changes:
            _say(QT_TRANSLATE_NOOP("Cli", "Figures that differ today (signed → today):"))
            for change in outcome.changes:
                _say("  {code}: {signed} → {today}", code=change.code,
                     signed=_figure(change.signed), today=_figure(change.today))  # fmt: skip
            _say(QT_TRANSLATE_NOOP("Cli", "Use --current for a workbook with today's figures."))
    elif signed is not None:
        _say(
            QT_TRANSLATE_NOOP(
                "Cli", "Today's figures; the review signed off by {user} on {day} is unchanged."
            ),
            user=signed.signed_by,
            day=signed.signed_at.date().isoformat(),
        )
    _say(QT_TRANSLATE_NOOP("Cli", "Wrote {path}."), path=outcome.path)
    return EXIT_OK


def _figure(value: object) -> str:
    """A Summary figure as the CLI prints it: counts as they are, rates to 4 places."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)
