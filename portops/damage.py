"""Damage codes a tally clerk records, after the CEDEX (ISO 9897) two-letter damage codes.

Short on purpose: the codes a clerk can judge at the quay from the outside of the box. The
descriptions are English, marked for translation where a report shows them.
"""

from __future__ import annotations

from portops.i18n import N_

DAMAGE_CODES: dict[str, str] = {
    "BR": N_("broken"),
    "BT": N_("bent"),
    "BW": N_("bowed"),
    "CK": N_("cracked"),
    "CO": N_("corroded"),
    "CU": N_("cut"),
    "DT": N_("dented"),
    "HO": N_("holed"),
    "LO": N_("loose"),
    "MS": N_("missing part"),
    "PH": N_("pushed in or out"),
    "SC": N_("scraped"),
    "ST": N_("stained / contaminated"),
    "TR": N_("torn"),
    "WT": N_("wet / leaking"),
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
