"""The operations: the only code that changes the database.

Importing this package registers every operation in ``OPERATIONS``.
"""

from portops.ops import (  # one area per line, so that merges do not collide
    berthplan,
    checklists,
    flags,
    inventory,
    layout,
    schedule,
    users,
    visits,
    workplans,
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
    "berthplan",
    "checklists",
    "flags",
    "inventory",
    "layout",
    "operation",
    "schedule",
    "users",
    "visits",
    "workplans",
]
