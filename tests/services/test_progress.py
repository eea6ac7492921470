"""The CLI's stderr progress: sparse lines when redirected, a redrawn line on a terminal."""

from __future__ import annotations

import io

from csdesk.services.progress import StderrProgress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_redirected_progress_writes_one_line_per_completed_phase() -> None:
    out = io.StringIO()
    progress = StderrProgress(out)
    progress.start(3, "Matching accounts")
    for done in (1, 2, 3):
        progress.advance(done)
    progress.start(2, "Writing metrics")
    progress.advance(2)
    progress.finish()
    assert out.getvalue().splitlines() == ["Matching accounts: 3/3", "Writing metrics: 2/2"]


def test_terminal_progress_redraws_one_line_and_ends_it() -> None:
    out = _Tty()
    progress = StderrProgress(out)
    progress.start(2, "Exporting")
    progress.advance(2)
    progress.finish()
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("Exporting: 2/2\n")
    assert "\r\x1b[K" in text
