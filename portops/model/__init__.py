"""The tables, one module per aggregate. Importing this package registers every table."""

from portops.model.base import UTCDateTime
from portops.model.checklists import ChecklistSet, ChecklistStep
from portops.model.containers import Category, Container, Where
from portops.model.discharge import DischargeItem, DischargePlan, ItemStatus
from portops.model.edi import EdiImport, OnBoard
from portops.model.events import Event
from portops.model.export import (
    ArrivalEntry,
    ExportBooking,
    LoadItem,
    LoadState,
    Receival,
    ReceivalState,
    StowInstruction,
)
from portops.model.flags import Flag, FlagState
from portops.model.gate import (
    LIVE_APPTS,
    TRUCK_INSIDE,
    Appointment,
    AppointmentSlot,
    ApptState,
    Eir,
    TruckState,
    TruckVisit,
)
from portops.model.parties import CollectRight, Party, PartyKind, RightHandover, RightState
from portops.model.roles import Role
from portops.model.terminal import Berth, Terminal, YardBlock
from portops.model.users import SYSTEM_USER, User
from portops.model.vessels import ALONGSIDE, LIVE, TRANSITIONS, Phase, Vessel, VesselVisit
from portops.model.workplans import WorkPlanIssue

__all__ = [
    "ArrivalEntry", "ExportBooking", "LoadItem", "LoadState", "Receival", "ReceivalState",
    "StowInstruction",
    "LIVE_APPTS", "TRUCK_INSIDE", "Appointment", "AppointmentSlot", "ApptState", "CollectRight",
    "Eir", "Party", "PartyKind", "RightHandover", "RightState", "TruckState", "TruckVisit",
    "ALONGSIDE", "LIVE", "SYSTEM_USER", "TRANSITIONS", "Berth", "Category", "ChecklistSet",
    "ChecklistStep", "Container", "DischargeItem", "DischargePlan", "EdiImport", "Event",
    "Flag", "FlagState", "ItemStatus", "OnBoard", "Phase", "Role", "Terminal", "UTCDateTime",
    "User", "Vessel",
    "VesselVisit", "Where", "WorkPlanIssue", "YardBlock",
]
