"""What the terminal's EDIFACT messages carry, as plain dataclasses (no database, no EDIFACT).

Readers turn messages into these; writers turn these into messages; import operations and
exports work with these alone. Container numbers, LOCODEs and size/type codes in them are
already validated and normalised (``portops.codes``); size/type is always the current ISO
6346 code (an old ``4310`` arrives as ``42G1``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "BayPlan", "ContainerList", "CustomsDecision", "CustomsResponse", "Damage",
    "DangerousGoods", "GateMove", "GateReport", "HandledBox", "HandlingReport", "Header", "Slot",
    "StowedBox",
]


@dataclass(frozen=True, order=True, slots=True)
class Slot:
    """A stowage position on board: bay, row, tier (ISO 9711, BAPLIE ``LOC+147`` BBBRRTT)."""

    bay: int
    row: int
    tier: int

    @property
    def code(self) -> str:
        """The 7-digit BBBRRTT form, e.g. ``0780690`` for bay 78, row 06, tier 90."""
        return f"{self.bay:03d}{self.row:02d}{self.tier:02d}"

    @property
    def on_deck(self) -> bool:
        return self.tier >= 70

    def __str__(self) -> str:
        return self.code


@dataclass(slots=True)
class DangerousGoods:
    """One ``DGS`` entry: IMDG class and UN number (plus what else the line sent)."""

    imdg_class: str
    un_number: str = ""
    flashpoint_c: float | None = None
    packing_group: str = ""
    ems: str = ""


@dataclass(slots=True)
class Damage:
    """A damage found on a box (``DAM``): code (e.g. ``DT`` dent), where on the box, a note."""

    code: str
    location: str = ""
    note: str = ""


@dataclass
class Header:
    """The voyage and message data every transport message starts with (UNB, BGM, TDT, LOC)."""

    sender: str = ""
    recipient: str = ""
    message_ref: str = ""  # BGM document number
    message_type: str = ""  # BAPLIE, COPRAR, ...
    version: str = ""  # e.g. D:95B:UN:SMDG22
    prepared: datetime | None = None  # DTM+137
    voyage: str = ""  # TDT+20 conveyance reference
    carrier: str = ""  # TDT carrier code (e.g. COSU)
    vessel_name: str = ""
    call_sign: str = ""
    imo: str = ""  # when the vessel is identified by IMO number (code list 146 / IMO)
    port: str = ""  # LOC+5 place of departure / the port the message is about
    next_port: str = ""  # LOC+61 next port of call
    arrival: datetime | None = None  # DTM+178 (actual) or 132 (estimated) arrival
    departure: datetime | None = None  # DTM+136 / 133
    #: Header-level segments the reader did not interpret, as EDIFACT text (kept, not lost).
    extra: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StowedBox:
    """One container as a bay plan, discharge/load list or report names it."""

    number: str
    size_type: str = ""
    slot: Slot | None = None
    full: bool = True
    operator: str = ""  # NAD+CA / NAD+CF: line operating the box
    pol: str = ""  # LOC+9
    pod: str = ""  # LOC+11
    final_destination: str = ""  # LOC+83 (or LOC+7 place of delivery)
    gross_kg: int | None = None  # MEA+WT / MEA+AAE+G
    vgm_kg: int | None = None  # MEA+VGM / MEA+AAE+VGM
    reefer_temp_c: float | None = None  # TMP+2
    dangerous: list[DangerousGoods] = field(default_factory=list)
    seals: list[str] = field(default_factory=list)
    bl_number: str = ""  # RFF+BM
    booking_ref: str = ""  # RFF+BN
    status: str = ""  # EQD 8249: 2 export, 3 import, 6 tranship
    remarks: list[str] = field(default_factory=list)  # FTX text
    #: Each remark's FTX segment as it came (its qualifier: CLR, AAA, HAN ...), written back
    #: as it came; a remark without one is written as ``FTX+AAI``.
    remark_segments: list[str] = field(default_factory=list, compare=False)
    #: Segments of this box the reader did not interpret, as EDIFACT text (kept, not lost).
    extra: list[str] = field(default_factory=list)
    #: Further equipment in the same slot (a bundle of flat racks), numbers only.
    bundled: list[str] = field(default_factory=list)
    #: What the import doubts about this box and someone must verify at the box (``check
    #: digit``: the number as sent has a wrong ISO 6346 check digit).
    doubts: list[str] = field(default_factory=list)
    #: Where the box starts in the message, for error messages; 0 for boxes built in code.
    segment: int = field(default=0, compare=False)

    @property
    def imdg_class(self) -> str | None:
        return self.dangerous[0].imdg_class if self.dangerous else None

    @property
    def un_number(self) -> str | None:
        return self.dangerous[0].un_number or None if self.dangerous else None


class _Frozen(list):
    """A list that boxes read from a message share, so it refuses to be changed in place.

    A bay plan's box has seven lists (dangerous goods, seals, remarks, ...), nearly all empty,
    and the ones that are not hold the same few segments box after box (a real plan repeats
    ``LOC+76+AEJEA:139:6``, ``GDS+96``, ``FTX+AAA+++MT`` thousands of times): 140,000 empty
    lists for 20,000 boxes were 2.4x the file's size in memory, and a 50 MB real-shaped plan
    kept ~1 KB per box. Assigning a new list works as ever; changing a shared one in place is
    refused (it is other boxes' too). It copies, pickles and deep-copies as a plain list."""

    __slots__ = ()

    def _shared(self, *args, **kwargs):
        raise TypeError("this list is shared by the boxes read from a message; "
                        "assign a new list instead of changing it")

    append = extend = insert = remove = pop = clear = sort = reverse = _shared
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _shared

    def __copy__(self) -> list:
        return list(self)

    def __deepcopy__(self, memo) -> list:
        from copy import deepcopy

        return deepcopy(list(self), memo)

    def __reduce__(self):
        return list, (list(self),)


NOTHING: list = _Frozen()
_LISTS = ("dangerous", "seals", "remarks", "remark_segments", "extra", "bundled", "doubts")
#: The lists of text that recur from box to box (segments kept as they came, remarks, doubts);
#: seals, bundles and dangerous goods are each box's own.
_SHARED_LISTS = ("remarks", "remark_segments", "extra", "doubts")
#: While a message is read (:func:`sharing`): each distinct list of text met so far, once.
_SHARING: ContextVar[dict[tuple, list] | None] = ContextVar("edifact_sharing", default=None)
_SHARE_AT_MOST = 16384  # distinct lists remembered per read; past that, lists stay the box's


@contextmanager
def sharing() -> Iterator[None]:
    """Inside (a reader's ``fields.reading``), :func:`compact` gives boxes with the same text
    lists one shared list; what it remembered is dropped when the read ends."""
    token = _SHARING.set({})
    try:
        yield
    finally:
        _SHARING.reset(token)


def compact(box: StowedBox) -> StowedBox:
    """``box`` with each empty list replaced by :data:`NOTHING`, and (inside :func:`sharing`)
    each list of text by the one list every box with the same text shares (a reader calls it
    once a box is read: what a box has not, or has like the others, costs nothing)."""
    seen = _SHARING.get()
    for name in _LISTS:
        value = getattr(box, name)
        if not value:
            setattr(box, name, NOTHING)
        elif seen is not None and name in _SHARED_LISTS:
            key = tuple(value)
            shared = seen.get(key)
            if shared is None and len(seen) < _SHARE_AT_MOST:
                shared = seen[key] = _Frozen(value)
            if shared is not None:
                setattr(box, name, shared)
    return box


@dataclass
class BayPlan:
    """A BAPLIE: the boxes on board a vessel by slot."""

    header: Header
    boxes: list[StowedBox] = field(default_factory=list)


@dataclass
class ContainerList:
    """A COPRAR: the line's discharge or load list for one call."""

    header: Header
    kind: str  # "discharge" or "load"
    boxes: list[StowedBox] = field(default_factory=list)


#: How a box in a handling report relates to what was ordered (COARRI).
AS_ORDERED, OVER_LANDED, SHORT_LANDED = "as ordered", "over-landed", "short-landed"


@dataclass
class HandledBox:
    """One line of a COARRI: a box discharged or loaded (or ordered and not found)."""

    box: StowedBox
    at: datetime | None = None  # DTM+203 when handled
    condition: str = AS_ORDERED  # as ordered / over-landed / short-landed
    damage: list[Damage] = field(default_factory=list)


@dataclass
class HandlingReport:
    """A COARRI discharge or load report (the tally report sent to the line)."""

    header: Header
    kind: str  # "discharge" or "load"
    moves: list[HandledBox] = field(default_factory=list)


GATE_IN, GATE_OUT = "gate-in", "gate-out"


@dataclass
class GateMove:
    """One CODECO line: a box through the gate, in or out, with the truck that carried it."""

    box: StowedBox
    direction: str  # gate-in / gate-out
    at: datetime | None = None
    truck_plate: str = ""
    haulier: str = ""
    driver: str = ""
    eir: str = ""  # EIR / gate transaction reference
    damage: list[Damage] = field(default_factory=list)


@dataclass
class GateReport:
    """A CODECO: gate-in (BGM+34) or gate-out (BGM+36) report."""

    header: Header
    direction: str  # gate-in / gate-out
    moves: list[GateMove] = field(default_factory=list)


RELEASE, HOLD = "release", "hold"


@dataclass
class CustomsDecision:
    """One customs decision from a CUSRES: for a container or for every box on a B/L."""

    decision: str  # release / hold
    container: str = ""
    bl_number: str = ""
    reference: str = ""  # customs declaration / entry number
    at: datetime | None = None
    reason: str = ""
    segment: int = field(default=0, compare=False)


@dataclass
class CustomsResponse:
    """A CUSRES: the customs authority's answer, one decision per container or B/L."""

    header: Header
    decisions: list[CustomsDecision] = field(default_factory=list)
