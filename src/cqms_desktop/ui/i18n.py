"""The user interface language: choose it, and install the translators for it.

Two catalogues are installed for a language: ours
(``cqms_desktop/resources/i18n/cqms_<lang>.qm``, made by ``tools/update_translations.sh``)
and Qt's own ``qtbase_<lang>.qm`` so the standard buttons and dialogs (OK/Cancel, file
chooser) read 确定/取消 in Chinese.

The language is the one chosen in the settings dialog (stored per PC in ``QSettings``), else
the system locale: Chinese locales get ``zh_CN``, every other locale English.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from .. import paths
from ..services import defect_categories

log = logging.getLogger(__name__)

#: Language codes the program ships, with their names written in that language.
LANGUAGES: dict[str, str] = {"zh_CN": "中文（简体）", "en": "English"}
DEFAULT_LANGUAGE = "en"
#: QSettings key of the chosen language; empty or missing means "follow the system".
SETTINGS_KEY = "ui/language"

# Installed translators must stay referenced, or Python frees them while Qt still uses them.
_installed: list[QTranslator] = []


def enum_text(label: str) -> str:
    """The translated text of an enumeration label (``LabeledEnum.label``, context ``Enums``)."""
    return QCoreApplication.translate("Enums", label)


def normalize_language(name: str | None) -> str | None:
    """``zh_CN``/``en`` for a locale name such as ``zh_CN.UTF-8``, ``zh-Hans`` or ``en_US``;
    ``None`` for an empty name."""
    if not name:
        return None
    low = name.replace("-", "_").lower()
    if low.startswith("zh"):
        return "zh_CN"
    return DEFAULT_LANGUAGE


def saved_language() -> str | None:
    """The language chosen in the settings dialog, or ``None`` to follow the system."""
    value = QSettings().value(SETTINGS_KEY, "", type=str)
    return value if value in LANGUAGES else None


def save_language(language: str | None) -> None:
    """Remember *language* (or ``None``: follow the system); used from the next start on."""
    settings = QSettings()
    if language in LANGUAGES:
        settings.setValue(SETTINGS_KEY, language)
    else:
        settings.remove(SETTINGS_KEY)


def system_language() -> str:
    """The supported language closest to the system locale."""
    locale = QLocale.system()
    for name in (*locale.uiLanguages(), locale.name()):
        found = normalize_language(name)
        if found:
            return found
    return DEFAULT_LANGUAGE


def choose_language(override: str | None = None) -> str:
    """The language to use: *override* (``--lang``), else the saved choice, else the system's."""
    if override:
        found = override if override in LANGUAGES else normalize_language(override)
        if found:
            return found
    return saved_language() or system_language()


def remove_translators() -> None:
    """Uninstall the translators installed by :func:`install_translators`."""
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())
    # Without catalogues the program speaks English, and so do the defect categories' labels.
    defect_categories.set_display_language(DEFAULT_LANGUAGE)


def install_translators(language: str) -> list[str]:
    """Install our and Qt's catalogues for *language*; returns the files that were loaded.

    English needs no catalogue of ours (the source texts are English); a missing file is
    logged, never fatal: the program then shows English.
    """
    remove_translators()
    QLocale.setDefault(QLocale(language))
    # Lists and charts show the defect categories' labels in the same language.
    defect_categories.set_display_language(language)
    loaded: list[str] = []
    candidates = [
        (paths.resource_path("i18n"), f"cqms_{language}.qm"),
        (
            QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
            f"qtbase_{language}.qm",
        ),
    ]
    for folder, name in candidates:
        file = f"{folder}/{name}"
        translator = QTranslator()
        if translator.load(name, str(folder)):
            QCoreApplication.installTranslator(translator)
            _installed.append(translator)
            loaded.append(file)
        elif language != DEFAULT_LANGUAGE:
            log.warning("translation catalogue not found: %s", file)
    return loaded
