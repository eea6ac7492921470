"""Widgets and Qt item models shared by several screens; no screen-specific code."""
