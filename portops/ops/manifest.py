"""Putting the CSV cargo manifest onto the boxes: B/L, consignee, goods, packages, weight.

The manifest completes boxes the bay plan or discharge list brought; it does not create
boxes (it carries no size/type or slot). A line naming a box that is not an active box at
the terminal (of ``--visit`` when given) refuses the whole file, with its line.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from portops.formats import registry
from portops.formats.manifest import ManifestLine, parse_file, sniff
from portops.i18n import N_
from portops.model import Container, EdiImport, Role
from portops.ops.bayplan import CargoImport, active_containers, listed_rules, visit_by_key
from portops.ops.core import Tx, Unmet, operation


@operation("cargo.import_manifest", Role.YARD_PLANNER, Role.DISPATCHER,
           log_args=("source", "visit_key"))
def import_manifest(tx: Tx, lines: list[ManifestLine], source: str = "",
                    visit_key: str | None = None) -> CargoImport:
    """Import a cargo manifest (CSV) onto the boxes it names."""
    visit = None
    if visit_key:
        visit = visit_by_key(tx, visit_key)
        tx.about("visit", visit.id, visit.key)
    active = active_containers(tx, [ln.container for ln in lines])
    remedy = N_("import the bay plan or discharge list first, or correct the line")
    unknown = [Unmet.of("manifest.container.unknown",
                        N_("{at}: container {number} is not at the terminal on visit {visit} nor "
                           "announced by a bay plan") if visit else
                        N_("{at}: container {number} is not at the terminal nor announced by a "
                           "bay plan"), remedy, at=f"{source}:{ln.line}", number=ln.container,
                        visit=visit.key if visit else "")
               for ln in lines if ln.container not in active
               or (visit is not None and active[ln.container].in_visit_id != visit.id)]
    listed_rules(tx, unknown)
    tx.ensure()
    rows: list[dict[str, Any]] = []
    for ln in lines:
        row: dict[str, Any] = {"id": active[ln.container].id, "bl_number": ln.bl_number}
        for key in ("consignee", "goods"):
            if getattr(ln, key):
                row[key] = getattr(ln, key)
        for key in ("packages", "gross_kg"):
            if getattr(ln, key) is not None:
                row[key] = getattr(ln, key)
        rows.append(row)
    for keys in {tuple(sorted(r)) for r in rows}:  # one bulk UPDATE per shape of row
        tx.session.execute(update(Container), [r for r in rows if tuple(sorted(r)) == keys])
    visits = {active[ln.container].in_visit_id for ln in lines}
    counts = {N_("lines"): len(lines), N_("bills of lading"): len({ln.bl_number for ln in lines}),
              N_("boxes updated"): len(rows)}
    record = EdiImport(at=tx.now(), user=tx.actor.name, format="manifest",
                       source=source[-256:], visit_id=visit.id if visit else
                       (next(iter(visits)) if len(visits) == 1 else None), counts=counts,
                       extra={})
    tx.session.add(record)
    tx.session.flush()
    tx.record(import_id=record.id, counts=counts)
    name = visit.key if visit else f"{len(visits)} visit(s)"
    return CargoImport(N_("manifest"), name, counts)


registry.register("manifest", sniff=sniff, parse=parse_file, operation=import_manifest,
                  summary=N_("cargo manifest (CSV: bl_number, container, consignee, goods, ...)"))
