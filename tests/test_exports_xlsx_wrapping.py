"""Long texts in the xlsx forms (issue #11, item 15): kept in as few cells as Excel's row
limit allows, pieces cut only between words, no word cut by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cqms_desktop.exports.forms import render_form
from cqms_desktop.exports.line_break import CANNOT_START
from cqms_desktop.exports.xlsx_layout import MAX_ROW_LINES, wrap_chunks, wrapped_lines
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Complaint
from tests.form_records import make_records
from tests.test_exports_pdf_breaking import GERMAN, LONG_ZH

LONG_DE = " ".join([GERMAN] * 40)


def test_pieces_of_a_long_text_end_between_words():
    chunks = wrap_chunks(LONG_DE, 20)
    assert len(chunks) >= 2
    assert " ".join(chunks).split() == LONG_DE.split()  # no word cut, nothing lost
    for chunk in chunks:
        assert len(wrapped_lines(chunk, 20)) <= MAX_ROW_LINES


def test_chinese_pieces_keep_the_line_start_rules():
    chunks = wrap_chunks(LONG_ZH * 3, 20)
    assert len(chunks) >= 2
    assert "".join(chunks) == LONG_ZH * 3
    for chunk in chunks:
        assert chunk[0] not in CANNOT_START
        for line in wrapped_lines(chunk, 20):
            assert line[0] not in CANNOT_START


def test_a_short_text_is_one_piece():
    assert wrap_chunks(GERMAN, 20) == [GERMAN]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_long_german_text_without_cutting_words(database, tmp_path):
    numbers = make_records(suffix="51")
    complaint = Complaint.get(Complaint.number == numbers.complaint)
    with write_transaction():
        audit.update(Complaint, complaint.id, "t", {"investigation": LONG_DE}, None)
    xlsx = render_form(kind="complaint", number=numbers.complaint, fmt="xlsx", lang="de")
    text = "\f".join(_lo_pages(xlsx, tmp_path, "form"))
    words = set(GERMAN.split())
    printed = [w for w in text.split() if w.rstrip(".,") in {x.rstrip(".,") for x in words}]
    assert len(printed) >= 40 * len(GERMAN.split())  # every word of the text printed whole
    # The department column prints "Qualitätssicherung" whole, as do the text's compounds.
    whole = {w.strip(".,()") for w in GERMAN.split()} | {"Qualitätssicherung"}
    fragments = [w for w in text.split() if "Qualitätssicher" in w and w.strip(".,()") not in whole]
    assert not fragments, fragments[:5]


def _lo_pages(xlsx: bytes, tmp_path: Path, name: str = "sig") -> list[str]:
    """The pages' text of *xlsx* as LibreOffice prints it (converted to PDF, then read)."""
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(xlsx)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(tmp_path / f"{name}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("repeat", [1, 3, 5, 6, 8, 9, 11, 12, 14, 16, 18, 21])
def test_xlsx_signature_block_is_whole_and_not_alone(database, tmp_path, repeat):
    numbers = make_records(suffix=f"6{repeat}", description=GERMAN * repeat)
    xlsx = render_form(kind="complaint", number=numbers.complaint, fmt="xlsx", lang="de")
    pages = _lo_pages(xlsx, tmp_path)
    last = pages[-1]
    assert "Unterschrift" in last
    assert all(role in last for role in ("Erstellt", "Geprüft", "Freigegeben")), last[-300:]
    # the last page carries some of the form (at least the last section) besides the header
    assert "Freigabe / Abschluss" in last, (len(pages), last[:300])
