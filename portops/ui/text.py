"""Kept for the berth screens' imports: the console's gettext layer (``portops.i18n``)."""

from portops.i18n import N_, _, ngettext

__all__ = ["N_", "_", "ngettext"]
