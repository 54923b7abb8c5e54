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
from typing import Any

#: Aggregate module -> the names it exports here.
MODULES: dict[str, tuple[str, ...]] = {
    "base": ("UTCDateTime",),
    "checklists": ("ChecklistSet", "ChecklistStep"),
    "containers": ("Category", "Container", "Where"),
    "discharge": ("DischargeItem", "DischargePlan", "ItemStatus"),
    "edi": ("EdiImport", "OnBoard"),
    "events": ("Event",),
    "export": ("ArrivalEntry", "ExportBooking", "LoadItem", "LoadState", "Receival",
               "ReceivalState", "StowInstruction"),
    "flags": ("Flag", "FlagState"),
    "gate": ("LIVE_APPTS", "SLOT_ROOM_CHECK", "TRUCK_INSIDE", "Appointment", "AppointmentSlot",
             "ApptState", "Eir", "TruckState", "TruckVisit"),
    "parties": ("CollectRight", "Party", "PartyKind", "RightHandover", "RightState"),
    "roles": ("CUSTOMER_ROLES", "STAFF_ROLES", "Role"),
    "terminal": ("Berth", "Terminal", "YardBlock"),
    "users": ("SYSTEM_USER", "ApiToken", "SignInFailure", "User"),
    "vessels": ("ALONGSIDE", "LIVE", "TRANSITIONS", "Phase", "Vessel", "VesselVisit"),
    "workplans": ("WorkPlanIssue",),
}
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
