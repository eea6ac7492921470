"""The import wizard's choices and the services it runs, apart from its pages.

:class:`ImportSession` keeps the file, sheet, kind, one field per column and the date order,
reads the file on the worker thread (once; another kind lays the same rows out again), and runs
``preview_file``, the dry run, the import and the saved mappings. The pages are written against
it, never against the wizard, so the wizard module imports the pages and not the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shiboken6 import isValid

from csdesk.errors import CsdeskError
from csdesk.importing.headers import field_type
from csdesk.importing.inspect import FileView, inspect_file, inspect_table
from csdesk.importing.readers import Table
from csdesk.services.import_values import UnknownValue, unknown_values
from csdesk.services.importer import (
    ColumnMapping,
    ImportPreview,
    ImportSummary,
    NamedMapping,
    delete_mapping,
    import_file,
    list_mappings,
    preview_file,
    save_mapping,
)

if TYPE_CHECKING:
    from csdesk.views.page import AppContext
    from csdesk.views.workers import Job

__all__ = ["ImportSession"]


class ImportSession:
    """The state of one import and the operations on it (mixed into the wizard).

    Attributes:
        ctx: The app context (portfolio, writer thread, change notification).
        path: The chosen file.
        found: What was read of it (None until it is read, or when it cannot be).
        file_error: Why it cannot be read.
        reading: True while the file is being read on the worker thread.
        kind: The kind of records to import.
        choices: The field chosen for each column ("" = ignore).
        mapping_name: The saved mapping in use.
        date_order: ``DMY``/``MDY`` chosen by the user (None: decided from the file).
        value_maps: Column header → value in the file → value to read instead.
        unknown: The file's unknown values found after the mapping page (the values page).
        summary: The import's summary once it ran.
        import_job: The running import.
    """

    ctx: AppContext

    def init_session(self, ctx: AppContext) -> None:
        """Start with no file (call once, from the wizard's ``__init__``)."""
        self.ctx = ctx
        self.path: Path | None = None
        self.found: FileView | None = None
        self.file_error: str | None = None
        self.reading = False
        self.kind = "accounts"
        self.choices: list[str] = []
        self.mapping_name: str | None = None
        self.date_order: str | None = None
        self.value_maps: dict[str, dict[str, str]] = {}
        self.unknown: list[UnknownValue] = []
        self.summary: ImportSummary | None = None
        self.import_job: Job | None = None
        self._saved: dict[str, NamedMapping] = {}
        self._table: Table | None = None
        self._reads = 0

    def file_read(self) -> None:
        """Called on the GUI thread once a read started by :meth:`set_file`/:meth:`set_kind`
        ended (``found`` or ``file_error`` tell how)."""

    def imported(self, summary: ImportSummary) -> None:
        """Called when the import finished."""
        raise NotImplementedError

    # -- the file --------------------------------------------------------------------------

    def set_file(self, path: Path | None, sheet: str | None = None) -> None:
        """Read ``path`` (and ``sheet``) on the worker thread: the kind is detected and the
        columns recognised; :meth:`file_read` follows."""
        self.path, self.found, self.file_error, self._table = path, None, None, None
        self.mapping_name, self.date_order = None, None
        self.value_maps, self.unknown = {}, []
        if path is None:
            self._reads += 1
            self.reading = False
            return
        self._read(path, lambda: inspect_file(path, sheet, None), None)

    def set_kind(self, kind: str) -> None:
        """Import the file as ``kind``: its rows (not read again) are recognised for it."""
        path, table = self.path, self._table
        if path is None or table is None or self.found is None or kind == self.kind:
            return
        self._read(path, lambda: (table, inspect_table(path, table, kind)), kind)

    def _read(
        self, path: Path, read: Callable[[], tuple[Table, FileView]], kind: str | None
    ) -> None:
        self._reads += 1
        ticket = self._reads
        self.reading = True

        def done(result: tuple[Table, FileView]) -> None:
            if not isValid(self) or ticket != self._reads:
                return  # the wizard closed, or another file or kind was chosen meanwhile
            self.reading = False
            self._table, self.found = result
            self.file_error = None
            if kind is None:
                self.kind = self.found.detected_kind
                self.ctx.settings.remember_folder("import", path.resolve().parent)
            else:
                self.kind, self.mapping_name = kind, None
            self.choices = [field or "" for field in self.found.auto]
            self.file_read()

        def failed(exc: BaseException) -> None:
            if not isValid(self) or ticket != self._reads:
                return
            self.reading = False
            if isinstance(exc, CsdeskError):
                self.file_error = str(exc)
            elif isinstance(exc, OSError):
                self.file_error = f"{path.name}: cannot be read ({exc.strerror or exc})"
            else:
                self.file_error = f"{path.name}: {type(exc).__name__}: {exc}"
            self.file_read()

        self.ctx.worker.submit(
            lambda _progress: read(), f"Reading {path.name}", on_done=done, on_error=failed
        )

    # -- the mapping -----------------------------------------------------------------------

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
        values = {header: dict(table) for header, table in self.value_maps.items() if table}
        return ColumnMapping(self.kind, columns, self.date_order, values)

    def find_unknown_values(self) -> list[UnknownValue]:
        """The whole file's values its columns do not know with the current choices (those
        with known values to choose from), kept in ``unknown`` for the values page."""
        assert self.path is not None and self.found is not None
        try:
            found = unknown_values(
                self.path,
                kind=self.kind,
                mapping=self.mapping(),
                sheet=self.found.sheet,
                date_order=self.date_order,
                portfolio=self.ctx.portfolio,
                table=self._table,  # read once, when the file was chosen
            )
        except CsdeskError:
            found = []
        self.unknown = [u for u in found if u.choices]
        return self.unknown

    def check_mapping(self) -> str | None:
        """Why the file cannot be imported with the current choices, or None."""
        assert self.path is not None and self.found is not None
        try:
            self.preview(limit=1)
        except CsdeskError as exc:
            return str(exc)
        return None

    def preview(self, limit: int) -> ImportPreview:
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
            table=self._table,  # read once, when the file was chosen
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
        """Apply a saved mapping's fields and date order (None: back to recognition).

        A saved mapping of another kind changes the kind first (the file is laid out again
        on the worker thread; the mapping is applied once it has been).
        """
        assert self.found is not None
        if name is None or name not in self._saved:
            self.mapping_name, self.date_order, self.value_maps = None, None, {}
            self.choices = [field or "" for field in self.found.auto]
            return
        mapping = self._saved[name].mapping
        if mapping.kind and mapping.kind != self.kind and self._table is not None:
            path, table, kind = self.found.path, self._table, mapping.kind
            self._table, self.found = table, inspect_table(path, table, kind)
            self.kind = kind
        self.mapping_name, self.date_order = name, mapping.date_order
        self.value_maps = {column: dict(table) for column, table in mapping.values.items()}
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
        kind, date_order = self.kind, self.date_order
        return self.ctx.worker.submit(
            lambda progress: import_file(
                portfolio,
                path,
                kind=kind,
                mapping=mapping,
                sheet=found.sheet,
                date_order=date_order,
                dry_run=dry_run,
                progress=progress,
            ),
            label,
            on_done=on_done,
            on_error=on_error,
        )
