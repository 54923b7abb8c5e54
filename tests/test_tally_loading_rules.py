"""Issue 13, the tally's and loading's own rules as a new terminal meets them: a box loaded
before its customs release is refused for that (not "ask the planner"), the load report is
issued once loading is complete, and the readable tally report names each box whose seal
differs from the one booked."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from portops.model import Role
from portops.ops import Refused
from portops.ops.flags import grant_permission
from portops.ops.loading import complete, confirm, make_plan, report_sent
from portops.ops.receiving import receive
from portops.ops.tally import confirm as tally
from portops.ops.visits import arrive, berth
from portops.queries.discharge import render_tally_report, tally_report
from tests.conftest import as_role
from tests.test_export import BOX1, BOX2, _book, export_terminal
from tests.test_tally_ops import CLERK, planned, ready

D, G, T = (as_role(r) for r in (Role.DISPATCHER, Role.GATE_CLERK, Role.TALLY_CLERK))
#: Fixtures of the export and tally tests, used here by name.
FIXTURES = (export_terminal, planned)


def _received(core, clock, number):
    appt = _book(core, clock, number)
    clock.advance(minutes=20)
    core.run(G, receive, lookup=appt["ref"], container=number, size_type="45G1", seal="SL1")


def test_loading_an_unreleased_box_names_the_customs_release_first(core, export_terminal,
                                                                     clock):
    visit = export_terminal["visit"]
    _received(core, clock, BOX1)
    _received(core, clock, BOX2)
    core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference="CN-EXP-1", container=BOX1)
    core.run(D, make_plan, visit_id=visit)  # BOX1 only: BOX2 has no release
    core.run(D, arrive, visit_id=visit)
    core.run(D, berth, visit_id=visit)
    with pytest.raises(Refused) as exc:
        core.run(T, confirm, visit_id=visit, number=BOX2)
    assert exc.value.rules == ["permission.customs_export", "permission.port_entry",
                               "load.not_planned"]
    core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1", visit_id=visit)
    with pytest.raises(Refused) as exc:
        core.run(T, confirm, visit_id=visit, number=BOX2)
    assert exc.value.rules == ["permission.customs_export", "load.not_planned"]
    # a number that is at no terminal says so, not "ask the planner" alone
    with pytest.raises(Refused) as exc:
        core.run(T, confirm, visit_id=visit, number="MSKU9070318")
    assert exc.value.rules[0] == "load.box.unknown"


def _one_box_loaded(core, clock, visit: int) -> None:
    """BOX1 received, released, planned and loaded on the visit, alongside."""
    _received(core, clock, BOX1)
    core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference="CN-EXP-1", container=BOX1)
    core.run(D, make_plan, visit_id=visit)
    core.run(D, arrive, visit_id=visit)
    core.run(D, berth, visit_id=visit)
    core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1", visit_id=visit)
    core.run(T, confirm, visit_id=visit, number=BOX1, seal="SL1")


def test_load_report_is_issued_once_loading_is_complete(core, export_terminal, clock):
    visit = export_terminal["visit"]
    _one_box_loaded(core, clock, visit)
    with pytest.raises(Refused) as exc:
        core.run(T, report_sent, visit_id=visit)
    assert exc.value.rules == ["load.report.incomplete"]
    core.run(T, complete, visit_id=visit)
    assert core.run(T, report_sent, visit_id=visit, reference="to COSU") == {"loaded": 1}


def test_tally_report_names_each_box_with_a_seal_discrepancy(core, engine, planned):
    visit = planned["visit"]
    ready(core, visit)
    first, second, _third = planned["numbers"]
    core.run(CLERK, tally, visit_id=visit, number=first, seal="X9")  # booked S1
    core.run(CLERK, tally, visit_id=visit, number=second, seal="S2")
    with Session(engine) as s:
        text = render_tally_report(tally_report(s, visit))
    assert "seal discrepancies 1" in text
    section = text.split("Seal discrepancies (1)")[1].split("\n\n")[0]
    assert f"{first} 42G1 seal booked S1, found X9" in section
    assert second not in section


def test_the_load_report_reads_like_the_tally_report(core, engine, export_terminal, clock):
    """The load tally report names the vessel, voyage and port, when loading ran and the
    counts, then each box loaded, as the discharge tally report does (a QA walk found it raw
    Markdown tables with no vessel, voyage, operator or times)."""
    from portops.queries.export import load_report, render_load_report, rolled

    visit = export_terminal["visit"]
    _one_box_loaded(core, clock, visit)
    with Session(engine) as s:
        report = load_report(s, visit)
        text = render_load_report("KEY", report, rolled(s, visit),
                                  lambda when: when.strftime("%Y-%m-%d %H:%M"), "UTC")
    first, operator, counts, _blank, loaded, box = text.splitlines()[:6]
    assert first.startswith("LOAD TALLY REPORT — loading — ") and "[KEY]" in first
    assert report.header.vessel_name in first and report.header.voyage in first
    assert operator.startswith(f"Operator {report.header.carrier}. First box loaded 20")
    assert counts == "Loaded 1; rolled 0; damaged 0." and loaded == "Loaded (1)"
    assert box.startswith(f"  {BOX1} ") and "seal SL1" in box and "|" not in text
