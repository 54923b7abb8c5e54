"""Damage codes a tally clerk records, after the CEDEX (ISO 9897) two-letter damage codes.

Short on purpose: the codes a clerk can judge at the quay from the outside of the box. The
descriptions are English, marked for translation where a report shows them.
"""

from __future__ import annotations

from portops.i18n import N_, Translate

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


def describe_damage(codes: list[str], note: str = "") -> str:
    """The box's damage as stored on it (``Container.damage``): ``"DT dented, HO holed: note"``,
    the codes' English descriptions (see :func:`localize_damage` to show it), the note as
    typed. One spelling, so the tally that records it and the EIR that shows it agree."""
    return (", ".join(f"{c} {DAMAGE_CODES[c]}" for c in codes) + (f": {note}" if note else ""))


def localize_damage(text: str, translate: Translate) -> str:
    """Stored damage (as :func:`describe_damage` writes it) in the reader's language: each
    known code keeps its code and gets its description translated; notes stay as typed. The
    EIR of a box tallied ``DT`` at discharge reads ``DT 凹陷`` to a Chinese clerk and
    ``DT dented`` to an English one, from the same stored text."""
    for code, description in DAMAGE_CODES.items():
        text = text.replace(f"{code} {description}", f"{code} {translate(description)}")
    return text
