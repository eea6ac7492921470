"""The import wizard: choose a file and kind, map columns, preview, import, summary."""
