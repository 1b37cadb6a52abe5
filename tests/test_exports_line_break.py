"""Line breaking of the printed forms: Chinese line-start/line-end rules in every language,
words broken only where they must."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from cqms_desktop.exports.fonts import form_font
from cqms_desktop.exports.line_break import CANNOT_END, CANNOT_START, break_lines

LONG_ZH = (
    "顾客反映：产品表面划伤严重，尺寸超差；装配困难！请尽快处理？（见附件《检验报告》）、"
    "质保部已确认「批次L20260215-03」的问题。"
) * 12


def _width(size: float = 9):
    font = form_font()
    return lambda s: stringWidth(s, font, size)


@pytest.mark.parametrize("avail", [40, 61.3, 97, 150.5, 233, 400])
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(avail):
    width = _width()
    lines = break_lines(LONG_ZH, width, avail)
    assert len(lines) > 3
    assert "".join(lines) == LONG_ZH  # nothing lost, nothing added
    for line in lines:
        assert line[0] not in CANNOT_START, line
        assert line[-1] not in CANNOT_END, line
        assert width(line) <= avail + 2 * width("，"), line  # at most a mark carried along


def test_every_offset_of_punctuation_against_the_line_end():
    # A closing mark at each possible position relative to the line end.
    width = _width()
    for n in range(1, 12):
        text = "字" * n + "，" + "字" * 20 + "（括号）" + "字" * 7 + "。"
        for line in break_lines(text, width, width("字" * 6)):
            assert line[0] not in CANNOT_START
            assert line[-1] not in CANNOT_END


def test_words_break_at_spaces_and_a_too_long_word_only_where_it_must():
    width = _width()
    text = "Wirksamkeitsüberprüfung der Qualitätssicherungsmaßnahmen am 01.01.2027, erledigt."
    lines = break_lines(text, width, width("Qualitätssicherungs"))
    assert "01.01.2027," in lines  # a date is never split; its comma stays with it
    assert " ".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert width(line) <= width("Qualitätssicherungs") + 0.01
        assert line[0] not in CANNOT_START
    wide = break_lines(text, width, 1000)
    assert wide == [text]


def test_own_line_breaks_are_kept():
    assert break_lines("eins\nzwei", _width(), 500) == ["eins", "zwei"]
    assert break_lines("", _width(), 500) == [""]
