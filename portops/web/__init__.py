"""The console in a browser (``portops serve``): the same Textual console, served by
textual-serve. Not part of the core: it may import Textual and web libraries."""
