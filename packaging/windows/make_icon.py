"""Draw the program's icon with Qt and write it as a multi-size Windows ``.ico``.

Run once when the design changes; the result, ``packaging/windows/cqms.ico``, is committed::

    QT_QPA_PLATFORM=offscreen python packaging/windows/make_icon.py

Qt's own ICO writer stores one image per file, so the sizes Windows picks from (16 px in lists
up to 256 px on high-DPI desktops) are PNG-encoded by Qt and put into the ICO container here;
PNG entries inside an ICO are read by every Windows since Vista.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = QColor("#1f5fa8")


def draw(size: int) -> QImage:
    """The icon at ``size`` × ``size`` pixels: a white check mark on a blue rounded square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = size * 0.04
    square = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BLUE)
    painter.drawRoundedRect(square, size * 0.18, size * 0.18)
    pen = QPen(QColor("white"), max(1.5, size * 0.13))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath(QPointF(size * 0.26, size * 0.52))
    check.lineTo(QPointF(size * 0.43, size * 0.70))
    check.lineTo(QPointF(size * 0.75, size * 0.32))
    painter.drawPath(check)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG by Qt."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file holding one PNG-encoded entry per size (ICONDIR + ICONDIRENTRY records)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    payload = b""
    for size, png in images.items():
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def main() -> int:
    """Write ``cqms.ico`` beside this script."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    target = Path(__file__).with_name("cqms.ico")
    target.write_bytes(ico_bytes({size: png_bytes(draw(size)) for size in SIZES}))
    print(f"{target} ({target.stat().st_size} bytes)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
