"""One module per area of work."""
