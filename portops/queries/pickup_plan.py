"""The day's pickup plan (提箱计划): the appointments by slot with the yard slot to visit and
the relocations each costs, and the night's housekeeping moves that lower them; as Markdown
and CSV for the yard. Read-only; plain dataclasses out (the gate's own views are ``gate.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from portops.i18n import N_, Translate, as_is
from portops.model import (
    Appointment,
    AppointmentSlot,
    ApptState,
    Container,
    Party,
    Where,
    YardBlock,
)
from portops.model.base import pk
from portops.ops.gate_checks import (
    blockers,
    settings,
    yard_label,
)
from portops.ops.yard_moves import load_bay, pickups_in
from portops.planning.relocation import InvalidPlan
from portops.planning.yard_relocation import housekeeping, relocation_cost


@dataclass(frozen=True)
class PickupRow:
    ref: str
    container: str
    size_type: str
    haulier: str
    plate: str
    yard_slot: str  # empty when the box is not in the yard
    relocations: int
    state: str
    #: Where the box is (Where: yard, vessel, truck, gone...): says why there is no yard slot.
    where: str = "yard"

    @property
    def place(self) -> str:
        """The yard slot, or (English, for the printed plan) why there is none."""
        return self.place_in()

    def place_in(self, translate: Translate = as_is) -> str:
        """The yard slot, or why there is none in ``translate``'s language."""
        if self.yard_slot:
            return self.yard_slot
        why = _PLACE.get(self.where, self.where)
        return why if why == "—" else translate(why)


#: Why a pickup has no yard slot, by where its box is (the printed plan is bilingual in
#: English, Chinese only in Chinese).
_PLACE = {"advised": N_("not discharged yet 未卸船"), "vessel": N_("not discharged yet 未卸船"),
          "truck": N_("on the truck 已上车"), "gone": N_("gone out 已出场"), "yard": "—"}


@dataclass(frozen=True)
class SlotPlan:
    start: datetime  # terminal-local
    end: datetime
    capacity: int
    booked: int  # places taken in the slot: pickups and export deliveries, as counted
    rows: list[PickupRow]

    @property
    def heading(self) -> str:
        """The slot's line in the printed plan: the pickups listed, then the places taken
        (a slot is shared with export deliveries, so its count may be more than its rows)."""
        return self.heading_in()

    def heading_in(self, translate: Translate = as_is) -> str:
        """:attr:`heading` in ``translate``'s language."""
        others = self.booked - len(self.rows)  # a completed pickup keeps its place too
        values = {"start": f"{self.start:%H:%M}", "end": f"{self.end:%H:%M}",
                  "n": len(self.rows), "booked": self.booked, "capacity": self.capacity,
                  "others": others}
        if others > 0:
            return translate(N_("{start}–{end}: {n} pickup(s); {booked}/{capacity} places "
                                "taken, {others} by export deliveries")).format(**values)
        return translate(N_("{start}–{end}: {n} pickup(s); {booked}/{capacity} places taken")
                         ).format(**values)


@dataclass(frozen=True)
class HousekeepingMove:
    container: str
    block: str
    bay: int
    from_row: int
    from_tier: int
    to_row: int
    to_tier: int


@dataclass(frozen=True)
class PickupPlan:
    day: date
    timezone: str
    slots: list[SlotPlan]
    housekeeping: list[HousekeepingMove]
    relocations_before: int  # the day's planned relocations without the housekeeping moves
    relocations_after: int

    @property
    def appointments(self) -> int:
        return sum(len(s.rows) for s in self.slots)


