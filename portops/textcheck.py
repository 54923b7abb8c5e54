"""Length and shape of every field a person types: one mechanism for the whole core.

A 600-character pilot name and a 400-character plate were stored once (the plate broke the
appointment table): nothing limited free text. Each typed field now has a *kind* (plate,
driver ID, seal, reference, person name, free note) with a length and the characters it may
hold. :func:`problem` says what is wrong with a value as a translatable sentence; operations
state it as a rule with :func:`rule` (``tx.rule`` underneath, so a refusal lists it with every
other unmet rule); the console caps its fields at the same lengths (``Kind.max_len``).

The sentences name the field and what is wrong (too long by how much, which character is not
allowed), never the whole value: a 400-character value does not belong in a refusal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from portops.i18n import N_


@dataclass(frozen=True)
class Kind:
    """A kind of typed field: its name (a word to translate), its longest value, and the
    characters it may hold (``allowed`` says which, for the clerk)."""

    name: str
    max_len: int
    pattern: re.Pattern[str] | None  # None: any printable text
    allowed: str


# CJK unified ideographs: Chinese plates start with a province's character (沪A12345).
_CJK = "\u4e00-\u9fff"

PLATE = Kind(N_("plate"), 16, re.compile(rf"[0-9A-Za-z{_CJK} ·.\-]*"),
             N_("letters, digits, spaces and - · ."))
DRIVER_ID = Kind(N_("driver ID"), 32, re.compile(r"[0-9A-Za-z\-/ ]*"),
                 N_("letters, digits, spaces and - /"))
#: One seal or several, separated by commas or semicolons (the field holds them all).
SEAL = Kind(N_("seal"), 128, re.compile(r"[0-9A-Za-z\-/ ,;]*"),
            N_("letters, digits, spaces and - / , ;"))
REFERENCE = Kind(N_("reference"), 35, re.compile(r"[0-9A-Za-z\-/._ ]*"),
                 N_("letters, digits, spaces and - / . _"))
#: A party's code (haulier, line): short, as in the party register.
CODE = Kind(N_("code"), 16, re.compile(r"[0-9A-Za-z\-_.]*"), N_("letters, digits and - _ ."))
PERSON_NAME = Kind(N_("person's name"), 64, re.compile(r"[\w .'\-·,()]*"),
                   N_("letters, spaces and . ' - · , ( )"))
NOTE = Kind(N_("note"), 256, None, N_("printable text"))

#: A company's name (a shipper, a party).
ORG_NAME = Kind(N_("name"), 128, None, N_("printable text"))
#: What a gate clerk types to find a truck: a plate or an appointment reference.
LOOKUP = Kind(N_("plate or appointment"), 35, re.compile(rf"[0-9A-Za-z{_CJK} ·.\-/_]*"),
              N_("letters, digits, spaces and - · . / _"))

#: The usual operation parameters and what each one is: the name, the kind, the field's label.
FIELDS: dict[str, tuple[Kind, str]] = {
    "plate": (PLATE, N_("plate")),
    "driver_id": (DRIVER_ID, N_("driver ID")),
    "driver_name": (PERSON_NAME, N_("driver's name")),
    "haulier": (CODE, N_("haulier")),
    "by_party": (CODE, N_("party")),
    "line": (CODE, N_("shipping line")),
    "seal": (SEAL, N_("seal")),
    "ref": (REFERENCE, N_("reference")),
    "lookup": (LOOKUP, N_("plate or appointment")),
    "shipper": (ORG_NAME, N_("shipper")),
    "reason": (NOTE, N_("reason")),
    "note": (NOTE, N_("note")),
    "damage": (NOTE, N_("damage")),
    "pilot": (PERSON_NAME, N_("pilot")),
}


#: What is wrong, as a refusal says it (the field named, never the whole value).
TOO_LONG = N_("{field} is {length} characters long; at most {limit} fit")
BAD_CHAR = N_("{field} holds {char}, which is not allowed (allowed: {allowed})")


def _printable(text: str) -> str | None:
    """The first character of ``text`` that is not printable (a control character), if any."""
    for ch in text:
        if unicodedata.category(ch)[0] == "C":
            return ch
    return None


def problem(kind: Kind, value: str | None) -> tuple[str, dict[str, Any]] | None:
    """What is wrong with ``value`` as a field of ``kind``: an English template marked
    ``N_`` (naming the ``{field}``) and its values, or None when it is fine (an empty value
    is fine here; whether the field is required is the operation's own rule)."""
    text = (value or "").strip()
    if len(text) > kind.max_len:
        return TOO_LONG, {"length": len(text), "limit": kind.max_len}
    bad = _printable(text)
    if bad is None and kind.pattern is not None and not kind.pattern.fullmatch(text):
        bad = next(ch for ch in text if not kind.pattern.fullmatch(ch))
    if bad is not None:
        return BAD_CHAR, {"char": repr(bad) if unicodedata.category(bad)[0] == "C" else f"'{bad}'",
                          "allowed": kind.allowed}
    return None


def rule(tx: Any, kind: Kind, value: str | None, rule_id: str, field: str = "") -> bool:
    """State ``value``'s shape as a rule of the operation (``tx.rule``): refused with the field
    named and what is wrong. ``field`` (an ``N_`` word) names the field when the kind alone
    does not (a driver's name is a person's name). Returns whether the value is fine."""
    from portops.ops.core import Term  # the core's refusal terms; textcheck stays importable alone

    found = problem(kind, value)
    if found is None:
        return True
    template, params = found
    if "allowed" in params:
        params["allowed"] = Term(params["allowed"])
    tx.rule(False, rule_id, template,
            N_("type it again, shorter or without that character"),
            field=Term(field or kind.name), **params)
    return False


def message(kind: Kind, value: str | None, translate=None, field: str = "") -> str | None:
    """The same judgement as a sentence for a screen or a parser (no operation involved)."""
    found = problem(kind, value)
    if found is None:
        return None
    tr = translate or (lambda s: s)
    template, params = found
    if "allowed" in params:
        params["allowed"] = tr(params["allowed"])
    return tr(template).format(field=tr(field or kind.name), **params)


def typed(tx: Any, prefix: str, **values: str | None) -> bool:
    """State the shape of each typed parameter named in :data:`FIELDS` as a rule
    ``<prefix>.<name>.shape`` (``typed(tx, "appointment", plate=plate, driver_id=...)``).
    Returns whether all are fine."""
    ok = True
    for name, value in values.items():
        kind, label = FIELDS[name]
        ok = rule(tx, kind, value, f"{prefix}.{name}.shape", label) and ok
    return ok


def kind_of(name: str) -> Kind:
    """The kind of a field named ``name`` (a checklist's recorded value): a known name's
    (``pilot`` is a person's name), else a free note."""
    return FIELDS[name][0] if name in FIELDS else NOTE


def max_len(name: str) -> int:
    """The longest value of the typed parameter ``name`` (for a console field's cap)."""
    return FIELDS[name][0].max_len
