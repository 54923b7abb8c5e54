"""Validators for the identifiers a terminal lives by.

Each ``parse_*`` function returns the normalised value or raises :class:`CodeError` with a
sentence a clerk understands. ISO 6346 and IMO numbers use python-stdnum rather than a
hand-written check digit.
"""

from __future__ import annotations

import operator
import re

from stdnum import imo as _imo
from stdnum import iso6346 as _iso6346
from stdnum.exceptions import ValidationError

from portops.i18n import N_


class CodeError(ValueError):
    """A typed or imported code is not valid; the message says what and how to fix it.

    ``template`` is the English sentence marked ``N_`` with ``params`` its values, so a
    refusal built from it (``tx.rule(..., exc.template, remedy, **exc.params)``) reads in
    the console's language; ``str(exc)`` is the English text (files, the CLI).
    """

    def __init__(self, template: str, **params) -> None:
        self.template, self.params = template, params
        super().__init__(template.format(**params) if params else template)


def parse_container_number(text: str) -> str:
    """An ISO 6346 container number, e.g. ``CSQU3054383`` (owner, category U/J/Z, serial, check)."""
    raw = str(text).strip().upper().replace(" ", "").replace("-", "")
    try:
        number = _iso6346.validate(raw)
    except ValidationError as exc:
        if isinstance(exc, _iso6346.InvalidChecksum):
            expected = _iso6346.calc_check_digit(raw[:10])
            raise CodeError(N_("container number {text!r} has a wrong check digit (expected "
                               "{expected}); re-read the number on the box"),
                            text=text, expected=expected) from None
        raise CodeError(N_("container number {text!r} is not an ISO 6346 number (4 letters "
                           "ending in U, J or Z, 6 digits, 1 check digit, e.g. CSQU3054383)"),
                        text=text) from None
    if number[3] not in "UJZ":
        raise CodeError(N_("container number {text!r} has equipment category {category!r}; it "
                           "must be U, J or Z"), text=text, category=number[3])
    return number


# Letter values of ISO 6346 (A=10, skipping multiples of 11), for the bulk fast path below.
_LETTER = {ch: v for ch, v in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                  [v for v in range(10, 39) if v % 11], strict=True)}
_VALUE = {**_LETTER, **{str(d): d for d in range(10)}}
_WEIGHTS = [2**i for i in range(10)]
_NORMAL = re.compile(r"^[A-Z]{3}[UJZ]\d{7}$")


def container_check_digit(first10: str) -> str:
    """The ISO 6346 check digit of an owner code + category + serial (10 characters)."""
    total = sum(map(operator.mul, map(_VALUE.__getitem__, first10), _WEIGHTS))
    return str(total % 11 % 10)


def is_container_number(number: str) -> bool:
    """Fast test of an already normalised number (bulk loads of 100,000 boxes); a ``False``
    goes through :func:`parse_container_number` for the message. Tested against stdnum."""
    return bool(_NORMAL.match(number)) and container_check_digit(number[:10]) == number[10]


def parse_imo(text: str | int) -> str:
    """An IMO ship identification number: 7 digits, the last a check digit."""
    raw = str(text).strip().upper().removeprefix("IMO").strip()
    try:
        return _imo.validate(raw)
    except _imo.InvalidChecksum:
        raise CodeError(N_("IMO number {text!r} has a wrong check digit (expected {expected}); "
                           "check the vessel's IMO"), text=text,
                        expected=_imo.calc_check_digit(raw[:6]) if raw[:6].isdigit() else "?"
                        ) from None
    except ValidationError:
        raise CodeError(N_("IMO number {text!r} is not 7 digits (e.g. 9074729)"),
                        text=text) from None


_LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")


def parse_locode(text: str) -> str:
    """A UN/LOCODE such as ``CNSHA``: country code and three letters or digits 2-9."""
    raw = str(text).strip().upper().replace(" ", "")
    if not _LOCODE.match(raw):
        raise CodeError(N_("{text!r} is not a UN/LOCODE (2-letter country + 3 letters/digits "
                           "2-9, e.g. CNSHA)"), text=text)
    return raw


# ISO 6346 size/type. First character: length; second: height/width; last two: type group.
_LENGTH_FT = {"1": 10.0, "2": 20.0, "3": 30.0, "4": 40.0, "B": 24.0, "C": 24.5, "G": 41.0,
              "H": 43.0, "L": 45.0, "M": 48.0, "N": 49.0}
_HEIGHT = {"0": "8'", "2": "8'6\"", "4": "9'", "5": "9'6\"", "6": "over 9'6\"", "8": "4'3\"",
           "9": "4'3\" or less", "C": "8'6\"", "D": "9'", "E": "9'6\"", "F": "over 9'6\"",
           "L": "8'6\"", "M": "9'", "N": "9'6\"", "P": "over 9'6\""}
_TYPE_GROUP = {"G": "general purpose", "V": "ventilated", "B": "bulk", "S": "named cargo",
               "R": "reefer", "H": "insulated", "U": "open top", "P": "platform/flat",
               "T": "tank", "A": "air/surface", "K": "tank"}
# The pre-1995 numeric codes still seen in BAPLIE: map the common ones to their current code.
_OLD_CODES = {"2000": "22G0", "2200": "22G1", "2210": "22G1", "2230": "22R1", "2232": "22R1",
              "2250": "22U1", "2251": "22U1", "2260": "22P1", "2270": "22T1", "4000": "42G0",
              "4200": "42G1", "4210": "42G1", "4230": "42R1", "4232": "42R1", "4250": "42U1",
              "4260": "42P1", "4300": "45G1", "4310": "45G1", "4330": "45R1", "4332": "45R1",
              "4500": "45G1", "4510": "45G1", "4530": "45R1", "4532": "45R1", "4531": "45R1",
              "4551": "45U1", "4561": "45P1", "9500": "L5G1", "9510": "L5G1", "9532": "L5R1",
              "2530": "25R1", "2500": "25G1"}
_CURRENT = re.compile(r"^[1-4BCGHLMN][0-9CDEFLMNP][A-Z][0-9]$")


def parse_size_type(text: str) -> str:
    """An ISO 6346 size/type code, returned in its current form (``4200`` becomes ``42G1``)."""
    raw = str(text).strip().upper()
    if raw in _OLD_CODES:
        return _OLD_CODES[raw]
    if _CURRENT.match(raw) and raw[2] in _TYPE_GROUP:
        return raw
    raise CodeError(N_("size/type {text!r} is not a known ISO 6346 code (e.g. 22G1, 42G1, 45R1, "
                       "L5G1, or old 4200)"), text=text)


def length_feet(size_type: str) -> float:
    """The nominal length of a box of this (current) size/type code, in feet."""
    return _LENGTH_FT[parse_size_type(size_type)[0]]


def is_reefer(size_type: str) -> bool:
    return parse_size_type(size_type)[2] == "R"


def teu(size_type: str) -> int:
    """TEU of a box: 1 for 20', 2 for anything 40' and longer."""
    return 1 if length_feet(size_type) < 35 else 2


def describe_size_type(size_type: str) -> str:
    code = parse_size_type(size_type)
    return f"{_LENGTH_FT[code[0]]:g}' {_HEIGHT.get(code[1], '?')} {_TYPE_GROUP[code[2]]}"
