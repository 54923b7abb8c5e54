"""Interim translation hook for berth screens until the console's gettext layer lands."""

from __future__ import annotations


def _(message: str) -> str:
    return message
