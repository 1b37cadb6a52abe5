"""Several forms as one PDF: the batch print of the records selected in a list.

The forms are laid out by the one controlled layout (:mod:`.pdf_layout`) into a single
ReportLab story, each starting on a new page, instead of gluing finished PDFs together (no
extra dependency, one embedded font subset for the whole file). Each form keeps its own
header (title, form code, record number, language) and its own "page x of y", counted within
that form, exactly as when it is printed alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak

from ..domain.errors import CqmsError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from .document import FormDocument
from .fonts import form_font
from .pdf_layout import build_a4_pdf, draw_page_frame, form_story

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]

#: The most records one batch prints (a guard against selecting a whole 100,000-row list).
MAX_RECORDS = 500


class BatchCancelled(CqmsError):
    """The user cancelled the batch; no PDF was made."""


class _FormStart(Flowable):
    """An invisible mark at the top of a form's first page: tells the canvas which form the
    following pages belong to (for the header and the per-form page numbers)."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._cqms_form = self.index  # type: ignore[attr-defined]


def _batch_canvas(docs: Sequence[FormDocument], font: str) -> type[Canvas]:
    """A canvas that draws each page's header and footer once every page is known."""

    class BatchCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._cqms_form = 0
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's method name
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # private; not in ReportLab's stubs

        def save(self) -> None:
            totals: dict[int, int] = {}
            for state in self._saved_pages:
                totals[state["_cqms_form"]] = totals.get(state["_cqms_form"], 0) + 1
            numbers: dict[int, int] = {}
            for state in self._saved_pages:
                self.__dict__.update(state)
                form = state["_cqms_form"]
                numbers[form] = numbers.get(form, 0) + 1
                draw_page_frame(self, docs[form], font, numbers[form], totals[form])
                super().showPage()
            super().save()

    return BatchCanvas


def render_many(docs: Sequence[FormDocument]) -> bytes:
    """*docs* as one PDF, each form starting on a new page with its own page numbering."""
    if not docs:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Choose at least one record to print."), field="records"
        )
    font = form_font()
    story: list[Flowable] = []
    for index, doc in enumerate(docs):
        if index:
            story.append(PageBreak())
        story.append(_FormStart(index))
        story.extend(form_story(doc, font))
    first = docs[0]
    return build_a4_pdf(
        story,
        _batch_canvas(list(docs), font),
        font=font,
        title=first.title if len(docs) == 1 else f"{first.title} ({len(docs)})",
        author=first.company,
        subject=first.title,
    )


def render_records(
    *,
    kind: str,
    numbers: Sequence[str],
    lang: str | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> bytes:
    """The forms of *kind* (``complaint``, ``8d``, ``visit``…) of records *numbers* as one PDF.

    *lang* ``None`` prints each record in its own customer's language. ``progress(done,
    total)`` counts forms; ``cancelled()`` is polled between forms (:class:`BatchCancelled`).
    """
    from .forms import build_document  # forms imports this package's form modules

    if len(numbers) > MAX_RECORDS:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "At most {max} records can be printed at once; {count} are selected."
            ),
            field="records",
            max=MAX_RECORDS,
            count=len(numbers),
        )
    docs: list[FormDocument] = []
    total = len(numbers) + 1  # the last step lays out the whole batch
    for done, number in enumerate(numbers):
        if cancelled is not None and cancelled():
            raise BatchCancelled(QT_TRANSLATE_NOOP("Errors", "The printing was cancelled."))
        if progress is not None:
            progress(done, total)
        docs.append(build_document(kind=kind, number=number, lang=lang))
    if progress is not None:
        progress(len(numbers), total)
    pdf = render_many(docs)
    if progress is not None:
        progress(total, total)
    return pdf
