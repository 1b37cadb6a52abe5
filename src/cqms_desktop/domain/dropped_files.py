"""Files handed over by a drop or a paste that are not files on disk.

Outlook (and other Windows mail programs) drag an attachment or a whole message as two
clipboard formats instead of a file URL: ``FileGroupDescriptorW`` names the files and
``FileContents`` carries the bytes of each (one per index). A pasted screenshot is image data
without any name. This module decodes the descriptor and makes names; the Qt side (QMimeData)
only hands over the raw bytes. No Qt, no SQL.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime

#: ``FILEDESCRIPTORW``: flags, CLSID, SIZEL, POINTL, attributes, three FILETIMEs, size high and
#: low, then ``WCHAR cFileName[260]`` — 592 bytes each, after a 4-byte item count.
_DESCRIPTOR_SIZE = 592
_NAME_OFFSET = 72
_NAME_CHARS = 260
_FD_FILESIZE = 0x40
_FD_ATTRIBUTES = 0x04
_FILE_ATTRIBUTE_DIRECTORY = 0x10

#: Characters Windows does not allow in a file name (a descriptor may name "folder\\file").
_FORBIDDEN = set('<>:"/\\|?*')


@dataclass(frozen=True, slots=True)
class DescribedFile:
    """One file named by a ``FileGroupDescriptorW``; *size* is ``None`` when not given."""

    name: str
    size: int | None
    is_folder: bool


def parse_file_group_descriptor(data: bytes) -> list[DescribedFile]:
    """The files a ``FileGroupDescriptorW`` names, in ``FileContents`` index order.

    Raises ``ValueError`` for data too short for the count it announces.
    """
    if len(data) < 4:
        raise ValueError("FileGroupDescriptorW: no item count")
    (count,) = struct.unpack_from("<I", data, 0)
    if len(data) < 4 + count * _DESCRIPTOR_SIZE:
        raise ValueError(f"FileGroupDescriptorW: {count} items announced, data too short")
    files = []
    for index in range(count):
        base = 4 + index * _DESCRIPTOR_SIZE
        (flags,) = struct.unpack_from("<I", data, base)
        (attributes,) = struct.unpack_from("<I", data, base + 36)
        high, low = struct.unpack_from("<II", data, base + 64)
        raw = data[base + _NAME_OFFSET : base + _NAME_OFFSET + _NAME_CHARS * 2]
        name = raw.decode("utf-16-le", errors="replace").split("\0", 1)[0]
        files.append(
            DescribedFile(
                name=safe_file_name(name),
                size=(high << 32 | low) if flags & _FD_FILESIZE else None,
                is_folder=bool(flags & _FD_ATTRIBUTES and attributes & _FILE_ATTRIBUTE_DIRECTORY),
            )
        )
    return files


def build_file_group_descriptor(names: list[str], sizes: list[int] | None = None) -> bytes:
    """A ``FileGroupDescriptorW`` naming *names* (tests and the drag source use it)."""
    out = bytearray(struct.pack("<I", len(names)))
    for index, name in enumerate(names):
        entry = bytearray(_DESCRIPTOR_SIZE)
        if sizes is not None:
            struct.pack_into("<I", entry, 0, _FD_FILESIZE)
            struct.pack_into("<II", entry, 64, sizes[index] >> 32, sizes[index] & 0xFFFFFFFF)
        encoded = name[: _NAME_CHARS - 1].encode("utf-16-le")
        entry[_NAME_OFFSET : _NAME_OFFSET + len(encoded)] = encoded
        out += entry
    return bytes(out)


def safe_file_name(name: str, fallback: str = "attachment") -> str:
    """The last part of *name* (a descriptor may give a path), without characters Windows
    forbids; *fallback* when nothing is left."""
    last = name.replace("/", "\\").rsplit("\\", 1)[-1]
    cleaned = "".join("_" if ch in _FORBIDDEN or ord(ch) < 32 else ch for ch in last)
    cleaned = cleaned.strip().rstrip(". ")
    return cleaned[:255] or fallback


def screenshot_name(now: datetime, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A name for pasted image data, saved as PNG: ``screenshot-20261205-131500.png``, with
    ``-2``, ``-3`` … when a name in *taken* (the record's attachments) already has it."""
    stem = f"screenshot-{now:%Y%m%d-%H%M%S}"
    name = f"{stem}.png"
    number = 2
    while name in taken:
        name = f"{stem}-{number}.png"
        number += 1
    return name
