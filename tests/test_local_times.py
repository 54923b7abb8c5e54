"""Times in a refusal read as the dispatcher typed them: in the terminal's zone, never ``…Z``.

Seen walking the schedule's times form: ETA typed 17:00 (Shanghai) came back as "ETA
2026-11-27 09:00Z is after ETB ..." — the dispatcher's own time, eight hours off and in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portops.model import Role
from portops.ops import Refused
from portops.ops.berthplan import set_times
from tests.conftest import as_role

D = as_role(Role.DISPATCHER)


def test_eta_after_etb_is_named_in_local_time(core, small_terminal):
    with pytest.raises(Refused) as exc:  # ETB is 16:00 in Shanghai
        core.run(D, set_times, visit_id=small_terminal["visit"],
                 eta=datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    message = exc.value.unmet[0].message
    assert "ETA 2026-11-27 17:00 is after ETB 2026-11-27 16:00" in message
    assert "Z" not in message


def test_departure_before_berthing_is_named_in_local_time(core, small_terminal):
    with pytest.raises(Refused) as exc:
        core.run(D, set_times, visit_id=small_terminal["visit"],
                 etd=datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    assert exc.value.rules == ["berth.times.order"]
    message = exc.value.unmet[0].message
    assert "departure 2026-11-27 15:00 is not after berthing 2026-11-27 16:00" in message
