"""The 360's ROI tab: inputs with a live recompute of value lines, scenarios, multiple, payback."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.scoring.roi import RoiResult, compute_roi
from csdesk.services.account_detail import ROI_FIELDS, AccountDetail, RoiLineRow
from csdesk.views.theme import icon
from csdesk.views.widgets.itemmodels import Column, RecordsModel, money
from csdesk.views.widgets.record_table import records_table

__all__ = ["RoiEditor", "format_number", "parse_number"]


def parse_number(text: str) -> float | None:
    """Read a typed number (``1,200.50``, ``1200``); empty text is None.

    Raises:
        ValueError: The text is not a number.
    """
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    return float(cleaned)


def format_number(value: Decimal | float | None) -> str:
    """A stored number as the editor shows it (no trailing zeros)."""
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


_BAD = "border: 1px solid #d64545;"


def _payback(months: float | None) -> str:
    return "—" if months is None else f"{months:.1f} months"


def _amount(value: float) -> str:
    """A yearly amount: whole numbers as ``74,520``, cents only where there are some."""
    return money(value, 0 if float(value).is_integer() else 2)


LINE_COLUMNS = (
    Column("Value line", lambda v: v.label),
    Column("Per year", lambda v: _amount(v.amount), align_right=True),
)
CUSTOM_COLUMNS = (
    Column("Custom line", lambda r: r.label),
    Column("Per year", lambda r: _amount(r.amount), align_right=True),
)
SCENARIO_COLUMNS = (
    Column("Scenario", lambda s: f"{s.name.capitalize()} ×{s.factor:g}"),
    Column("Value", lambda s: money(s.total_value), align_right=True),
    Column(
        "Multiple", lambda s: "—" if s.multiple is None else f"{s.multiple:.2f}×", align_right=True
    ),
    Column(
        "Net value", lambda s: "—" if s.net_value is None else money(s.net_value), align_right=True
    ),
    Column("Payback", lambda s: _payback(s.payback_months), align_right=True),
)


class RoiEditor(QWidget):
    """ROI inputs, custom lines and the figures they give, recomputed as the user types.

    Signals:
        input_committed(str, str, object): field, label and new value (float or None).
        line_added(str, float): a custom line to add.
        line_updated(int, str, float): a custom line's id, new label and amount.
        line_removed(int, str): a custom line's id and label.
    """

    input_committed = Signal(str, str, object)
    line_added = Signal(str, float)
    line_updated = Signal(int, str, float)
    line_removed = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: AccountDetail | None = None
        self.inputs: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for field, label in ROI_FIELDS:
            edit = QLineEdit()
            edit.setAccessibleName(label)
            edit.setPlaceholderText("not set")
            edit.textEdited.connect(self._on_input_edited)
            edit.editingFinished.connect(lambda f=field: self._on_input_finished(f))
            self.inputs[field] = edit
            form.addRow(label, edit)
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)

        self.custom = RecordsModel(CUSTOM_COLUMNS, self)
        self.custom_table = records_table(
            self.custom,
            "Custom value lines",
            stretch=0,
            empty_text="No custom lines. Add one below: a label and an amount per year.",
        )
        self.custom_table.setMaximumHeight(150)
        self.custom_table.selectionModel().currentRowChanged.connect(self._on_custom_selected)
        self.line_label = QLineEdit()
        self.line_label.setPlaceholderText("Label, e.g. Licences retired")
        self.line_label.setAccessibleName("Custom line label")
        self.line_amount = QLineEdit()
        self.line_amount.setPlaceholderText("Amount / year")
        self.line_amount.setAccessibleName("Custom line amount")
        self.add_line = QPushButton(icon("add"), "Add")
        self.add_line.clicked.connect(self._on_add_line)
        self.update_line = QPushButton("Update")
        self.update_line.clicked.connect(self._on_update_line)
        self.remove_line = QPushButton(icon("remove"), "Remove")
        self.remove_line.clicked.connect(self._on_remove_line)
        line_fields = QHBoxLayout()
        line_fields.addWidget(self.line_label, 3)
        line_fields.addWidget(self.line_amount, 2)
        line_bar = QHBoxLayout()
        line_bar.addStretch(1)
        line_bar.addWidget(self.add_line)
        line_bar.addWidget(self.update_line)
        line_bar.addWidget(self.remove_line)

        left = QVBoxLayout()
        left.addWidget(self._title("Inputs"))
        left.addLayout(form)
        left.addWidget(self.hint)
        left.addSpacing(8)
        left.addWidget(self._title("Custom value lines"))
        left.addWidget(self.custom_table)
        left.addLayout(line_fields)
        left.addLayout(line_bar)
        left.addStretch(1)

        self.lines = RecordsModel(LINE_COLUMNS, self)
        self.lines_table = records_table(
            self.lines,
            "Value lines",
            stretch=0,
            empty_text="No value lines yet. Fill in both inputs of a line (QA hours and hourly "
            "rate, or incidents avoided and cost per incident), revenue protected, or a custom "
            "line.",
        )
        self.lines_table.setMaximumHeight(170)
        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        grid.setContentsMargins(4, 8, 4, 0)
        for i, (key, caption) in enumerate(
            (
                ("total", "Total value / year"),
                ("cost", "Cost (ARR)"),
                ("multiple", "ROI multiple"),
                ("net", "Net value"),
                ("payback", "Payback"),
            )
        ):
            cap = QLabel(caption)
            cap.setObjectName("muted")
            value = QLabel("—")
            value.setObjectName("figureValue")
            value.setAccessibleName(caption)
            self.figures[key] = value
            grid.addWidget(cap, 0, i)
            grid.addWidget(value, 1, i)
        self.scenarios = RecordsModel(SCENARIO_COLUMNS, self)
        self.scenario_table = records_table(
            self.scenarios,
            "ROI scenarios",
            stretch=0,
            empty_text="Scenarios appear once there is a value line.",
        )
        self.scenario_table.setMaximumHeight(130)
        self.reason = QLabel()
        self.reason.setObjectName("muted")
        right = QVBoxLayout()
        right.addWidget(self._title("Value"))
        right.addWidget(self.lines_table)
        right.addLayout(grid)
        right.addWidget(self.reason)
        right.addSpacing(6)
        right.addWidget(self._title("Scenarios"))
        right.addWidget(self.scenario_table)
        right.addStretch(1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(24)
        layout.addLayout(left, 5)
        layout.addLayout(right, 6)

    @staticmethod
    def _title(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        return label

    # -- showing ---------------------------------------------------------------------------

    def set_detail(self, detail: AccountDetail) -> None:
        """Show an account's stored ROI inputs and figures."""
        self.detail = detail
        for field, edit in self.inputs.items():
            if not edit.hasFocus() or not edit.isModified():
                edit.setText(format_number(detail.roi.values.get(field)))
                edit.setModified(False)
            edit.setStyleSheet("")
        self.custom.set_records(detail.roi.lines)
        self.hint.setText("QA hours are a metric: a value entered here is recorded as of today.")
        self.show_result(detail.roi_result)
        self._on_custom_selected()

    def show_result(self, result: RoiResult) -> None:
        """Show computed figures (stored or previewed)."""
        self.lines.set_records(list(result.lines))
        self.scenarios.set_records(list(result.scenarios) if result.lines else [])
        self.figures["total"].setText(money(result.total_value))
        self.figures["cost"].setText(money(result.cost) or "—")
        self.figures["multiple"].setText(
            "—" if result.multiple is None else f"{result.multiple:.2f}×"
        )
        self.figures["net"].setText("—" if result.net_value is None else money(result.net_value))
        self.figures["payback"].setText(_payback(result.payback_months))
        notes = []
        if result.reason:
            notes.append(f"No ROI: {result.reason}.")
        if result.incomplete:
            notes.append(f"Needs both its inputs: {', '.join(result.incomplete)}.")
        self.reason.setText(" ".join(notes))

    def current_result(self) -> RoiResult | None:
        """The figures for what the inputs hold now (typed but not yet saved included)."""
        if self.detail is None:
            return None
        overrides: dict[str, float | None] = {}
        for field, edit in self.inputs.items():
            try:
                overrides[field] = parse_number(edit.text())
            except ValueError:
                edit.setStyleSheet(_BAD)
                return None
            edit.setStyleSheet("")
        return compute_roi(self.detail.roi.inputs(overrides), self.detail.header.arr)

    # -- editing ---------------------------------------------------------------------------

    def _on_input_edited(self, _text: str) -> None:
        result = self.current_result()
        if result is not None:
            self.show_result(result)

    def _on_input_finished(self, field: str) -> None:
        edit = self.inputs[field]
        if self.detail is None or not edit.isModified():
            return
        edit.setModified(False)
        try:
            value = parse_number(edit.text())
        except ValueError:
            edit.setStyleSheet(_BAD)
            return
        if value != self.detail.roi.values.get(field):
            self.input_committed.emit(field, dict(ROI_FIELDS)[field], value)

    def _selected_line(self) -> RoiLineRow | None:
        index = self.custom_table.currentIndex()
        record = self.custom.record(index.row()) if index.isValid() else None
        return record if isinstance(record, RoiLineRow) else None

    def _on_custom_selected(self, *_args: object) -> None:
        line = self._selected_line()
        self.update_line.setEnabled(line is not None)
        self.remove_line.setEnabled(line is not None)
        if line is not None:
            self.line_label.setText(line.label)
            self.line_amount.setText(format_number(line.amount))

    def _line_values(self) -> tuple[str, float] | None:
        label = self.line_label.text().strip()
        try:
            amount = parse_number(self.line_amount.text())
        except ValueError:
            amount = None
        if not label or amount is None:
            self.line_amount.setStyleSheet("" if label else _BAD)
            return None
        self.line_amount.setStyleSheet("")
        return label, amount

    def _on_add_line(self) -> None:
        values = self._line_values()
        if values is not None:
            self.line_added.emit(*values)
            self.line_label.clear()
            self.line_amount.clear()

    def _on_update_line(self) -> None:
        line, values = self._selected_line(), self._line_values()
        if line is not None and values is not None:
            self.line_updated.emit(line.id, *values)

    def _on_remove_line(self) -> None:
        line = self._selected_line()
        if line is not None:
            self.line_removed.emit(line.id, line.label)

    def set_editable(self, editable: bool) -> None:
        """Enable or disable every input."""
        for widget in (
            *self.inputs.values(),
            self.line_label,
            self.line_amount,
            self.add_line,
            self.update_line,
            self.remove_line,
        ):
            widget.setEnabled(editable)
        if editable:
            self._on_custom_selected()  # Update and Remove need a selected line
