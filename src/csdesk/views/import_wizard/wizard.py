"""The import wizard: file → sheet and kind → column mapping → preview → import → summary.

The choices and the services they run live in :class:`~.session.ImportSession`, which the
wizard mixes in and the pages (``pages``, ``preview``, ``summary``) are written against; this
module only assembles the pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget, QWizard

from csdesk.services.importer import ImportSummary
from csdesk.views.import_wizard.pages import MappingPage, SourcePage
from csdesk.views.import_wizard.preview import PreviewPage
from csdesk.views.import_wizard.session import ImportSession
from csdesk.views.import_wizard.summary import SummaryPage

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = ["ImportWizard", "open_import_wizard"]

WIZARD_STYLE = """
QTableWidget QComboBox { margin: 3px 8px 3px 0; padding: 2px 8px; }
"""


class ImportWizard(QWizard, ImportSession):
    """Import a spreadsheet into the open portfolio, step by step.

    Args:
        ctx: The app context (portfolio, writer thread, change notification).
        path: A file to start with (dropped on the window), or None to choose one.

    Signals:
        (QWizard's) ``finished(int)`` when closed.
    """

    def __init__(self, ctx: AppContext, path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import a spreadsheet")
        self.setAccessibleName("Import wizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.RichText)
        for button in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.FinishButton):
            self.button(button).setObjectName("primary")  # before the style sheet polishes it
        self.setStyleSheet(WIZARD_STYLE)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Done")
        self.init_session(ctx)
        self.source_page = SourcePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.source_page, self.mapping_page, self.preview_page, self.summary_page):
            self.addPage(page)
        self.currentIdChanged.connect(self._on_current_id_changed)
        self.resize(980, 680)
        if path is not None:
            self.set_file(Path(path))

    def imported(self, summary: ImportSummary) -> None:
        """The import finished: remember it, tell the views, show the summary page."""
        self.summary = summary
        self.import_job = None
        self.ctx.status_posted.emit(f"Imported {summary.file}: {summary.headline()}")
        if summary.changed:
            self.ctx.notify(summary.changes)
        self.next()

    def file_read(self) -> None:
        """The file was read (or could not be): show it on the first page."""
        self.source_page.refresh()

    def _on_current_id_changed(self, _page_id: int) -> None:
        if self.currentPage() is self.source_page:
            self.source_page.refresh()

    def reject(self) -> None:
        if self.import_job is not None:
            return  # the progress dialog's Cancel stops an import; closing waits for it
        self.preview_page.cancel_check()
        super().reject()


def open_import_wizard(ctx: AppContext, parent: QWidget, path: Path | None = None) -> ImportWizard:
    """Open the wizard (window-modal, not blocking) and return it."""
    wizard = ImportWizard(ctx, path, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
