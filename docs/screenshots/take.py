"""Take the README's screenshots of the main views from a fresh demo portfolio.

Run from the repository: ``QT_QPA_PLATFORM=offscreen python docs/screenshots/take.py``. Each view
is grabbed at 1600×1000 in the light theme, the way a new user first sees it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QTabWidget

HERE = Path(__file__).resolve().parent
ACCOUNT = "Atlas Wellness"  # at risk, a success plan, renewal soon: the account 360 worth showing


def main() -> int:
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, tmp)
        from csdesk.db import open_portfolio
        from csdesk.services.accounts import find_account
        from csdesk.services.demo import build_demo
        from csdesk.views.main_window import MainWindow
        from csdesk.views.settings import Settings
        from csdesk.views.theme import apply_theme

        path = Path(tmp) / "demo.db"
        portfolio = open_portfolio(path)
        build_demo(portfolio)
        with portfolio.read() as session:
            account_id = find_account(session, ACCOUNT)
        portfolio.close()

        apply_theme(app, dark=False)
        window = MainWindow(Settings(Path(tmp) / "settings.ini"))
        window.resize(1600, 1000)
        window.open_portfolio(path, offer_welcome=False)
        window.show()

        def settle() -> None:
            for _ in range(20):
                app.processEvents()
            window.ctx.worker.wait(20000)
            for _ in range(20):
                app.processEvents()

        def grab(name: str) -> None:
            settle()
            window.grab().save(str(HERE / f"{name}.png"))
            print(f"saved {name}.png")

        for key in ("portfolio", "prospects", "renewals", "dashboard"):
            window.show_page(key)
            grab(key)
        page = window.show_page("health_model")
        page.run_button.click()  # type: ignore[attr-defined]
        grab("health-model")
        window.show_page("portfolio")
        window.open_account(account_id)
        settle()
        tabs = None
        for widget in window.findChildren(QTabWidget):
            if widget.accessibleName() == "Account sections":
                tabs = widget
        assert tabs is not None
        tabs.setCurrentIndex(0)
        grab("account")
        for i in range(tabs.count()):
            if tabs.tabText(i) == "Plan":
                tabs.setCurrentIndex(i)
        grab("account-plan")

        from csdesk.views.export.dialog import open_export_dialog

        dialog = open_export_dialog(window.ctx, account_id, [account_id], window)
        box = dialog.case_options
        box.preview_button.click()
        for _ in range(600):  # the preview renders on the worker thread
            if box.preview_images.count():
                break
            settle()
        settle()
        dialog.grab().save(str(HERE / "export-dialog.png"))
        print("saved export-dialog.png")
        dialog.close()
        window.close()
        settle()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
