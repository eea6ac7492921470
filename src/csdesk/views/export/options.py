"""The export dialog's edition, section check boxes and preview: page and slide images, and the
slides' titles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.reports.case_options import (
    CLIENT,
    INTERNAL,
    INTERNAL_SECTIONS,
    SECTION_TITLES,
    SECTIONS,
    ExportOptions,
)

__all__ = ["ExportOptionsBox"]

_COLUMNS = 3
_THUMB = QSize(150, 212)
"""The size of a preview image: an A4 page 150 pixels wide (slides and Letter pages fit in)."""
_PAGES, _SLIDES = 3, 4


def _fitted(image: QImage) -> QPixmap:
    """The image scaled into the preview's cell and centred on a clear pixmap of its size, so
    pages and slides line up with their captions."""
    scaled = QPixmap.fromImage(image).scaled(
        _THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    cell = QPixmap(_THUMB)
    cell.fill(Qt.GlobalColor.transparent)
    painter = QPainter(cell)
    painter.drawPixmap(
        (_THUMB.width() - scaled.width()) // 2, (_THUMB.height() - scaled.height()) // 2, scaled
    )
    painter.end()
    return cell


class ExportOptionsBox(QWidget):
    """Edition (client or internal), one check box per section, and a preview list.

    Args:
        ctx: The window's context (portfolio and worker thread).
        account_id: The account a preview is made for; None hides the preview.

    Signals:
        options_changed(): the edition or a section was changed.
    """

    options_changed = Signal()

    def __init__(self, ctx: Any, account_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.account_id = ctx, account_id
        self.client = QRadioButton("Client edition")
        self.client.setToolTip(
            "What you put in front of the client: value, outcomes, the road ahead"
        )
        self.internal = QRadioButton("Internal edition")
        self.internal.setToolTip("Adds health, risks, forecast, milestones, price logic and tasks")
        self.client.setChecked(True)
        editions = QButtonGroup(self)
        for button in (self.client, self.internal):
            editions.addButton(button)
            button.toggled.connect(self._on_edition_toggled)
        edition_row = QHBoxLayout()
        edition_row.addWidget(self.client)
        edition_row.addWidget(self.internal)
        edition_row.addStretch(1)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for index, key in enumerate(SECTIONS):
            box = QCheckBox(SECTION_TITLES[key])
            box.setChecked(True)
            box.setAccessibleName(f"Section {SECTION_TITLES[key]}")
            box.toggled.connect(self._on_changed)
            self.boxes[key] = box
            grid.addWidget(box, index // _COLUMNS, index % _COLUMNS)
        self.preview_button = QPushButton("Preview")
        self.preview_button.setToolTip("Show the slides and sections this export will have")
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.preview_images = QListWidget()
        self.preview_images.setAccessibleName("Preview pages")
        self.preview_images.setViewMode(QListView.ViewMode.IconMode)
        self.preview_images.setFlow(QListView.Flow.LeftToRight)
        self.preview_images.setWrapping(False)
        self.preview_images.setIconSize(_THUMB)
        self.preview_images.setMovement(QListView.Movement.Static)
        self.preview_images.setSpacing(6)
        self.preview_images.setFixedHeight(_THUMB.height() + 56)
        self.preview_images.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.preview_list = QListWidget()
        self.preview_list.setAccessibleName("Preview")
        self.preview_list.setMinimumHeight(110)
        self.preview_note = QLabel()
        self.preview_note.setObjectName("muted")
        self.preview_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(edition_row)
        layout.addLayout(grid)
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.preview_note, 1)
        preview_row.addWidget(self.preview_button)
        layout.addLayout(preview_row)
        layout.addWidget(self.preview_images)
        layout.addWidget(self.preview_list)
        self.preview_images.hide()
        self.preview_list.hide()
        self.preview_button.setVisible(account_id is not None)
        self._on_edition_toggled()

    def options(self) -> ExportOptions:
        """The chosen edition and sections."""
        chosen = frozenset(k for k, box in self.boxes.items() if box.isChecked())
        return ExportOptions(INTERNAL if self.internal.isChecked() else CLIENT, chosen)

    def show_preview(
        self,
        slides: tuple[str, ...],
        sections: tuple[str, ...],
        pages: list[QImage] | None = None,
        thumbnails: list[QImage] | None = None,
    ) -> None:
        """Show the PDF's first pages and the first slides as images, then every slide's title
        (numbered) and the sections the PDF and workbook show."""
        self.preview_images.clear()
        for caption, image in [
            *((f"PDF page {n}", image) for n, image in enumerate(pages or [], start=1)),
            *((f"Slide {n}", image) for n, image in enumerate(thumbnails or [], start=1)),
        ]:
            picture = _fitted(image)
            item = QListWidgetItem(QIcon(picture), caption)
            item.setData(Qt.ItemDataRole.UserRole, picture)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.preview_images.addItem(item)
        self.preview_images.setVisible(self.preview_images.count() > 0)
        self.preview_list.clear()
        for number, title in enumerate(slides, start=1):
            self.preview_list.addItem(f"Slide {number}: {title}")
        self.preview_note.setText(
            f"{len(slides)} slides; the PDF and workbook show: " + ", ".join(sections) + "."
        )
        self.preview_list.show()

    def show_preview_error(self, message: str) -> None:
        """Say why no preview could be made."""
        self.preview_images.hide()
        self.preview_list.hide()
        self.preview_note.setText(f"No preview: {message}")

    def _on_edition_toggled(self, *_args: object) -> None:
        internal = self.internal.isChecked()
        for key in INTERNAL_SECTIONS:
            self.boxes[key].setEnabled(internal)
        self._on_changed()

    def _on_changed(self, *_args: object) -> None:
        self.preview_images.hide()
        self.preview_list.hide()
        self.preview_note.setText("")
        self.options_changed.emit()

    def _on_preview_clicked(self) -> None:
        from csdesk.services.exporter import preview_case

        portfolio, account_id, options = self.ctx.portfolio, self.account_id, self.options()
        if portfolio is None or account_id is None:
            return
        self.preview_note.setText("Preparing the preview…")

        def work(_progress: Any) -> tuple[Any, list[QImage], list[QImage]]:
            # Off the GUI thread: render the PDF and paint the page and slide images (QImage).
            from csdesk.views.export.preview import pdf_page_images, slide_thumbnails

            preview = preview_case(portfolio, account_id, options)
            pages = pdf_page_images(preview.pdf, pages=_PAGES, width=2 * _THUMB.width())
            slides = slide_thumbnails(
                preview.slides, preview.accent, count=_SLIDES, width=2 * _THUMB.width()
            )
            return preview, pages, slides

        self.ctx.worker.submit(
            work,
            "Preparing the preview",
            on_done=lambda r: self.show_preview(r[0].slides, r[0].sections, r[1], r[2]),
            on_error=lambda exc: self.show_preview_error(str(exc)),
        )
