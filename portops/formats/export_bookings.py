"""The line's export bookings (``kind: export_bookings``): the booking list a line sends the
terminal before receiving opens (seed II.(2) 1), read into one ``export.booking_import``.

Parsing checks what the file says about itself (keys, numbers, a reference listed twice);
:func:`portops.ops.export_bookings.import_bookings` judges each booking with the rules of
``add_booking`` (the console's form: visit, port, size/type, reefer and dangerous goods) and
names the file and line of each one it refuses; none is written unless all are good.
"""

from __future__ import annotations

from pathlib import Path

from portops.formats import registry
from portops.formats.csvsrc import reader, records
from portops.formats.edifact import files
from portops.formats.fields import number, text
from portops.formats.yamlsrc import Fields, Map, SourceError, SourceErrors, reason
from portops.i18n import N_, Said
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
    f.known(doc, _TOP, Said(N_("an export bookings file")))
    f.get(doc, "version", number(1, 1, integer=True), default=1)
    specs = []
    for b in f.items(doc, "bookings", Said(N_("bookings"))):
        f.known(b, _BOOKING, Said(N_("a booking")))
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
    f.unique([(s.ref or None, s.where) for s in specs], Said(N_("booking")))
    f.raise_if_any()
    return {"source": path, "bookings": specs}


#: The CSV header (any order; the first six are required), as a line's booking list exports.
CSV_COLUMNS = ["ref", "visit", "line", "pod", "size_type", "quantity", "shipper",
               "reefer_temp_c", "imdg_class", "un_number"]


def sniff_csv(path: Path, head: bytes) -> bool:
    first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0].lower()
    names = {n.strip() for n in first.replace(";", ",").split(",")}
    return {"ref", "visit", "size_type", "quantity"} <= names


def read_bookings_csv(content: str, source: str) -> list[BookingSpec]:
    """The same bookings as a CSV list (comma or semicolon), each row checked like a YAML
    entry; every bad row is a ``FILE:LINE`` problem."""
    content = content.lstrip("\ufeff")
    first = content.split("\n", 1)[0]
    rows = reader(content, ";" if first.count(";") > first.count(",") else ",", source)
    names = [h.strip().lower() for h in next(rows, [])]
    unknown = [n for n in names if n not in CSV_COLUMNS]
    missing = [n for n in CSV_COLUMNS[:6] if n not in names]
    if unknown or missing:
        lacks = Said(N_("lacks {columns}"), columns=", ".join(missing))
        extra = Said(N_("has unknown columns {columns}"), columns=", ".join(unknown))
        what = Said(N_("{first}; {second}"), first=lacks, second=extra) \
            if missing and unknown else lacks if missing else extra
        raise SourceError(source, 1, Said(N_("the header {what}; the columns are: {columns}"),
                                          what=what, columns=",".join(CSV_COLUMNS)))
    errors: list[SourceError] = []
    specs = []
    for lineno, v in records(source, names, rows, errors):
        problems: list[str] = []

        def get(key, parse, optional=False, v=v, problems=problems):
            if optional and not v.get(key):
                return None
            try:
                return parse(v.get(key, ""))
            except ValueError as exc:
                problems.append(Said("{key}: {problem}", key=key, problem=reason(exc)))
                return None

        spec = BookingSpec(
            where=f"{source}:{lineno}", ref=(get("ref", _code(35)) or "").upper(),
            visit_key=get("visit", _code(32)) or "", line=get("line", _code(16)) or "",
            shipper=get("shipper", text(128, empty=True), optional=True) or "",
            pod=get("pod", _code(5)) or "", size_type=get("size_type", _code(4)) or "",
            quantity=get("quantity", lambda t: number_in(t, 1, 9999, True)) or 0,
            reefer_temp_c=get("reefer_temp_c", lambda t: number_in(t, -40, 40, False),
                              optional=True),
            imdg_class=get("imdg_class", _code(8), optional=True),
            un_number=get("un_number", _code(4), optional=True))
        errors += [SourceError(source, lineno, what) for what in problems]
        specs.append(spec)
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.ref and spec.ref in seen:
            errors.append(SourceError.at(spec.where, Said(N_("booking {ref} is listed twice "
                                                             "(first at {seen}); keep one"),
                                                          ref=spec.ref, seen=seen[spec.ref])))
        seen.setdefault(spec.ref, spec.where)
    if errors:
        raise SourceErrors(errors)
    return specs


def number_in(text_: str, low: float, high: float, integer: bool) -> float | int:
    """A number typed in a CSV cell (read as YAML's ``number`` reads one)."""
    try:
        value = int(text_) if integer else float(text_)
    except ValueError:
        raise ValueError(Said(N_("{text!r} is not a whole number"), text=text_) if integer else
                         Said(N_("{text!r} is not a number"), text=text_)) from None
    return number(low, high, integer=integer)(value)


def parse_csv_file(path: str) -> dict:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(path, None, Said(N_("cannot be read: {strerror}"),
                                           strerror=exc.strerror)) from None
    return {"source": path, "bookings": read_bookings_csv(files.decode(data), path)}


registry.register("export_bookings_csv", sniff=sniff_csv, parse=parse_csv_file,
                  operation=import_bookings, summary=N_("export bookings as a CSV list"))
registry.register_yaml("export_bookings", parse_export_bookings, import_bookings,
                       summary=N_("export bookings: a line's bookings of boxes for a visit"))
