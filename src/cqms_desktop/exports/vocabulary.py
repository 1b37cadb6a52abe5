"""The glossary words the printed forms use, re-exported from :mod:`..domain.glossary`.

The glossary is plain data that the Excel import (``services``) reads too, and services may
not import ``exports``; it lives in the domain, and the form modules keep importing it from
here.
"""

from __future__ import annotations

from ..domain.glossary import (
    ENUM_TERMS,
    LANGUAGES,
    TERMS,
    check_language,
    enum_options,
    enum_term,
    term,
)

__all__ = [
    "ENUM_TERMS",
    "LANGUAGES",
    "TERMS",
    "check_language",
    "enum_options",
    "enum_term",
    "term",
]
