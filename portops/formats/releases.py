"""Release feeds: customs and line releases as CSV, and customs responses as CUSRES.

Both become the rows :func:`portops.ops.releases.import_releases` takes, so one operation
writes them whatever their source. The CSV has a header line naming its columns (any order,
``,`` or ``;``; UTF-8, a BOM is fine):

========== ======== ==============================================================
column     required meaning
========== ======== ==============================================================
kind       yes      ``customs`` (海关放行) or ``line`` (freight release)
container  one of   ISO 6346 container number (check digit checked)
bl_number  one of   bill of lading: the release covers every box on it
reference  yes      customs entry / declaration number, or the line's release number
status     no       ``released`` (default) or ``withdrawn`` (customs only)
line       line     the releasing line's party code (e.g. COSU)
party      line     who receives the right to collect (consignee or forwarder code)
========== ======== ==============================================================

A CUSRES release becomes a customs ``released`` row, a CUSRES hold a ``withdrawn`` row (the
release is taken back if it was given). Every bad line is reported, not only the first.
Both formats, with the keys to record a release by hand, are documented for users in
``docs/formats.md`` ("Customs and line releases"); keep the two in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portops.codes import CodeError, parse_container_number
from portops.formats.csvsrc import reader, records
from portops.formats.edifact import files
from portops.formats.edifact.cusres import read_cusres
from portops.formats.edifact.records import RELEASE
from portops.formats.yamlsrc import SourceError, SourceErrors, reason
from portops.i18n import N_, Said

COLUMNS = ("kind", "container", "bl_number", "reference", "status", "line", "party")


def sniff_csv(path: Path, head: bytes) -> bool:
    first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0].lower()
    names = {n.strip() for n in first.replace(";", ",").split(",")}
    return {"kind", "reference"} <= names and bool(names & {"container", "bl_number"})


def read_release_csv(text: str, source: str = "releases.csv") -> list[dict[str, Any]]:
    """Read and check a release feed; raises SourceErrors listing every bad line."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    rows = reader(text, ";" if first.count(";") > first.count(",") else ",", source)
    names = [h.strip().lower() for h in next(rows, [])]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown or "kind" not in names or "reference" not in names:
        extra = Said(N_("; unknown: {names}"), names=", ".join(unknown)) if unknown else ""
        raise SourceError(source, 1, Said(N_("the header must name kind, reference and "
                                             "container or bl_number{unknown}; the columns "
                                             "are: {columns}"),
                                          unknown=extra, columns=",".join(COLUMNS)))
    out: list[dict[str, Any]] = []
    errors: list[SourceError] = []
    for number, v in records(source, names, rows, errors):
        try:
            out.append(_row(v, f"{source}:{number}"))
        except (CodeError, ValueError) as exc:
            errors.append(SourceError(source, number, reason(exc)))
    if errors:
        raise SourceErrors(errors)
    if not out:
        raise SourceError(source, 2, Said(N_("has no releases below the header")))
    return out


def _row(v: dict[str, str], where: str) -> dict[str, Any]:
    kind, status = v.get("kind", "").lower(), (v.get("status") or "released").lower()
    if kind not in ("customs", "line"):
        raise ValueError(Said(N_("kind {v!r} must be customs or line"), v=v.get('kind')))
    if status not in ("released", "withdrawn"):
        raise ValueError(Said(N_("status {v!r} must be released or withdrawn"), v=v.get('status')))
    container = v.get("container", "")
    if not container and not v.get("bl_number"):
        raise ValueError(Said(N_("needs a container or a bl_number")))
    if not v.get("reference"):
        raise ValueError(Said(N_("reference is empty: give the customs entry or release number")))
    if kind == "line" and not (v.get("line") and v.get("party")):
        raise ValueError(Said(N_("a line release needs the line and the party it releases to")))
    return {"kind": kind, "status": status,
            "container": parse_container_number(container) if container else "",
            "bl": v.get("bl_number", ""), "reference": v["reference"][:64],
            "line": v.get("line", ""), "party": v.get("party", ""), "where": where}


def parse_csv_file(path: str) -> dict[str, Any]:
    try:
        text = files.decode(Path(path).read_bytes())
    except OSError as exc:
        raise SourceError(path, None, Said(N_("cannot be read: {strerror}"),
                                           strerror=exc.strerror)) from None
    return {"rows": read_release_csv(text, path), "source": path}


def parse_cusres_file(path: str) -> dict[str, Any]:
    # as every message: size cap, read as a stream, a box's problem skips that decision
    read = files.parser(read_cusres, "response")(path)
    response = read["response"]
    rows = [{"kind": "customs", "status": "released" if d.decision == RELEASE else "withdrawn",
             "container": d.container, "bl": d.bl_number if not d.container else "",
             "reference": d.reference[:64], "reason": d.reason,
             "where": f"{path}: segment {d.segment}"} for d in response.decisions]
    return {"rows": rows, "source": path, "problems": read["problems"]}
