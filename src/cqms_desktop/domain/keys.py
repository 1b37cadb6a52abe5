"""When two codes or names count as the same key: ``RT.user`` = ``rt.user``, ``PN-Ä1`` = ``PN-A1``.

Customer codes, part numbers and user names are unique. The three backends disagree on what
"the same" means: SQLite and PostgreSQL compare bytes, MariaDB's ``utf8mb4_unicode_ci``
ignores case and accents. Keys that only MariaDB thinks equal made a move from SQLite to
MariaDB fail (issue #15), and ``rt.user`` beside ``RT.user`` confuses people anyway. So the
services apply one rule on every backend, the strictest: keys are compared after
:func:`fold_key`, and a new key that folds like an existing one is refused.
"""

from __future__ import annotations

import unicodedata


def fold_key(text: str) -> str:
    """*text* without case, accents and compatibility forms, for comparing keys only:
    ``fold_key("PN-Ä1") == fold_key("pn-a1")``, ``fold_key("ＡＢＣ") == "abc"``."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
