"""The operations: the only code that changes the database.

Importing this package registers every operation in ``OPERATIONS``.
"""

from portops.ops import (
    appointments,
    berthplan,
    checklists,
    flags,
    gate,
    releases,
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

__all__ = ["OPERATIONS", "Actor", "Core", "Operation", "Refused", "Step", "Tx", "Unmet",
           "appointments", "berthplan", "checklists", "flags", "gate", "operation", "releases",
           "users", "visits", "workplans"]
