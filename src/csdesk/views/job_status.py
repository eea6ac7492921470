"""The status-bar strip that shows the running job's progress and lets the user cancel it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from csdesk.views.workers import Worker

__all__ = ["JobStatus"]


class JobStatus(QWidget):
    """Label, progress bar and Cancel button for the writer thread's current job."""

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(200)
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel the running task")
        self.cancel.clicked.connect(self._on_cancel_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        worker.progressed.connect(self._on_worker_progressed)
        worker.busy_changed.connect(self._on_worker_busy_changed)
        self.hide()

    def _on_worker_busy_changed(self, busy: bool) -> None:
        job = self.worker.current
        if busy and job is not None:
            self.label.setText(f"{job.label}…")
            self.bar.setRange(0, 0)
            self.cancel.setEnabled(True)
        self.setVisible(busy)

    def _on_worker_progressed(self, label: str, done: int, total: int) -> None:
        self.label.setText(f"{label}…" if label else self.label.text())
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)

    def _on_cancel_clicked(self) -> None:
        self.worker.cancel_all()
        self.cancel.setEnabled(False)
        self.label.setText("Cancelling…")
