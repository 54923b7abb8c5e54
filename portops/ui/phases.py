"""How the console names and styles a visit's phase: one table for the schedule, the visit
screen and any other screen that shows a phase (they imported it from each other)."""

from __future__ import annotations

from portops.i18n import N_
from portops.model import Phase

PHASE_TITLES = {
    Phase.PLANNED: N_("planned"), Phase.ARRIVED: N_("arrived"), Phase.BERTHED: N_("berthed"),
    Phase.WORKING: N_("working"), Phase.COMPLETED: N_("completed"),
    Phase.DEPARTED: N_("departed"), Phase.CLOSED: N_("closed"), Phase.CANCELLED: N_("cancelled"),
}
PHASE_STYLES = {Phase.BERTHED: "bold", Phase.WORKING: "bold green", Phase.ARRIVED: "cyan",
                Phase.COMPLETED: "green", Phase.CANCELLED: "dim", Phase.CLOSED: "dim",
                Phase.DEPARTED: "dim"}
