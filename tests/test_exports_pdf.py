"""The printed forms as PDF: text, fonts, languages, long records over several pages.

The PDFs are checked with the poppler tools users' PCs and printers see the same way:
``pdftotext`` for what is written, ``pdffonts`` for which fonts are embedded.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from cqms_desktop.exports.forms import KINDS, render_form
from cqms_desktop.exports.vocabulary import LANGUAGES, term
from cqms_desktop.store import settings as store_settings
from cqms_desktop.store.db import write_transaction
from tests.form_records import CUSTOMER_NAME, make_records, party_name

#: Text of each record that its form must show (short enough not to be wrapped).
CONTENT = {
    "complaint": ["包装隔板磨损", "改用带缓冲的新型包装隔板", "NCR-2026-031", "L20260215-03"],
    "visit": ["要求改进包装防锈", "质保部评估防锈包装方案", "已安排评估"],
    "feedback": ["已转质保部按顾客抱怨处理", "Herr Müller"],
    "survey": ["交货及时", "Frau Schäfer"],
    "service": ["SP-0815", "DN-2026-0402"],
    "scar": ["L-2603-11", "热处理时间不足。", "连续三批弹簧力合格。"],
}
#: A section title of each form (vocabulary key) that must be printed in the form's language.
SECTION = {
    "complaint": "sec.longterm",
    "visit": "sec.circulation",
    "feedback": "sec.result",
    "survey": "sec.scores",
    "service": "sec.spare_parts",
    "scar": "sec.scar_reply",
}


def squeeze(text: str) -> str:
    """Text without white space: pdftotext may break or space out wrapped lines."""
    return "".join(text.split())


def pdf_text(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """``pdffonts`` as rows: name, type and whether embedded."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    rows = []
    for line in out[2:]:  # two heading lines
        parts = line.split()
        # name type... encoding emb sub uni object ID: read from the right
        rows.append({"name": parts[0], "emb": parts[-5], "line": line})
    return rows


def page_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


@pytest.fixture
def records(database):
    return make_records()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_form_shows_number_customer_title_and_contents(records, tmp_path, kind, lang):
    number = getattr(records, kind)
    pdf = render_form(kind=kind, number=number, fmt="pdf", lang=lang)
    assert pdf.startswith(b"%PDF")
    text = squeeze(pdf_text(pdf, tmp_path))
    assert number in text
    assert party_name(kind) in text
    title_key = "form.service" if kind == "service" else f"form.{kind}"
    assert squeeze(term(title_key, lang)) in text
    assert squeeze(term(SECTION[kind], lang)) in text
    for content in CONTENT[kind]:
        assert squeeze(content) in text, content
    assert (
        squeeze(term("page_x_of_y", lang).format(page=1, pages=page_count(pdf, tmp_path))) in text
    )


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_embedded_form_font_is_used(records, tmp_path, kind):
    pdf = render_form(kind=kind, number=getattr(records, kind), fmt="pdf", lang="de")
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts, "pdffonts lists no font"
    assert all(f["emb"] == "yes" for f in fonts), [f["line"] for f in fonts]
    assert any("WenQuanYiMicroHei" in f["name"] for f in fonts)
    # ReportLab starts every page in Helvetica unless told otherwise; it must not be there.
    assert not any("Helvetica" in f["name"] for f in fonts)


def test_german_umlauts_and_markup_characters_come_out_right(database, tmp_path):
    numbers = make_records(
        suffix="7",
        language="de",
        customer_name="Müller & Söhne <Präzision> GmbH",
        description="Gehäuse mit Kratzern; Maße außerhalb der Toleranz. Ø 12 mm ± 0,05 & mehr",
    )
    pdf = render_form(kind="complaint", number=numbers.complaint, fmt="pdf", lang="de")
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "Müller & Söhne <Präzision> GmbH",
        "Gehäuse mit Kratzern; Maße außerhalb der Toleranz.",
        "Reklamationsbearbeitungsbericht",
        "Dauerhafte Abstellmaßnahmen",
        "Rückmeldungsnummer",
        "Freigegeben",
    ):
        assert squeeze(expected) in squeeze(text), expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_very_long_text_runs_over_pages_with_page_x_of_y(database, tmp_path, lang):
    long_text = "顾客反映产品表面划伤严重，尺寸超差，装配困难。" * 400 + "结束标记END"
    numbers = make_records(suffix="9", description=long_text)
    pdf = render_form(kind="complaint", number=numbers.complaint, fmt="pdf", lang=lang)
    pages = page_count(pdf, tmp_path)
    assert pages >= 4
    for page in range(1, pages + 1):
        text = squeeze(pdf_text(pdf, tmp_path, page))
        assert squeeze(term("page_x_of_y", lang).format(page=page, pages=pages)) in text
        # the controlled header is on every page
        assert numbers.complaint in text
    assert "结束标记END" in squeeze(pdf_text(pdf, tmp_path))


