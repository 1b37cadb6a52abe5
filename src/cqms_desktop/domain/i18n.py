"""Translation markers usable without Qt.

The domain and store layers must not import Qt, yet their messages are shown to users in
Chinese or English. They mark texts with :func:`QT_TRANSLATE_NOOP` (the same name Qt's
``lupdate`` looks for, so the strings land in the ``.ts`` files); the UI and the CLI translate
them with ``QCoreApplication.translate(context, text)`` when they show them.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark *text* for translation in *context* and return it unchanged."""
    return text
