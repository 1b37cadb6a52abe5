"""The same controlled form as an Excel sheet (openpyxl).

The sheet is a grid of 24 narrow columns: the header (company, title, form code and revision,
record number) is merged across it and repeats on every printed page; each section has a
shaded title row and labelled, bordered cells; print setup is A4 portrait, fitted to the page
width, with "page x of y" in the footer. User text is always written as text — a complaint
description starting with ``=`` must never become a formula (see :func:`safe_text`).
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.pdfbase.pdfmetrics import stringWidth

from .document import (
    TICKED,
    UNTICKED,
    Choice,
    Fields,
    FormDocument,
    Grid,
    Note,
    ScoreGrid,
    Signature,
    TextBox,
)
from .line_break import break_lines
from .pdf_layout import colon
from .vocabulary import term
from .xlsx_safe import set_text

GRID = 24  # columns of the layout grid
COL_WIDTH = 3.9  # Excel character units per grid column: 24 of them fill an A4 width
LINE_HEIGHT = 14.0  # points per line of 10-point text
MAX_ROW_HEIGHT = 409.0  # Excel's limit, points
MAX_ROW_LINES = 26  # wrapped lines that fit that height

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SECTION_FILL = PatternFill("solid", fgColor="D9D9D9")
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEAD_FILL = PatternFill("solid", fgColor="E8E8E8")
_WIDE_CHAR = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


def safe_text(cell: Cell, value: Any) -> Cell:
    """Write *value* into *cell* as text, never as a formula.

    openpyxl turns any string starting with ``=`` into a formula; user text such as
    ``=1+1`` must stay the text the user typed. This uses the program's one guard,
    :func:`.xlsx_safe.set_text`: the cell's data type is set to string explicitly, text
    starting with ``=``, ``+``, ``-`` or ``@`` also gets Excel's quote prefix (so editing the
    cell later keeps it text), and characters XML cannot carry are dropped.
    """
    return set_text(cell, "" if value is None else str(value))


def spans(weights: list[float], total: int = GRID) -> list[int]:
    """Whole grid columns for relative *weights*, each at least one, adding up to *total*."""
    n = len(weights)
    if n > total:
        raise ValueError(f"{n} columns do not fit a grid of {total}")
    spare = total - n
    s = sum(weights) or 1.0
    exact = [spare * w / s for w in weights]
    whole = [math.floor(e) for e in exact]
    # largest remainders get the columns left over
    order = sorted(range(n), key=lambda i: exact[i] - whole[i], reverse=True)
    for i in order[: spare - sum(whole)]:
        whole[i] += 1
    return [1 + w for w in whole]


#: Width of one grid column in points: Excel's column width w (characters of the default
#: font) is w * 7 + 5 pixels at 96 dpi, 0.75 points each.
COL_POINTS = (COL_WIDTH * 7 + 5) * 0.75
CELL_PADDING = 4.0  # points Excel and LibreOffice keep free in a cell, both sides together


def _text_width(text: str, size: float = 10) -> float:
    """Width of *text* in points as a spreadsheet draws it: CJK characters one em, others in
    Arial's metrics (Helvetica's, which ReportLab carries), a little generous so a line we
    count as fitting also fits on screen."""
    wide = len(_WIDE_CHAR.findall(text))
    narrow = _WIDE_CHAR.sub("", text)
    return wide * size + stringWidth(narrow, "Helvetica", size) * 1.06


def _avail(columns: int) -> float:
    return max(10.0, columns * COL_POINTS - CELL_PADDING)


def wrapped_lines(text: str, columns: int) -> list[str]:
    """*text* broken as a merged range *columns* grid columns wide shows it: at spaces (no
    word is cut unless it is wider than the cell), Chinese anywhere but with the line-start
    and line-end rules of :mod:`.line_break`."""
    return break_lines(text or "", _text_width, _avail(columns))


def wrap_chunks(text: str, columns: int, max_lines: int = MAX_ROW_LINES) -> list[str]:
    """*text* cut into pieces of at most *max_lines* wrapped lines each.

    An Excel row is at most 409 points high, so a long description is written over several
    rows, each one piece. Pieces end where a wrapped line ends (at a space, or between Chinese
    characters where a line may break), so no word is cut in two; a piece's soft line ends
    are kept as spaces, so the spreadsheet wraps it again the same way.
    """
    if not (text or "").strip():
        return [text or ""]
    paragraphs = (text or "").split("\n")
    lines: list[tuple[str, bool]] = []  # (wrapped line, ends a paragraph)
    for paragraph in paragraphs:
        rest = paragraph
        broken = wrapped_lines(paragraph, columns)
        for i, line in enumerate(broken):
            # the original characters (spaces at a soft break included), in order
            start = rest.find(line) if line else 0
            start = max(start, 0)
            if i == len(broken) - 1:
                lines.append((rest, True))
            else:
                end = start + len(line)
                while end < len(rest) and rest[end] == " ":
                    end += 1
                lines.append((rest[:end], False))
                rest = rest[end:]
    chunks: list[str] = []
    for start in range(0, len(lines), max_lines):
        part = lines[start : start + max_lines]
        text_part = "".join(line + ("\n" if hard else "") for line, hard in part)
        if part[-1][1]:
            text_part = text_part[:-1]
        chunks.append(text_part.rstrip(" "))
    return chunks or [""]


def _lines(text: str, columns: int) -> int:
    """How many wrapped lines *text* needs in a merged range *columns* grid columns wide."""
    return len(wrapped_lines(text, columns))


_WORD = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def _longest_word(text: str, size: float) -> float:
    return max((_text_width(w, size) for w in _WORD.findall(text or "")), default=0.0)


def grid_spans(block: Grid) -> list[int]:
    """Grid columns for each column of *block*: in proportion to its widths, but where the
    room allows, wide enough for the longest word of the column (a date, a department such
    as Qualitätssicherung), so no spreadsheet cuts a word in two; columns with room to
    spare give it up, the most generous first."""
    widths = spans(block.widths)
    need = [
        math.ceil(
            (
                max(
                    [_longest_word(h, 9)]
                    + [_longest_word(row[i], 10) for row in block.rows if i < len(row)]
                )
                + CELL_PADDING
            )
            / COL_POINTS
        )
        for i, h in enumerate(block.headers)
    ]
    for _ in range(GRID):
        short = [i for i in range(len(widths)) if widths[i] < need[i]]
        spare = [i for i in range(len(widths)) if widths[i] > max(need[i], 1)]
        if not short or not spare:
            break
        give = max(spare, key=lambda i: widths[i] - need[i])
        take = min(short, key=lambda i: need[i] - widths[i])
        widths[give] -= 1
        widths[take] += 1
    return widths


class _SheetWriter:
    """Writes a :class:`FormDocument` row by row."""

    def __init__(self, ws: Worksheet, doc: FormDocument) -> None:
        self.ws = ws
        self.doc = doc
        self.row = 1
        self.font_name = "Microsoft YaHei" if doc.lang == "zh" else "Arial"

    # ------------------------------------------------------------------ primitives
    def font(self, size: float = 10, bold: bool = False) -> Font:
        return Font(name=self.font_name, size=size, bold=bold)

    def put(
        self,
        col: int,
        span: int,
        text: str,
        *,
        fill: PatternFill | None = None,
        size: float = 10,
        bold: bool = False,
        align: str = "left",
        border: bool = True,
    ) -> Cell:
        """Text in a merged range of *span* grid columns starting at *col* (1-based)."""
        r = self.row
        last = col + span - 1
        if span > 1:
            self.ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=last)
        target = self.ws.cell(row=r, column=col)
        assert isinstance(target, Cell)  # the first cell of a merged range is a writable one
        cell = safe_text(target, text)
        cell.font = self.font(size, bold)
        cell.alignment = Alignment(
            horizontal=align, vertical="top" if align == "left" else "center", wrap_text=True
        )
        for c in range(col, last + 1):
            target = self.ws.cell(row=r, column=c)
            if border:
                target.border = _BORDER
            if fill is not None:
                target.fill = fill
        return cell

    def end_row(self, min_lines: float = 1.0, *texts: tuple[str, int]) -> None:
        """Close the row, tall enough for the wrapped *texts* (text, columns) it holds."""
        lines = max([min_lines] + [_lines(t, cols) for t, cols in texts])
        self.ws.row_dimensions[self.row].height = min(lines * LINE_HEIGHT + 4, MAX_ROW_HEIGHT)
        self.row += 1

    # ------------------------------------------------------------------ the form
    def header(self) -> None:
        doc, lang, sep = self.doc, self.doc.lang, colon(self.doc.lang)
        self.put(1, GRID, doc.company, size=12, align="center", border=False)
        self.end_row(1.2)
        self.put(1, GRID, doc.title, size=16, bold=True, align="center", border=False)
        self.end_row(1.7)
        codes = (
            f"{term('form_code', lang)}{sep}{doc.form_code}"
            f"   {term('revision', lang)}{sep}{doc.revision}"
        )
        self.put(1, 14, codes, size=9, border=False)
        number = self.put(
            15, 10, f"{term('record_number', lang)}{sep}{doc.number}", size=11, border=False
        )
        number.alignment = Alignment(horizontal="right", vertical="center")
        self.end_row(1.2)
        for c in range(1, GRID + 1):
            self.ws.cell(row=self.row - 1, column=c).border = Border(bottom=Side(style="medium"))
        self.end_row(0.5)

    def section(self, title: str) -> None:
        self.put(1, GRID, title, fill=_SECTION_FILL, size=11, bold=True)
        self.end_row(1.3)

    def block(self, block: Any) -> None:
        if isinstance(block, Fields):
            self.fields(block)
        elif isinstance(block, TextBox):
            self.text_box(block)
        elif isinstance(block, Choice):
            self.choice(block)
        elif isinstance(block, Grid):
            self.grid(block)
        elif isinstance(block, ScoreGrid):
            self.score_grid(block)
        elif isinstance(block, Note):
            self.put(1, GRID, block.text)
            self.end_row(1, (block.text, GRID))
        else:
            raise TypeError(f"unknown block {block!r}")

    def fields(self, block: Fields) -> None:
        pending: list[tuple[str, str]] = []

        def flush_pair() -> None:
            (l1, v1), *rest = pending
            self.put(1, 4, l1, fill=_LABEL_FILL, size=9)
            if rest:
                (l2, v2) = rest[0]
                self.put(5, 8, v1)
                self.put(13, 4, l2, fill=_LABEL_FILL, size=9)
                self.put(17, 8, v2)
                self.end_row(1.3, (v1, 8), (v2, 8), (l1, 4), (l2, 4))
            else:
                self.put(5, 20, v1)
                self.end_row(1.3, (v1, 20), (l1, 4))
            pending.clear()

        for f in block.items:
            if f.wide:
                if pending:
                    flush_pair()
                pending.append((f.label, f.value))
                flush_pair()
                continue
            pending.append((f.label, f.value))
            if len(pending) == 2:
                flush_pair()
        if pending:
            flush_pair()

    def text_box(self, block: TextBox) -> None:
        empty = not block.text.strip()
        chunks = [block.text] if empty else wrap_chunks(block.text, 20)
        for i, chunk in enumerate(chunks):
            # the label on the first row; the rows that continue a long text stay unlabelled
            self.put(1, 4, block.label if i == 0 else "", fill=_LABEL_FILL, size=9)
            self.put(5, 20, chunk)
            room = block.lines if self.doc.blank else min(block.lines, 2)
            self.end_row(room if empty else 1.3, (chunk, 20), (block.label, 4))

    def choice(self, block: Choice) -> None:
        text = "   ".join(f"{TICKED if on else UNTICKED} {word}" for word, on in block.options)
        self.put(1, 4, block.label, fill=_LABEL_FILL, size=9)
        self.put(5, 20, text)
        self.end_row(1.3, (text, 20))

    def grid(self, block: Grid) -> None:
        widths = grid_spans(block)
        starts = [1 + sum(widths[:i]) for i in range(len(widths))]
        for start, span, head in zip(starts, widths, block.headers, strict=True):
            self.put(start, span, head, fill=_HEAD_FILL, size=9, align="center")
        self.end_row(1.2, *zip(block.headers, widths, strict=True))
        for row in [*block.rows, *[[""] * len(block.headers)] * block.blank_rows]:
            for start, span, value in zip(starts, widths, row, strict=True):
                self.put(start, span, value)
            self.end_row(1.3, *zip(row, widths, strict=True))

    def score_grid(self, block: ScoreGrid) -> None:
        n = len(block.scale)
        box = max(1, min(3, (GRID - 12) // n))  # every score box equally wide
        question_width = GRID - 4 - n * box
        widths = (
            [4, question_width, *([box] * n)] if question_width >= 4 else spans([4, 10, *([1] * n)])
        )
        starts = [1 + sum(widths[:i]) for i in range(len(widths))]
        heads = [block.item_header, block.question_header, *[str(v) for v in block.scale]]
        for start, span, head in zip(starts, widths, heads, strict=True):
            self.put(start, span, head, fill=_HEAD_FILL, size=9, align="center")
        self.end_row(1.2)
        for item, question, chosen in block.rows:
            self.put(starts[0], widths[0], item, fill=_LABEL_FILL, size=9)
            self.put(starts[1], widths[1], question)
            for start, span, value in zip(starts[2:], widths[2:], block.scale, strict=True):
                self.put(
                    start, span, TICKED if value == chosen else UNTICKED, size=14, align="center"
                )
            self.end_row(2, (question, widths[1]))

    def signatures(self, signatures: list[Signature]) -> None:
        lang = self.doc.lang
        each = spans([1.0] * len(signatures))
        starts = [1 + sum(each[:i]) for i in range(len(each))]
        self.end_row(0.5)
        for start, span, sig in zip(starts, each, signatures, strict=True):
            self.put(start, span, sig.role, fill=_HEAD_FILL, size=9, align="center")
        self.end_row(1.2)
        for label_key, attr, height in (
            ("name", "name", 1.3),
            ("date", "date", 1.3),
            ("signature", None, 2.4),
        ):
            for start, span, sig in zip(starts, each, signatures, strict=True):
                label_span = max(1, round(span * 0.4))
                self.put(start, label_span, term(label_key, lang), fill=_LABEL_FILL, size=9)
                self.put(start + label_span, span - label_span, getattr(sig, attr) if attr else "")
            self.end_row(height)


#: Printable height of an A4 page, in points of the sheet before it is scaled to the page
#: width (fit to one page wide; the margins of ``_print_setup``): as Excel scales the sheet
#: (its column widths in points), and as LibreOffice does (it takes the columns ~14 % wider,
#: so it shrinks the sheet more and more rows fit on a page; measured with soffice 7).
_PRINTABLE = 842.0 - (0.6 + 0.7) * 72.0
_EXCEL_BODY = _PRINTABLE * GRID * COL_POINTS / (595.0 - 72.0)
#: The estimates are rough (fonts, rounding): the signatures are placed so they are fine for
#: every page height from a little below Excel's to a little above LibreOffice's.
_PAGE_BODIES = tuple(_EXCEL_BODY * (0.96 + 0.025 * i) for i in range(10))


def _row_height(ws: Worksheet, row: int) -> float:
    return float(ws.row_dimensions[row].height or 15.0)


def page_starts(
    ws: Worksheet, header_rows: int, last_row: int, page_body: float, breaks: set[int]
) -> list[int]:
    """The first row of each printed page for a page *page_body* points high (the header
    rows repeat on every page), with manual breaks after the rows in *breaks*."""
    body = page_body - sum(_row_height(ws, r) for r in range(1, header_rows + 1))
    starts = [header_rows + 1]
    used = 0.0
    for row in range(header_rows + 1, last_row + 1):
        height = _row_height(ws, row)
        if row != starts[-1] and (used + height > body or row - 1 in breaks):
            starts.append(row)
            used = 0.0
        used += height
    return starts


def _signatures_fine(starts: list[int], first: int, last: int) -> bool:
    """Neither split over two pages nor alone at the top of a page."""
    return not any(first <= p <= last for p in starts)


def keep_signatures_with_content(
    ws: Worksheet, header_rows: int, block_starts: list[int], first: int, last: int
) -> None:
    """A page break before the last block when the signature rows *first*..*last* would be
    split over two pages or start a page on their own (the signature block never stands
    alone on a last page) in Excel's or LibreOffice's pagination — if the break does not
    make it worse in the other."""
    if all(
        _signatures_fine(page_starts(ws, header_rows, last, body, set()), first, last)
        for body in _PAGE_BODIES
    ):
        return
    header = sum(_row_height(ws, r) for r in range(1, header_rows + 1))
    earlier = [r for r in block_starts if header_rows + 1 < r < first]
    # Move the last block (or, when it is long, its last rows) along with the signatures,
    # as little as does the job.
    candidates = [*reversed(earlier), *range(first - 1, header_rows + 1, -1)]
    for target in dict.fromkeys(candidates):
        moved = sum(_row_height(ws, r) for r in range(target, last + 1))
        if moved > 0.7 * (min(_PAGE_BODIES) - header):
            continue
        if all(
            _signatures_fine(page_starts(ws, header_rows, last, body, {target - 1}), first, last)
            and _no_short_page(page_starts(ws, header_rows, last, body, {target - 1}), target)
            for body in _PAGE_BODIES
        ):
            ws.row_breaks.append(Break(id=target - 1))
            return


def _no_short_page(starts: list[int], target: int) -> bool:
    """The manual break at *target* does not leave a page of only a few rows before it."""
    before = [p for p in starts if p < target]
    return not before or target - before[-1] >= 4


def _hf(text: str) -> str:
    """Text for an Excel header/footer field: ``&`` starts a code there, so double it."""
    return text.replace("&", "&&")


def _print_setup(ws: Worksheet, doc: FormDocument, header_rows: int) -> None:
    lang = doc.lang
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    # openpyxl creates these parts with every sheet; its stubs call them optional.
    setup_properties = ws.sheet_properties.pageSetUpPr
    odd_footer, even_footer = ws.oddFooter, ws.evenFooter
    assert setup_properties is not None and odd_footer is not None and even_footer is not None
    setup_properties.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as the record needs
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"1:{header_rows}"  # the form header repeats on every page
    page = term("page_x_of_y", lang).format(page="&P", pages="&N")
    odd_footer.center.text = page
    odd_footer.left.text = _hf(f"{doc.form_code}  {doc.revision}")
    if doc.printed_on:
        odd_footer.right.text = _hf(f"{term('printed_on', lang)}{colon(lang)}{doc.printed_on}")
    for part in (odd_footer.left, odd_footer.center, odd_footer.right):
        part.size = 8
    even_footer.center.text = page


def render_xlsx(doc: FormDocument) -> bytes:
    """The form as an ``.xlsx`` workbook (bytes) with one print-ready sheet."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = re.sub(r"[\[\]:*?/\\]", "-", doc.number or doc.form_code or doc.kind)[:31] or "Form"
    for c in range(1, GRID + 1):
        ws.column_dimensions[get_column_letter(c)].width = COL_WIDTH
    writer = _SheetWriter(ws, doc)
    writer.header()
    header_rows = writer.row - 1
    row_starts: list[int] = []  # the first row of every block: where a page may break
    for section in doc.sections:
        row_starts.append(writer.row)
        writer.section(section.title)
        for i, block in enumerate(section.blocks):
            if i:
                row_starts.append(writer.row)
            writer.block(block)
        writer.end_row(0.4)
    if doc.signatures:
        signature_row = writer.row
        writer.signatures(doc.signatures)
        keep_signatures_with_content(ws, header_rows, row_starts, signature_row, writer.row - 1)
    _print_setup(ws, doc, header_rows)
    ws.sheet_view.showGridLines = False
    wb.properties.title = f"{doc.title} {doc.number}".strip()
    wb.properties.creator = "CQMS Desktop"
    wb.properties.subject = doc.title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
