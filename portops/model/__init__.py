"""The tables, one module per aggregate.

The names are imported from here (``from portops.model import VesselVisit``) but each
aggregate's module is loaded only when one of its names is first asked for: the console
starts on the schedule without building the gate, export, discharge... tables (creating a
SQLModel class costs a few milliseconds each). :func:`load_all` registers every table on
``SQLModel.metadata``; Alembic, the schema test and the first operation call it (an
operation's flush may follow foreign keys to any table).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Aggregate module -> the names it exports here.
MODULES: dict[str, tuple[str, ...]] = {
    "base": ("UTCDateTime",),
    "checklists": ("ChecklistSet", "ChecklistStep"),
    "containers": ("Category", "Container", "Where"),
    "discharge": ("DischargeItem", "DischargePlan", "ItemStatus"),
    "edi": ("EdiImport", "OnBoard"),
    "events": ("Event", "EventLink", "EventUnlinked"),
    "export": ("ArrivalEntry", "ExportBooking", "LoadItem", "LoadState", "Receival",
               "ReceivalState", "StowInstruction"),
    "flags": ("Flag", "FlagState"),
    "gate": ("LIVE_APPTS", "SLOT_ROOM_CHECK", "TRUCK_INSIDE", "Appointment", "AppointmentSlot",
             "ApptState", "Eir", "TruckState", "TruckVisit"),
    "parties": ("CollectRight", "Party", "PartyKind", "RightHandover", "RightState"),
    "platform": ("DeliveryArrival", "GateArrival", "HaulierNomination", "NominationState"),
    "roles": ("CUSTOMER_ROLES", "STAFF_ROLES", "Role"),
    "terminal": ("Berth", "Terminal", "YardBlock"),
    "users": ("SYSTEM_USER", "ApiRate", "ApiToken", "SignInFailure", "User"),
    "vessels": ("ALONGSIDE", "LIVE", "TRANSITIONS", "Phase", "Vessel", "VesselVisit"),
    "workplans": ("WorkPlanIssue",),
}
# The names as type checkers see them (without these every model class was ``Any`` to
# them); at run time ``__getattr__`` loads each module on first use (MODULES must match:
# tests/test_typing.py).
if TYPE_CHECKING:
    from portops.model.base import UTCDateTime  # noqa: F401, I001 - one line per module
    from portops.model.checklists import ChecklistSet, ChecklistStep  # noqa: F401
    from portops.model.containers import Category, Container, Where  # noqa: F401
    from portops.model.discharge import DischargeItem, DischargePlan, ItemStatus  # noqa: F401
    from portops.model.edi import EdiImport, OnBoard  # noqa: F401
    from portops.model.events import Event, EventLink, EventUnlinked  # noqa: F401
    from portops.model.export import ArrivalEntry, ExportBooking, LoadItem, LoadState, Receival, ReceivalState, StowInstruction  # noqa: F401
    from portops.model.flags import Flag, FlagState  # noqa: F401
    from portops.model.gate import LIVE_APPTS, SLOT_ROOM_CHECK, TRUCK_INSIDE, Appointment, AppointmentSlot, ApptState, Eir, TruckState, TruckVisit  # noqa: F401
    from portops.model.parties import CollectRight, Party, PartyKind, RightHandover, RightState  # noqa: F401
    from portops.model.platform import DeliveryArrival, GateArrival, HaulierNomination, NominationState  # noqa: F401
    from portops.model.roles import CUSTOMER_ROLES, STAFF_ROLES, Role  # noqa: F401
    from portops.model.terminal import Berth, Terminal, YardBlock  # noqa: F401
    from portops.model.users import SYSTEM_USER, ApiRate, ApiToken, SignInFailure, User  # noqa: F401
    from portops.model.vessels import ALONGSIDE, LIVE, TRANSITIONS, Phase, Vessel, VesselVisit  # noqa: F401
    from portops.model.workplans import WorkPlanIssue  # noqa: F401

_WHERE = {name: module for module, names in MODULES.items() for name in names}


_all_loaded = False


def load_all() -> None:
    """Import every aggregate, so that every table is on ``SQLModel.metadata``."""
    global _all_loaded
    if not _all_loaded:
        for module in MODULES:
            importlib.import_module(f"portops.model.{module}")
        _all_loaded = True


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'portops.model' has no attribute {name!r}")
    return getattr(importlib.import_module(f"portops.model.{module}"), name)


__all__ = sorted(_WHERE)
