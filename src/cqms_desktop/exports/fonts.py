"""The TrueType font every printed form uses, registered once with ReportLab.

WenQuanYi Micro Hei (``resources/fonts/wqy-microhei.ttc``, sub-font 0) has TrueType outlines,
CJK and Latin glyphs including the German umlauts, and its licence allows embedding. ReportLab
embeds the subset of glyphs a form uses, so the PDF looks the same on every PC and printer —
unlike ReportLab's built-in ``STSong-Light``, which is never embedded and has no umlauts.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..paths import resource_path

#: The name the font is registered under with ReportLab.
FONT_NAME = "WenQuanYiMicroHei"
#: The shipped font file, relative to ``resources/``.
FONT_FILE = "fonts/wqy-microhei.ttc"

_lock = threading.Lock()


def form_font() -> str:
    """Register the form font with ReportLab (once per process) and return its name.

    Raises :class:`CqmsError` naming the file when the shipped font is missing or unreadable,
    so a broken installation gives a message instead of a traceback.
    """
    with _lock:
        if FONT_NAME in pdfmetrics.getRegisteredFontNames():
            return FONT_NAME
        path = resource_path(FONT_FILE)
        try:
            font = TTFont(FONT_NAME, str(path), subfontIndex=0)
        except (OSError, TTFError) as exc:
            raise CqmsError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The font for printed forms ({path}) is missing or damaged: {reason}. "
                    "Reinstall the program.",
                ),
                path=str(path),
                reason=str(exc),
            ) from exc
        pdfmetrics.registerFont(font)
        return FONT_NAME
