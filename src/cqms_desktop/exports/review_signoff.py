"""Signing off a management review, and re-printing a signed one as it was signed.

:func:`sign_off_review_workbook` writes the workbook as any export does, then hands its bytes
and Summary figures to :func:`services.review_signoffs.sign_off_review` before the file is
moved into place (a refused sign-off leaves no file that looks signed).

:func:`export_or_reprint` is what "Export the review" does: a period signed off is re-printed
byte for byte from what was kept, and today's figures are compared with the signed ones so the
caller can say what has changed since; any other period is computed as usual.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import kpis as K
from ..services.base import Actor
from ..services.review_signoffs import (
    Figure,
    FigureChange,
    SignedReview,
    figure_changes,
    sign_off_review,
    signed_review,
)
from .register_xlsx import (
    CancelledFn,
    ExportCancelled,
    ProgressFn,
    Translate,
    check_writable,
    identity_translate,
)
from .review_summary_sheet import summary_lines
from .review_workbook import write_review


@dataclass(frozen=True)
class ReviewOutcome:
    """What exporting a review did: the file, the sign-off (if any) and what changed since."""

    path: Path
    signed: SignedReview | None = None
    #: True when the kept workbook was written (the period was signed off before).
    reprinted: bool = False
    #: True when this export signed the review off.
    signed_now: bool = False
    changes: list[FigureChange] = field(default_factory=list)


def summary_figures(kpis: K.ReviewKpis) -> dict[str, Figure]:
    """The Summary sheet's figures by their stable code (what a sign-off keeps)."""
    return {line.code: line.value for line in summary_lines(kpis)}


def _partial(output: Path) -> Path:
    return output.with_name(f".{output.name}.signing.xlsx")


def sign_off_review_workbook(
    actor: Actor,
    period: K.Period | str,
    *,
    customer_code: str | None = None,
    output: Path,
    language: str = "",
    note: str = "",
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    translate: Translate = identity_translate,
) -> ReviewOutcome:
    """Write the review of *period* to *output* and sign it off as *actor* (the General
    Manager): the file and the kept copy are the same bytes."""
    output = check_writable(Path(output))
    partial = _partial(output)
    try:
        _path, kpis = write_review(
            period,
            customer_code=customer_code,
            output=partial,
            progress=progress,
            cancelled=cancelled,
            translate=translate,
        )
        signed = sign_off_review(
            actor,
            period=kpis.scope.period.code,
            customer_code=customer_code,
            language=language,
            figures=summary_figures(kpis),
            workbook=partial.read_bytes(),
            note=note,
        )
        os.replace(partial, output)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return ReviewOutcome(output, signed, signed_now=True)


def export_or_reprint(
    period: K.Period | str,
    *,
    customer_code: str | None = None,
    output: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    translate: Translate = identity_translate,
    now: datetime | None = None,
    current: bool = False,
) -> ReviewOutcome:
    """The review of *period*: re-printed as signed off if it was (unless *current*: today's
    figures), with the figures that differ today; otherwise computed and written."""
    output = check_writable(Path(output))
    if not isinstance(period, K.Period):
        period = K.parse_period(period)
    signed = signed_review(period.code, customer_code)
    if signed is None or current:
        path, _kpis = write_review(
            period,
            customer_code=customer_code,
            output=output,
            progress=progress,
            cancelled=cancelled,
            translate=translate,
            now=now,
        )
        return ReviewOutcome(path, signed, reprinted=False)
    today = K.review_kpis(
        period,
        customer_code=customer_code,
        now=now,
        progress=progress,
    )
    if cancelled is not None and cancelled():
        raise ExportCancelled(QT_TRANSLATE_NOOP("Errors", "The export was cancelled."))
    partial = output.with_name(f".{output.name}.part")
    try:
        partial.write_bytes(signed.workbook)
        os.replace(partial, output)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    changes = figure_changes(signed.figures, summary_figures(today))
    return ReviewOutcome(output, signed, reprinted=True, changes=changes)
