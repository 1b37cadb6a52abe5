"""The one controlled layout of every printed form, as PDF (ReportLab).

A4 portrait. Every page carries the header (company name, form title in the form's language,
form code and revision, record number) and the footer ("page x of y", printed date). The body
is a grid of bordered sections whose labelled boxes wrap long text — Chinese by character
(CJK has no spaces), other text at spaces — and split across pages when a record's text is
longer than a page. The form font is embedded; no other font is referenced (ReportLab would
otherwise start every page in non-embedded Helvetica).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .document import (
    TICKED,
    UNTICKED,
    Choice,
    Fields,
    FormDocument,
    Grid,
    Note,
    ScoreGrid,
    Section,
    Signature,
    TextBox,
)
from .fonts import form_font
from .line_break import break_lines
from .vocabulary import term

PAGE_W, PAGE_H = A4
MARGIN_X = 15 * mm
TOP_MARGIN = 36 * mm
BOTTOM_MARGIN = 18 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - TOP_MARGIN - BOTTOM_MARGIN

FONT_SIZE = 9
LEADING = 12.5
LINE = 0.5  # grid line width, points
LABEL_BG = colors.HexColor("#F2F2F2")
SECTION_BG = colors.HexColor("#D9D9D9")
HEADER_BG = colors.HexColor("#E8E8E8")

PADDING = 8.0  # left + right cell padding, points

# Chinese (CJK ideographs, punctuation, full-width forms) may break between any characters;
# runs of other characters are words that break only at spaces.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LATIN_RUN = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def longest_word(text: str, font: str, size: float) -> float:
    """Width of the longest run of *text* that must not be broken: a word of a language
    written with spaces. CJK characters may break anywhere, so they never count."""
    return max((stringWidth(w, font, size) for w in _LATIN_RUN.findall(text or "")), default=0.0)


#: Words up to this many characters (dates such as 31.12.2026, numbers, short words) are
#: never broken in a grid, even where longer words have to be.
SHORT_WORD = 12


def short_words(text: str, font: str, size: float) -> float:
    """Width of the longest word of *text* of at most :data:`SHORT_WORD` characters."""
    return max(
        (
            stringWidth(w, font, size)
            for w in _LATIN_RUN.findall(text or "")
            if len(w) <= SHORT_WORD
        ),
        default=0.0,
    )


def unbreakable(text: str, font: str, size: float, cjk_chars: int) -> float:
    """The narrowest width *text* can take without breaking badly: its longest word, or, for
    a short Chinese text (at most *cjk_chars* characters, e.g. a heading like 序号), the whole
    of it — a two-character heading split over two lines looks broken."""
    if _CJK.search(text or "") and len(text.strip()) <= cjk_chars:
        return stringWidth(text.strip(), font, size)
    return longest_word(text, font, size)


def fit_widths(weights: list[float], minimum: list[float], total: float) -> list[float]:
    """Column widths in proportion to *weights*, but no column narrower than its *minimum*
    (its longest word) while others can give up room; the widths add up to *total*."""
    widths = [total * w / sum(weights) for w in weights]
    fixed: set[int] = set()
    for _ in weights:
        short = [i for i, w in enumerate(widths) if i not in fixed and w < minimum[i]]
        if not short:
            break
        fixed.update(short)
        for i in short:
            widths[i] = minimum[i]
        room = total - sum(widths[i] for i in fixed)
        flexible = [i for i in range(len(weights)) if i not in fixed]
        if not flexible or room <= 0:
            break
        flex_weight = sum(weights[i] for i in flexible)
        for i in flexible:
            widths[i] = room * weights[i] / flex_weight
    scale = total / sum(widths)  # minimums that cannot all fit shrink together
    return [w * scale for w in widths]


def colon(lang: str) -> str:
    """The label separator customers of *lang* expect (full-width in Chinese)."""
    return "：" if lang == "zh" else ": "


class _Styles:
    """The paragraph styles of one render, all in the embedded form font."""

    def __init__(self, font: str) -> None:
        base: dict[str, Any] = {"fontName": font, "bulletFontName": font, "fontSize": FONT_SIZE}
        self.value = ParagraphStyle("value", leading=LEADING, **base)
        self.label = ParagraphStyle(
            "label", leading=11, textColor=colors.HexColor("#222222"), **{**base, "fontSize": 8.5}
        )
        self.section = ParagraphStyle("section", leading=14, **{**base, "fontSize": 10.5})
        self.head = ParagraphStyle(
            "head", leading=11, alignment=TA_CENTER, **{**base, "fontSize": 8.5}
        )
        self.box = ParagraphStyle(
            "box", leading=16, alignment=TA_CENTER, **{**base, "fontSize": 14}
        )
        self.note = ParagraphStyle("note", leading=13, alignment=TA_LEFT, **base)

    def para(self, text: str, style: ParagraphStyle) -> Flowable:
        """A paragraph of user text: escaped, line breaks kept, broken by
        :func:`~.line_break.break_lines` (kinsoku in every language)."""
        return BrokenParagraph(text, style)


class BrokenParagraph(Flowable):
    """Plain text broken into lines by :func:`~.line_break.break_lines` at the width it is
    given, then set as a ReportLab paragraph of those lines (which it never re-breaks)."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text or ""
        self.style = style
        self._para: Paragraph | None = None
        self._lines: list[str] = []
        self._wrapped_width: float | None = None

    def _layout(self, avail_width: float) -> Paragraph:
        font, size = self.style.fontName, self.style.fontSize
        self._lines = break_lines(
            self.text, lambda s: stringWidth(s, font, size), max(avail_width, size) - 0.01
        )
        # Runs of spaces would collapse in a paragraph: keep them as no-break spaces.
        markup = "<br/>".join(escape(line).replace("  ", " " + NBSP) for line in self._lines)
        self._para = Paragraph(markup, self.style)
        return self._para

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A table asks each cell several times at the same width (to size rows, to split,
        # to draw): break and parse the text once per width, not each time.
        if self._para is not None and availWidth == self._wrapped_width:
            return self.width, self.height
        para = self._layout(availWidth)
        self._wrapped_width = availWidth
        width, height = para.wrap(availWidth, availHeight)
        self.width, self.height = width, height
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The lines that fit in *availHeight*, and the rest.

        A table splitting a row passes the column's width without its padding; the lines are
        those laid out at the width the cell was wrapped at, and each part is broken again
        where it is drawn.
        """
        width = min(availWidth, self._wrapped_width or availWidth)
        if width != self._wrapped_width or self._para is None:
            self._layout(width)
        leading = float(self.style.leading)
        fit = int((availHeight + 0.01) // leading)
        if fit <= 0 or fit >= len(self._lines):
            return []
        head = BrokenParagraph("\n".join(self._lines[:fit]), self.style)
        tail = BrokenParagraph("\n".join(self._lines[fit:]), self.style)
        return [head, tail]

    def draw(self) -> None:
        """Draw the broken lines (laid out by the last ``wrap``)."""
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)


NBSP = "\u00a0"


def _unbroken(word: str) -> str:
    """*word* escaped for a paragraph, its spaces made no-break (an option stays whole)."""
    return escape(word).replace(" ", NBSP)


def _unwrapped(flowable: Flowable) -> list[Flowable]:
    """What a ``KeepTogether`` holds (else the flowable itself). A ``KeepTogether`` nested in
    another reports a height of 0xffffff to force its own split, so the outer one would
    always think it does not fit and start a page for nothing: groups are joined flat."""
    if isinstance(flowable, KeepTogether):
        return list(getattr(flowable, "_content", []))
    return [flowable]


def _height(flowables: list[Flowable]) -> float:
    """The height *flowables* take at the full content width."""
    total = 0.0
    for f in flowables:
        if isinstance(f, KeepTogether):  # it wraps only on a canvas: measure what it holds
            total += _height(list(getattr(f, "_content", [])))
        else:
            total += f.wrap(CONTENT_W, FRAME_H)[1]
    return total


def _grid_style(font: str, extra: Iterable[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("GRID", (0, 0), (-1, -1), LINE, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            *extra,
        ]
    )


class _FormBuilder:
    """Turns a :class:`FormDocument` into ReportLab flowables."""

    def __init__(self, doc: FormDocument, font: str) -> None:
        self.doc = doc
        self.font = font
        self.s = _Styles(font)
        # Empty boxes get room for a pen; the blank form has only empty boxes.
        self.min_row = 18.0
        self.label_w = self._label_width()

    def _label_width(self) -> float:
        """One label column for the whole form, so the grid lines of all sections align:
        wide enough for the longest word of any label (German has long ones)."""
        labels: list[str] = []
        for section in self.doc.sections:
            for block in section.blocks:
                if isinstance(block, Fields):
                    labels += [f.label for f in block.items]
                elif isinstance(block, TextBox | Choice):
                    labels.append(block.label)
        size = self.s.label.fontSize
        # A Chinese label of up to ten characters gets one line; longer ones wrap.
        widest = max((unbreakable(t, self.font, size, 10) for t in labels), default=0)
        return min(max(widest + PADDING + 1, 0.15 * CONTENT_W), 0.25 * CONTENT_W)

    def story(self) -> list[Flowable]:
        """The body of the form: sections, then the signature block."""
        out: list[Flowable] = []
        for section in self.doc.sections:
            out.extend(self.section(section))
            out.append(Spacer(1, 2.5 * mm))
        if self.doc.signatures:
            tail: list[Flowable] = [Spacer(1, 2 * mm), self.signatures(self.doc.signatures)]
            # The signature block never stands alone on a page: it goes with the content before
            # it (the last section's last group), unless that is so tall that keeping it whole
            # would leave most of a page empty.
            if len(out) >= 2 and _height([out[-2], *tail]) <= 0.6 * FRAME_H:
                tail = [*_unwrapped(out[-2]), out[-1], *tail]
                del out[-2:]
            out.append(KeepTogether(tail))
        return out

    # ------------------------------------------------------------------ sections
    def section(self, section: Section) -> list[Flowable]:
        """A shaded title bar followed by the section's blocks.

        The title and any explanatory note stay on the page of the block they introduce, and
        a short table is never split after its first row. (ReportLab's ``keepWithNext`` does
        not chain into a ``KeepTogether``, so the groups are made here.)
        """
        title = Table(
            [[self.s.para(section.title, self.s.section)]],
            colWidths=[CONTENT_W],
            style=_grid_style(self.font, [("BACKGROUND", (0, 0), (-1, -1), SECTION_BG)]),
        )
        out: list[Flowable] = []
        lead: list[Flowable] = [title]
        for block in section.blocks:
            table = self.block(block)
            if isinstance(block, Note):
                lead.append(table)
                continue
            short = isinstance(block, Grid) and len(block.rows) + block.blank_rows <= 8
            group = [*lead, table]
            # Keeping a group together that is taller than half a page would only leave a
            # mostly empty page behind: such a group starts where it is and splits.
            if (lead or short) and _height(group) <= 0.5 * FRAME_H:
                out.append(KeepTogether(group))
            else:
                out.extend(group)
            lead = []
        if lead:
            out.append(KeepTogether(lead))
        return out

    def block(self, block: Any) -> Flowable:
        """One block as a full-width table that joins the grid of the blocks around it."""
        if isinstance(block, Fields):
            return self.fields(block)
        if isinstance(block, TextBox):
            return self.text_box(block)
        if isinstance(block, Choice):
            return self.choice(block)
        if isinstance(block, Grid):
            return self.grid(block)
        if isinstance(block, ScoreGrid):
            return self.score_grid(block)
        if isinstance(block, Note):
            return self.note(block)
        raise TypeError(f"unknown block {block!r}")

    def _label(self, text: str) -> Flowable:
        return self.s.para(text, self.s.label)

    def _value(self, text: str) -> Flowable:
        return self.s.para(text, self.s.value)

    def fields(self, block: Fields) -> Table:
        """Label/value pairs, two per row; a wide field spans the row."""
        rows: list[list[Any]] = []
        extra: list[tuple[Any, ...]] = []
        pending: list[Any] = []
        for f in block.items:
            if f.wide:
                if pending:
                    rows.append([*pending, "", ""])
                    pending = []
                r = len(rows)
                rows.append([self._label(f.label), self._value(f.value), "", ""])
                extra.append(("SPAN", (1, r), (3, r)))
                continue
            pending += [self._label(f.label), self._value(f.value)]
            if len(pending) == 4:
                rows.append(pending)
                pending = []
        if pending:
            r = len(rows)
            rows.append([*pending, "", ""])
            extra.append(("SPAN", (1, r), (3, r)))
        extra += [
            ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
            ("BACKGROUND", (2, 0), (2, -1), LABEL_BG),
        ]
        # An odd last field spans columns 1-3, whose label column must not be shaded.
        for cmd in list(extra):
            if cmd[0] == "SPAN":
                extra.append(("BACKGROUND", cmd[1], cmd[2], colors.white))
        value_w = (CONTENT_W - 2 * self.label_w) / 2
        return Table(
            rows,
            colWidths=[self.label_w, value_w, self.label_w, value_w],
            style=_grid_style(self.font, extra),
            minRowHeights=[self.min_row] * len(rows),
            splitInRow=1,  # e.g. a long reason for reopening
        )

    def text_box(self, block: TextBox) -> Table:
        """A label beside a box of free text that may run over several pages."""
        empty = not block.text.strip()
        # A filled form keeps a little room in a box left empty; the blank form all of it.
        lines = block.lines if self.doc.blank else min(block.lines, 2)
        height = lines * LEADING + 8 if empty else self.min_row
        return Table(
            [[self._label(block.label), self._value(block.text)]],
            colWidths=[self.label_w, CONTENT_W - self.label_w],
            style=_grid_style(self.font, [("BACKGROUND", (0, 0), (0, -1), LABEL_BG)]),
            minRowHeights=[height],
            splitInRow=1,  # a text longer than a page continues on the next one
        )

    def choice(self, block: Choice) -> Table:
        """A label beside tick boxes, drawn larger than the text so they can be ticked by hand."""
        cjk = any(_CJK.search(word) for word, _ in block.options)
        style = ParagraphStyle(
            "choice", parent=self.s.value, leading=15, wordWrap="CJK" if cjk else None
        )
        # A plain space lets a long list wrap between options, never inside one; the no-break
        # spaces keep the options apart.
        markup = " \u00a0\u00a0\u00a0".join(
            f'<font size="12">{TICKED if on else UNTICKED}</font>{NBSP}{_unbroken(word)}'
            for word, on in block.options
        )
        return Table(
            [[self._label(block.label), Paragraph(markup, style)]],
            colWidths=[self.label_w, CONTENT_W - self.label_w],
            style=_grid_style(self.font, [("BACKGROUND", (0, 0), (0, -1), LABEL_BG)]),
            minRowHeights=[self.min_row],
        )

    def grid(self, block: Grid) -> Table:
        """A table with a shaded heading row (repeated on a new page) and room to write."""
        minimum = [
            max(
                [unbreakable(h, self.font, self.s.head.fontSize, 4)]
                + [longest_word(row[i], self.font, self.s.value.fontSize) for row in block.rows]
            )
            + PADDING
            + 1
            for i, h in enumerate(block.headers)
        ]
        if sum(minimum) > CONTENT_W:
            # Not every long word fits (a German compound): a date, a number or a short word
            # never breaks; of the longer words, as many as the room allows stay whole, the
            # shortest first, and the others break where they must.
            hard = [
                max(
                    [short_words(h, self.font, self.s.head.fontSize)]
                    + [short_words(row[i], self.font, self.s.value.fontSize) for row in block.rows]
                )
                + PADDING
                + 1
                for i, h in enumerate(block.headers)
            ]
            room = CONTENT_W - sum(hard)
            for i in sorted(range(len(hard)), key=lambda i: minimum[i] - hard[i]):
                need = minimum[i] - hard[i]
                if 0 < need <= room:
                    hard[i] = minimum[i]
                    room -= need
            minimum = hard
        widths = fit_widths(block.widths, minimum, CONTENT_W)
        rows: list[list[Any]] = [[self.s.para(h, self.s.head) for h in block.headers]]
        rows += [[self._value(c) for c in row] for row in block.rows]
        rows += [["" for _ in block.headers] for _ in range(block.blank_rows)]
        table = Table(
            rows,
            colWidths=widths,
            repeatRows=1,
            style=_grid_style(
                self.font,
                [("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), ("VALIGN", (0, 0), (-1, 0), "MIDDLE")],
            ),
            minRowHeights=[0] + [self.min_row] * (len(rows) - 1),
            splitInRow=1,
        )
        return table

    def score_grid(self, block: ScoreGrid) -> Table:
        """Items, questions and one box per score; the chosen score's box is filled."""
        n = len(block.scale)
        box_w = min(12 * mm, 0.42 * CONTENT_W / n)
        item_w = 0.16 * CONTENT_W
        question_w = CONTENT_W - item_w - n * box_w
        rows: list[list[Any]] = [
            [
                self.s.para(block.item_header, self.s.head),
                self.s.para(block.question_header, self.s.head),
                *[self.s.para(str(v), self.s.head) for v in block.scale],
            ]
        ]
        for item, question, chosen in block.rows:
            rows.append(
                [
                    self._label(item),
                    self._value(question),
                    *[
                        self.s.para(TICKED if v == chosen else UNTICKED, self.s.box)
                        for v in block.scale
                    ],
                ]
            )
        return Table(
            rows,
            colWidths=[item_w, question_w, *([box_w] * n)],
            repeatRows=1,
            style=_grid_style(
                self.font,
                [
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                    ("BACKGROUND", (0, 1), (0, -1), LABEL_BG),
                    ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
                ],
            ),
            minRowHeights=[0] + [26] * len(block.rows),
        )

    def note(self, block: Note) -> Table:
        """A boxed paragraph of explanatory text."""
        table = Table(
            [[self.s.para(block.text, self.s.note)]],
            colWidths=[CONTENT_W],
            style=_grid_style(self.font, [("TOPPADDING", (0, 0), (-1, -1), 5)]),
            splitInRow=1,
        )
        return table

    # ------------------------------------------------------------------ signatures
    def signatures(self, signatures: list[Signature]) -> Table:
        """Boxes side by side: role, name, date and room for the handwritten signature."""
        lang = self.doc.lang
        n = len(signatures)
        col = CONTENT_W / n
        label_w = 0.32 * col if lang != "zh" else 0.25 * col
        widths: list[float] = []
        for _ in signatures:
            widths += [label_w, col - label_w]
        head: list[Any] = []
        names: list[Any] = []
        dates: list[Any] = []
        signs: list[Any] = []
        extra: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, 0), HEADER_BG)]
        for i, sig in enumerate(signatures):
            head += [self.s.para(sig.role, self.s.head), ""]
            extra.append(("SPAN", (2 * i, 0), (2 * i + 1, 0)))
            names += [self._label(term("name", lang)), self._value(sig.name)]
            dates += [self._label(term("date", lang)), self._value(sig.date)]
            signs += [self._label(term("signature", lang)), ""]
        return Table(
            [head, names, dates, signs],
            colWidths=widths,
            style=_grid_style(self.font, extra),
            minRowHeights=[0, self.min_row, self.min_row, 30],
        )


