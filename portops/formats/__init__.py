"""File formats: YAML schedules and checklists, EDIFACT, CSV."""
