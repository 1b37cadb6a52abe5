"""QMimeData from Outlook (FileGroupDescriptorW + FileContents), from a file manager (URLs)
and from a pasted screenshot (image data) become files to attach."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QByteArray, QMimeData, QUrl
from PySide6.QtGui import QColor, QImage

from cqms_desktop.domain import clock
from cqms_desktop.domain.dropped_files import build_file_group_descriptor
from cqms_desktop.ui.dropped_data import can_attach, dropped_items


def test_outlook_drop_gives_names_and_contents(qapp) -> None:
    mime = QMimeData()
    mime.setData("FileGroupDescriptorW", QByteArray(build_file_group_descriptor(["8D.pdf"])))
    mime.setData("FileContents", QByteArray(b"%PDF-1.7 content"))
    assert can_attach(mime)
    (item,) = dropped_items(mime)
    assert (item.name, item.data, item.path) == ("8D.pdf", b"%PDF-1.7 content", None)


def test_windows_spelling_of_the_formats_is_read(qapp) -> None:
    mime = QMimeData()
    wrap = 'application/x-qt-windows-mime;value="{}"'
    mime.setData(wrap.format("FileGroupDescriptorW"), build_file_group_descriptor(["m.msg"]))
    mime.setData(wrap.format("FileContents"), QByteArray(b"mail"))
    assert [(i.name, i.data) for i in dropped_items(mime)] == [("m.msg", b"mail")]


def test_descriptor_without_contents_gives_nothing(qapp) -> None:
    mime = QMimeData()
    mime.setData("FileGroupDescriptorW", QByteArray(build_file_group_descriptor(["x.pdf"])))
    assert dropped_items(mime) == []


def test_file_urls_are_attached_by_path(qapp, tmp_path) -> None:
    photo = tmp_path / "burr.jpg"
    photo.write_bytes(b"jpg")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    assert [(i.name, i.path) for i in dropped_items(mime)] == [("burr.jpg", photo)]


def test_pasted_screenshot_becomes_a_png_with_a_generated_name(qapp, monkeypatch) -> None:
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    mime = QMimeData()
    mime.setImageData(image)
    monkeypatch.setattr(clock, "local_now", lambda zone=None: datetime(2026, 12, 5, 13, 15))
    (item,) = dropped_items(mime, taken={"screenshot-20261205-131500.png"})
    assert item.name == "screenshot-20261205-131500-2.png"
    assert item.data is not None and item.data.startswith(b"\x89PNG")
    assert QImage.fromData(item.data).size() == image.size()


def test_attachment_list_emits_outlook_drops_and_pasted_images(qapp) -> None:
    from PySide6.QtGui import QGuiApplication

    from cqms_desktop.ui.editors.complaint_inputs import AttachmentList

    widget = AttachmentList()
    got: list[list] = []
    widget.data_dropped.connect(got.append)
    mime = QMimeData()
    mime.setData("FileGroupDescriptorW", QByteArray(build_file_group_descriptor(["a.pdf"])))
    mime.setData("FileContents", QByteArray(b"pdf"))
    assert widget.take_mime(mime)
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("blue"))
    QGuiApplication.clipboard().setImage(image)
    assert widget.take_mime(QGuiApplication.clipboard().mimeData())
    assert got[0] == [("a.pdf", b"pdf")]
    assert got[1][0][0].startswith("screenshot-") and got[1][0][1].startswith(b"\x89PNG")
