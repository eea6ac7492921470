"""The import wizard: file → sheet and kind → column mapping → preview → import → summary.

The wizard keeps the choices (file, sheet, kind, one field per column, date order) and runs the
services: ``preview_file`` for what the pages show, a dry run and the import itself on the
window's writer thread, saved mappings. The pages live in ``import_wizard_pages``,
``import_wizard_preview`` and ``import_wizard_summary``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget, QWizard
from shiboken6 import isValid

from csdesk.errors import CsdeskError
from csdesk.importing.headers import field_type, recognise
from csdesk.importing.kinds import likely_kind
from csdesk.importing.readers import read_table
from csdesk.importing.values import cell_text
from csdesk.services.importer import (
    ColumnMapping,
    ImportFileError,
    ImportSummary,
    NamedMapping,
    delete_mapping,
    import_file,
    list_mappings,
    preview_file,
    save_mapping,
)
from csdesk.views.import_wizard_pages import MappingPage, SourcePage
from csdesk.views.import_wizard_preview import PreviewPage
from csdesk.views.import_wizard_summary import SummaryPage
from csdesk.views.workers import Job

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = ["FileView", "ImportWizard", "inspect_file", "open_import_wizard"]

SAMPLE_ROWS = 20
SAMPLES_SHOWN = 3
HEADER_SEARCH_ROWS = 30
_ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}
WIZARD_STYLE = """
QTableWidget QComboBox { margin: 3px 8px 3px 0; padding: 2px 8px; }
"""


@dataclass(frozen=True, slots=True)
class FileView:
    """What the wizard read of a file, for the source and mapping pages.

    Attributes:
        path: The file.
        sheets: Its worksheets (empty for text files).
        sheet: The worksheet read.
        detected_kind: The kind its headers suggest.
        header_row: Spreadsheet number of the header row.
        headers: The header of each column.
        auto: The field each column feeds without a mapping (None: unknown).
        samples: A few values of each column, as one line.
        problem: Why the file cannot be imported without a mapping (None when it can).
        encoding: Text encoding (text files).
        delimiter: Field delimiter (text files).
    """

    path: Path
    sheets: tuple[str, ...]
    sheet: str | None
    detected_kind: str
    header_row: int
    headers: list[str]
    auto: list[str | None]
    samples: list[str]
    problem: str | None
    encoding: str | None = None
    delimiter: str | None = None

    def describe(self) -> str:
        """One line about the file's format and layout."""
        parts = [f"{len(self.headers)} columns, headers on row {self.header_row}"]
        if self.encoding:
            names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
            delimiter = names.get(self.delimiter or "", repr(self.delimiter))
            encoding = _ENCODINGS.get(self.encoding.lower(), self.encoding)
            parts.append(f"{encoding} text, {delimiter}-separated")
        elif self.sheets:
            parts.append(f"{len(self.sheets)} sheet{'s' if len(self.sheets) > 1 else ''}")
        return " · ".join(parts)


def _samples(rows: list[tuple[str, ...]], width: int) -> list[str]:
    out = []
    for column in range(width):
        seen: list[str] = []
        for cells in rows:
            value = cells[column] if column < len(cells) else ""
            if value and value not in seen:
                seen.append(value)
            if len(seen) == SAMPLES_SHOWN:
                break
        out.append(" · ".join(seen))
    return out


