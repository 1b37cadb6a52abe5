"""The Windows installer, built here and tried under Wine (issue #9, item 2).

``bash tools/build-windows.sh`` builds ``CQMS-Desktop-<version>-setup.exe``; it is installed
silently with a preset database into a fresh Wine prefix, and the installed ``cqms`` command
runs there: ``init``, ``demo``, a German PDF form (font embedded), a CSV register redirected to a
file, a UNC database URL. Then an upgrade in place and the uninstaller.

Slow (about 3 minutes: the build compresses ~130 MiB), so it runs only with ``CI=true`` or
``CQMS_PACKAGING_TESTS=1`` (``tools/test.sh`` runs it once, not in the suite's clock re-runs).

Not tested, because it cannot be here: the window. Qt 6's QtCore imports ``icuuc.dll``, the ICU
that Windows 10 (1903) and later ship in System32; Wine 8 has no such DLL, so even
``import PySide6.QtCore`` fails under Wine — ``test_qt_needs_windows_icu`` checks exactly that,
so that this module is revisited when a Wine that has it comes along.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.external import PACKAGING, require_program

ROOT = Path(__file__).resolve().parents[1]
INSTALL_DIR = r"C:\Program Files\CQMS Desktop"
# A folder with a space and Chinese characters: the office's real folder names look like that.
DB_DIR = "cqms 数据"
DB_URL = f"sqlite:///C:/{DB_DIR}/cqms.sqlite3"

pytestmark = PACKAGING


@dataclass
class Wine:
    """A fresh Wine prefix with CQMS Desktop installed in it."""

    env: dict[str, str]
    prefix: Path
    setup: Path
    build_seconds: float

    def c_drive(self, windows_path: str) -> Path:
        """The Linux path of ``C:\\…`` in the prefix."""
        assert windows_path[:3].upper() == "C:\\"
        return self.prefix / "drive_c" / windows_path[3:].replace("\\", "/")

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a Windows program under Wine. Standard input must be a file: without one the
        Windows Python cannot set up its standard streams under Wine."""
        return subprocess.run(
            ["wine", *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )

    def cqms(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``cqms ARGS`` through cmd.exe, the install folder on PATH (WINEPATH), as IT types it;
        ``">", FILE`` redirects the output. (Wine quotes each argument that has a space.)"""
        return self.run("cmd", "/c", "cqms", *args)


def _build_wheel(build_dir: Path) -> Path:
    """``pip wheel .``; the wheel must carry the fonts and catalogues as package data (else
    the installed program could not print or show Chinese: this fails, it does not skip)."""
    out = build_dir / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("cqms_desktop-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    for folder in ("cqms_desktop/resources/fonts/", "cqms_desktop/resources/i18n/"):
        assert any(n.startswith(folder) for n in names), f"the wheel has no {folder}"
    return wheel


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    """Build the installer, install it silently with ``/DB=`` into a fresh Wine prefix."""
    import time

    require_program("makensis", package="nsis")
    require_program("wine", package="wine")
    tmp = tmp_path_factory.mktemp("windows")
    build_dir = tmp / "build"
    wheel = _build_wheel(build_dir)
    started = time.monotonic()
    subprocess.run(
        ["bash", str(ROOT / "tools" / "build-windows.sh"), "--build-dir", str(build_dir),
         "--dist", str(tmp / "dist"), "--wheel", str(wheel)],
        check=True,
        env={**os.environ, "PYTHON": sys.executable},
        timeout=900,
    )  # fmt: skip
    build_seconds = time.monotonic() - started
    (setup,) = (tmp / "dist").glob("CQMS-Desktop-*-setup.exe")
    prefix = tmp / "prefix"
    env = {
        **os.environ,
        "WINEPREFIX": str(prefix),
        "WINEDEBUG": "-all",
        # No Mono or Gecko (they would be downloaded): nothing here uses .NET or HTML.
        "WINEDLLOVERRIDES": "mscoree,mshtml=",
        "WINEARCH": "win64",
        "WINEPATH": INSTALL_DIR,
    }
    env.pop("DISPLAY", None)  # no window may open (and none is needed)
    env.pop("CQMS_DB", None)
    env.pop("CQMS_RESOURCES", None)
    w = Wine(env=env, prefix=prefix, setup=setup, build_seconds=build_seconds)
    try:
        subprocess.run(["wineboot", "-i"], env=env, check=True, capture_output=True, timeout=300)
        w.c_drive("C:\\" + DB_DIR).mkdir()
        installed = w.run(str(setup), "/S", f"/DB={DB_URL}")
        assert installed.returncode == 0, installed.stderr
        for command in ("init", "demo --scale 1"):
            result = w.cqms("--db", DB_URL, *command.split())
            assert result.returncode == 0, result.stdout + result.stderr
        yield w
    finally:
        subprocess.run(["wineserver", "-k"], env=env, capture_output=True, timeout=60)


def test_installed_layout_and_preset_database(wine: Wine) -> None:
    """Program files under Program Files, the shortcut, and the preset database written as
    UTF-8 to %ProgramData%\\CQMS\\cqms.ini; the installer's size is in the expected range."""
    size_mib = wine.setup.stat().st_size / 2**20
    print(f"installer {wine.setup.name}: {size_mib:.1f} MiB, built in {wine.build_seconds:.0f} s")
    assert 20 < size_mib < 80
    for name in ("cqms.cmd", "cqms.ico", "uninstall.exe", r"python\pythonw.exe"):
        assert wine.c_drive(INSTALL_DIR + "\\" + name).is_file(), name
    site = wine.c_drive(INSTALL_DIR + r"\python\Lib\site-packages\PySide6")
    assert (site / "QtCharts.pyd").exists() and (site / "QtPdf.pyd").exists()
    for dropped in ("QtQml.pyd", "QtQuick.pyd", "QtWebEngineCore.pyd", "Qt6Qml.dll", "qml"):
        assert not (site / dropped).exists(), dropped
    shortcuts = list(wine.prefix.glob("drive_c/ProgramData/Microsoft/Windows/Start Menu/**/*.lnk"))
    assert [p.name for p in shortcuts] == ["CQMS Desktop.lnk"]
    ini = wine.c_drive(r"C:\ProgramData\CQMS\cqms.ini").read_bytes().decode("utf-8")
    assert f"[database]\r\nurl={DB_URL}\r\n" in ini


def _complaints_csv(wine: Wine) -> bytes:
    """``cqms list complaints --format csv`` redirected to a file by cmd.exe, as bytes."""
    csv_path = rf"C:\{DB_DIR}\complaints.csv"
    result = wine.cqms("--db", DB_URL, "list", "complaints", "--format", "csv", ">", csv_path)
    assert result.returncode == 0, result.stderr
    return wine.c_drive(csv_path).read_bytes()


def test_csv_register_redirected_to_a_file(wine: Wine) -> None:
    """The complaints register as CSV redirected to a file (after the fixture's ``init`` and
    ``demo``): valid UTF-8, Chinese intact."""
    data = _complaints_csv(wine)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and rows[0]["number"].startswith("CC-")
    # The demo's customers include Chinese company names; under cp1252 or cp936 they would be
    # lost or garbled.
    assert any("有限公司" in row["customer"] for row in rows)


def test_csv_has_a_byte_order_mark(wine: Wine) -> None:
    """Excel opens a UTF-8 CSV with Chinese intact only with a byte-order mark (the CLI's
    output side of issue #9: the pkg branch)."""
    assert _complaints_csv(wine).startswith(b"\xef\xbb\xbf")


def test_german_pdf_form_with_embedded_font(wine: Wine) -> None:
    """A German complaint form printed by the installed ``cqms``, its font embedded."""
    number = "CC-2024-0001"
    for row in csv.DictReader(io.StringIO(_complaints_csv(wine).decode("utf-8-sig"))):
        number = row["number"]
        break
    pdf_path = rf"C:\{DB_DIR}\{number}.pdf"
    result = wine.cqms(
        "--db", DB_URL, "export", "form", "complaint", number, "--format", "pdf", "--lang", "de",
        "-o", pdf_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    fonts = subprocess.run(
        ["pdffonts", str(wine.c_drive(pdf_path))], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # "emb" column
    text = subprocess.run(
        ["pdftotext", str(wine.c_drive(pdf_path)), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Reklamation" in text


def test_preset_database_is_used_without_db(wine: Wine) -> None:
    """``cqms`` without ``--db`` uses the database the installer preset in cqms.ini (reading
    cqms.ini is the pkg branch's part of issue #9)."""
    result = wine.cqms("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_unc_database_url_is_a_network_path(wine: Wine) -> None:
    """``sqlite://///server/share/file`` names the UNC path ``\\\\server\\share\\file``, not a
    local ``C:\\server\\share\\file``. There is no server here: the command fails, naming it."""
    result = wine.cqms("--db", "sqlite://///fileserver/qa/cqms.sqlite3", "check")
    assert result.returncode != 0
    assert r"\\fileserver\qa\cqms.sqlite3" in result.stdout + result.stderr
    assert not wine.c_drive(r"C:\fileserver").exists()


def test_windows_binary_wheels_load(wine: Wine) -> None:
    """The Windows builds of the compiled dependencies load in the bundled Python: psycopg's
    own libpq (not the pure-Python fallback), argon2, Pillow, and tzdata for zoneinfo (Windows
    has no time-zone database of its own), and keyring's Windows Credential Manager backend
    (where the SMTP password is kept; it needs pywin32-ctypes)."""
    python = INSTALL_DIR + r"\python\python.exe"
    code = (
        "import argon2, keyring, openpyxl, PIL._imaging, psycopg, pymysql, reportlab, zoneinfo; "
        "print(psycopg.pq.__impl__, zoneinfo.ZoneInfo('Asia/Shanghai'), "
        "argon2.PasswordHasher().hash('x')[:10], type(keyring.get_keyring()).__name__)"
    )
    result = wine.run(python, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["binary", "Asia/Shanghai", "$argon2id$", "WinVaultKeyring"]


def test_qt_needs_windows_icu(wine: Wine) -> None:
    """Why the window is not tested: Qt's Core DLL imports Windows' icuuc.dll, which Wine lacks.
    If this fails, Wine can load Qt now and a GUI test (``--screenshot``) belongs here."""
    python = INSTALL_DIR + r"\python\python.exe"
    env = {**wine.env, "WINEDEBUG": "err+module"}
    result = subprocess.run(
        ["wine", python, "-c", "import PySide6.QtCore"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    assert result.returncode != 0
    assert "icuuc.dll" in result.stderr


def test_refusals_change_nothing(wine: Wine) -> None:
    """A non-ASCII install folder and a malformed /DB= are refused (exit code 2), and the
    installed program and cqms.ini stay as they were."""
    ini = wine.c_drive(r"C:\ProgramData\CQMS\cqms.ini")
    before = ini.read_bytes()
    assert wine.run(str(wine.setup), "/S", r"/D=C:\程序\CQMS").returncode == 2
    assert not wine.c_drive(r"C:\程序").exists()
    assert wine.run(str(wine.setup), "/S", "/DB=ftp://server/cqms").returncode == 2
    assert ini.read_bytes() == before
    # The daily reminders' time must be a time of day.
    for bad in ("/REMIND=25:00", "/REMIND=7:30", "/REMIND=noon"):
        assert wine.run(str(wine.setup), "/S", bad).returncode == 2, bad
    assert ini.read_bytes() == before


def test_the_daily_reminders_task_is_registered_and_removed() -> None:
    """The installer registers `cqms remind` with the Task Scheduler (daily, as SYSTEM, on the
    preset database), unless /NOREMIND; the uninstaller deletes the task. Wine's schtasks
    cannot create tasks (it exits 1), so under Wine only the installer's command line can be
    checked, and that a refused registration does not fail the install (below)."""
    script = (ROOT / "packaging" / "windows" / "cqms.nsi").read_text(encoding="utf-8")
    create = next(line for line in script.splitlines() if "schtasks /Create" in line)
    for part in ('/TN "${REMIND_TASK}"', "/SC DAILY", "/ST $RemindAt", "/RU SYSTEM", "/F",
                 '/TR "\\"$INSTDIR\\cqms.cmd\\" remind"'):  # fmt: skip
        assert part in create, part
    assert '!define REMIND_TASK "CQMS Desktop\\Daily reminders"' in script
    assert 'schtasks /Delete /TN "${REMIND_TASK}" /F' in script
    assert (
        '${GetOptions} $R0 "/NOREMIND" $R1' in script and "SectionSetFlags ${SecRemind} 0" in script
    )


def test_an_install_goes_on_when_the_task_scheduler_refuses(wine: Wine) -> None:
    """Under Wine, schtasks refuses to create the task: the install still succeeds (the
    message is skipped in /S mode) with the time asked for, and with /NOREMIND."""
    assert wine.run(str(wine.setup), "/S", "/REMIND=06:45").returncode == 0
    assert wine.run(str(wine.setup), "/S", "/NOREMIND").returncode == 0
    assert wine.c_drive(INSTALL_DIR + r"\cqms.cmd").exists()


def test_upgrade_in_place_then_uninstall_keeps_data(wine: Wine) -> None:
    """Installing again (no /DB=) upgrades in place and keeps cqms.ini; the uninstaller removes
    the program and keeps the database and cqms.ini."""
    ini = wine.c_drive(r"C:\ProgramData\CQMS\cqms.ini")
    before = ini.read_bytes()
    assert wine.run(str(wine.setup), "/S").returncode == 0
    assert ini.read_bytes() == before
    result = wine.cqms("--db", DB_URL, "check")
    assert result.returncode == 0, result.stdout + result.stderr

    # _?= makes the uninstaller run in place and wait (else it copies itself and returns).
    uninstaller = INSTALL_DIR + r"\uninstall.exe"
    assert wine.run(uninstaller, "/S", f"_?={INSTALL_DIR}").returncode == 0
    assert not wine.c_drive(INSTALL_DIR + r"\python").exists()
    assert not wine.c_drive(INSTALL_DIR + r"\cqms.cmd").exists()
    assert not list(wine.prefix.glob("drive_c/ProgramData/Microsoft/Windows/Start Menu/**/*.lnk"))
    assert ini.read_bytes() == before
    assert wine.c_drive(rf"C:\{DB_DIR}\cqms.sqlite3").exists()
    # Install again for the module's other tests, which run in a random order.
    assert wine.run(str(wine.setup), "/S").returncode == 0
