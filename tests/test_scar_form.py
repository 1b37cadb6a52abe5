"""Issue 13 item 1: the Supplier Corrective Action Request form — printed in the supplier's
language (zh/en/de) under its own controlled form code and revision, with the request, the
supplier's reply and QA's verification (read back from the PDF with pdftotext)."""

from __future__ import annotations

import subprocess

import pytest

from cqms_desktop.domain.settings import FORMS
from cqms_desktop.exports.forms import build_document, default_language, render_form
from cqms_desktop.store import settings as store_settings
from cqms_desktop.store.db import write_transaction
from tests.form_records import make_records


def _pdf_text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return " ".join(out.stdout.split())


def test_the_scar_form_has_its_own_controlled_code():
    codes = [code for code, _revision in FORMS.values()]
    assert FORMS["scar"][0] not in [c for k, (c, _r) in FORMS.items() if k != "scar"]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "zh",
            ["供应商纠正措施要求单", "根本原因", "纠正措施", "回复期限", "验证结果", "围堵措施"],
        ),
        (
            "en",
            ["Supplier Corrective Action Request", "Root cause", "Reply due by", "Containment"],
        ),
        ("de", ["Lieferanten-Korrekturmaßnahmenanforderung", "Grundursache", "Wirksam ab"]),
    ],
)
def test_the_scar_form_prints_every_part_in_the_suppliers_language(database, tmp_path, lang, words):
    numbers = make_records(language=lang)
    with write_transaction():
        store_settings.put("form_revision_scar", "B/1")
    assert default_language(kind="scar", number=numbers.scar) == lang  # the supplier's
    text = _pdf_text(
        render_form(kind="scar", number=numbers.scar, fmt="pdf", lang=None), tmp_path, lang
    )
    for word in words:
        assert word in text, (word, text[:400])
    for value in (
        numbers.scar,
        numbers.complaint,
        "QR-0701-08",
        "B/1",
        "S-1",
        "L-2603-11",
        "27.03.2026" if lang == "de" else "2026-03-27",  # the reply due date
        "热处理时间不足",
        "调整炉温曲线",
        "连续三批弹簧力合格",
        "立即隔离库存",
    ):
        assert value in text, (value, lang)
    assert render_form(kind="scar", number=numbers.scar, fmt="xlsx", lang=lang)[:2] == b"PK"


def test_the_blank_scar_form(database):
    doc = build_document(kind="scar", number=None, lang="en", blank=True)
    assert doc.title == "Supplier Corrective Action Request" and doc.form_code == "QR-0701-08"
