"""Attachments that cannot hurt (issue #15 item 9): no file the desktop would run, opened
read-only from a private copy, and on MariaDB no file beyond what the server takes in one
statement (which used to drop the connection: "server has gone away")."""

from __future__ import annotations

import os
import stat
from datetime import datetime

import pytest

from cqms_desktop.domain import attachment_rules as rules
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.services import admin
from cqms_desktop.services import complaints as svc
from cqms_desktop.services.base import Actor
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.models import Attachment, Complaint
from tests.complaint_steps import register


@pytest.mark.parametrize(
    "name",
    [
        "invoice.pdf.exe",
        "SETUP.EXE",
        "run.bat",
        "page.hta",
        "shortcut.lnk",
        "script.ps1",
        "macro.vbs",
        "installer.msi",
        "evil.exe.",  # Windows drops trailing dots and spaces: it is an .exe
        "evil.exe  ",
        "invoice\u202efdp.exe",  # shows as "invoiceexe.pdf"
        "report\u202egpj.js",
        "tab\tname.pdf",  # control characters
    ],
)
def test_programs_shortcuts_and_disguised_names_are_refused(name):
    assert rules.is_blocked(name)
    with pytest.raises(ValidationError) as refused:
        rules.check_attachable(name)
    assert refused.value.field == "attachment"


@pytest.mark.parametrize(
    "name", ["report.pdf", "photo.JPG", "8D.xlsx", "mail.msg", "archive.zip", "readme", ".hidden"]
)
def test_documents_photos_and_archives_are_accepted(name):
    assert not rules.is_blocked(name)
    rules.check_attachable(name)


def test_a_file_fits_mariadbs_packet_at_half_its_size():
    """The driver sends bytes as hexadecimal: two characters per byte."""
    packet = 16 * 1024 * 1024
    largest = rules.largest_fitting(packet)
    assert rules.fits_packet(b"x" * largest, packet)
    assert not rules.fits_packet(b"x" * (largest + 1), packet)
    assert 7.9 * 1024 * 1024 < largest < 8 * 1024 * 1024


@pytest.fixture
def complaint(any_actors):
    customer = admin.add_customer(Actor.system(), code="C900", name="Kunde", language="de")
    product = admin.add_product(Actor.system(), part_number="PN-900", name="Welle")
    return register(any_actors[D.SALES], customer, product)


@pytest.mark.backends
def test_an_executable_is_not_attached_and_nothing_is_written(any_actors, complaint, tmp_path):
    sales = any_actors[D.SALES]
    trojan = tmp_path / "invoice.pdf.exe"
    trojan.write_bytes(b"MZ\x90\x00")
    with pytest.raises(ValidationError) as refused:
        svc.add_attachment(sales, complaint_id=complaint.id, path=trojan)
    assert refused.value.field == "attachment" and ".exe" in str(refused.value)
    assert Attachment.select().count() == 0
    assert Complaint.get_by_id(complaint.id).version == complaint.version


@pytest.mark.backends
def test_an_attachment_opens_from_a_private_read_only_copy(any_actors, complaint, tmp_path):
    sales = any_actors[D.SALES]
    photo = tmp_path / "burr.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    att = svc.add_attachment(sales, complaint_id=complaint.id, path=photo)
    first = svc.open_attachment_copy(attachment_id=att.id)
    assert first.read_bytes() == photo.read_bytes()
    assert stat.S_IMODE(first.stat().st_mode) == stat.S_IRUSR  # read-only
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700  # a folder of its own
    second = svc.open_attachment_copy(attachment_id=att.id)
    assert second.parent != first.parent
    # Opened again into the same folder: the old read-only copy is replaced.
    again = svc.open_attachment_copy(attachment_id=att.id, folder=first.parent)
    assert again == first and again.read_bytes() == photo.read_bytes()


@pytest.mark.backends
def test_an_executable_stored_before_the_rule_is_not_opened(any_actors, complaint, tmp_path):
    with dbmod.write_transaction():
        old = Attachment.create(
            record_kind="complaint",
            record_id=complaint.id,
            filename="tool.exe",
            content_type="application/octet-stream",
            size=2,
            data=b"MZ",
            added_at=datetime(2025, 1, 1),
            added_by="legacy",
        )
    with pytest.raises(ValidationError):
        svc.open_attachment_copy(attachment_id=old.id)
    saved = svc.save_attachment(attachment_id=old.id, target=tmp_path / "tool.exe")
    assert saved.read_bytes() == b"MZ"  # saving it (to check it) is still possible


@pytest.mark.backends
@pytest.mark.parametrize("backend_url", ["mysql"], indirect=True)  # MariaDB's own limit
def test_a_file_beyond_mariadbs_packet_is_refused_and_the_session_lives_on(
    any_actors, complaint, tmp_path
):
    sales = any_actors[D.SALES]
    limit = dbmod.max_statement_bytes()
    assert limit is not None
    with dbmod.write_transaction():
        settings_store.put("attachment_max_mb", 100)
    big = tmp_path / "scan.pdf"
    big.write_bytes(os.urandom(limit + 1024))
    with pytest.raises(ValidationError) as refused:
        svc.add_attachment(sales, complaint_id=complaint.id, path=big)
    text = str(refused.value)
    assert refused.value.field == "attachment" and "max_allowed_packet" in text
    # The connection was never given the oversized statement: the next calls work.
    fits = tmp_path / "drawing.pdf"
    data = os.urandom(rules.largest_fitting(limit))  # the largest file the server takes
    fits.write_bytes(data)
    att = svc.add_attachment(sales, complaint_id=complaint.id, path=fits)
    assert bytes(Attachment.get_by_id(att.id).data) == data


@pytest.mark.backends
def test_bytes_from_a_mail_program_are_stored_on_every_backend(any_actors, complaint):
    """Outlook's FileGroupDescriptorW names the file, FileContents carries its bytes: stored
    byte for byte, with the complaint's version raised; an executable is refused."""
    from cqms_desktop.domain.dropped_files import (
        build_file_group_descriptor,
        parse_file_group_descriptor,
    )

    sales = any_actors[D.SALES]
    payload = bytes(range(256)) * 4
    (described,) = parse_file_group_descriptor(
        build_file_group_descriptor(["Kunde\\Reklamation.pdf"], [len(payload)])
    )
    att = svc.add_attachment_data(
        sales, complaint_id=complaint.id, filename=described.name, data=payload
    )
    stored = Attachment.get_by_id(att.id)
    assert (stored.filename, bytes(stored.data)) == ("Reklamation.pdf", payload)
    assert Complaint.get_by_id(complaint.id).version == complaint.version + 1
    with pytest.raises(ValidationError):
        svc.add_attachment_data(sales, complaint_id=complaint.id, filename="a.exe", data=b"MZ")
    assert Attachment.select().count() == 1
