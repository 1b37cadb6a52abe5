"""``cqms`` on any console encoding (issue #9): list output is UTF-8 (CSV with a byte-order
mark) whatever the code page, and messages never crash on a character it cannot hold.

Each case runs ``cqms`` in a subprocess with ``PYTHONIOENCODING`` set to a Windows code page
(cp1252: Western Europe; cp936: simplified Chinese) and its output redirected to a file, as
``cqms list complaints --format csv > c.csv`` does on an office PC.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENCODINGS = ["cp1252", "cp936"]


def cqms(tmp: Path, encoding: str, *args: str, stdout: Path | None = None):
    """Run ``cqms ARGS`` with the console encoding *encoding*; stdout to the file *stdout*."""
    env = {k: v for k, v in os.environ.items() if k not in ("CQMS_DB", "PYTHONUTF8")}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        PYTHONIOENCODING=encoding,
        CQMS_DATA_DIR=str(tmp / "data"),
        CQMS_MACHINE_SETTINGS=str(tmp / "no-machine-settings.ini"),
    )
    with open(stdout or os.devnull, "wb") as out:
        result = subprocess.run(
            [sys.executable, "-m", "cqms_desktop.cli", *args],
            stdout=out,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp,
            timeout=180,
        )
    return result.returncode, result.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A demonstration database made by ``cqms init`` and ``cqms demo`` on a cp1252 console
    (``demo`` prints the Chinese names of the accounts it made: it crashed there)."""
    tmp = tmp_path_factory.mktemp("encoding")
    url = f"sqlite:///{(tmp / 'cqms.sqlite3').as_posix()}"
    for args in (("init",), ("demo",)):
        printed = tmp / f"{args[0]}.txt"
        code, err = cqms(tmp, "cp1252", "--db", url, *args, stdout=printed)
        assert code == 0, err.decode("cp1252", "replace")
    assert b"\\u" in (tmp / "demo.txt").read_bytes()  # escaped, not crashed or replaced
    return tmp, url


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_csv_redirected_is_utf8_with_bom(demo, encoding):
    tmp, url = demo
    out = tmp / f"complaints-{encoding}.csv"
    code, err = cqms(tmp, encoding, "--db", url, "list", "complaints", "--format", "csv",
                     stdout=out)  # fmt: skip
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and any(_has_chinese(row["customer"]) for row in rows)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_redirected_is_utf8(demo, encoding):
    tmp, url = demo
    out = tmp / f"customers-{encoding}.json"
    code, err = cqms(tmp, encoding, "--db", url, "list", "complaints", stdout=out)
    assert code == 0, err
    rows = json.loads(out.read_bytes().decode("utf-8"))  # strict: no BOM, no GBK
    assert any(_has_chinese(row["customer"]) for row in rows)


@pytest.mark.parametrize(("fmt", "bom"), [("csv", True), ("json", False)])
def test_output_file_option(demo, fmt, bom):
    tmp, url = demo
    out = tmp / "输出 目录" / f"complaints.{fmt}"
    out.parent.mkdir(exist_ok=True)
    code, err = cqms(tmp, "cp1252", "--db", url, "list", "complaints", "--format", fmt,
                     "-o", str(out))  # fmt: skip
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") is bom
    assert _has_chinese(data.decode("utf-8-sig"))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_error_message_with_chinese_path_does_not_crash(demo, encoding):
    tmp, _url = demo
    missing = tmp / "质量部" / "cqms.sqlite3"
    code, err = cqms(tmp, encoding, "--db", f"sqlite:///{missing.as_posix()}", "check")
    assert code == 2
    message = err.decode(encoding)
    assert message.startswith("cqms: error: ") and "Traceback" not in message
    shown = "质量部" if encoding == "cp936" else "\\u8d28\\u91cf\\u90e8"
    assert shown in message
