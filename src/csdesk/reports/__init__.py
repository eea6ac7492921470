"""Renewal business cases and portfolio workbooks: data assembly, PDF, Excel and charts."""
