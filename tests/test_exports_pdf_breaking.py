"""Printed forms with long texts (issue #11, items 14 and 15): Chinese line-start rules in the
PDF, dates whole in the German action table, one code per controlled form, the company name
in the form's language, the signature block never alone on the last page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from cqms_desktop.exports.forms import render_form
from cqms_desktop.exports.line_break import CANNOT_START
from cqms_desktop.store import audit
from cqms_desktop.store import settings as store_settings
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Complaint, CorrectiveAction, ServiceRecord
from tests.form_records import make_records

LONG_ZH = (
    "顾客反映：第3批产品表面划伤严重，尺寸超差；装配困难！是否为包装问题？"
    "（见附件《检验报告》）质保部已确认「批次L20260215-03」存在问题、需全检。"
) * 15
GERMAN = (
    "Wirksamkeitsüberprüfung der Qualitätssicherungsmaßnahmen durch die "
    "Qualitätssicherungsabteilung (Verpackungsumstellung) abgeschlossen."
)


def layout_lines(pdf: bytes, tmp_path: Path, name: str = "form.pdf") -> list[str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.splitlines()


def pages_of(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.split("\f")[:-1]


def _long_complaint(suffix: str) -> str:
    numbers = make_records(suffix=suffix, description=LONG_ZH)
    complaint = Complaint.get(Complaint.number == numbers.complaint)
    action = CorrectiveAction.get(
        (CorrectiveAction.complaint == complaint) & (CorrectiveAction.status == "verified")
    )
    with write_transaction():
        audit.update(Complaint, complaint.id, "t", {"cause": LONG_ZH}, None)
        audit.update(
            CorrectiveAction,
            action.id,
            "t",
            {"description": GERMAN, "verification_result": GERMAN},
            None,
        )
    return numbers.complaint


@pytest.mark.parametrize("lang", ["zh", "en", "de"])
def test_no_printed_line_starts_with_closing_punctuation(database, tmp_path, lang):
    number = _long_complaint("21")
    pdf = render_form(kind="complaint", number=number, fmt="pdf", lang=lang)
    lines = layout_lines(pdf, tmp_path)
    assert sum("质保部已确认" in line for line in lines) >= 10  # the long texts are printed
    # -layout keeps table columns side by side: every column's text starts after a gap.
    cells = [cell for line in lines for cell in re.split(r"\s{2,}", line.strip()) if cell]
    bad = [cell for cell in cells if cell[0] in CANNOT_START and cell[0] not in ".,:;"]
    assert not bad, bad[:5]
    opening = [cell for cell in cells if cell[-1] in "（「『【〈《"]
    assert not opening, opening[:5]


def test_dates_are_whole_in_the_german_action_table(database, tmp_path):
    number = _long_complaint("22")
    pdf = render_form(kind="complaint", number=number, fmt="pdf", lang="de")
    text = "\n".join(layout_lines(pdf, tmp_path))
    assert "20.03.2026" in text  # the action's due date
    assert "25.03.2026" in text
    assert not re.search(r"\d\d\.\d\d\.\d?\s*\n", text.replace("20.03.2026", "")), "split date"


def test_every_controlled_form_has_its_own_code(database, tmp_path):
    numbers = make_records(suffix="23")
    record = ServiceRecord.get(ServiceRecord.number == numbers.service)
    codes: dict[str, str] = {}
    for kind, number in (
        ("visit", numbers.visit),
        ("feedback", numbers.feedback),
        ("survey", numbers.survey),
        ("complaint", numbers.complaint),
        ("service", numbers.service),
    ):
        text = "".join(
            pages_of(render_form(kind=kind, number=number, fmt="pdf", lang="en"), tmp_path)[
                0
            ].split()
        )
        codes[kind] = re.search(r"Formcode:(QR-[\d-]+)", text).group(1)
    with write_transaction():
        audit.update(ServiceRecord, record.id, "t", {"kind": "onsite"}, None)
    text = "".join(
        pages_of(
            render_form(kind="service", number=numbers.service, fmt="pdf", lang="en"), tmp_path
        )[0].split()
    )
    assert "TechnicalServiceRecord" in text
    codes["technical_service"] = re.search(r"Formcode:(QR-[\d-]+)", text).group(1)
    assert len(set(codes.values())) == len(codes), codes


def test_company_name_in_the_forms_language(database, tmp_path):
    numbers = make_records(suffix="24")
    with write_transaction():
        store_settings.put("company_name", "永成精密机械有限公司")
        store_settings.put("company_name_en", "Yongcheng Precision Machinery Co., Ltd.")

    def head(lang: str) -> str:
        pdf = render_form(kind="complaint", number=numbers.complaint, fmt="pdf", lang=lang)
        return "".join(pages_of(pdf, tmp_path)[0].split())

    assert "YongchengPrecisionMachineryCo.,Ltd." in head("en")
    assert "永成精密机械有限公司" not in head("en")
    # German falls back to English while it has no name of its own, then uses its own.
    assert "YongchengPrecisionMachineryCo.,Ltd." in head("de")
    with write_transaction():
        store_settings.put("company_name_de", "Yongcheng Präzisionsmaschinen GmbH")
    assert "YongchengPräzisionsmaschinenGmbH" in head("de")
    assert "永成精密机械有限公司" in head("zh")


@pytest.mark.parametrize("repeat", [1, 4, 9, 14, 20, 27, 33])
def test_signature_block_never_alone_on_the_last_page(database, tmp_path, repeat):
    # Lengths chosen so the end of the form falls at different places on the pages.
    numbers = make_records(suffix=f"3{repeat}", description=LONG_ZH[: 60 * repeat])
    for kind, number in (("complaint", numbers.complaint), ("visit", numbers.visit)):
        pages = pages_of(render_form(kind=kind, number=number, fmt="pdf", lang="de"), tmp_path)
        last = pages[-1]
        body = last.split("Unterschrift")[0]
        assert "Unterschrift" in last
        # Besides the header (company, title, codes, page x of y) and the signature boxes,
        # the last page carries some of the form's content.
        section_titles = re.findall(r"^\d+\.|^[A-ZÄÖÜ][^\n]{3,}$", body, re.M)
        assert len(pages) == 1 or len(body.splitlines()) > 14, (kind, repeat, last[:400])
        assert section_titles


def test_the_signature_block_does_not_start_a_page_when_the_last_one_has_room(database):
    """Keeping the signature block with the block before it must not push both to a new page
    when they fit where the form ends: no KeepTogether inside another (ReportLab makes a
    nested one report a height of 0xffffff, so the outer one never fitted anywhere)."""
    from reportlab.platypus import KeepTogether

    from cqms_desktop.exports.forms import build_document
    from cqms_desktop.exports.pdf_layout import form_story

    numbers = make_records(suffix="77")
    for kind, number in (("complaint", numbers.complaint), ("visit", numbers.visit)):
        story = form_story(build_document(kind=kind, number=number, lang="zh"), "Helvetica")
        for flowable in story:
            if isinstance(flowable, KeepTogether):
                inner = getattr(flowable, "_content", [])
                assert not any(isinstance(f, KeepTogether) for f in inner), kind
