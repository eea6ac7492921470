"""The cold-start yardstick: a bare PySide6 window with a QTableView over N in-memory rows.

Run as a script (``python bare_table.py 100000``); prints ``bare ready <epoch seconds>`` once the
window is shown and the event loop idle, then quits — the same signal csdesk gives with
``CSDESK_QUIT_WHEN_IDLE=1``.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

HEADERS = ("Account", "Owner", "Tier", "ARR", "Health", "Band", "Renewal", "Open tasks")
Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of tuples."""

    def __init__(self, rows: list[tuple[object, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


def main() -> int:
    """Show the window, report readiness when idle, quit."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    app = QApplication(sys.argv[:1])
    rows: list[tuple[object, ...]] = [
        (f"Account {i:06d}", "Sam Lee", "Starter", 20000.0 + i, 80.5, "Good", "2026-06-01", 3)
        for i in range(count)
    ]
    window = QMainWindow()
    view = QTableView()
    view.setModel(RowsModel(rows))
    window.setCentralWidget(view)
    window.resize(1280, 800)
    window.show()

    def ready() -> None:
        print(f"bare ready {time.time():.6f}", flush=True)
        window.close()

    QTimer.singleShot(0, lambda: QTimer.singleShot(0, ready))
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