def inspect_file(path: Path, sheet: str | None, kind: str | None) -> FileView:
    """Read a file's columns as the import would recognise them (no mapping).

    When the import could not lay the file out (too few known columns, no key column), the
    first non-empty row is taken as the header and ``problem`` says what is missing, so the
    user can map the columns.

    Raises:
        ImportFileError: the file cannot be read at all.
    """
    try:
        preview = preview_file(path, kind=kind, sheet=sheet, limit=SAMPLE_ROWS)
    except ImportFileError as exc:
        table = read_table(path, sheet)
        rows = table.rows[:HEADER_SEARCH_ROWS]
        index = next((i for i, r in enumerate(rows) if any(cell_text(c) for c in r)), None)
        if index is None:
            raise
        headers = [cell_text(c) for c in table.rows[index]]
        kind = kind or likely_kind(headers)
        data = [tuple(cell_text(c) for c in r) for r in table.rows[index + 1 : index + SAMPLE_ROWS]]
        return FileView(
            path=path,
            sheets=table.sheets,
            sheet=table.sheet,
            detected_kind=likely_kind(headers),
            header_row=table.first_row + index,
            headers=headers,
            auto=[recognise(h, kind) if h else None for h in headers],
            samples=_samples(data, len(headers)),
            problem=str(exc),
            encoding=table.encoding,
            delimiter=table.delimiter,
        )
    return FileView(
        path=path,
        sheets=preview.sheets,
        sheet=preview.sheet,
        detected_kind=preview.detected_kind,
        header_row=preview.header_row,
        headers=[c.header for c in preview.columns],
        auto=[c.field for c in preview.columns],
        samples=_samples([r.cells for r in preview.rows], len(preview.columns)),
        problem=None,
        encoding=preview.encoding,
        delimiter=preview.delimiter,
    )


