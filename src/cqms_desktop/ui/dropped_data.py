"""What a drop or a paste hands over, as files to attach.

Three shapes arrive in a QMimeData:

* file URLs (Explorer, a file manager): local paths, attached by path;
* ``FileGroupDescriptorW`` + ``FileContents`` (Outlook, other Windows mail programs dragging an
  attachment or a message): names from the descriptor, bytes from the contents — Qt on Windows
  shows them as ``application/x-qt-windows-mime;value="…"``, so both spellings are read;
* image data (a screenshot pasted from the clipboard): saved as PNG under a generated name.

The service side stores bytes with ``add_attachment_data`` and paths with ``add_attachment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData
from PySide6.QtGui import QImage

from ..domain import clock
from ..domain.dropped_files import parse_file_group_descriptor, screenshot_name

_WINDOWS_MIME = 'application/x-qt-windows-mime;value="{}"'


@dataclass(frozen=True, slots=True)
class DroppedItem:
    """One thing to attach: a *path* on disk, or a *name* with its *data*."""

    name: str
    path: Path | None = None
    data: bytes | None = None


def _format(mime: QMimeData, name: str) -> bytes | None:
    """The bytes of clipboard format *name* in either spelling, ``None`` when absent."""
    for spelled in (name, _WINDOWS_MIME.format(name)):
        if mime.hasFormat(spelled):
            return bytes(mime.data(spelled).data())
    return None


def can_attach(mime: QMimeData) -> bool:
    """True when *mime* holds something :func:`dropped_items` turns into attachments."""
    return bool(
        any(url.isLocalFile() for url in mime.urls())
        or _format(mime, "FileGroupDescriptorW") is not None
        or mime.hasImage()
    )


def dropped_items(mime: QMimeData, taken: set[str] | None = None) -> list[DroppedItem]:
    """The files in *mime*; *taken* are names the record already has (for screenshot names).

    A descriptor whose contents are missing or unreadable yields nothing for that file.
    """
    local = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    if local:
        return [DroppedItem(name=path.name, path=path) for path in local]
    descriptor = _format(mime, "FileGroupDescriptorW")
    if descriptor is not None:
        return _mail_items(mime, descriptor)
    if mime.hasImage():
        image = QImage(mime.imageData())
        if image.isNull():
            return []
        name = screenshot_name(clock.local_now(), frozenset(taken or ()))
        return [DroppedItem(name=name, data=png_bytes(image))]
    return []


def _mail_items(mime: QMimeData, descriptor: bytes) -> list[DroppedItem]:
    """Names from the descriptor with the bytes of ``FileContents`` (index 0 for the first;
    further files as ``FileContents;index=N`` where the drag source offers them)."""
    try:
        described = parse_file_group_descriptor(descriptor)
    except ValueError:
        return []
    items = []
    for index, file in enumerate(described):
        if file.is_folder:
            continue
        names = ["FileContents"] if index == 0 else []
        names.append(f"FileContents;index={index}")
        data = next((d for d in (_format(mime, n) for n in names) if d is not None), None)
        if data is not None:
            items.append(DroppedItem(name=file.name, data=data))
    return items


def png_bytes(image: QImage) -> bytes:
    """*image* encoded as PNG."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(array.data())
