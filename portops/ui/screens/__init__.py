"""Screens, one module per area (and its drill-downs and modals)."""
