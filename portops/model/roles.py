"""The people on duty, as roles; an operation names the roles that may call it.

The terminal's own staff hold the first six. The last four are the terminal's customers, each
account belonging to one party (``user_account.party_id``): they call only the customer-facing
operations and queries (``portops.ops.customer``, ``portops.queries.customer``), which see
nothing but their party's own boxes, bookings and calls. No staff operation names them, and
the terminal's admin does not take them on: admin is staff.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    DISPATCHER = "dispatcher"
    LINE_HANDLER = "line_handler"
    YARD_PLANNER = "yard_planner"
    TALLY_CLERK = "tally_clerk"
    GATE_CLERK = "gate_clerk"
    ADMIN = "admin"
    # The terminal's customers (an account of a party):
    HAULIER = "haulier"  # a road haulier's dispatcher: books trucks, sees its EIRs
    CONSIGNEE = "consignee"  # a consignee or forwarder: collects imports, hands the right on
    SHIPPER = "shipper"  # a shipper (or its forwarder): delivers exports
    LINE = "line"  # a shipping line or its agent: releases, sees its boxes and calls

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def is_customer(self) -> bool:
        return self in CUSTOMER_ROLES


#: The roles of the terminal's customers (accounts that belong to a party).
CUSTOMER_ROLES: frozenset[Role] = frozenset({Role.HAULIER, Role.CONSIGNEE, Role.SHIPPER,
                                             Role.LINE})
#: The terminal's own staff, in declaration order (admin last).
STAFF_ROLES: tuple[Role, ...] = tuple(r for r in Role if r not in CUSTOMER_ROLES)
