"""The operations: the only code that changes the database.

The areas (``portops.ops.visits``, ``portops.ops.gate``...) are imported when first used, not
here: the console starts on the schedule without loading the planners, EDIFACT and the code
validators that other areas' operations need. ``OPERATIONS`` (every operation by name) and
:func:`load_all` import every area first, so the registry is complete when asked for.
"""

from __future__ import annotations

import importlib
from typing import Any

from portops.ops.core import (
    Actor,
    Core,
    Operation,
    Refused,
    Step,
    Tx,
    Unmet,
    operation,
)

#: The operation modules, one area per line (so that merges do not collide).
AREAS = (
    "appointments",
    "bayplan",
    "berthplan",
    "checklists",
    "customer",
    "customer_export",
    "discharge",
    "export_haulier",
    "export_late",
    "export_no_show",
    "flags",
    "gate",
    "gate_arrival",
    "gate_return",
    "inventory",
    "layout",
    "load_lists",
    "loading",
    "manifest",
    "no_show",
    "parties",
    "port_entry",
    "receiving",
    "releases",
    "schedule",
    "signin",
    "tally",
    "tokens",
    "users",
    "visits",
    "workplans",
    "yard",
)


def load_all() -> dict[str, Operation]:
    """Import every area, so that every operation is registered; returns the registry."""
    from portops.ops.core import OPERATIONS

    for area in AREAS:
        importlib.import_module(f"portops.ops.{area}")
    return OPERATIONS


def __getattr__(name: str) -> Any:
    """``portops.ops.OPERATIONS`` (complete) and ``portops.ops.<area>``, imported on use."""
    if name == "OPERATIONS":
        return load_all()
    if name in AREAS:
        return importlib.import_module(f"portops.ops.{name}")
    raise AttributeError(f"module 'portops.ops' has no attribute {name!r}")


__all__ = [
    "AREAS",
    "OPERATIONS",
    "Actor",
    "Core",
    "Operation",
    "Refused",
    "Step",
    "Tx",
    "Unmet",
    "load_all",
    "operation",
    *AREAS,
]
