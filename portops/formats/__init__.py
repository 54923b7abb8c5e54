"""File formats: what portops reads from and writes to other systems."""