def pickup_plan(session: Session, day: date, *, housekeeping_moves: int = 10) -> PickupPlan:
    """The day's appointments by slot with the yard slot to visit and the relocations each
    costs (the relocation planner, per yard bay), and the housekeeping moves for the night
    before that lower them."""
    cfg = settings(session)
    tz = ZoneInfo(cfg.timezone)
    start = datetime.combine(day, time(0), tz)
    end = start + timedelta(days=1)
    rows = session.exec(select(Appointment, AppointmentSlot, Container).join(
        AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id).join(
        Container, col(Container.id) == Appointment.container_id).where(
        AppointmentSlot.start >= start, AppointmentSlot.start < end,
        col(Appointment.state).in_([ApptState.BOOKED, ApptState.ADMITTED, ApptState.COMPLETED]))
        .order_by(col(AppointmentSlot.start), col(Appointment.ref))).all()
    bays: dict[tuple[int, int], list[Container]] = defaultdict(list)
    for _a, _s, c in rows:
        if c.location == Where.YARD and c.yard_block_id is not None and c.yard_bay is not None:
            bays[(c.yard_block_id, c.yard_bay)].append(c)  # (a box in the yard has both)
    cost: dict[str, int] = {}
    moves: list[HousekeepingMove] = []
    before = after = 0
    names = {b.id: b.name for b in session.exec(select(YardBlock))}
    for (block_id, bay_no) in sorted(bays):
        bay = load_bay(session, block_id, bay_no)
        due = {n: t for n, t in pickups_in(session, bay).items() if start <= t < end}
        try:
            per_box = relocation_cost(bay.stacks, bay.tiers, due)
        except (ValueError, InvalidPlan):
            per_box = {c.number: len(blockers(session, c)) for c in bays[(block_id, bay_no)]}
        cost.update(per_box)
        spent = sum(per_box.values())
        before += spent
        if spent and len(moves) < housekeeping_moves:
            try:
                hk = housekeeping(bay.stacks, bay.tiers, due,
                                  max_moves=housekeeping_moves - len(moves))
            except (ValueError, InvalidPlan):
                hk = None
            if hk is not None and hk.moves:
                moves += [HousekeepingMove(m.container, names.get(block_id, "?"), bay_no,
                                           m.from_row + 1, m.from_tier, m.to_row + 1,
                                           m.to_tier) for m in hk.moves]
                after += hk.after
                continue
        after += spent
    slots: dict[int, SlotPlan] = {}
    for a, s, c in rows:
        if pk(s) not in slots:
            slots[pk(s)] = SlotPlan(s.start.astimezone(tz), s.end.astimezone(tz), s.capacity,
                                   s.booked, [])
        h = session.get_one(Party, a.haulier_id)
        slots[pk(s)].rows.append(PickupRow(a.ref, c.number, c.size_type, h.code, a.plate,
                                          yard_label(session, c), cost.get(c.number, 0),
                                          a.state, str(c.location)))
    return PickupPlan(day, cfg.timezone, list(slots.values()), moves, before, after)


def pickup_plan_markdown(plan: PickupPlan, terminal: str = "",
                         translate: Translate = as_is) -> str:
    """The pickup plan to read and print: bilingual titles in English (as the EIR), Chinese
    only in ``translate``'s Chinese. The CSV (:func:`pickup_plan_csv`) keeps its English
    column names and values for the software that reads it."""
    t = translate
    head = t(N_("# Pickup plan 提箱计划 — {day}")).format(day=f"{plan.day:%Y-%m-%d}") + (
        f", {terminal}" if terminal else "")
    summary = t(N_("{n} appointments; times in {tz}; planned relocations {before}")).format(
        n=plan.appointments, tz=plan.timezone, before=plan.relocations_before)
    if plan.housekeeping:
        summary += t(N_(", {after} after housekeeping")).format(after=plan.relocations_after)
    lines = [head, "", summary, ""]
    heads = [N_("appointment"), N_("container"), N_("type"), N_("haulier"), N_("plate"),
             N_("yard slot"), N_("relocations"), N_("state")]
    for s in plan.slots:
        lines += [f"## {s.heading_in(t)}", "",
                  "| " + " | ".join(t(h) for h in heads) + " |", "|---|---|---|---|---|---|---|---|"]
        lines += [f"| {r.ref} | {r.container} | {r.size_type} | {r.haulier} | {r.plate} | "
                  f"{r.place_in(t)} | {r.relocations} | {t(r.state)} |"
                  for r in s.rows]
        lines.append("")
    lines += [f"## {t(N_('Housekeeping the night before'))}", ""]
    if plan.housekeeping:
        heads = [N_("container"), N_("block"), N_("bay"), N_("from row-tier"), N_("to row-tier")]
        lines += ["| " + " | ".join(t(h) for h in heads) + " |", "|---|---|---|---|---|"]
        lines += [f"| {m.container} | {m.block} | {m.bay:02d} | {m.from_row:02d}-{m.from_tier} | "
                  f"{m.to_row:02d}-{m.to_tier} |" for m in plan.housekeeping]
    else:
        lines.append(t(N_("No moves needed.")))
    return "\n".join(lines) + "\n"


def pickup_plan_csv(plan: PickupPlan) -> str:
    out = ["slot_start,slot_end,appointment,container,size_type,haulier,plate,yard_slot,"
           "relocations,state"]
    out += [f"{s.start:%Y-%m-%d %H:%M},{s.end:%H:%M},{r.ref},{r.container},{r.size_type},"
            f"{r.haulier},{r.plate},{r.yard_slot},{r.relocations},{r.state}"
            for s in plan.slots for r in s.rows]
    return "\n".join(out) + "\n"
