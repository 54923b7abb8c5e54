"""Widgets shared by screens (frame, tables, charts)."""
