"""VGM declarations (VERMAS) onto the export boxes they are for.

Under SOLAS VI/2 no full export box is loaded without a verified gross mass. A shipper,
forwarder or line sends it as a VERMAS, often before the box comes to the gate. Each
declaration goes where the box is:

* a box at the terminal (or advised) gets its VGM recorded on it (``Container.vgm_kg``):
  the load plan weighs it with that VGM and the SOLAS rule sees it declared;
* a box not here yet but booked in (a receiving appointment) gets it on the appointment
  (``Receival.vgm_kg``): the gate's export check compares the box weighed with it.

Refused, every one listed with its segment (nothing written): a box that is neither, an
import box (its VGM is the exporting terminal's business), a VGM impossible for the box's
size. A VGM equal to the one recorded is counted unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import select

from portops.formats import registry
from portops.formats.edifact import files
from portops.formats.edifact.vermas import VgmDeclaration, VgmDeclarations, read_vermas
from portops.i18n import N_, Translate, as_is
from portops.model import Category, Container, Receival, ReceivalState, Role, Where
from portops.ops.core import Term, Tx, operation
from portops.ops.export_inspection import gross_limits
from portops.ops.gate_checks import active_container
from portops.ops.report import counted


@dataclass
class VgmImport:
    """What a VERMAS import did, for the CLI and the console."""

    counts: dict[str, int] = field(default_factory=dict)

    def summary(self, translate: Translate = as_is) -> str:
        return translate(N_("VGM declarations: {counts}")).format(
            counts=counted(self.counts, translate))


@operation("vgm.import", Role.GATE_CLERK, Role.DISPATCHER, Role.YARD_PLANNER,
           log_args=("source",))
def import_vgm(tx: Tx, declarations: VgmDeclarations, source: str = "") -> VgmImport:
    """Record each declared VGM on its box, or on the box's receiving appointment."""
    tx.about("feed", None, source[-64:])
    counts = {N_("on boxes here"): 0, N_("on appointments"): 0, N_("unchanged"): 0}
    writes: list[tuple[Container | Receival, VgmDeclaration, bool]] = []
    for d in declarations.declarations:
        where = f"{source or 'message'}: segment {d.segment}"
        box = active_container(tx.session, d.number)
        target: Container | Receival | None = box
        size_type = box.size_type if box is not None else ""
        if box is None:
            target = tx.session.exec(select(Receival).where(
                Receival.container_number == d.number,
                Receival.state == ReceivalState.BOOKED)).first()
            size_type = target.size_type if target is not None else ""
        ok = tx.rule(target is not None, "vgm.box.unknown",
                     N_("container {number} is neither at the terminal nor booked in"),
                     N_("check the number; a VGM is recorded once the box is booked"),
                     where=where, number=d.number)
        if box is not None:
            ok &= tx.rule(box.category != Category.IMPORT and box.location != Where.VESSEL,
                          "vgm.box.not_export",
                          N_("container {number} is {category} ({location}); a VGM is "
                             "declared for export boxes"), N_("take it off the declaration"),
                          where=where, number=d.number, category=Term(box.category),
                          location=Term(box.location))
        if ok:
            low, high = gross_limits(size_type)
            ok = tx.rule(low <= d.vgm_kg <= high, "vgm.range",
                         N_("a VGM of {vgm} kg is not possible for {number} ({size_type}: "
                            "{low}–{high} kg)"), N_("the shipper must correct the VGM"),
                         where=where, vgm=d.vgm_kg, number=d.number, size_type=size_type,
                         low=low, high=high)
        if ok:
            assert target is not None  # vgm.box.unknown held
            writes.append((target, d, box is not None))
    tx.ensure()
    for target, d, here in writes:
        if target.vgm_kg == d.vgm_kg:
            counts[N_("unchanged")] += 1
            continue
        target.vgm_kg = d.vgm_kg
        counts[N_("on boxes here") if here else N_("on appointments")] += 1
    tx.record(source=source[-256:], declarations=len(declarations.declarations),
              **{k.replace(" ", "_"): v for k, v in counts.items()})
    return VgmImport(counts)


registry.register("vermas", sniff=files.sniffer("VERMAS"),
                  parse=files.parser(read_vermas, "declarations"), operation=import_vgm,
                  summary=N_("verified gross mass declarations (VERMAS)"))