def test_form_code_revision_and_company_come_from_settings(records, tmp_path):
    with write_transaction():
        store_settings.put("form_code_complaint", "QR-TEST-99")
        store_settings.put("form_revision_complaint", "B/2")
        store_settings.put("company_name", "Yongcheng Präzision Co., Ltd.")
    pdf = render_form(kind="complaint", number=records.complaint, fmt="pdf", lang="en")
    text = squeeze(pdf_text(pdf, tmp_path))
    assert "Formcode:QR-TEST-99" in text
    assert "Revision:B/2" in text
    assert "YongchengPräzisionCo.,Ltd." in text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_blank_forms_have_the_layout_and_no_record(database, tmp_path, kind, lang):
    pdf = render_form(kind=kind, number=None, fmt="pdf", lang=lang, blank=True)
    text = pdf_text(pdf, tmp_path)
    title_key = "form.service" if kind == "service" else f"form.{kind}"
    assert squeeze(term(title_key, lang)) in squeeze(text)
    assert squeeze(term("prepared_by", lang)) in squeeze(text)
    assert CUSTOMER_NAME not in text
    assert "■" not in text  # every box empty, ready to tick by hand
    if kind not in ("visit", "scar"):  # these forms have nothing to tick
        assert "□" in text
    fonts = pdf_fonts(pdf, tmp_path)
    assert all(f["emb"] == "yes" for f in fonts)


def test_blank_service_form_offers_every_part(database, tmp_path):
    text = squeeze(
        pdf_text(
            render_form(kind="service", number=None, fmt="pdf", lang="en", blank=True), tmp_path
        )
    )
    for key in ("sec.instructions", "sec.spare_parts", "delivery_note", "agreed_on"):
        assert squeeze(term(key, "en")) in text


def test_returned_survey_ticks_the_customers_scores(records, tmp_path):
    text = pdf_text(
        render_form(kind="survey", number=records.survey, fmt="pdf", lang="en"), tmp_path
    )
    # quality 4, service 5, price 3, delivery 4: one filled box per item
    assert text.count("■") == 4
    assert "4.00" in text  # overall score


def test_survey_uses_the_configured_scale(records, tmp_path):
    with write_transaction():
        store_settings.put("survey_scale_min", 1)
        store_settings.put("survey_scale_max", 10)
    text = pdf_text(
        render_form(kind="survey", number=records.survey, fmt="pdf", lang="zh"), tmp_path
    )
    assert text.count("□") + text.count("■") == 40
    assert "10=非常满意" in squeeze(text)


def test_long_texts_in_tables_and_fields_also_run_over_pages(database, tmp_path):
    from cqms_desktop.store import audit
    from cqms_desktop.store.models import Complaint, CorrectiveAction

    numbers = make_records(suffix="8")
    complaint = Complaint.get(Complaint.number == numbers.complaint)
    action = CorrectiveAction.get(CorrectiveAction.complaint == complaint)
    with write_transaction():
        audit.update(Complaint, complaint.id, "t", {"reopen_reason": "重新打开原因。" * 900}, None)
        audit.update(
            CorrectiveAction,
            action.id,
            "t",
            {"description": "Verbesserung der Verpackung. " * 700 + "AKTIONSENDE"},
            None,
        )
    pdf = render_form(kind="complaint", number=numbers.complaint, fmt="pdf", lang="de")
    assert page_count(pdf, tmp_path) >= 5
    text = squeeze(pdf_text(pdf, tmp_path))
    assert "AKTIONSENDE" in text
    assert text.count("Verpackung") == 700
    assert text.count("打") == 900  # nothing lost where the text is split across pages
