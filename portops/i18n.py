"""One translation layer for every text a person reads (gettext catalogs, English and 简体中文).

The core may use it too (it imports nothing from Textual). Mark a text with ``_("...")`` where
it is shown, or with ``N_("...")`` where it is declared once and translated later (command
titles, help texts): ``_`` looks the text up in the current language *when it is called*, so a
declaration must hold the English text and translate at display time.

Catalogs live in ``portops/locale/<lang>/LC_MESSAGES/portops.po`` and their compiled ``.mo``
(both are committed; ``python -m portops.i18n_tools compile`` rebuilds the ``.mo`` and a test
checks they agree). The language is chosen by setting or ``--lang`` through
:func:`set_language`; English is the source language and the fallback for anything missing.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

DOMAIN = "portops"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The languages shipped, code -> its own name (as a picker shows it).
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def normalize(lang: str | None) -> str:
    """Map what people type (``zh``, ``zh-CN``, ``zh_CN.UTF-8``, ``EN``) to a shipped code."""
    if not lang:
        return "en"
    code = lang.split(".")[0].replace("-", "_")
    for known in LANGUAGES:
        if code.lower() == known.lower():
            return known
    base = code.split("_")[0].lower()
    for known in LANGUAGES:
        if known.split("_")[0].lower() == base:
            return known
    raise ValueError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")


def set_language(lang: str | None) -> str:
    """Make ``lang`` the language of every later ``_()`` call; returns the code chosen."""
    global _current, _language
    code = normalize(lang)
    _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code
    return code


def language() -> str:
    """The code of the current language (``en`` or ``zh_CN``)."""
    return _language


def _(message: str) -> str:
    """``message`` in the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language."""
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (declarations)."""
    return message


#: A gettext function, handed to what renders text for a person (a report, a summary).
Translate = Callable[[str], str]


def as_is(message: str) -> str:
    """The English text as written: the default where a text goes to a log or a file."""
    return message
