"""The operations: the only code that changes the database.

Importing this package registers every operation in ``OPERATIONS``.
"""

from portops.ops import (
    berthplan,
    checklists,
    discharge,
    flags,
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

__all__ = ["OPERATIONS", "Actor", "Core", "Operation", "Refused", "Step", "Tx", "Unmet",
           "berthplan", "checklists", "discharge", "flags", "operation", "tally", "users",
           "visits", "workplans", "yard"]
