"""A refusal's notification names the step as the clerk reads it, not the operation's id."""

from __future__ import annotations

import pytest

from portops.model import Role
from portops.ops import Refused
from portops.ops.berthplan import unassign
from portops.ui.errors import report
from tests.conftest import as_role


def _refusal(core, small_terminal) -> Refused:
    core.run(as_role(Role.DISPATCHER), unassign, visit_id=small_terminal["visit"])
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.DISPATCHER), unassign, visit_id=small_terminal["visit"])
    return exc.value


def test_the_title_names_the_step_in_english(core, small_terminal):
    r = report(_refusal(core, small_terminal))
    assert r.title == "Refused: Take a visit off its berth in the plan"  # was berthplan.unassign
    assert r.message.startswith("[berthplan.unassigned] ")


def test_the_title_names_the_step_in_chinese(core, small_terminal, chinese):
    r = report(_refusal(core, small_terminal))
    assert r.title == "被拒绝：在泊位计划中撤下该航次的泊位安排"  # was 被拒绝：berthplan.unassign
