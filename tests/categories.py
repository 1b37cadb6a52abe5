"""The defect categories the tests' complaints use, added to the managed list on demand
(a complaint's category must be a code of the list)."""

from __future__ import annotations

from cqms_desktop.services import defect_categories
from cqms_desktop.services.base import unit_of_work

#: (code, zh, en, de) of every category a test complaint uses.
TEST_CATEGORIES: list[tuple[str, str, str, str]] = [
    ("burr", "毛刺", "Burr", "Grat"),
    ("scratch", "划伤", "Scratch", "Kratzer"),
    ("crack", "裂纹", "Crack", "Riss"),
    ("thread", "螺纹", "Thread", "Gewinde"),
    ("dimension", "尺寸", "Dimension", "Maß"),
    ("surface", "表面划伤", "Surface scratch", "Oberflächenkratzer"),
]


def ensure_test_categories(*codes: str) -> None:
    """Add the test categories (those of *codes* only, when given) missing from the list."""
    rows = [r for r in TEST_CATEGORIES if not codes or r[0] in codes]
    with unit_of_work("defect_category"):
        defect_categories.ensure_categories("system", rows)
