"""Read-only queries for screens and exports; they return plain dataclasses."""
