"""Damage codes a tally clerk records, after the CEDEX (ISO 9897) two-letter damage codes.

Short on purpose: the codes a clerk can judge at the quay from the outside of the box.
"""

from __future__ import annotations

DAMAGE_CODES: dict[str, str] = {
    "BR": "broken",
    "BT": "bent",
    "BW": "bowed",
    "CK": "cracked",
    "CO": "corroded",
    "CU": "cut",
    "DT": "dented",
    "HO": "holed",
    "LO": "loose",
    "MS": "missing part",
    "PH": "pushed in or out",
    "SC": "scraped",
    "ST": "stained / contaminated",
    "TR": "torn",
    "WT": "wet / leaking",
}


def parse_damage_codes(codes: str | list[str] | tuple[str, ...] | None) -> tuple[list[str], list[str]]:
    """Split typed codes (``"DT, HO"`` or a list) into (known codes, unknown entries)."""
    if not codes:
        return [], []
    items = codes.replace(";", ",").replace(" ", ",").split(",") if isinstance(codes, str) \
        else list(codes)
    known, unknown = [], []
    for raw in items:
        code = raw.strip().upper()
        if not code:
            continue
        (known if code in DAMAGE_CODES else unknown).append(code)
    return list(dict.fromkeys(known)), unknown
