"""The entry point for printed forms: one call gives a form as PDF or Excel, filled or blank.

The UI (print preview, "Save as"), the command line (``cqms export form …``) and the tests
all call :func:`render_form` / :func:`export_form`; nothing else needs to know how a form is
laid out. A form is printed in the customer's language unless another is asked for.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from ..domain.clock import utcnow
from ..domain.errors import CqmsError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.settings import company_name_for
from ..store import settings as store_settings
from ..store.db import read_snapshot
from . import (
    complaint_form,
    eight_d,
    feedback_form,
    scar_form,
    service_form,
    survey_form,
    visit_form,
)
from .document import FormContext, FormDocument, company_zone
from .files import write_atomically
from .pdf_layout import render_pdf
from .vocabulary import check_language
from .xlsx_layout import render_xlsx

#: Form kind → the module that gathers and lays out its record.
FORM_MODULES: dict[str, ModuleType] = {
    "complaint": complaint_form,
    "visit": visit_form,
    "feedback": feedback_form,
    "survey": survey_form,
    "service": service_form,
    "scar": scar_form,
}
KINDS: tuple[str, ...] = tuple(FORM_MODULES)
#: Reports in a customer's format made from a record's data, rendered like the forms: the 8D
#: report of a complaint (given the complaint's number). Kept apart from the record forms.
REPORT_MODULES: dict[str, ModuleType] = {"8d": eight_d}
FORM_MODULES.update(REPORT_MODULES)
ALL_KINDS: tuple[str, ...] = tuple(FORM_MODULES)
FORMATS: tuple[str, ...] = ("pdf", "xlsx")
#: The language of a blank form when none is asked for: the company's own.
BLANK_LANGUAGE = "zh"


def _module(kind: str) -> ModuleType:
    try:
        return FORM_MODULES[kind]
    except KeyError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "There is no form “{value}”; choose one of {kinds}."),
            field="kind",
            value=kind,
            kinds=", ".join(ALL_KINDS),
        ) from None


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Forms are saved as {formats}, not “{value}”."),
            field="format",
            formats=" or ".join(FORMATS),
            value=fmt,
        )
    return fmt


def _load(kind: str, number: str | None, blank: bool) -> Any:
    """The form module's own data class for *number* (or its blank form)."""
    module = _module(kind)
    if blank:
        return module.blank()
    if number is None or not number.strip():
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Give the number of the record to print."),
            field="number",
        )
    return module.load(number.strip())


def default_language(*, kind: str, number: str | None) -> str:
    """The language a record's form is printed in by default: its customer's (a SCAR's:
    its supplier's)."""
    if not number:
        return BLANK_LANGUAGE
    with read_snapshot():
        return _load(kind, number, blank=False).customer_language or BLANK_LANGUAGE


def build_document(
    *, kind: str, number: str | None, lang: str | None, blank: bool = False
) -> FormDocument:
    """The form of record *number* (or the blank form) in *lang*, format-independent."""
    module = _module(kind)
    if lang is not None:
        check_language(lang)
    with read_snapshot():
        settings = store_settings.get_all()
        data = _load(kind, number, blank)
    if lang is None:
        lang = BLANK_LANGUAGE if blank else (data.customer_language or BLANK_LANGUAGE)
        check_language(lang)
    ctx = FormContext(
        lang=lang,
        zone=company_zone(str(settings.get("timezone") or "")),
        settings=settings,
        blank=blank,
    )
    sections, signatures = module.build(data, ctx)
    # A module printing one record under several controlled forms names the form it prints.
    form_key = module.form_key(data) if hasattr(module, "form_key") else kind
    return FormDocument(
        kind=kind,
        lang=lang,
        company=company_name_for(settings, lang),
        title=module.title(data, lang),
        form_code=str(settings.get(f"form_code_{form_key}") or ""),
        revision=str(settings.get(f"form_revision_{form_key}") or ""),
        number=data.number,
        sections=sections,
        signatures=signatures,
        printed_on=ctx.date(utcnow()),
        blank=blank,
    )


def render_form(
    *, kind: str, number: str | None, fmt: str, lang: str | None, blank: bool = False
) -> bytes:
    """The form as ``pdf`` or ``xlsx`` bytes.

    *lang* ``None`` prints in the customer's language (Chinese for a blank form). Raises
    :class:`ValidationError` for an unknown kind, format or language or a missing number, and
    :class:`NotFoundError` for a number that does not exist.
    """
    _module(kind)
    _check_format(fmt)
    doc = build_document(kind=kind, number=number, lang=lang, blank=blank)
    return render_pdf(doc) if fmt == "pdf" else render_xlsx(doc)


def export_form(
    *,
    kind: str,
    number: str | None,
    fmt: str,
    lang: str | None,
    output: Path,
    blank: bool = False,
) -> Path:
    """Write the form to *output* (replaced whole, never left half-written); returns the path."""
    data = render_form(kind=kind, number=number, fmt=fmt, lang=lang, blank=blank)
    output = Path(output)
    try:
        write_atomically(output, data)
    except OSError as exc:
        raise CqmsError(
            QT_TRANSLATE_NOOP("Errors", "The form could not be saved as {path}: {reason}"),
            field="output",
            path=str(output),
            reason=exc.strerror or str(exc),
        ) from exc
    return output