def _numbered_canvas(doc: FormDocument, font: str) -> type[Canvas]:
    """A canvas class that draws the header and footer once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's method name
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # private; not in ReportLab's stubs

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                draw_page_frame(self, doc, font, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _bold_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Centred text drawn filled and stroked: the form font has no bold face."""
    t = canvas.beginText()
    t.setFont(font, size)
    t.setTextRenderMode(2)
    width = canvas.stringWidth(text, font, size)
    t.setTextOrigin(x - width / 2, y)
    t.textOut(text)
    canvas.saveState()
    canvas.setLineWidth(0.35)
    canvas.drawText(t)
    canvas.restoreState()


def draw_page_frame(canvas: Canvas, doc: FormDocument, font: str, page: int, pages: int) -> None:
    """The controlled header and footer of one page."""
    lang = doc.lang
    sep = colon(lang)
    canvas.saveState()
    centre = PAGE_W / 2
    if doc.company:
        canvas.setFont(font, 12)
        canvas.drawCentredString(centre, PAGE_H - 14 * mm, doc.company)
    _bold_text(canvas, centre, PAGE_H - 23 * mm, doc.title, font, 17)
    canvas.setFont(font, 8.5)
    codes = (
        f"{term('form_code', lang)}{sep}{doc.form_code}"
        f"\u3000{term('revision', lang)}{sep}{doc.revision}"
    )
    canvas.drawString(MARGIN_X, PAGE_H - 31 * mm, codes)
    canvas.setFont(font, 10.5)
    canvas.drawRightString(
        PAGE_W - MARGIN_X, PAGE_H - 31 * mm, f"{term('record_number', lang)}{sep}{doc.number}"
    )
    canvas.setLineWidth(0.9)
    canvas.line(MARGIN_X, PAGE_H - 33 * mm, PAGE_W - MARGIN_X, PAGE_H - 33 * mm)
    # footer
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN_X, 14 * mm, PAGE_W - MARGIN_X, 14 * mm)
    canvas.setFont(font, 8)
    canvas.drawString(MARGIN_X, 9.5 * mm, f"{doc.form_code}  {doc.revision}")
    canvas.drawCentredString(
        centre, 9.5 * mm, term("page_x_of_y", lang).format(page=page, pages=pages)
    )
    if doc.printed_on:
        canvas.drawRightString(
            PAGE_W - MARGIN_X, 9.5 * mm, f"{term('printed_on', lang)}{sep}{doc.printed_on}"
        )
    canvas.restoreState()


