"""portops: a terminal operating system for container terminals.

The package splits in two: the *core* (``model``, ``ops``, ``codes``, ``db``, planners and file
formats) never imports Textual, and the console under ``portops.ui`` only reads through queries
and changes things by calling operations from ``portops.ops``.
"""

__version__ = "0.1.0"
