"""Preview images for the export dialog: the PDF's first pages and thumbnails of the slides.

The pages are drawn from the PDF the export would write: pypdf walks each page's content stream
(text with its position, size and colour; filled and stroked paths; images) and a QPainter
paints them on a QImage. Qt's own PDF module is not part of the desktop bundle, and a small
interpreter of what reportlab writes is enough for a page-sized glance. The slides are drawn as
the deck lays them out: the accent bar, the message as the title, the logo's place.

Everything here paints QImages only, so it runs on the worker thread; the dialog turns them into
pixmaps on the GUI thread.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen

__all__ = ["pdf_page_images", "slide_thumbnails"]


def _colour(args: Sequence[Any], grey: bool) -> QColor:
    try:
        if grey:
            level = max(0.0, min(1.0, float(args[0])))
            return QColor.fromRgbF(level, level, level)
        r, g, b = (max(0.0, min(1.0, float(v))) for v in args[:3])
        return QColor.fromRgbF(r, g, b)
    except (TypeError, ValueError, IndexError):
        return QColor("black")


def _mul(a: Sequence[float], b: Sequence[float]) -> list[float]:
    """The product of two PDF matrices ``a × b`` (each ``[a b c d e f]``)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


class _PagePainter:
    """Replays one page's operators (as pypdf reports them) on a QPainter in page points."""

    def __init__(self, painter: QPainter, page: Any, height: float) -> None:
        self.p, self.page, self.height = painter, page, height
        self.fill, self.stroke, self.width = QColor("black"), QColor("black"), 1.0
        self.path = QPainterPath()
        self.saved: list[tuple[QColor, QColor, float]] = []

    def _point(self, cm: Sequence[float], x: float, y: float) -> QPointF:
        return QPointF(x * cm[0] + y * cm[2] + cm[4], self.height - (x * cm[1] + y * cm[3] + cm[5]))

    def operator(self, op: bytes, args: list[Any], cm: list[float], _tm: list[float]) -> None:
        """Track colours and paths; paint a path when it is filled or stroked."""
        name = op.decode("latin-1")
        if name in ("rg", "g"):
            self.fill = _colour(args, name == "g")
        elif name in ("RG", "G"):
            self.stroke = _colour(args, name == "G")
        elif name == "w" and args:
            self.width = float(args[0]) * math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2]))
        elif name == "q":
            self.saved.append((QColor(self.fill), QColor(self.stroke), self.width))
        elif name == "Q" and self.saved:
            self.fill, self.stroke, self.width = self.saved.pop()
        elif name == "re" and len(args) == 4:
            x, y, w, h = (float(v) for v in args)
            corners = [
                self._point(cm, *c) for c in ((x, y), (x + w, y), (x + w, y + h), (x, y + h))
            ]
            self.path.moveTo(corners[0])
            for corner in corners[1:]:
                self.path.lineTo(corner)
            self.path.closeSubpath()
        elif name == "m" and len(args) == 2:
            self.path.moveTo(self._point(cm, float(args[0]), float(args[1])))
        elif name == "l" and len(args) == 2:
            self.path.lineTo(self._point(cm, float(args[0]), float(args[1])))
        elif name == "c" and len(args) == 6:
            v = [float(a) for a in args]
            self.path.cubicTo(
                self._point(cm, v[0], v[1]),
                self._point(cm, v[2], v[3]),
                self._point(cm, v[4], v[5]),
            )
        elif name == "h":
            self.path.closeSubpath()
        elif name in ("f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "n"):
            self._paint(name)
        elif name == "Do" and args:
            self._image(str(args[0]), cm)

    def _paint(self, name: str) -> None:
        if name != "n":
            filled = name[0] in "fFBb"
            stroked = name[0] in "SsBb"
            if name in ("f*", "B*", "b*"):
                self.path.setFillRule(Qt.FillRule.OddEvenFill)
            pen = QPen(self.stroke, max(self.width, 0.3)) if stroked else QPen(Qt.PenStyle.NoPen)
            self.p.setPen(pen)
            self.p.setBrush(QBrush(self.fill) if filled else Qt.BrushStyle.NoBrush)
            self.p.drawPath(self.path)
        self.path = QPainterPath()

    def _image(self, name: str, cm: list[float]) -> None:
        try:
            xobject = self.page["/Resources"]["/XObject"][name].get_object()
            if xobject.get("/Subtype") != "/Image":
                return
            buffer = io.BytesIO()
            xobject.decode_as_image().save(buffer, format="PNG")
        except Exception:  # an image pypdf cannot decode is left out of the glance
            return
        image = QImage.fromData(buffer.getvalue())
        top_left = self._point(cm, 0, 1)
        bottom_right = self._point(cm, 1, 0)
        self.p.drawImage(QRectF(top_left, bottom_right).normalized(), image)

    def text(self, text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        """Draw a run of text at its baseline in the fill colour."""
        shown = text.rstrip("\n")
        if not shown.strip():
            return
        matrix = _mul(tm, cm)
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) or 1.0
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(1, round(size * scale)))
        self.p.setFont(font)
        self.p.setPen(QPen(self.fill))
        self.p.drawText(QPointF(matrix[4], self.height - matrix[5]), shown)


def pdf_page_images(data: bytes, *, pages: int = 3, width: int = 240) -> list[QImage]:
    """The first ``pages`` pages of a PDF as images ``width`` pixels wide.

    Args:
        data: The PDF's bytes.
        pages: How many pages to draw at most.
        width: The width of each image in pixels (the height follows the paper).

    Returns:
        One image per page, in order.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    images: list[QImage] = []
    for page in list(reader.pages)[:pages]:
        box = page.mediabox
        page_w, page_h = float(box.width), float(box.height)
        scale = width / page_w
        image = QImage(width, round(page_h * scale), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.scale(scale, scale)
        replay = _PagePainter(painter, page, page_h)
        page.extract_text(visitor_operand_before=replay.operator, visitor_text=replay.text)
        painter.end()
        images.append(image)
    return images


def slide_thumbnails(
    titles: Sequence[str], accent: str, *, count: int = 4, width: int = 240
) -> list[QImage]:
    """The first ``count`` slides as 16:9 thumbnails: accent bar, the message, the number.

    Args:
        titles: The slides' messages (their titles), in order.
        accent: The branding's accent colour (``#RRGGBB``).
        count: How many slides to draw at most.
        width: The width of each thumbnail in pixels.
    """
    height = round(width * 9 / 16)
    colour = QColor(accent) if QColor.isValidColorName(accent) else QColor("#2563EB")
    images: list[QImage] = []
    for number, title in enumerate(titles[:count], start=1):
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(QRectF(0, 0, width, height * 0.016 + 1), colour)
        margin = width * 0.05
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(8, round(height * 0.075)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(colour)
        box = QRectF(margin, height * 0.07, width - 2 * margin, height * 0.45)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
            Qt.TextFlag.TextWordWrap
        )
        painter.drawText(box, flags, title)
        painter.setPen(QPen(QColor("#C9CED6"), 1))
        painter.drawRect(QRectF(0.5, 0.5, width - 1, height - 1))
        small = QFont("DejaVu Sans")
        small.setPixelSize(max(7, round(height * 0.05)))
        painter.setFont(small)
        painter.setPen(QColor("#6B7280"))
        painter.drawText(
            QRectF(margin, height * 0.84, width - 2 * margin, height * 0.12),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            str(number),
        )
        painter.end()
        images.append(image)
    return images
