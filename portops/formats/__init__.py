"""File formats: YAML schedules, EDIFACT messages, CSV feeds."""