def form_story(doc: FormDocument, font: str) -> list[Flowable]:
    """The flowables of one form's body (sections, grids, signatures) in *font*: what
    :func:`render_pdf` prints, and what a batch print strings together."""
    return _FormBuilder(doc, font).story()


def build_a4_pdf(
    story: list[Flowable],
    canvasmaker: type[Canvas],
    *,
    font: str,
    title: str,
    author: str,
    subject: str,
    lang: str | None = None,
) -> bytes:
    """*story* laid out on A4 with the form margins and one body frame, as PDF bytes.

    *canvasmaker* draws the header and footer of each page; *title*, *author*, *subject* and
    *lang* (a BCP 47 tag, or none) go into the PDF's metadata.
    """
    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"lang": lang} if lang is not None else {}
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator="CQMS Desktop",
        **metadata,
        # Start every page in the embedded font, so no unembedded Helvetica is referenced.
        initialFontName=font,
        initialFontSize=FONT_SIZE,
        initialLeading=LEADING,
    )
    frame = Frame(
        MARGIN_X,
        BOTTOM_MARGIN,
        CONTENT_W,
        FRAME_H,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    template.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def render_pdf(doc: FormDocument) -> bytes:
    """The form as PDF bytes (A4, the form font embedded, header and footer on every page)."""
    font = form_font()
    return build_a4_pdf(
        form_story(doc, font),
        _numbered_canvas(doc, font),
        font=font,
        title=f"{doc.title} {doc.number}".strip(),
        author=doc.company,
        subject=doc.title,
        lang={"zh": "zh-CN", "en": "en", "de": "de"}.get(doc.lang, doc.lang),
    )
