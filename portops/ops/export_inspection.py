"""The export gate check (验箱): what the clerk reads on the box against what was booked.

A seal that is not the one declared, or a verified gross mass (VGM, SOLAS VI/2) that no box of
its size can weigh or that is far from the shipper's declaration, once let a box in (seal
``CN7300999`` for a booked ``CN7300140``, 99,999 kg on a 20-foot box). Each point here is a rule
of ``export.receive``; ``gate.trouble`` stops the truck with the same list.

Limits: ISO 668 rates every 20', 40' and 45' series 1 box at 30,480 kg maximum gross mass
(1CC/1C since Amendment 1 of 2005, kept by ISO 668:2020), a 10' (1D) at 10,160 kg. A full box
weighs at least its tare: the lightest steel dry boxes are about 1,800 kg (20'), 3,000 kg (40')
and 3,700 kg (45'). The declared and the weighed VGM may differ by the terminal's tolerance
(``Terminal.vgm_tolerance_pct`` and ``vgm_tolerance_kg``, whichever is smaller: China's MSA
rule since 2016 is 5 % and at most 1 t, the default).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from portops.codes import CodeError, length_feet, parse_container_number, parse_size_type
from portops.i18n import N_
from portops.model import ExportBooking, Receival, Terminal
from portops.ops.core import Unmet
from portops.textcheck import SEAL, problem

#: (minimum, maximum) plausible gross mass of a full box in kg, by nominal length in feet.
GROSS_LIMITS: dict[int, tuple[int, int]] = {10: (1_000, 10_160), 20: (1_800, 30_480),
                                            40: (3_000, 30_480), 45: (3_700, 30_480)}


def gross_limits(size_type: str) -> tuple[int, int]:
    """The plausible gross mass of a full box of this size/type (unreadable: a 40')."""
    try:
        feet = length_feet(size_type)
    except (CodeError, KeyError):
        feet = 40
    key = 10 if feet < 15 else 20 if feet < 35 else 40 if feet < 42 else 45
    return GROSS_LIMITS[key]


def tolerance(session: Any, declared: int) -> int:
    """How far (kg) a weighed VGM may be from the declared one at this terminal."""
    t = session.exec(select(Terminal.vgm_tolerance_pct, Terminal.vgm_tolerance_kg)
                     .order_by(col(Terminal.id)).limit(1)).first()
    pct, cap = t if t is not None else (5.0, 1000)
    return int(min(declared * pct / 100, cap))


def seals(text: str) -> set[str]:
    """The seals in a field (commas or semicolons between several), in capitals."""
    return {s.strip().upper() for s in text.replace(";", ",").split(",") if s.strip()}


def inspect(session: Any, r: Receival, b: ExportBooking, container: str, size_type: str,
            seal: str, vgm_kg: int | None, damage: str) -> list[Unmet]:
    """Every point of the gate check that fails, each its own rule."""
    out: list[Unmet] = []
    try:
        number = parse_container_number(container)
        if number != r.container_number:
            out.append(Unmet.of("export.inspection.container",
                                N_("the box is {number}, the appointment is for {container_number}"),
                                N_("only the box booked may come in"), number=number,
                                container_number=r.container_number))
    except CodeError as exc:
        out.append(Unmet.of("export.inspection.check_digit", exc.template,
                            N_("re-read the number; a box with a wrong number is turned away"),
                            **exc.params))
    try:
        st = parse_size_type(size_type)
        if st != b.size_type:
            out.append(Unmet.of("export.inspection.size_type",
                                N_("the box is {st}; booking {ref} is for {size_type}"),
                                N_("the line must amend the booking, or bring the right box"),
                                st=st, ref=b.ref, size_type=b.size_type))
    except CodeError as exc:
        out.append(Unmet.of("export.inspection.size_type", exc.template,
                            N_("read the size/type again"), **exc.params))
    out += _seal(r, seal)
    out += _vgm(session, r, b, vgm_kg)
    if damage.strip():
        out.append(Unmet.of("export.inspection.damage", N_("damage noted at the gate: {damage}"),
                            N_("a damaged box is turned away for repair"),
                            damage=damage.strip()[:80]))
    return out


def _seal(r: Receival, seal: str) -> list[Unmet]:
    if not seal.strip():
        return [Unmet.of("export.inspection.seal", N_("the box has no seal"),
                         N_("a full export box must arrive sealed"))]
    if problem(SEAL, seal) is not None:
        return [Unmet.of("export.inspection.seal.shape",
                         N_("the seal as typed is not a seal number (letters and digits, "
                            "several separated by commas)"), N_("read the seal again"))]
    booked = seals(r.seals)
    if booked and seals(seal) != booked:
        # The clerk is told that it differs, not what was declared: the seal is read, not copied.
        return [Unmet.of("export.inspection.seal.mismatch",
                         N_("seal {seal} on the box is not the seal declared for appointment "
                            "{ref}"),
                         N_("a changed seal goes to the trouble lane: the shipper must explain "
                            "it"), seal=seal.strip().upper(), ref=r.ref)]
    return []


def _vgm(session: Any, r: Receival, b: ExportBooking, vgm_kg: int | None) -> list[Unmet]:
    vgm = vgm_kg or r.vgm_kg
    if not vgm:
        return [Unmet.of("export.inspection.vgm", N_("no verified gross mass (VGM) for the box"),
                         N_("the shipper must declare the VGM"))]
    out: list[Unmet] = []
    low, high = gross_limits(b.size_type)
    if not low <= vgm <= high:
        out.append(Unmet.of("export.inspection.vgm.range",
                            N_("a VGM of {vgm} kg is not possible for a {size_type} box "
                               "({low}–{high} kg)"),
                            N_("weigh the box again; the shipper must correct the VGM"),
                            vgm=vgm, size_type=b.size_type, low=low, high=high))
    if vgm_kg and r.vgm_kg and vgm_kg != r.vgm_kg:
        allowed = tolerance(session, r.vgm_kg)
        if abs(vgm_kg - r.vgm_kg) > allowed:
            out.append(Unmet.of("export.inspection.vgm.declared",
                                N_("the weighed VGM {vgm} kg is {diff} kg off the declared VGM "
                                   "(tolerance {allowed} kg)"),
                                N_("the shipper must verify the VGM again"),
                                vgm=vgm_kg, diff=abs(vgm_kg - r.vgm_kg), allowed=allowed))
    return out
