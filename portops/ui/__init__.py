"""The Textual console: screens, widgets, commands, messages."""
