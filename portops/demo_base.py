"""What the demo and its areas' extensions share: :class:`Demo` and :func:`extend`.

``portops.demo`` builds the base demo and runs the extensions; each area's demo module
(``demo_discharge``, ``demo_gate``...) registers its own with ``@extend``. Both import this
module, so the demo imports its extensions at its top and none of them imports the demo back
(it used to import them at its bottom, a cycle).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portops.ops import Core


@dataclass
class Demo:
    """What the base demo made, for extensions: visit keys by phase, box counts."""

    now: datetime
    visits: dict[str, str] = field(default_factory=dict)  # key -> phase
    boxes: int = 0
    notes: list[str] = field(default_factory=list)


Extension = Callable[["Core", datetime, Demo], Any]
EXTENSIONS: list[Extension] = []


def extend(fn: Extension) -> Extension:
    """Register demo data of another area (runs after the base demo, in order)."""
    EXTENSIONS.append(fn)
    return fn
