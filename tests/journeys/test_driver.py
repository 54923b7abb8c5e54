"""The journeys' screen check itself: what it lets pass and what stops a journey."""

from __future__ import annotations

import pytest

from tests.journeys.driver import faults


@pytest.mark.parametrize("text", [
    "[checklist.step.needs] step 4 needs step 3 first — tick it first",
    "[permission.customs_import] 箱 HLXU1000012 没有海关放行 — 登记海关放行",
    "Refused: gate.admit",  # an operation's name in a title, not a rule
    "ADMITTED TA7K3M9QXF: drive to A03 01-01-1",
])
def test_a_sentence_passes(text):
    assert faults([text]) == []


@pytest.mark.parametrize("text", [
    "[checklist.step.needs]",
    "Refused: checklist.tick\n[berth.occupied] — ",
    "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>",
    '  File "/work/main/portops/ui/app.py", line 12, in on_key',
])
def test_a_bare_rule_or_a_traceback_stops_the_journey(text):
    assert faults([text])
