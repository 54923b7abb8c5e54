"""The ISO 6346:1984 size/type table as public sources confirm it (issue 15). Each old height
digit and type pair is pinned to the height and type group of the 1995 code it reads as, and to
whether it is known with doubt (no public source confirms it: the importer flags the box).
The sources are named next to the table in portops/codes.py and in tests/data/edi/README.md;
the expectations here are written from them, not from the table."""

from __future__ import annotations

import pytest

from portops.codes import CodeError, describe_size_type, parse_size_type, size_type_doubt

#: old height digit -> (1995 height digit, in doubt). [A]/[B]: 2/3 8'6" without/with gooseneck
#: tunnel, 5 more than 8'6" with one; [C]: 0/1 8', 6/7 4'3", 8/9 4' or less, 4 9' or 9'6".
HEIGHTS = {"0": ("0", False), "1": ("0", False), "2": ("2", False), "3": ("2", False),
           "4": ("5", True), "5": ("5", False), "6": ("8", True), "7": ("8", True),
           "8": ("9", True), "9": ("9", True)}

#: old type pair -> (1995 type group letter, in doubt)
TYPES = {
    **{f"0{d}": ("G", False) for d in "012345"},
    "10": ("G", False), "11": ("G", False), "12": ("G", False),
    **{p: ("V", False) for p in ("13", "15", "16", "17")}, "14": ("V", True), "18": ("V", True),
    "20": ("H", False), "24": ("H", False), **{p: ("H", True) for p in ("21", "22", "23")},
    "25": ("S", False), "26": ("S", False),
    **{f"3{d}": ("R", False) for d in "01234"}, **{f"3{d}": ("R", True) for d in "567"},
    **{f"4{d}": ("H", False) for d in "0123"}, "44": ("H", True), "45": ("H", True),
    **{f"5{d}": ("U", False) for d in "01239"}, "54": ("U", True), "55": ("U", True),
    **{f"6{d}": ("P", False) for d in "01234567"},
    **{f"7{d}": ("T", False) for d in "0123456789"},
    "80": ("B", False), "81": ("B", False), "86": ("B", False),
    **{f"8{d}": ("B", True) for d in "2345"},
    **{f"9{d}": ("A", False) for d in "0456"},
}


@pytest.mark.parametrize("pair", sorted(TYPES))
@pytest.mark.parametrize("digit", sorted(HEIGHTS))
def test_every_old_code_reads_as_its_group_and_height(digit, pair):
    height, height_doubt = HEIGHTS[digit]
    group, type_doubt = TYPES[pair]
    for length in "1234":
        code = parse_size_type(length + digit + pair)
        assert (code[0], code[1], code[2]) == (length, height, group)
        assert bool(size_type_doubt(length + digit + pair)) == (height_doubt or type_doubt)


@pytest.mark.parametrize("pair", [f"{a}{b}" for a in "0123456789" for b in "0123456789"
                                  if f"{a}{b}" not in TYPES])
def test_a_pair_no_source_names_is_unknown(pair):
    with pytest.raises(CodeError):
        parse_size_type("22" + pair)


@pytest.mark.parametrize("old, new, described", [
    ("2000", "20G0", "20' 8' general purpose"),  # ISO 668 1C: 8' high, not 8'6"
    ("4000", "40G0", "40' 8' general purpose"),  # 1A
    ("2200", "22G0", "20' 8'6\" general purpose"),
    ("4310", "42G1", "40' 8'6\" general purpose"),  # [A], [B]: 3 = 8'6" with tunnel
    ("4510", "45G1", "40' 9'6\" general purpose"),  # [A]: 5 = more than 8'6" with tunnel
    ("4532", "45R1", "40' 9'6\" reefer"),
    ("4351", "42U1", "40' 8'6\" open top"), ("4361", "42P1", "40' 8'6\" platform/flat"),
    ("4363", "42P3", "40' 8'6\" platform/flat"), ("4364", "42P4", "40' 8'6\" platform/flat"),
    ("2261", "22P1", "20' 8'6\" platform/flat"), ("2225", "22S0", "20' 8'6\" named cargo"),
    ("2651", "28U1", "20' 4'3\" open top"),  # half height, in doubt
    ("9200", "L2G1", "45' 8'6\" general purpose"), ("9400", "L5G1", "45' 9'6\" general purpose"),
])
def test_well_known_old_codes(old, new, described):
    assert parse_size_type(old) == new
    assert describe_size_type(old) == described


def test_the_doubt_says_what_is_unconfirmed():
    assert size_type_doubt("4536") == "type 36"
    assert size_type_doubt("2410") == "height digit 4"
    assert size_type_doubt("4722") == "height digit 7 and type 22"
    assert size_type_doubt("45G1") is None and size_type_doubt("9500") is None
    assert size_type_doubt("9530") == "carrier code"  # a 45' reefer code no source lists
    assert size_type_doubt("4510") is None
