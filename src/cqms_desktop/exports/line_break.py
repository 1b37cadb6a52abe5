"""Line breaking for the printed forms, in every language: Chinese line-start and line-end
rules (kinsoku) and breaking words of languages written with spaces only at spaces.

ReportLab's CJK wrapping lets a line start with full-width ，；：！ and end with （, so the
forms break their text here (:func:`break_lines`) and hand ReportLab finished lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Characters a line must never start with (closing punctuation, Chinese and Latin).
CANNOT_START = "，。；：！？、）」』】〉》〕］｝…‥・ー,.;:!?)]}%‰°”’"
#: Characters a line must never end with (opening punctuation).
CANNOT_END = "（「『【〈《〔［｛([{“‘"

# A token: one CJK character (breaks anywhere), a run of spaces, or a word of other characters.
_TOKEN = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+"
)


def _split_word(word: str, width: Callable[[str], float], avail: float) -> list[str]:
    """A word wider than the line, cut into pieces that fit (no hyphen: the last resort)."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and width(current + ch) > avail:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def _glue(tokens: list[str]) -> list[str]:
    """Tokens joined so no unit starts with a line-start-forbidden character or ends with a
    line-end-forbidden one: a closing mark sticks to what precedes it, an opening mark to
    what follows it."""
    units: list[str] = []
    pending_open = ""
    for tok in tokens:
        if tok.isspace():
            if pending_open:
                units.append(pending_open)
                pending_open = ""
            units.append(tok)
            continue
        if pending_open:
            tok = pending_open + tok
            pending_open = ""
        if tok[0] in CANNOT_START and units and not units[-1].isspace():
            units[-1] += tok
        elif tok[-1] in CANNOT_END and len(tok) == 1:
            pending_open = tok
        else:
            units.append(tok)
    if pending_open:
        units.append(pending_open)
    # A unit ending in an opening mark (e.g. "word（") takes the next unit along.
    merged: list[str] = []
    for unit in units:
        if merged and merged[-1][-1] in CANNOT_END and not unit.isspace():
            merged[-1] += unit
        else:
            merged.append(unit)
    return merged


def break_lines(text: str, width: Callable[[str], float], avail: float) -> list[str]:
    """*text* broken into lines no wider than *avail* (measured by *width*).

    Chinese breaks between any two characters, other scripts only at spaces; no line starts
    with a character of :data:`CANNOT_START` nor ends with one of :data:`CANNOT_END` (unless
    a single unbreakable unit is wider than the line); a word wider than the whole line is
    cut where it must, without a hyphen. The text's own line breaks are kept.
    """
    out: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        out.extend(_break_paragraph(paragraph, width, avail))
    return out


def _break_paragraph(text: str, width: Callable[[str], float], avail: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for unit in _glue(_TOKEN.findall(text)):
        if unit.isspace():
            if line:
                line += unit
            continue
        candidate = line + unit
        if width(candidate.rstrip()) <= avail:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        if width(unit) <= avail:
            line = unit
            continue
        pieces = _split_word(unit, width, avail)
        # Never start a piece with a forbidden character: give it back to the piece before.
        for i in range(1, len(pieces)):
            while pieces[i] and pieces[i][0] in CANNOT_START and len(pieces[i - 1]) > 0:
                pieces[i - 1] += pieces[i][0]
                pieces[i] = pieces[i][1:]
        pieces = [p for p in pieces if p]
        lines.extend(pieces[:-1])
        line = pieces[-1] if pieces else ""
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines
