"""The inventory file (``kind: inventory``): boxes standing in the yard or on board at go-live.

See ``docs/formats.md``. Parsing checks each box on its own (ISO 6346 number and check digit,
size/type code, UN/LOCODEs, weights, the position written right); the operation
:func:`portops.ops.inventory.load_inventory` checks slots, blocks and visits.
"""

from __future__ import annotations

import re

from portops import codes
from portops.formats import registry
from portops.formats.fields import boolean, choice, code, iso_datetime, number, text
from portops.formats.yamlsrc import Fields, Map
from portops.i18n import N_, Said
from portops.ops.inventory import BoxSpec, load_inventory

_BOX = ["number", "size_type", "operator", "full", "category", "gross_kg", "vgm_kg", "seals",
        "reefer_temp_c", "imdg_class", "un_number", "pol", "pod", "bl", "booking", "in_visit",
        "out_visit", "yard", "vessel", "slot", "time_in"]
_YARD = re.compile(r"^([A-Z0-9]{1,16})[ .-](\d{1,3})[ .-](\d{1,2})[ .-](\d{1,2})$")
_SLOT = re.compile(r"^(\d{3})(\d{2})(\d{2})$")


def yard_position(value) -> tuple[str, int, int, int]:
    """``A01.05.03.1``: block, bay, row, tier."""
    m = _YARD.match(str(value).strip().upper()) if isinstance(value, str) else None
    if m is None:
        raise ValueError(Said(N_("{value!r} is not a yard position; write BLOCK.BAY.ROW.TIER, "
                                 "e.g. A01.05.03.1"), value=value))
    return m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))


def stowage(value) -> tuple[int, int, int]:
    """A BAPLIE stowage position BBBRRTT, e.g. ``0780690`` = bay 78, row 06, tier 90."""
    m = _SLOT.match(str(value).strip()) if isinstance(value, str | int) else None
    if m is None or isinstance(value, int):
        raise ValueError(Said(N_("{value!r} is not a stowage position; write BBBRRTT in quotes, "
                                 "e.g. \"0780690\""), value=value))
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def _un(value) -> str:
    raw = str(value).strip()
    if not re.fullmatch(r"\d{4}", raw):
        raise ValueError(Said(N_("{value!r} is not a UN number (4 digits, e.g. \"1993\")"),
                              value=value))
    return raw


def _imdg(value) -> str:
    raw = str(value).strip()
    if not re.fullmatch(r"[1-9](\.[1-6])?[A-Z]?", raw):
        raise ValueError(Said(N_("{value!r} is not an IMDG class (e.g. \"3\", \"2.1\", \"1.4S\")"),
                              value=value))
    return raw


def parse_inventory(doc: Map, path: str) -> dict:
    f = Fields()
    f.known(doc, ["kind", "version", "containers"], Said(N_("an inventory file")))
    f.get(doc, "version", choice(1), default=1)
    boxes = [_box(f, m) for m in f.items(doc, "containers", Said(N_("containers")))]
    f.unique([(b.number, b.where) for b in boxes], Said(N_("container")))
    f.raise_if_any()
    return {"source": path, "boxes": boxes}


def _box(f: Fields, m: Map) -> BoxSpec:
    f.known(m, _BOX, Said(N_("a container")))
    location, block, on_visit, bay, row, tier = "advised", None, None, None, None, None
    if "yard" in m and "vessel" in m:
        f.fail(m, "vessel", Said(N_("a box is in the yard or on a vessel, not both; keep one")))
    if "yard" in m:
        pos = f.get(m, "yard", yard_position)
        if pos:
            location, (block, bay, row, tier) = "yard", pos
    elif "vessel" in m:
        on_visit = f.get(m, "vessel", text(32))
        slot = f.get(m, "slot", stowage)
        if slot:
            location, (bay, row, tier) = "vessel", slot
    reefer = f.get(m, "reefer_temp_c", number(-70, 40), default=None)
    size_type = f.get(m, "size_type", code(codes.parse_size_type))
    if reefer is not None and size_type and not codes.is_reefer(size_type):
        f.fail(m, "reefer_temp_c", Said(N_("reefer_temp_c: {size_type} is not a reefer; remove "
                                           "the temperature or correct the size/type"),
                                        size_type=size_type))
    seals = f.get(m, "seals", lambda v: ",".join(text(20)(s) for s in v) if
                  isinstance(v, list) else text(128)(v), default="")
    locode = code(codes.parse_locode)
    return BoxSpec(
        where=m.where, number=f.get(m, "number", code(codes.parse_container_number)) or "",
        size_type=size_type or "", operator=f.get(m, "operator", text(16), default=""),
        full=f.get(m, "full", boolean, default=True),
        category=f.get(m, "category", choice("import", "export", "tranship", "storage"),
                       default="import"),
        gross_kg=f.get(m, "gross_kg", number(1_000, 60_000, integer=True), default=None),
        vgm_kg=f.get(m, "vgm_kg", number(1_000, 60_000, integer=True), default=None),
        seals=seals, reefer_temp_c=reefer,
        imdg_class=f.get(m, "imdg_class", _imdg, default=None),
        un_number=f.get(m, "un_number", _un, default=None),
        pol=f.get(m, "pol", locode, default=""), pod=f.get(m, "pod", locode, default=""),
        bl_number=f.get(m, "bl", text(35), default=None),
        booking_ref=f.get(m, "booking", text(35), default=None),
        in_visit=f.get(m, "in_visit", text(32), default=None),
        out_visit=f.get(m, "out_visit", text(32), default=None),
        location=location, block=block, on_visit=on_visit, bay=bay, row=row, tier=tier,
        time_in=f.get(m, "time_in", iso_datetime, default=None))


registry.register_yaml("inventory", parse_inventory, load_inventory,
                       summary=N_("inventory: boxes in the yard and on board at go-live"))
