"""Cell painters: the rounded health-band chip of the portfolio table and the record lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from csdesk.views.theme import band_color, color
from csdesk.views.widgets.itemmodels import PortfolioTableModel

__all__ = ["BandChipDelegate", "paint_chip"]

_Index = QModelIndex | QPersistentModelIndex


def chip_text_color(fill: QColor) -> QColor:
    """Dark text on light chips (yellow), white on the others."""
    return QColor("#1d2530") if fill.lightness() > 150 else QColor("#ffffff")


def paint_chip(
    painter: QPainter, rect: QRectF, text: str, fill: QColor, font: QFont, *, outlined: bool = False
) -> None:
    """Paint ``text`` in a pill of colour ``fill`` inside ``rect`` (left-aligned, centred)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    bold = QFont(font)
    bold.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetrics(bold)
    width = metrics.horizontalAdvance(text) + 16
    height = min(rect.height() - 6, metrics.height() + 4)
    pill = QRectF(rect.left(), rect.center().y() - height / 2, width, height)
    if outlined:
        painter.setPen(QPen(fill, 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
    painter.drawRoundedRect(pill, height / 2, height / 2)
    painter.setFont(bold)
    painter.setPen(fill if outlined else chip_text_color(fill))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


class BandChipDelegate(QStyledItemDelegate):
    """Paints the health score as a chip in its band's colour, then the band's name.

    A manual override is drawn as an outlined chip with a pencil mark; no score as a grey
    "no score" note. Rows come from a :class:`PortfolioTableModel`; a subclass reading another
    model overrides :meth:`row_at`.
    """

    min_width = 150
    """Narrowest width the column asks for."""
    show_override = True
    """Draw a row whose ``overridden`` is true as an outlined chip with a pencil mark."""

    def row_at(self, index: _Index) -> Any:
        """The row object behind ``index``, or None."""
        # Rows are read from the model in Python: plain objects never go through a QVariant.
        model = index.model()
        return model.row_data(index.row()) if isinstance(model, PortfolioTableModel) else None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row = self.row_at(index)
        style_option = QStyleOptionViewItem(option)
        self.initStyleOption(style_option, index)
        style_option.text = ""
        widget: QWidget | None = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, style_option, painter, widget)
        if row is None:
            return
        rect = QRectF(option.rect).adjusted(8, 0, -4, 0)
        score = getattr(row, "health_score", None)
        band = getattr(row, "health_band", None)
        painter.save()
        if score is None:
            painter.setPen(QColor(color("muted")))
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, "no score")
            painter.restore()
            return
        overridden = self.show_override and bool(getattr(row, "overridden", False))
        text = f"{score:.1f}" + (" ✎" if overridden else "")
        fill = band_color(band)
        font = option.font
        paint_chip(painter, rect, text, fill, font, outlined=overridden)
        chip_width = QFontMetrics(font).horizontalAdvance(text) * 1.1 + 24
        label_rect = rect.adjusted(chip_width, 0, 0, 0)
        painter.setPen(QColor(color("muted")))
        painter.setFont(font)
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter, band or "")
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(max(base.width(), self.min_width), base.height())
