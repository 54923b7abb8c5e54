"""The areas of work: one console mode each, on a function key, for the roles that work there.

To add an area, append an :class:`Area` to :data:`AREAS` (see ``docs/ui.md``). The screen is
named by import path and imported when the area is first opened, so a console starts without
loading every screen. Admin sees every area; others see those that list their role.

Function keys (reserved here so that areas do not collide):
F1 help · F2 schedule · F3 berth plan · F4 work plan · F5 checklists (admin: ⇧F5 mooring jobs) ·
F6 vessel (bay view, discharge) · F7 yard · F8 tally · F9 gate · F10 sign out ·
F11 activity (the audit log) · F12 export (receiving, plan, loading).
Shift+F1..F12 are Textual's ``f13``..``f24`` (shown ⇧F1..⇧F12): ⇧F2 parties ·
⇧F8 no-shows & delays · ⇧F9 releases & holds · ⇧F10 users (admin).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace

from textual.screen import Screen

from portops.i18n import N_, NC_, _, pgettext
from portops.model import CUSTOMER_ROLES, Role


@dataclass(frozen=True)
class Area:
    #: Mode name, e.g. ``schedule``; also the palette's "go to" entry.
    id: str
    #: Function key that opens it.
    key: str
    #: Title in the area bar (English, marked with ``N_``).
    title: str
    #: Roles that work here (admin always may).
    roles: frozenset[Role]
    #: ``module:Class`` of the area's first screen.
    screen: str
    #: The key an admin (who sees every area) opens it with, where ``key`` is another
    #: area's too: the line handler's F12 Mooring jobs is the admin's ⇧F5, F12 being Export.
    admin_key: str | None = None
    #: A customer's area (a party's account): only the roles listed, never the terminal's
    #: admin, who is staff and belongs to no party (its pages would show nothing).
    customer: bool = False

    @property
    def key_label(self) -> str:
        """The key as a person reads it: ``f21`` (what a terminal sends for Shift+F9) is ⇧F9."""
        n = self.key[1:]
        if self.key.startswith("f") and n.isdigit() and 13 <= int(n) <= 24:
            return f"⇧F{int(n) - 12}"
        return self.key.upper()

    @property
    def label(self) -> str:
        """The title in the console's language. A word that is also a column's heading has a
        translation of its own in the ``area`` context ("Vessel": 船舶 the area, 船名 the
        column); the others are translated as they are."""
        own = pgettext("area", self.title)
        return own if own != self.title else _(self.title)

    def permits(self, role: Role) -> bool:
        return (role == Role.ADMIN and not self.customer) or role in self.roles

    def make_screen(self) -> Screen:
        module, _, name = self.screen.partition(":")
        return getattr(importlib.import_module(module), name)()


AREAS: list[Area] = [
    Area("schedule", "f2", N_("Schedule"),
         frozenset({Role.DISPATCHER, Role.YARD_PLANNER, Role.TALLY_CLERK}),
         "portops.ui.screens.schedule:ScheduleScreen"),
    Area("berths", "f3", N_("Berth plan"), frozenset({Role.DISPATCHER}),
         "portops.ui.screens.berths:BerthsScreen"),
    Area("workplan", "f4", N_("Work plan"), frozenset({Role.DISPATCHER}),
         "portops.ui.screens.workplan:WorkPlanScreen"),
    Area("checklists", "f5", N_("Checklists"), frozenset({Role.DISPATCHER}),
         "portops.ui.screens.checklists:ChecklistsScreen"),
    Area("mooring", "f12", N_("Mooring jobs"), frozenset({Role.LINE_HANDLER}),
         "portops.ui.screens.line_handler:MooringScreen", admin_key="f17"),
    Area("vessel", "f6", NC_("area", "Vessel"), frozenset({Role.YARD_PLANNER}),
         "portops.ui.screens.cargo:VesselScreen"),
    Area("yard", "f7", N_("Yard"), frozenset({Role.YARD_PLANNER, Role.TALLY_CLERK}),
         "portops.ui.screens.cargo:YardAreaScreen"),
    Area("tally", "f8", N_("Tally"), frozenset({Role.TALLY_CLERK}),
         "portops.ui.screens.cargo:TallyAreaScreen"),
    Area("gate", "f9", N_("Gate"), frozenset({Role.GATE_CLERK, Role.DISPATCHER}),
         "portops.ui.screens.gate:GateScreen"),
    Area("export", "f12", N_("Export"),
         frozenset({Role.GATE_CLERK, Role.DISPATCHER, Role.TALLY_CLERK, Role.YARD_PLANNER}),
         "portops.ui.screens.export:ExportScreen"),
    Area("activity", "f11", N_("Activity"), frozenset({Role.DISPATCHER}),
         "portops.ui.screens.activity:ActivityScreen"),
    Area("parties", "f14", N_("Parties"), frozenset({Role.DISPATCHER}),
         "portops.ui.screens.parties:PartiesScreen"),
    Area("punctuality", "f20", N_("No-shows & delays"),
         frozenset({Role.DISPATCHER, Role.GATE_CLERK}),
         "portops.ui.screens.punctuality:PunctualityScreen"),
    Area("users", "f22", N_("Users"), frozenset(),
         "portops.ui.screens.users:UsersScreen"),
    Area("releases", "f21", N_("Releases & holds"),
         frozenset({Role.DISPATCHER, Role.GATE_CLERK, Role.YARD_PLANNER, Role.TALLY_CLERK}),
         "portops.ui.screens.releases:ReleasesScreen"),
    # The terminal's customers (issue 18): their own boxes, appointments, hand-overs.
    Area("my_boxes", "f2", N_("My boxes"), CUSTOMER_ROLES,
         "portops.ui.screens.customer:MyBoxesScreen", customer=True),
    Area("my_appointments", "f3", N_("Appointments"), frozenset({Role.HAULIER}),
         "portops.ui.screens.customer:AppointmentsScreen", customer=True),
    Area("hand_over", "f4", N_("Hand over"), frozenset({Role.CONSIGNEE}),
         "portops.ui.screens.customer:HandOverScreen", customer=True),
    Area("receiving_plan", "f3", N_("Receiving plan"), frozenset({Role.SHIPPER}),
         "portops.ui.screens.customer_exports:ReceivingScreen", customer=True),
    Area("arrivals", "f4", N_("Arrivals"), frozenset({Role.SHIPPER}),
         "portops.ui.screens.customer_exports:ArrivalsScreen", customer=True),
    Area("line_calls", "f3", N_("Calls"), frozenset({Role.LINE}),
         "portops.ui.screens.customer_exports:LineCallsScreen", customer=True),
    # a haulier's export deliveries on the bookings it is nominated on, and its record
    Area("deliveries", "f4", N_("Deliveries"), frozenset({Role.HAULIER}),
         "portops.ui.screens.customer_platform:DeliveriesScreen", customer=True),
    Area("record", "f6", N_("Record"), frozenset({Role.HAULIER}),
         "portops.ui.screens.customer_platform:RecordScreen", customer=True),
    Area("accounts", "f5", N_("Accounts"), CUSTOMER_ROLES,
         "portops.ui.screens.customer_exports:AccountsScreen", customer=True),
]


def areas_for(role: Role) -> list[Area]:
    """The areas ``role`` may open, in function-key order."""
    def order(a: Area) -> int:
        return int(a.key[1:]) if a.key.startswith("f") and a.key[1:].isdigit() else 99

    permitted = [replace(a, key=a.admin_key) if role == Role.ADMIN and a.admin_key else a
                 for a in AREAS if a.permits(role)]
    return sorted(permitted, key=order)


#: How each role is called on screen (English, ``N_``).
ROLE_TITLES: dict[Role, str] = {
    Role.DISPATCHER: N_("dispatcher"), Role.LINE_HANDLER: N_("line handler"),
    Role.YARD_PLANNER: N_("yard planner"), Role.TALLY_CLERK: N_("tally clerk"),
    Role.GATE_CLERK: N_("gate clerk"), Role.ADMIN: N_("admin"),
    Role.HAULIER: N_("haulier"), Role.CONSIGNEE: N_("consignee"), Role.SHIPPER: N_("shipper"),
    Role.LINE: N_("shipping line"),
}
