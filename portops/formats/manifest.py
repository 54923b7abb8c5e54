"""The CSV cargo manifest (舱单): bills of lading, consignees and goods per container.

One line per container on a bill of lading, with a header line naming the columns (any order;
``,`` or ``;`` between fields; UTF-8, a BOM is fine). Columns (see ``docs/formats.md``):

========== ======== ===========================================================
column     required meaning
========== ======== ===========================================================
bl_number  yes      bill of lading number
container  yes      ISO 6346 container number (check digit checked)
consignee  no       who receives the goods
goods      no       description of the goods
packages   no       number of packages (whole number)
gross_kg   no       gross weight of the box, kg (whole number)
pol        no       port of loading, UN/LOCODE
pod        no       port of discharge, UN/LOCODE
========== ======== ===========================================================

Every bad line is reported (``manifest.csv:12: ...``), not only the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portops.codes import CodeError, parse_container_number, parse_locode
from portops.formats.csvsrc import reader, records
from portops.formats.yamlsrc import SourceError, SourceErrors, reason
from portops.i18n import N_, Said

COLUMNS = ("bl_number", "container", "consignee", "goods", "packages", "gross_kg", "pol", "pod")
REQUIRED = ("bl_number", "container")


@dataclass(frozen=True)
class ManifestLine:
    bl_number: str
    container: str
    consignee: str = ""
    goods: str = ""
    packages: int | None = None
    gross_kg: int | None = None
    pol: str = ""
    pod: str = ""
    line: int = 0


def read_manifest(text: str, source: str = "manifest.csv") -> list[ManifestLine]:
    """Read and check a CSV manifest; raises SourceErrors listing every bad line."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = reader(text, delimiter, source)
    header = next(rows, None)
    if not header:
        raise SourceError(source, 1, "is empty; a manifest starts with a header line: "
                          + ",".join(COLUMNS))
    names = [h.strip().lower() for h in header]
    unknown = [n for n in names if n not in COLUMNS]
    missing = [n for n in REQUIRED if n not in names]
    if unknown or missing:
        parts = ([f"unknown column(s) {', '.join(map(repr, unknown))}"] if unknown else []) + \
                ([f"missing column(s) {', '.join(missing)}"] if missing else [])
        raise SourceError(source, 1, "; ".join(parts) + "; the columns are: " + ",".join(COLUMNS))
    errors: list[SourceError] = []
    out: list[ManifestLine] = []
    seen: dict[str, int] = {}
    for number, values in records(source, names, rows, errors):
        try:
            line = _line(values, number)
        except (CodeError, ValueError) as exc:
            errors.append(SourceError(source, number, reason(exc)))
            continue
        if line.container in seen:
            errors.append(SourceError(source, number, Said(N_("container {container} is already "
                                                              "on line {seen}"),
                                                           container=line.container,
                                                           seen=seen[line.container])))
            continue
        seen[line.container] = number
        out.append(line)
    if errors:
        raise SourceErrors(errors)
    if not out:
        raise SourceError(source, 2, Said(N_("has no manifest lines below the header")))
    return out


def _int(values: dict[str, str], name: str) -> int | None:
    raw = values.get(name, "")
    if not raw:
        return None
    try:
        value = int(float(raw.replace(",", "")))
    except (ValueError, OverflowError):  # OverflowError: 1e999, infinite as a float
        raise ValueError(Said(N_("{name} {raw!r} is not a whole number"), name=name,
                              raw=raw)) from None
    if value < 0:
        raise ValueError(Said(N_("{name} {raw!r} is negative"), name=name, raw=raw))
    return value


def _line(values: dict[str, str], number: int) -> ManifestLine:
    if not values.get("bl_number"):
        raise ValueError(Said(N_("bl_number is empty")))
    if len(values["bl_number"]) > 35:
        raise ValueError(Said(N_("bl_number is longer than 35 characters")))
    pol, pod = values.get("pol", ""), values.get("pod", "")
    return ManifestLine(
        bl_number=values["bl_number"], container=parse_container_number(values["container"]),
        consignee=values.get("consignee", "")[:128], goods=values.get("goods", "")[:256],
        packages=_int(values, "packages"), gross_kg=_int(values, "gross_kg"),
        pol=parse_locode(pol) if pol else "", pod=parse_locode(pod) if pod else "", line=number)


def parse_file(path: str) -> dict[str, Any]:
    """``registry.register`` parse function: the operation's keyword arguments."""
    from portops.formats.edifact.files import decode

    try:
        text = decode(Path(path).read_bytes())
    except OSError as exc:
        raise SourceError(path, None, Said(N_("cannot be read: {strerror}"),
                                           strerror=exc.strerror)) from None
    return {"lines": read_manifest(text, path), "source": path}


def sniff(path: Path, head: bytes) -> bool:
    """A CSV whose header names the manifest's required columns."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").lower()
    cells = {c.strip() for c in first.replace(";", ",").split(",")}
    # a header with "kind" is a release feed (portops.formats.releases), not a manifest
    return all(r in cells for r in REQUIRED) and "kind" not in cells
