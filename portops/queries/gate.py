"""What the gate clerk sees: one truck's checks, the trouble list, the gate queue, the EIR.
Read-only; plain dataclasses out. The day's pickup plan (提箱计划) is ``pickup_plan.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from portops.damage import localize_damage
from portops.i18n import N_, Translate, _, as_is
from portops.model import (
    Appointment,
    AppointmentSlot,
    Container,
    Eir,
    Party,
    TruckState,
    TruckVisit,
)
from portops.model.base import pk
from portops.ops.core import Unmet
from portops.ops.gate_checks import (
    SlotSettings,
    blockers,
    find_for_gate,
    gate_in_unmet,
    no_appointment,
    settings,
    window,
    yard_label,
)


@dataclass(frozen=True)
class ApptView:
    id: int
    ref: str
    state: str
    container: str
    size_type: str
    slot_start: datetime  # terminal-local
    slot_end: datetime
    opens: datetime  # the window with tolerance, terminal-local
    closes: datetime
    haulier: str
    haulier_name: str
    plate: str
    driver_name: str
    driver_id: str
    yard_slot: str
    blockers: int
    on_behalf: bool
    late_accepted: bool


@dataclass(frozen=True)
class GateCheck:
    """One check as the gate screen lists it: passed, or the reason it did not."""

    name: str
    ok: bool
    message: str = ""
    remedy: str = ""


@dataclass(frozen=True)
class Assessment:
    lookup: str
    appointment: ApptView | None
    unmet: list[Unmet]
    checks: list[GateCheck]

    @property
    def admissible(self) -> bool:
        return self.appointment is not None and not self.unmet


#: The in-gate checks in the order the screen lists them, and the rule ids each covers.
CHECKS: list[tuple[str, tuple[str, ...]]] = [
    (N_("appointment"), ("gate.appointment_state", "gate.no_appointment")),
    (N_("time window"), ("gate.early", "gate.late")),
    (N_("plate"), ("gate.plate",)),
    (N_("haulier"), ("gate.haulier",)),
    (N_("driver"), ("gate.driver",)),
    (N_("right to collect"), ("gate.no_right", "gate.haulier_not_holder")),
    (N_("box in the yard"), ("gate.not_in_yard",)),
    (N_("customs release"), ("permission.customs_import",)),
    (N_("line release"), ("permission.line_release",)),
    (N_("holds"), ("hold.",)),
]


def checks_of(unmet: list[Unmet], checks: list[tuple[str, tuple[str, ...]]] | None = None,
              translate: Callable[[str], str] | None = None) -> list[GateCheck]:
    """Each check of ``checks`` (default: the pickup in-gate's) passed or failed, with the
    unmet rules it covers (a rule id ending in ``.`` covers every rule it starts); texts in
    the language of ``translate`` (default: English)."""
    out = []
    for name, rules in checks or CHECKS:
        hits = [u for u in unmet if any(u.rule == r or (r.endswith(".") and u.rule.startswith(r))
                                        for r in rules)]
        texts = [u.localized(translate or _) for u in hits]
        out.append(GateCheck(name, not hits, "; ".join(m for m, _r in texts),
                             "; ".join(r for _m, r in texts)))
    return out


def appt_view(session: Session, appt: Appointment, cfg: SlotSettings | None = None) -> ApptView:
    cfg = cfg or settings(session)
    tz = ZoneInfo(cfg.timezone)
    slot = session.get_one(AppointmentSlot, appt.slot_id)
    c = session.get_one(Container, appt.container_id)
    h = session.get_one(Party, appt.haulier_id)
    opens, closes = window(slot, cfg)
    return ApptView(pk(appt), appt.ref, appt.state, c.number, c.size_type,
                    slot.start.astimezone(tz), slot.end.astimezone(tz), opens.astimezone(tz),
                    closes.astimezone(tz), h.code, h.name, appt.plate, appt.driver_name,
                    appt.driver_id, yard_label(session, c), len(blockers(session, c)),
                    appt.on_behalf, appt.late_accepted_at is not None)


def assess(session: Session, now: datetime, lookup: str, plate: str = "", haulier: str = "",
           driver_id: str = "") -> Assessment:
    """Everything the clerk needs to decide on one truck. The plate, haulier and driver are
    what the clerk typed or scanned at the gate: empty ones are checks not yet passed (they
    once defaulted to the booked ones, so the plate was compared with itself)."""
    appt = find_for_gate(session, lookup, now) if lookup.strip() else None
    if appt is None:
        unmet = [no_appointment(lookup, N_("check the plate or reference, or send the truck "
                                           "to trouble"))]
        return Assessment(lookup, None, unmet, checks_of(unmet))
    view = appt_view(session, appt)
    unmet = gate_in_unmet(session, appt, now, plate, haulier, driver_id)
    return Assessment(lookup, view, unmet, checks_of(unmet))


@dataclass(frozen=True)
class TruckRow:
    id: int
    plate: str
    state: str
    ref: str
    container: str
    haulier: str
    arrived_at: datetime  # terminal-local
    minutes: int  # turn time so far (or in total, once out)
    yard_slot: str
    reasons: list[str] = field(default_factory=list)
    note: str = ""
    #: It brought an export box (no pickup appointment): it leaves empty once the box is down.
    delivering: bool = False
    #: The damage recorded on its box (at discharge, loading or an earlier gate) as stored:
    #: the gate-out form shows it (``localize_damage``) so the clerk confirms or adds to it.
    damage: str = ""


def _truck_rows(session: Session, now: datetime, states) -> list[TruckRow]:
    tz = ZoneInfo(settings(session).timezone)
    # One query for every truck with its appointment ref and box (the appointment's box, or
    # the one the truck brought in for export), not two look-ups per truck.
    box_id = func.coalesce(Appointment.container_id, TruckVisit.container_id)
    rows = session.exec(
        select(TruckVisit, Appointment.ref, Container.number, Container.damage)
        .outerjoin(Appointment, col(Appointment.id) == TruckVisit.appointment_id)
        .outerjoin(Container, col(Container.id) == box_id)
        .where(col(TruckVisit.state).in_(list(states)))
        .order_by(col(TruckVisit.arrived_at))).all()
    out = []
    for tv, ref, number, damage in rows:
        end = tv.out_at or now
        out.append(TruckRow(pk(tv), tv.plate, tv.state, ref or "", number or "",
                            tv.haulier_code, tv.arrived_at.astimezone(tz),
                            int((end - tv.arrived_at).total_seconds() // 60), tv.yard_slot,
                            [Unmet.from_dict(r).localized(_)[0] for r in tv.trouble],
                            tv.note, delivering=tv.appointment_id is None and bool(number),
                            damage=damage or ""))
    return out


def trouble_list(session: Session, now: datetime) -> list[TruckRow]:
    """Trucks stopped at the in-gate, oldest first, with every reason."""
    return _truck_rows(session, now, [TruckState.TROUBLE])


def gate_queue(session: Session, now: datetime) -> list[TruckRow]:
    """Trucks inside the terminal (admitted, loaded, or leaving empty after their box went
    back to the yard), with their turn time so far."""
    return _truck_rows(session, now, [TruckState.ADMITTED, TruckState.LOADED,
                                      TruckState.RETURNED])


@dataclass(frozen=True)
class EirView:
    number: str
    direction: str
    container: str
    size_type: str
    full: bool
    operator: str
    seals: str
    plate: str
    driver_name: str
    driver_id: str
    haulier: str
    damage: str
    issued_at: datetime  # terminal-local
    issued_by: str
    appointment: str
    codeco: str


def eir(session: Session, eir_id: int | None = None, number: str | None = None
        ) -> EirView | None:
    q = select(Eir).where(Eir.id == eir_id) if eir_id is not None else \
        select(Eir).where(Eir.number == (number or "").strip().upper())
    row = session.exec(q).first()
    if row is None:
        return None
    tz = ZoneInfo(settings(session).timezone)
    tv = session.get_one(TruckVisit, row.truck_visit_id)
    appt = session.get(Appointment, tv.appointment_id) if tv.appointment_id else None
    return EirView(row.number, row.direction, row.container_number, row.size_type, row.full,
                   row.operator, row.seals, row.plate, row.driver_name, row.driver_id,
                   row.haulier, row.damage, row.issued_at.astimezone(tz), row.issued_by,
                   appt.ref if appt else "", row.codeco)


def eir_markdown(e: EirView, terminal: str = "", translate: Translate = as_is) -> str:
    """The EIR (设备交接单) as Markdown: readable on screen, printable as it is. Titled by its
    direction: an export box delivered is an in-gate (进场), a box collected an out-gate (出场).
    In English each label carries its Chinese too (a paper both sides of a Chinese gate
    sign); in ``translate``'s Chinese it is Chinese only."""
    t = translate
    lines = [t(N_("# Equipment interchange receipt 设备交接单 — {number}")).format(
        number=e.number), ""]
    gate = t(N_("in-gate (进场)")) if e.direction == "in" else t(N_("out-gate (出场)"))
    lines += [f"{terminal}, {gate}" if terminal else gate, ""]
    rows = [(N_("Container 箱号"), e.container), (N_("Size/type 尺寸箱型"), e.size_type),
            (N_("Full/empty 空重"), t(N_("full 重")) if e.full else t(N_("empty 空"))),
            (N_("Operator 箱主"), e.operator or "—"),
            (N_("Seal(s) 铅封号"), e.seals or t(N_("none 无"))),
            (N_("Truck plate 车牌"), e.plate),
            (N_("Driver 司机"), f"{e.driver_name} ({e.driver_id})"),
            (N_("Haulier 承运人"), e.haulier), (N_("Appointment 预约号"), e.appointment or "—"),
            (N_("Condition at the gate 验箱"),
             localize_damage(e.damage, t) if e.damage else t(N_("intact 完好"))),
            (N_("Time 时间"), f"{e.issued_at:%Y-%m-%d %H:%M} ({e.issued_at:%Z})"),
            (N_("Gate clerk 检查员"), e.issued_by)]
    lines += ["| | |", "|---|---|"] + [f"| {t(k)} | {v} |" for k, v in rows]
    lines += ["", t(N_("Signatures 签字: haulier/driver ______________  terminal "
                       "______________")), ""]
    return "\n".join(lines)
