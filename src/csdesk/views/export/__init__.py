"""The export dialog: business case, batch and portfolio workbook."""
