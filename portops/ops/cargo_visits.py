"""The visit a cargo message is for, and what every cargo import reports (shared by the bay
plan, the discharge and load lists, the departure plan and the partners' reports).

Kept apart from ``ops.bayplan`` so that the modules a bay plan import hands over to (the
line's stowage instructions, the departure plan read back) need not import the bay plan's
module back (tests/test_module_structure.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import col

from portops.formats.edifact.records import Header
from portops.i18n import N_, Message, Translate, as_is
from portops.model import LIVE, Terminal, Vessel, VesselVisit
from portops.ops.core import Term, Tx
from portops.ops.report import counted

#: How many offending boxes a refusal lists one by one before summing up the rest.
LISTED = 20
_CHUNK = 2000


@dataclass
class CargoImport:
    """What an import did, for the CLI and the console."""

    what: str
    visit: str
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)

    def summary(self, translate: Translate = as_is) -> str:
        return translate(N_("{what} for {visit}: {counts}")).format(
            what=translate(self.what), visit=self.visit, counts=counted(self.counts, translate))

    def details(self, translate: Translate = as_is) -> list[str]:
        return [n.text(translate) for n in self.notes]


# -- finding the visit -----------------------------------------------------------------------

def terminal_locode(tx: Tx) -> str:
    terminal = tx.session.execute(select(Terminal)).scalars().first()
    if terminal is None or not terminal.locode:
        tx.fail("terminal.missing", N_("the terminal (and its UN/LOCODE) is not set up"),
                N_("import the terminal layout first (portops import layout.yaml)"))
    return terminal.locode


def visit_by_key(tx: Tx, key: str) -> VesselVisit:
    visit = tx.session.execute(select(VesselVisit).where(col(VesselVisit.key) == key)
                               ).scalars().first()
    if visit is None:
        tx.fail("edi.visit.not_found", N_("there is no visit {key!r}"),
                N_("check the visit key and try again"), key=key)
    return visit


def find_visit(tx: Tx, header: Header, visit_key: str | None, what: str,
               force: bool = False) -> VesselVisit:
    """The visit named by ``visit_key``, else the live visit whose voyage and vessel match the
    message's ``TDT`` (voyage number; IMO, call sign or name).

    A visit named by key whose vessel or voyage differs from the message's is refused
    (naming what differs) unless ``force``: ``--visit`` picks among matching visits, it does
    not put one vessel's bay plan on another."""
    if visit_key:
        visit = visit_by_key(tx, visit_key)
        differences = _differences(tx, header, visit)
        tx.rule(force or not differences, "edi.visit.mismatch",
                N_("the {what} does not match visit {visit}: {differences}"),
                N_("check the file and the visit; give --force to import it onto this visit "
                   "all the same"), what=what, visit=visit.key,
                differences="; ".join(differences))
        tx.ensure()
        return visit
    voyage = header.voyage.strip().upper()
    if not voyage:
        tx.fail("edi.visit.unnamed", N_("the {what} names no voyage (TDT+20)"),
                N_("give the visit with --visit KEY"), what=what)
    rows = tx.session.execute(
        select(VesselVisit, Vessel).join(Vessel, col(Vessel.id) == VesselVisit.vessel_id)
        .where(col(VesselVisit.phase).in_([p.value for p in LIVE]))).all()
    matches = []
    for visit, vessel in rows:
        voyages = {v.strip().upper() for v in (visit.voyage_in, visit.voyage_out, visit.key) if v}
        if voyage not in voyages:
            continue
        same_vessel = (
            (header.imo and header.imo == vessel.imo)
            or (header.call_sign and header.call_sign.upper() == vessel.call_sign.upper())
            or (header.vessel_name and header.vessel_name.upper() == vessel.name.upper()))
        if same_vessel or not (header.imo or header.call_sign or header.vessel_name):
            matches.append(visit)
    vessel_desc = header.vessel_name or header.imo or header.call_sign or "?"
    if not matches:
        tx.fail("edi.visit.not_found",
                N_("no live visit has voyage {voyage} of vessel {vessel_desc} (from the {what})"),
                N_("create the visit in the schedule, or give it with --visit KEY (and --force "
                   "if its voyage or vessel differs)"), voyage=voyage,
                vessel_desc=vessel_desc, what=what)
    if len(matches) > 1:
        tx.fail("edi.visit.ambiguous",
                N_("voyage {voyage} of {vessel_desc} matches visits {visits}"),
                N_("give the visit with --visit KEY"), voyage=voyage, vessel_desc=vessel_desc,
                visits=", ".join(v.key for v in matches))
    return matches[0]


def _differences(tx: Tx, header: Header, visit: VesselVisit) -> list[str]:
    """What the message says about vessel and voyage that the visit contradicts (a value
    the message leaves out contradicts nothing)."""
    vessel = tx.session.get(Vessel, visit.vessel_id)
    assert vessel is not None  # vessel_visit.vessel_id is a foreign key to vessel
    out = []
    for label, sent, known in (("vessel", header.vessel_name, vessel.name),
                               ("IMO", header.imo, vessel.imo),
                               ("call sign", header.call_sign, vessel.call_sign)):
        if sent.strip() and known and sent.strip().upper() != known.strip().upper():
            out.append(f"{label} {sent.strip()} in the file, {known} for the visit")
    voyage = header.voyage.strip().upper()
    voyages = [v for v in (visit.voyage_in, visit.voyage_out) if v]
    if voyage and voyages and voyage not in {v.strip().upper() for v in voyages + [visit.key]}:
        out.append(f"voyage {header.voyage.strip()} in the file, {' / '.join(voyages)} for "
                   "the visit")
    return out


def _open_for_cargo(tx: Tx, visit: VesselVisit, what: str) -> None:
    tx.rule(visit.phase in {p.value for p in LIVE}, "edi.visit.closed",
            N_("visit {visit} is {phase}; a {what} can no longer change it"),
            N_("import it for a visit that is still to come or alongside"), visit=visit.key,
            phase=Term(visit.phase), what=what)


def chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]
