"""The line's export bookings (``kind: export_bookings``): the booking list a line sends the
terminal before receiving opens (seed II.(2) 1), read into one ``export.booking_import``.

Parsing checks what the file says about itself (keys, numbers, a reference listed twice);
:func:`portops.ops.export_bookings.import_bookings` judges each booking with the rules of
``add_booking`` (the console's form: visit, port, size/type, reefer and dangerous goods) and
names the file and line of each one it refuses; none is written unless all are good.
"""

from __future__ import annotations

from portops.formats import registry
from portops.formats.fields import number, text
from portops.formats.yamlsrc import Fields, Map
from portops.ops.export_bookings import BookingSpec, import_bookings

_TOP = ["kind", "version", "bookings"]
_BOOKING = ["ref", "visit", "line", "shipper", "pod", "size_type", "quantity",
            "reefer_temp_c", "imdg_class", "un_number"]


def _code(max_len: int):
    """A code written quoted or not (``un_number: 1203``, ``imdg_class: 3``)."""
    read = text(max_len)

    def parse(value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = f"{value:g}" if isinstance(value, float) else str(value)
        return read(value)
    return parse


def parse_export_bookings(doc: Map, path: str) -> dict:
    """Read a booking list into :class:`BookingSpec` entries (every problem at once)."""
    f = Fields()
    f.known(doc, _TOP, "an export bookings file")
    f.get(doc, "version", number(1, 1, integer=True), default=1)
    specs = []
    for b in f.items(doc, "bookings", "bookings"):
        f.known(b, _BOOKING, "a booking")
        specs.append(BookingSpec(
            where=b.where, ref=(f.get(b, "ref", _code(35)) or "").upper(),
            visit_key=f.get(b, "visit", _code(32)) or "",
            line=f.get(b, "line", _code(16)) or "",
            shipper=f.get(b, "shipper", text(128, empty=True), default=""),
            pod=f.get(b, "pod", _code(5)) or "", size_type=f.get(b, "size_type", _code(4)) or "",
            quantity=f.get(b, "quantity", number(1, 9999, integer=True)) or 0,
            reefer_temp_c=f.get(b, "reefer_temp_c", number(-40, 40), default=None),
            imdg_class=f.get(b, "imdg_class", _code(8), default=None),
            un_number=f.get(b, "un_number", _code(4), default=None)))
    f.unique([(s.ref or None, s.where) for s in specs], "booking")
    f.raise_if_any()
    return {"source": path, "bookings": specs}


registry.register_yaml("export_bookings", parse_export_bookings, import_bookings,
                       summary="export bookings: a line's bookings of boxes for a visit")
