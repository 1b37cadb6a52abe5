"""Decoding Outlook's FileGroupDescriptorW and naming pasted screenshots (domain only)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cqms_desktop.domain.dropped_files import (
    build_file_group_descriptor,
    parse_file_group_descriptor,
    safe_file_name,
    screenshot_name,
)


def test_descriptor_round_trip_names_and_sizes() -> None:
    data = build_file_group_descriptor(["Reklamation 8D.pdf", "照片.jpg"], [1234, 5 << 32])
    files = parse_file_group_descriptor(data)
    assert [f.name for f in files] == ["Reklamation 8D.pdf", "照片.jpg"]
    assert [f.size for f in files] == [1234, 5 << 32]
    assert not any(f.is_folder for f in files)


def test_descriptor_without_sizes() -> None:
    files = parse_file_group_descriptor(build_file_group_descriptor(["a.msg"]))
    assert files[0].size is None


def test_descriptor_path_names_are_reduced_to_the_file() -> None:
    files = parse_file_group_descriptor(build_file_group_descriptor(["..\\..\\evil:name?.txt"]))
    assert files[0].name == "evil_name_.txt"


@pytest.mark.parametrize("data", [b"", b"\x02\x00\x00\x00" + b"\x00" * 600])
def test_short_descriptor_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="FileGroupDescriptorW"):
        parse_file_group_descriptor(data)


def test_safe_file_name_fallback() -> None:
    assert safe_file_name(" .. ") == "attachment"


def test_screenshot_names_are_unique() -> None:
    now = datetime(2026, 12, 5, 13, 15, 0)
    assert screenshot_name(now) == "screenshot-20261205-131500.png"
    taken = {"screenshot-20261205-131500.png", "screenshot-20261205-131500-2.png"}
    assert screenshot_name(now, taken) == "screenshot-20261205-131500-3.png"
