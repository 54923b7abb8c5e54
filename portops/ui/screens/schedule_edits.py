"""The schedule's edit operations, from the berth plan (``portops.ops.berthplan``).

Kept behind two functions so that the screen works (with the edits greyed and explained)
on a build without the berth plan.
"""

from __future__ import annotations

from portops.ops import Operation


def set_times_op() -> Operation | None:
    """``berthplan.set_times(visit_id, eta=, etb=, etd=)``."""
    try:
        from portops.ops import berthplan
    except ImportError:
        return None
    return getattr(berthplan, "set_times", None)


def assign_op() -> Operation | None:
    """``berthplan.assign(visit_id, berth_id, quay_from_m=None)``."""
    try:
        from portops.ops import berthplan
    except ImportError:
        return None
    return getattr(berthplan, "assign", None)
