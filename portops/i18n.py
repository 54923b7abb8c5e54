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


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language as meant in ``context`` (gettext's ``msgctxt``):
    one English word that means two things ("import": a file read in, 导入; a box landed
    here, 进口) is two texts to translate."""
    return _current.pgettext(context, message)


def NC_(context: str, message: str) -> str:
    """Mark ``message`` in ``context`` for translation without translating it now; show it
    with ``pgettext(context, message)``."""
    return message


#: A gettext function, handed to what renders text for a person (a report, a summary).
Translate = Callable[[str], str]


def as_is(message: str) -> str:
    """The English text as written: the default where a text goes to a log or a file."""
    return message


# -- values that are words -------------------------------------------------------------------
class Term(str):
    """A value that is itself an English word to translate when shown (a phase, a role, a
    hold's title), unlike a container number or a visit key, which stay as they are."""

    __slots__ = ()


#: Between the items of a list in a sentence (Chinese uses "、").
LIST_SEPARATOR = N_(", ")


class Terms(tuple):
    """Several words to translate, named together ("dispatcher, gate clerk"): each is
    translated when shown and joined with the language's own list separator."""

    __slots__ = ()
    SEPARATOR = LIST_SEPARATOR

    def __str__(self) -> str:
        return self.SEPARATOR.join(self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def localized(self, translate: Translate) -> str:
        return translate(self.SEPARATOR).join(translate(t) for t in self)


class Choices(Terms):
    """Words to translate of which one is meant ("arrived or cancelled")."""

    __slots__ = ()
    SEPARATOR = N_(" or ")


class Texts(str):
    """A value that brings its own text per language because no catalog holds it: a site's
    checklist step title from its YAML (``{en: ..., zh: ...}``), a step's number. ``str()`` is
    the English; :func:`localized_value` picks the language ``translate`` speaks (``zh_CN``
    finds ``zh_CN``, then ``zh``), falling back to the English."""

    texts: dict[str, str]

    def __new__(cls, english: str, **texts: str) -> Texts:
        obj = super().__new__(cls, english)
        obj.texts = {k: v for k, v in texts.items() if v}
        return obj

    def localized(self, translate: Translate) -> str:
        lang = "en" if translate is as_is else _language
        return self.texts.get(lang) or self.texts.get(lang.split("_")[0]) or str(self)


class Said(str):
    """A sentence that is its English text (``str``: compared, joined, logged and tested as
    before) and also keeps its English template and values, so that where it is shown it
    can be said in the reader's language: what an imported file is told about itself
    (``FILE:LINE: ...``), which passes through parsers and exceptions as plain ``str``.
    A value that is itself a :class:`Said` is translated too."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> Said:
        obj = super().__new__(cls, template.format(**params) if params else template)
        obj.template, obj.params = template, params
        return obj

    def localized(self, translate: Translate) -> str:
        if translate is as_is:
            return str(self)
        try:
            text = translate(self.template)
            if not self.params:
                return text
            return text.format(
                **{k: localized_value(v, translate) for k, v in self.params.items()})
        except (KeyError, IndexError, ValueError):  # a translation naming another value
            return str(self)


def localized_value(value: object, translate: Translate) -> object:
    """A template's value as shown in ``translate``'s language (words translated)."""
    if isinstance(value, Said):
        return value.localized(translate)
    if isinstance(value, Texts):
        return value.localized(translate)
    if isinstance(value, Term):
        return translate(value)
    if isinstance(value, Terms):
        return value.localized(translate)
    return value


class Message:
    """A sentence for a person kept as its English template and values, so it is shown in
    whatever language reads it (an import's notes, what changed in a plan); ``str()`` is the
    English, for logs and events."""

    __slots__ = ("template", "params")

    def __init__(self, template: str, **params: object) -> None:
        self.template, self.params = template, params

    def text(self, translate: Translate = as_is) -> str:
        return translate(self.template).format(
            **{k: localized_value(v, translate) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Message({self.text()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.template, self.params) == (
            other.template, other.params)

    def __hash__(self) -> int:
        return hash(self.template)


# -- dates -------------------------------------------------------------------------------------
#: How a day and time read ("27 Nov 14:00"; Chinese "11-27 14:00"): strftime patterns, so a
#: language can reorder them. Only ASCII in the translations: the berth chart draws one
#: character per cell.
DAY_TIME = N_("%d %b %H:%M")
DAY_MONTH = N_("%d %b")
WEEKDAY_DAY_MONTH = N_("%a %d %b")


def stamp(moment: object, translate: Translate = as_is, pattern: str = DAY_TIME) -> str:
    """``moment`` (a datetime, already in the zone to show) in the language's pattern."""
    return moment.strftime(translate(pattern))  # type: ignore[attr-defined]
