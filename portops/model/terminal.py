"""The terminal's layout: the terminal itself, its berths along the quay and its yard blocks."""

from __future__ import annotations

from typing import Any

from sqlmodel import Field, SQLModel

from portops.model.base import json_field

DEFAULT_SHIFTS: list[dict[str, Any]] = [
    {"name": "day", "start": "08:00", "end": "20:00"},
    {"name": "night", "start": "20:00", "end": "08:00"},
]


#: Line-handling gangs and the shifts they work; moorings in a shift go to them in turn.
DEFAULT_LINE_GANGS: list[dict[str, Any]] = [
    {"name": "A", "shifts": ["day"]},
    {"name": "B", "shifts": ["day"]},
    {"name": "C", "shifts": ["night"]},
    {"name": "D", "shifts": ["night"]},
]

#: Gate lanes and what each is for (in, out, both, or trouble: a truck stopped at the check).
DEFAULT_GATE_LANES: list[dict[str, Any]] = [
    {"name": "IN1", "use": "in"},
    {"name": "IN2", "use": "in"},
    {"name": "OUT1", "use": "out"},
    {"name": "T1", "use": "trouble"},
]


class Terminal(SQLModel, table=True):
    """One row: the terminal this database runs."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)  # e.g. CNSHA-DEMO, the key used by imports
    name: str = Field(max_length=128)
    locode: str = Field(max_length=5)  # UN/LOCODE of the port, e.g. CNSHA
    timezone: str = Field(default="UTC", max_length=64)  # IANA name, e.g. Asia/Shanghai
    shifts: list[dict[str, Any]] = json_field(default_factory=lambda: list(DEFAULT_SHIFTS))
    line_gangs: list[dict[str, Any]] = json_field(
        default_factory=lambda: [dict(g) for g in DEFAULT_LINE_GANGS])
    gate_lanes: list[dict[str, Any]] = json_field(
        default_factory=lambda: [dict(g) for g in DEFAULT_GATE_LANES])
    #: Clear water kept between two vessels alongside, metres.
    vessel_clearance_m: float = Field(default=20.0)
    #: Under-keel clearance the harbour master requires, metres.
    ukc_m: float = Field(default=0.5)
    #: Truck appointments: slot length, trucks per slot, and how early/late a truck may come.
    appt_slot_minutes: int = Field(default=60)
    appt_slot_capacity: int = Field(default=20)
    appt_tolerance_minutes: int = Field(default=30)
    #: What the terminal lets its customers do themselves (issue 18): book at most so many
    #: days ahead, change or cancel up to so many minutes before the slot, and hold at most so
    #: many open appointments per haulier (0: no limit). A box has one at most, always.
    appt_book_days_ahead: int = Field(default=7)
    appt_change_cutoff_minutes: int = Field(default=120)
    appt_max_open_per_haulier: int = Field(default=0)
    #: Open (booked or admitted) pickup appointments a box may have at once (default 1).
    appt_max_open_per_box: int = Field(default=1)
    #: No-shows and late cancels (issue 18): a haulier whose share of them among its
    #: appointments due in the last ``no_show_window_days`` (at least
    #: ``no_show_min_appointments`` of them) is over ``no_show_rate_pct`` (0: no consequence)
    #: may hold only ``peak_cap_penalised`` appointments a day in the peak hours
    #: (``peak_hours``: local "HH:MM-HH:MM" ranges).
    no_show_rate_pct: int = Field(default=0)
    no_show_window_days: int = Field(default=28)
    no_show_min_appointments: int = Field(default=5)
    peak_hours: list[str] = json_field(default_factory=list)
    peak_cap_penalised: int = Field(default=0)
    #: A truck that came in time and waited longer than this for its gate-in is the
    #: terminal's delay (``portops.queries.delays``).
    delay_grace_minutes: int = Field(default=15)
    #: Export receiving window: opens so many days before ETB, closes at the cut-offs
    #: (hours before ETB); reefer and dangerous-goods boxes may have earlier cut-offs.
    receiving_open_days: int = Field(default=7)
    cargo_cutoff_hours: int = Field(default=24)
    reefer_cutoff_hours: int = Field(default=24)
    dg_cutoff_hours: int = Field(default=36)
    #: How far a VGM weighed at the gate may be from the shipper's declared VGM: this share
    #: of the declared mass, but never more than this many kg (China's MSA: 5 %, at most 1 t).
    vgm_tolerance_pct: float = Field(default=5.0)
    vgm_tolerance_kg: int = Field(default=1000)
    #: Wrong passwords in a row that lock an account until an admin unlocks it (0: never).
    sign_in_lockout: int = Field(default=10)


class Berth(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=16, unique=True, index=True)
    quay_start_m: float
    quay_end_m: float
    depth_m: float  # depth alongside at chart datum
    #: First and last bollard numbers along this berth (bollards are ~25-30 m apart).
    bollard_first: int | None = Field(default=None)
    bollard_last: int | None = Field(default=None)

    @property
    def length_m(self) -> float:
        return self.quay_end_m - self.quay_start_m


class YardBlock(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=16, unique=True, index=True)
    bays: int
    rows: int
    tiers: int
    #: Which lengths the block's slots take. Bays are numbered as on a ship: a block of
    #: ``bays`` 20' bays has ground bays 1, 3, 5 ... 2*bays-1 for 20' boxes, and a 40'/45'
    #: box stands on the even bay between two of them (bay 2 covers bays 1 and 3).
    takes_20: bool = Field(default=True)
    takes_40: bool = Field(default=True)
    takes_45: bool = Field(default=False)
    #: Rows 1..reefer_rows have a plug at every ground slot.
    reefer_rows: int = Field(default=0)
    dangerous_goods: bool = Field(default=False)
    #: What the block is kept for: import, export, empty, or mixed.
    purpose: str = Field(default="mixed", max_length=16)
    #: Distance along the quay of the block's centre, metres; used to stack near the berth.
    quay_m: float = Field(default=0.0)

    @property
    def ground_slots(self) -> int:
        return self.bays * self.rows
