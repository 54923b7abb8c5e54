"""Planners: pure functions over plain data (berths, work plan, crane split, yard, BRP)."""