class ImportWizard(QWizard):
    """Import a spreadsheet into the open portfolio, step by step.

    Args:
        ctx: The app context (portfolio, writer thread, change notification).
        path: A file to start with (dropped on the window), or None to choose one.

    Signals:
        (QWizard's) ``finished(int)`` when closed.
    """

    def __init__(self, ctx: AppContext, path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
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
        self.path: Path | None = None
        self.found: FileView | None = None
        self.file_error: str | None = None
        self.kind = "accounts"
        self.choices: list[str] = []
        self.mapping_name: str | None = None
        self.date_order: str | None = None
        self.summary: ImportSummary | None = None
        self.import_job: Job | None = None
        self._saved: dict[str, NamedMapping] = {}
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

    # -- choices ---------------------------------------------------------------------------

    def set_file(self, path: Path | None, sheet: str | None = None) -> None:
        """Read ``path`` (and ``sheet``): the kind is detected and the columns recognised."""
        self.path, self.found, self.file_error = path, None, None
        self.mapping_name, self.date_order = None, None
        if path is None:
            return
        try:
            self.found = inspect_file(path, sheet, None)
        except CsdeskError as exc:
            self.file_error = str(exc)
            return
        except OSError as exc:
            self.file_error = f"{path.name}: cannot be read ({exc.strerror or exc})"
            return
        self.kind = self.found.detected_kind
        self.choices = [field or "" for field in self.found.auto]
        self.ctx.settings.remember_folder("import", path.resolve().parent)

    def set_kind(self, kind: str) -> None:
        """Import the file as ``kind``: the columns are recognised again for it."""
        if self.path is None or self.found is None or kind == self.kind:
            return
        try:
            found = inspect_file(self.path, self.found.sheet, kind)
        except CsdeskError as exc:
            self.file_error = str(exc)
            return
        self.kind, self.found = kind, found
        self.choices = [field or "" for field in found.auto]
        self.mapping_name = None

    def mapping(self) -> ColumnMapping:
        """The mapping the choices make: the columns whose field differs from the recognised one.

        Columns left as recognised are not written, so unknown columns the user left alone
        are still reported as ignored, and a saved mapping stays short.
        """
        assert self.found is not None
        columns: dict[str, str] = {}
        for header, auto, chosen in zip(
            self.found.headers, self.found.auto, self.choices, strict=True
        ):
            if header and chosen != (auto or ""):
                columns[header] = chosen
        return ColumnMapping(self.kind, columns, self.date_order)

    def check_mapping(self) -> str | None:
        """Why the file cannot be imported with the current choices, or None."""
        assert self.path is not None and self.found is not None
        try:
            self.preview(limit=1)
        except CsdeskError as exc:
            return str(exc)
        return None

    def preview(self, limit: int) -> Any:
        """``preview_file`` with the current choices.

        Raises:
            ImportFileError: the file cannot be imported with them.
        """
        assert self.path is not None and self.found is not None
        return preview_file(
            self.path,
            kind=self.kind,
            mapping=self.mapping(),
            sheet=self.found.sheet,
            date_order=self.date_order,
            limit=limit,
            portfolio=self.ctx.portfolio,
        )

    # -- saved mappings --------------------------------------------------------------------

    def saved_mapping_names(self) -> list[str]:
        """The names of the portfolio's saved mappings."""
        if self.ctx.portfolio is None:
            return []
        try:
            self._saved = {m.name: m for m in list_mappings(self.ctx.portfolio)}
        except CsdeskError as exc:
            self.ctx.report(exc)
            self._saved = {}
        return sorted(self._saved)

    def use_saved_mapping(self, name: str | None) -> None:
        """Apply a saved mapping's kind, fields and date order (None: back to recognition)."""
        assert self.found is not None
        if name is None or name not in self._saved:
            self.mapping_name, self.date_order = None, None
            self.choices = [field or "" for field in self.found.auto]
            return
        mapping = self._saved[name].mapping
        if mapping.kind:
            self.set_kind(mapping.kind)
        self.mapping_name, self.date_order = name, mapping.date_order
        choices = []
        for header, auto in zip(self.found.headers, self.found.auto, strict=True):
            target = mapping.target(header) if header else None
            if target is None:
                target = auto or ""
            choices.append(target if not target or field_type(self.kind, target) else "")
        self.choices = choices

    def save_mapping(self, name: str, on_saved: Callable[[], None]) -> None:
        """Save the current choices as ``name`` (on the writer thread)."""
        portfolio, mapping = self.ctx.portfolio, self.mapping()
        if portfolio is None:
            return

        def saved(_result: object) -> None:
            if not isValid(self):  # the wizard was closed meanwhile
                return
            self.mapping_name = name
            self.ctx.status_posted.emit(f"Saved the mapping {name}")
            on_saved()

        self.ctx.worker.submit(
            lambda _progress: save_mapping(portfolio, name, mapping),
            f"Saving the mapping {name}",
            on_done=saved,
            on_error=self.ctx.report,
        )

    def delete_mapping(self, name: str, on_deleted: Callable[[], None]) -> None:
        """Delete the saved mapping ``name`` (on the writer thread)."""
        portfolio = self.ctx.portfolio
        if portfolio is None:
            return
        if self.mapping_name == name:
            self.mapping_name = None
        self.ctx.worker.submit(
            lambda _progress: delete_mapping(portfolio, name),
            f"Deleting the mapping {name}",
            on_done=lambda _result: on_deleted() if isValid(self) else None,
            on_error=self.ctx.report,
        )

    # -- import ----------------------------------------------------------------------------

    def run(self, *, dry_run: bool, on_done: Callable[[ImportSummary], None], on_error: Any) -> Job:
        """Import (or dry-run) the file with the current choices on the writer thread."""
        portfolio = self.ctx.portfolio
        path, found, mapping = self.path, self.found, self.mapping()
        if portfolio is None or path is None or found is None:
            raise CsdeskError("open a portfolio and choose a file first")
        label = f"{'Checking' if dry_run else 'Importing'} {path.name}"
        return self.ctx.worker.submit(
            lambda progress: import_file(
                portfolio,
                path,
                kind=self.kind,
                mapping=mapping,
                sheet=found.sheet,
                date_order=self.date_order,
                dry_run=dry_run,
                progress=progress,
            ),
            label,
            on_done=on_done,
            on_error=on_error,
        )

    def imported(self, summary: ImportSummary) -> None:
        """The import finished: remember it, tell the views, show the summary page."""
        from csdesk.services.changes import Changes

        self.summary = summary
        self.import_job = None
        self.ctx.status_posted.emit(f"Imported {summary.file}: {summary.headline()}")
        if summary.changed:
            self.ctx.notify(Changes(everything=True).merged(summary.changes or Changes()))
        self.next()

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
