"""The export receiving window (集港计划): when a visit's export boxes may come in.

By default the window opens 7 days before the berthing time and closes at the cargo cut-off,
24 hours before it; reefer and dangerous-goods boxes may have earlier cut-offs. The window is
always computed from the visit's *current* ETB, so when the ETB moves the window moves with it,
while boxes already accepted stay accepted (they are in the yard; nothing re-checks them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class CutOffs:
    open_days: int = 7
    cargo_hours: int = 24
    reefer_hours: int = 24
    dg_hours: int = 36


@dataclass(frozen=True)
class Window:
    opens: datetime
    cargo_cutoff: datetime
    reefer_cutoff: datetime
    dg_cutoff: datetime

    def closes_for(self, *, reefer: bool = False, dangerous: bool = False) -> datetime:
        """The cut-off that applies to a box: the earliest of those it falls under."""
        closes = self.cargo_cutoff
        if reefer:
            closes = min(closes, self.reefer_cutoff)
        if dangerous:
            closes = min(closes, self.dg_cutoff)
        return closes

    def state_at(self, when: datetime, *, reefer: bool = False, dangerous: bool = False) -> str:
        """``not_open``, ``open`` or ``closed`` for a box of this kind at ``when``."""
        if when < self.opens:
            return "not_open"
        return "open" if when < self.closes_for(reefer=reefer, dangerous=dangerous) else "closed"


def window(etb: datetime, cut: CutOffs = CutOffs()) -> Window:
    return Window(opens=etb - timedelta(days=cut.open_days),
                  cargo_cutoff=etb - timedelta(hours=cut.cargo_hours),
                  reefer_cutoff=etb - timedelta(hours=cut.reefer_hours),
                  dg_cutoff=etb - timedelta(hours=cut.dg_hours))
