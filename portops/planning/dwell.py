"""When a box is likely to leave the yard: its pickup appointment, or an expected dwell.

The yard planner stacks boxes that leave together in the same stacks, the box that leaves
first on top, so that collecting it costs no relocation. The best evidence is a pickup
appointment (its slot start). Without one, the planner uses an *expected dwell class*, as
terminal operating systems do for import boxes whose collection is not yet booked (a "dwell"
or "departure" estimate by category, freight kind and release status), and as the dwell-time
literature measures it: customs status and holds, freight kind (empty or full), reefer, dangerous
goods and transhipment explain most of the spread (e.g. Kourounioti et al., "Development of
models predicting dwell time of import containers in port container terminals", 2016).

The estimator here is deliberately simple and documented, one rule per fact, first match
wins; the days are typical values, meant to order boxes, not to promise dates:

=======================  ======  ===================================================
fact                     days    why
=======================  ======  ===================================================
empty                    10      stored until the line repositions it
tranship                 6       waits for its connecting vessel
reefer (full)            2       plug time is charged; consignees collect fast
dangerous goods          2       DG boxes are cleared and collected first
hold (inspection, X-ray) 7       waits for the inspection before it may leave
released (customs+line)  3       free to collect: picked up within the free time
not yet released         5       waits for customs or the line
=======================  ======  ===================================================

Classes: *short* (up to 3 days), *medium* (4-6), *long* (7 and more).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DwellFacts:
    """What the estimator looks at (plain data; the operation fills it from the database)."""

    full: bool = True
    tranship: bool = False
    reefer: bool = False
    dangerous: bool = False
    held: bool = False  # an active terminal or customs hold (inspection, X-ray, damage)
    released: bool = False  # customs and line released, nothing blocks delivery


@dataclass(frozen=True)
class Leaving:
    """When a box is expected to leave and what says so."""

    hours: float  # from the planning moment; smaller leaves earlier and stacks higher
    group: str  # the boxes stacked together: "pickups 2026-11-28" or "short dwell"
    reason: str  # for "why this slot"
    estimate: bool = True  # a dwell estimate (False: a booked appointment)


def expected_dwell(f: DwellFacts) -> tuple[int, str]:
    """Expected days in the yard and the fact that decided it (the table above)."""
    if not f.full:
        return 10, "empty"
    if f.tranship:
        return 6, "tranship"
    if f.reefer:
        return 2, "reefer"
    if f.dangerous:
        return 2, "dangerous goods"
    if f.held:
        return 7, "on hold"
    if f.released:
        return 3, "released by customs and line"
    return 5, "not yet released"


def dwell_class(days: int) -> str:
    return "short" if days <= 3 else "medium" if days <= 6 else "long"


def by_dwell(f: DwellFacts) -> Leaving:
    days, fact = expected_dwell(f)
    cls = dwell_class(days)
    return Leaving(days * 24.0, f"{cls} dwell",
                   f"no appointment: expected dwell {cls} (~{days} d, {fact})")


def by_appointment(slot_start: datetime, now: datetime, local: datetime, ref: str) -> Leaving:
    """A booked pickup: grouped by the (terminal-local) day, ordered by the slot start."""
    hours = (slot_start - now).total_seconds() / 3600
    return Leaving(hours, f"pickups {local:%Y-%m-%d}",
                   f"appointment {ref} at {local:%H:%M}: earlier pickups stacked higher",
                   estimate=False)
