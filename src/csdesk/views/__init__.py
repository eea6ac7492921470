"""The Qt desktop app: main window, pages, dialogs, item models (the only Qt code)."""
