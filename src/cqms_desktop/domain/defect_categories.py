"""The managed defect-category list as plain data: a category's code and its zh/en/de labels,
which label a reader sees, and which category a typed or imported text names.

A complaint stores the category's *code*. Lists, charts and forms show the label in the
reader's language; a text names a category when it equals its code or any of its labels,
compared as keys (:func:`.keys.fold_key`: without case, accents and width), so a legacy
"Thread", "thread" and "螺纹" all find the one category whose labels they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .keys import fold_key

#: The label languages, in the order the forms know them.
LABEL_LANGUAGES: tuple[str, ...] = ("zh", "en", "de")


def label_language(language: str | None) -> str:
    """The label language for a UI or form language: ``zh_CN`` → ``zh``, ``de_DE`` → ``de``,
    anything else → ``en``."""
    code = (language or "").strip().lower()[:2]
    return code if code in LABEL_LANGUAGES else "en"


@dataclass(frozen=True, slots=True)
class Category:
    """One defect category: the stored code, its labels by language, whether it is offered."""

    code: str
    labels: Mapping[str, str] = field(default_factory=dict)
    active: bool = True

    def label(self, language: str | None) -> str:
        """The label in *language*; else the English, Chinese or German one; else the code."""
        wanted = label_language(language)
        for lang in (wanted, "en", "zh", "de"):
            text = (self.labels.get(lang) or "").strip()
            if text:
                return text
        return self.code

    def names(self) -> tuple[str, ...]:
        """The code and every non-empty label: the texts that name this category."""
        return (self.code, *(t for t in self.labels.values() if t and t.strip()))


class Catalogue:
    """The categories, found by code or by any label (as keys)."""

    def __init__(self, categories: Iterable[Category]) -> None:
        self.categories: list[Category] = list(categories)
        self._by_code = {c.code: c for c in self.categories}
        self._by_key: dict[str, Category] = {}
        # Codes first: a code wins over another category's label that folds the same.
        for category in self.categories:
            self._by_key.setdefault(fold_key(category.code), category)
        for category in self.categories:
            for name in category.names():
                self._by_key.setdefault(fold_key(name), category)

    def find(self, text: str | None) -> Category | None:
        """The category *text* names (its code or a label, without case or accents)."""
        if not text or not text.strip():
            return None
        return self._by_code.get(text) or self._by_key.get(fold_key(text))

    def label(self, code: str | None, language: str | None) -> str:
        """What to show for a stored *code*: its label in *language*, or the text itself when
        no category has it (a legacy value nobody mapped yet)."""
        if not code:
            return ""
        category = self.find(code)
        return category.label(language) if category is not None else code


def clashing_name(names: Iterable[str], others: Iterable[Category]) -> tuple[str, Category] | None:
    """The first of *names* that folds like the code or a label of one of *others* (which
    would make a typed or imported text ambiguous), with that category; else ``None``."""
    taken: dict[str, Category] = {}
    for other in others:
        for name in other.names():
            taken.setdefault(fold_key(name), other)
    for name in names:
        if name and name.strip() and fold_key(name) in taken:
            return name, taken[fold_key(name)]
    return None
