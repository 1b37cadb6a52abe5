"""The one-folder Linux build (issue #9, item 3): ``bash tools/build-linux.sh`` (PyInstaller,
``packaging/cqms-desktop.spec``) makes ``dist/cqms-desktop/`` whose ``cqms`` prints a PDF form
with its font embedded and whose ``cqms-desktop`` renders the window in Chinese, run from
another folder with no Python environment of ours around.

Slow (1–2 minutes: PyInstaller installed into a venv under tmp, then the build), so it runs with
``CI=true`` or ``CQMS_PACKAGING_TESTS=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.external import PACKAGING, require_program

ROOT = Path(__file__).resolve().parents[1]

pytestmark = PACKAGING


@dataclass
class Build:
    """The built folder and a place to run it from."""

    folder: Path
    cwd: Path
    env: dict[str, str]
    db_url: str
    seconds: float

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``program`` of the build in ``cwd``."""
        return subprocess.run(
            [str(self.folder / program), *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=180,
        )

    def cqms(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The frozen ``cqms`` on the test database."""
        return self.run("cqms", "--db", self.db_url, *args)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build into tmp and load demonstration data with the frozen ``cqms``."""
    tmp = tmp_path_factory.mktemp("linux-build")
    started = time.monotonic()
    subprocess.run(
        ["bash", str(ROOT / "tools" / "build-linux.sh"), "--dist", str(tmp / "dist"),
         "--work", str(tmp / "work")],
        check=True,
        env={**os.environ, "PYTHON": sys.executable, "PYI_VENV": str(tmp / "venv")},
        timeout=900,
    )  # fmt: skip
    seconds = time.monotonic() - started
    cwd = tmp / "elsewhere"
    cwd.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV"))
        and k not in ("CQMS_RESOURCES", "CQMS_DB", "CQMS_MACHINE_SETTINGS")
    }
    env.update(QT_QPA_PLATFORM="offscreen", CQMS_DATA_DIR=str(tmp / "data"))
    result = Build(
        tmp / "dist" / "cqms-desktop", cwd, env, f"sqlite:///{tmp}/cqms.sqlite3", seconds
    )
    for args in (("init",), ("demo",)):
        run = result.cqms(*args)
        assert run.returncode == 0, run.stdout + run.stderr
    return result


def test_only_the_qt_modules_in_use_are_bundled(build: Build) -> None:
    size = sum(f.stat().st_size for f in build.folder.rglob("*") if f.is_file())
    print(f"linux build: {build.seconds:.0f} s, {size / 2**20:.0f} MiB")
    qt_libs = {p.name.split(".so")[0] for p in build.folder.rglob("libQt6*.so*")}
    assert {"libQt6Core", "libQt6Gui", "libQt6Widgets", "libQt6Charts", "libQt6Pdf"} <= qt_libs
    unwanted = ("Qml", "Quick", "WebEngine", "VirtualKeyboard", "3D", "Multimedia", "Designer")
    assert not [lib for lib in qt_libs if any(u in lib for u in unwanted)], sorted(qt_libs)


@pytest.mark.parametrize(("lang", "word"), [("de", "Reklamation"), ("zh", "顾客抱怨")])
def test_pdf_form_with_embedded_font(build: Build, lang: str, word: str) -> None:
    require_program("pdffonts", package="poppler-utils")
    listed = build.cqms("list", "complaints", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    number = listed.stdout.lstrip("\ufeff").splitlines()[1].split(",")[0]
    pdf = build.cwd / f"form-{lang}.pdf"
    result = build.cqms(
        "export", "form", "complaint", number, "--format", "pdf", "--lang", lang, "-o", pdf.name
    )
    assert result.returncode == 0, result.stdout + result.stderr
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert word in text


def test_the_public_holidays_load_with_their_chinese_names(build: Build) -> None:
    """The holidays library loads its China calendar by name and names the days from its
    gettext catalogue: both must be in the build."""
    loaded = build.cqms("calendar", "load-holidays", "--year", "2026")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    listed = build.cqms("calendar", "list", "--year", "2026")
    assert "2026-10-01\tThu\tclosed\tpublic\t国庆节" in listed.stdout.splitlines()
    assert "2026-09-20\tSun\tworking\tpublic" in listed.stdout


def test_window_renders_in_chinese(build: Build) -> None:
    """The window renders; in Chinese it differs from English (a frozen program that did not
    find its catalogue would show English both times)."""
    shots = {}
    for lang in ("zh_CN", "en"):
        shot = build.cwd / f"window-{lang}.png"
        result = build.run(
            "cqms-desktop", "--db", build.db_url, "--screenshot", shot.name, "--lang", lang
        )
        assert result.returncode == 0, result.stdout + result.stderr
        shots[lang] = shot.read_bytes()
        assert shots[lang].startswith(b"\x89PNG")
    assert shots["zh_CN"] != shots["en"]
    catalogue = build.folder / "_internal" / "cqms_desktop" / "resources" / "i18n"
    assert (catalogue / "cqms_zh_CN.qm").is_file()
