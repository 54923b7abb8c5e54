"""Port-entry formalities (靠港手续) recorded by the dispatcher, by form or by file.

Seen walking an empty terminal: after berthing a planned visit, every tally was refused with
``[permission.port_entry]`` and nothing but the demo's code could record the clearance.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from portops.flags import Action, blocking
from portops.formats import registry
from portops.formats.yamlsrc import SourceErrors
from portops.model import Event, Flag, Role, VesselVisit
from portops.ops import Refused
from portops.ops.port_entry import record
from portops.ops.visits import arrive
from portops.queries.port_entry import port_entry
from tests.conftest import as_role

D = as_role(Role.DISPATCHER)
T = as_role(Role.TALLY_CLERK)


def _blocked(engine, vid) -> list[str]:
    with Session(engine) as s:
        return [u.rule for u in blocking(s, Action.DISCHARGE, visit=s.get(VesselVisit, vid))]


def test_the_dispatcher_records_the_clearance_and_discharge_may_begin(core, engine,
                                                                      small_terminal):
    vid = small_terminal["visit"]  # it is 14:00 in Shanghai
    core.run(D, arrive, visit_id=vid)
    assert _blocked(engine, vid) == ["permission.port_entry"]
    core.run(D, record, visit_id=vid, reference="CIQ-2026-1127-0042",
             authority="Shanghai MSA / customs", cleared_at="13:45")
    assert _blocked(engine, vid) == []
    got = port_entry(engine, vid)
    assert (got.reference, got.authority, got.by) == (
        "CIQ-2026-1127-0042", "Shanghai MSA / customs", "dispatcher")
    assert got.cleared_at == datetime(2026, 11, 27, 5, 45, tzinfo=UTC)  # 13:45 local
    with Session(engine) as s:
        ev = s.exec(select(Event).where(Event.operation == "port_entry.record")).one()
        assert ev.data["authority"] == "Shanghai MSA / customs"


def test_every_unmet_rule_at_once_and_nothing_written(core, engine, small_terminal):
    vid = small_terminal["visit"]
    with pytest.raises(Refused) as exc:
        core.run(D, record, visit_id=vid, reference="  ", authority="", cleared_at="15:00")
    assert exc.value.rules == ["port_entry.authority", "port_entry.cleared_at.future",
                               "permission.reference"]
    assert "2026-11-27 15:00 is in the future (it is now 14:00)" in exc.value.unmet[1].message
    with pytest.raises(Refused) as exc:
        core.run(D, record, visit_id=vid, reference="R1", authority="MSA", cleared_at="soon")
    assert exc.value.rules == ["port_entry.cleared_at.invalid"]
    assert "14:30, 07 14:30, 2026-12-07 14:30" in exc.value.unmet[0].remedy
    with pytest.raises(Refused) as exc:  # the tally clerk may not
        core.run(T, record, visit_id=vid, reference="R1", authority="MSA")
    assert "role.not_permitted" in exc.value.rules
    with Session(engine) as s:
        assert s.exec(select(Flag)).all() == []


def test_not_twice(core, small_terminal):
    vid = small_terminal["visit"]
    core.run(D, record, visit_id=vid, reference="R1", authority="MSA")
    with pytest.raises(Refused) as exc:
        core.run(D, record, visit_id=vid, reference="R2", authority="MSA")
    assert exc.value.rules == ["permission.already_granted"]


FILE = """kind: port_entry
version: 1
clearances:
  - visit: tst-001
    reference: CIQ-2026-1127-0042
    authority: Shanghai MSA / customs
    cleared: 2026-11-27 13:45
"""


def test_a_clearance_arrives_as_a_file(core, engine, small_terminal, tmp_path):
    vid = small_terminal["visit"]
    path = tmp_path / "clearance.yaml"
    path.write_text(FILE, encoding="utf-8")
    (report,) = registry.apply(core, "dispatcher", registry.prepare([path]))
    assert report.summary() == "port entry: clearances 1 added, 0 changed, 0 unchanged"
    got = port_entry(engine, vid)
    assert (got.reference, got.cleared_at) == (
        "CIQ-2026-1127-0042", datetime(2026, 11, 27, 5, 45, tzinfo=UTC))
    # the same message again changes nothing; another reference for the visit is refused
    (again,) = registry.apply(core, "dispatcher", registry.prepare([path]))
    assert again.summary() == "port entry: clearances 0 added, 0 changed, 1 unchanged"
    path.write_text(FILE.replace("0042", "0043"), encoding="utf-8")
    with pytest.raises(Refused) as exc:
        registry.apply(core, "dispatcher", registry.prepare([path]))
    assert exc.value.rules == ["port_entry.other_reference"]
    assert exc.value.unmet[0].where.endswith("clearance.yaml:4")


def test_a_bad_file_names_file_and_line(tmp_path, small_terminal, core):
    path = tmp_path / "bad.yaml"
    path.write_text("kind: port_entry\nclearances:\n  - visit: TST-001\n    referense: X\n"
                    "    authority: MSA\n    cleared: half past two\n", encoding="utf-8")
    with pytest.raises(SourceErrors) as exc:
        registry.prepare([path])
    text = str(exc.value)
    assert "bad.yaml:4: a clearance has no key 'referense'; did you mean 'reference'?" in text
    assert ("bad.yaml:6: cleared: 'half past two' is not a time; write it as 14:30, 07 14:30, "
            "2026-12-07 14:30 (terminal time)") in text


def test_unknown_visit_in_a_file(core, small_terminal, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(FILE.replace("tst-001", "NOPE-1"), encoding="utf-8")
    with pytest.raises(Refused) as exc:
        registry.apply(core, "dispatcher", registry.prepare([path]))
    assert exc.value.rules == ["port_entry.visit.unknown"]
