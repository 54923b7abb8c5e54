"""The operations: the only code that changes the database.

Importing this package registers every operation in ``OPERATIONS``.
"""

from portops.ops import (  # one area per line, so that merges do not collide
    appointments,
    bayplan,
    berthplan,
    checklists,
    discharge,
    flags,
    gate,
    inventory,
    layout,
    manifest,
    releases,
    schedule,
    tally,
    users,
    visits,
    workplans,
    yard,
)
from portops.ops.core import (
    OPERATIONS,
    Actor,
    Core,
    Operation,
    Refused,
    Step,
    Tx,
    Unmet,
    operation,
)

__all__ = [
    "OPERATIONS",
    "Actor",
    "Core",
    "Operation",
    "Refused",
    "Step",
    "Tx",
    "Unmet",
    "appointments",
    "bayplan",
    "berthplan",
    "checklists",
    "discharge",
    "flags",
    "gate",
    "inventory",
    "layout",
    "manifest",
    "operation",
    "releases",
    "schedule",
    "tally",
    "users",
    "visits",
    "workplans",
    "yard",
]
