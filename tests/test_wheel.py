"""The wheel is self-contained (issue #9, item 1): installed outside the source tree and run
from another folder, it prints a German PDF form with its font embedded and opens in Chinese.

The wheel is built with ``pip wheel --no-deps`` and installed with ``pip install --no-deps
--target DIR``; the program then runs with ``PYTHONPATH=DIR`` only (not ``src/``), the shared
interpreter supplying the dependencies, so nothing is downloaded. Slow-ish (about 10 s: the
build and the demonstration data), so it runs with ``CI=true`` or ``CQMS_PACKAGING_TESTS=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.external import PACKAGING, require_program

ROOT = Path(__file__).resolve().parents[1]

pytestmark = PACKAGING


@dataclass
class Installed:
    """The wheel installed into ``target``; commands run in ``cwd`` with ``env``."""

    wheel: Path
    target: Path
    cwd: Path
    env: dict[str, str]
    db_url: str

    def python(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """``python ARGS`` with only the installed package on the path, in ``cwd``."""
        return subprocess.run(
            [sys.executable, *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )

    def cqms(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The admin command of the installed package on the test database."""
        return self.python("-m", "cqms_desktop.cli", "--db", self.db_url, *args)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the wheel, install it into a fresh folder, load demonstration data with it."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
         str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    (wheel,) = (tmp / "dist").glob("cqms_desktop-*.whl")
    target = tmp / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    cwd = tmp / "elsewhere"
    cwd.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "CQMS_RESOURCES", "CQMS_DB", "CQMS_MACHINE_SETTINGS")
    }
    env.update(
        PYTHONPATH=str(target),
        CQMS_DATA_DIR=str(tmp / "data"),
        QT_QPA_PLATFORM="offscreen",
        PYTHONIOENCODING="utf-8",
    )
    db_url = f"sqlite:///{(tmp / 'cqms.sqlite3').as_posix()}"
    result = Installed(wheel, target, cwd, env, db_url)
    for args in (("init",), ("demo",)):
        run = result.cqms(*args)
        assert run.returncode == 0, run.stdout + run.stderr
    return result


def test_wheel_carries_the_resources(installed: Installed) -> None:
    """The font and the compiled catalogues are package data in the wheel."""
    with zipfile.ZipFile(installed.wheel) as z:
        names = set(z.namelist())
    for name in (
        "cqms_desktop/resources/fonts/wqy-microhei.ttc",
        "cqms_desktop/resources/i18n/cqms_zh_CN.qm",
        "cqms_desktop/resources/i18n/cqms_zh_CN.ts",
    ):
        assert name in names


def test_installed_package_is_the_one_used(installed: Installed) -> None:
    """The program runs from the install folder, not from the source tree."""
    result = installed.python(
        "-c", "import cqms_desktop.paths as p; print(p.__file__); print(p.resources_dir())"
    )
    assert result.returncode == 0, result.stderr
    module, resources = result.stdout.splitlines()
    assert Path(module).is_relative_to(installed.target)
    assert Path(resources) == installed.target / "cqms_desktop" / "resources"


def test_german_pdf_form_embeds_its_font(installed: Installed) -> None:
    """``cqms export form complaint … --format pdf --lang de`` from another folder."""
    require_program("pdffonts", package="poppler-utils")
    listed = installed.cqms("list", "complaints", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    number = listed.stdout.lstrip("\ufeff").splitlines()[1].split(",")[0]
    pdf = installed.cwd / "form.pdf"
    result = installed.cqms(
        "export", "form", "complaint", number, "--format", "pdf", "--lang", "de", "-o", pdf.name
    )
    assert result.returncode == 0, result.stdout + result.stderr
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # "emb" column
    assert any("WenQuanYi" in line for line in fonts), fonts
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Reklamation" in text


def test_window_opens_in_chinese(installed: Installed) -> None:
    """``python -m cqms_desktop --screenshot x.png --lang zh_CN`` renders the window, and the
    installed package's loader finds its Chinese catalogue and translates with it."""
    shot = installed.cwd / "window.png"
    result = installed.python(
        "-m", "cqms_desktop", "--db", installed.db_url, "--screenshot", shot.name,
        "--lang", "zh_CN",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")
    code = (
        "from PySide6.QtCore import QCoreApplication\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from cqms_desktop.ui import i18n\n"
        "app = QApplication([])\n"
        "for f in i18n.install_translators('zh_CN'): print(f)\n"
        "print(QCoreApplication.translate('MainWindow', 'About CQMS Desktop'))\n"
    )
    result = installed.python("-c", code)
    assert result.returncode == 0, result.stderr
    *loaded, title = result.stdout.splitlines()
    ours = installed.target / "cqms_desktop" / "resources" / "i18n" / "cqms_zh_CN.qm"
    assert Path(loaded[0]) == ours
    assert title != "About CQMS Desktop" and any("\u4e00" <= c <= "\u9fff" for c in title)
