"""The Chinese catalogue is complete and up to date with the sources.

Every text the program marks for translation (``tr()``, ``QCoreApplication.translate``,
``QT_TRANSLATE_NOOP``) must be in ``cqms_zh_CN.ts`` with a Chinese translation, and the compiled
``.qm`` must be the one made from it. The ``cqms`` command line (context ``Cli``) is English
by design: it is the administrators' tool and its output goes into scripts and logs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cqms_desktop

pytestmark = pytest.mark.static

SOURCES = Path(cqms_desktop.__file__).parent
CATALOGUE = SOURCES / "resources" / "i18n" / "cqms_zh_CN.ts"
#: Contexts shown in English on purpose (see the module docstring).
ENGLISH_ONLY = {"Cli"}


def messages(path: Path) -> dict[tuple[str, str], str | None]:
    """(context, source) → translation (None: unfinished) of the live entries of a .ts."""
    found: dict[tuple[str, str], str | None] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else None
            if kind in ("obsolete", "vanished"):
                continue
            text = translation.text if translation is not None and kind != "unfinished" else None
            found[(name, message.findtext("source") or "")] = text or None
    return found


def lupdate() -> str:
    found = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("pyside6-lupdate is missing (it comes with PySide6-Essentials)")
    return found


def test_every_text_of_the_program_has_a_chinese_translation():
    missing = [
        f"{context}: {source!r}"
        for (context, source), text in messages(CATALOGUE).items()
        # lupdate also lists the context argument of translate(context, variable) calls
        # under an empty context; those are not texts.
        if context and context not in ENGLISH_ONLY and not text
    ]
    assert not missing, (
        "untranslated (run bash tools/update_translations.sh, then translate):\n"
        + "\n".join(missing)
    )


def test_the_catalogue_lists_every_text_in_the_sources(tmp_path):
    """A text added to the code and never brought into the catalogue would show in English."""
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in SOURCES.rglob("*.py"))
    subprocess.run(
        [lupdate(), "-silent", "-locations", "none", "-source-language", "en",
         "-target-language", "zh_CN", *files, "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    in_code = {key for key in messages(fresh) if key[0] and key[0] not in ENGLISH_ONLY}
    assert len(in_code) > 1000  # lupdate really read the sources
    catalogued = set(messages(CATALOGUE))
    assert not in_code - catalogued, "not in the catalogue: " + repr(sorted(in_code - catalogued))


def test_the_compiled_catalogue_is_made_from_the_translations():
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(CATALOGUE.with_suffix(".qm")))
    for (context, source), text in messages(CATALOGUE).items():
        if context and context not in ENGLISH_ONLY and text:
            assert translator.translate(context, source) == text, (context, source)
