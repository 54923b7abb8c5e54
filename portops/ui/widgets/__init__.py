"""Reusable widgets: berth chart, checklist, ..."""
