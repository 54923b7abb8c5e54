"""The operations: the only code that changes the database.

Importing this package registers every operation in ``OPERATIONS``.
"""

from portops.ops import appointments, flags, gate, releases, users, visits
from portops.ops.core import OPERATIONS, Actor, Core, Operation, Refused, Tx, Unmet, operation

__all__ = ["OPERATIONS", "Actor", "Core", "Operation", "Refused", "Tx", "Unmet",
           "appointments", "flags", "gate", "operation", "releases", "users", "visits"]
